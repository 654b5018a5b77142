#!/usr/bin/env python3
"""Regenerate envdeck's icon set (Tauri 2 names) from the hand-written SVG sources.

Sources (all in this folder):
  icon.svg        master artwork, macOS icon grid (tile with margin)  -> 64 px and up, all .icns entries
  icon-small.svg  simplified, near full-bleed variant                -> 24, 32, 48 px (32x32.png, .ico)
  icon-16.svg     pixel-grid variant drawn on a 16-unit grid          -> 16 px (.ico)

Outputs: 32x32.png 64x64.png 128x128.png 128x128@2x.png icon.png(512) icon.ico icon.icns
All PNGs are 8-bit RGBA (colour type 6).

Needs: rsvg-convert (apt: librsvg2-bin) and Pillow (pip install pillow).
Usage:  python3 icons/build-icons.py [--sheet /tmp/icons-sheet.png]
"""
import io
import struct
import subprocess
import sys
from pathlib import Path

from PIL import Image

HERE = Path(__file__).resolve().parent


def source_for(size: int) -> Path:
    if size <= 16:
        return HERE / "icon-16.svg"
    if size <= 48:
        return HERE / "icon-small.svg"
    return HERE / "icon.svg"


def render(size: int, svg: Path | None = None) -> Image.Image:
    svg = svg or source_for(size)
    png = subprocess.run(
        ["rsvg-convert", "-w", str(size), "-h", str(size), str(svg)],
        check=True, capture_output=True,
    ).stdout
    im = Image.open(io.BytesIO(png)).convert("RGBA")
    assert im.size == (size, size), (svg, im.size)
    return im


def png_bytes(im: Image.Image) -> bytes:
    buf = io.BytesIO()
    im.save(buf, format="PNG", optimize=True)
    return buf.getvalue()


def ico_dib(im: Image.Image) -> bytes:
    """32-bit BGRA DIB + 1-bit AND mask, the classic .ico entry format."""
    w, h = im.size
    header = struct.pack("<IiiHHIIiiII", 40, w, h * 2, 1, 32, 0, 0, 0, 0, 0, 0)
    b, g, r, a = im.split()[2], im.split()[1], im.split()[0], im.split()[3]
    bgra = Image.merge("RGBA", (b, g, r, a)).transpose(Image.FLIP_TOP_BOTTOM).tobytes()
    row = ((w + 31) // 32) * 4
    mask = bytearray()
    alpha = im.getchannel("A").transpose(Image.FLIP_TOP_BOTTOM).tobytes()
    for y in range(h):
        bits = bytearray(row)
        for x in range(w):
            if alpha[y * w + x] == 0:
                bits[x // 8] |= 0x80 >> (x % 8)
        mask += bits
    return header + bgra + bytes(mask)


def write_ico(path: Path, sizes: list[int]) -> None:
    # BMP entries for small sizes (widest compatibility), PNG-compressed for 256 as the spec allows.
    blobs = [(s, png_bytes(render(s)) if s >= 256 else ico_dib(render(s))) for s in sizes]
    out = bytearray(struct.pack("<HHH", 0, 1, len(blobs)))
    offset = 6 + 16 * len(blobs)
    for s, data in blobs:
        d = 0 if s >= 256 else s
        out += struct.pack("<BBBBHHII", d, d, 0, 0, 1, 32, len(data), offset)
        offset += len(data)
    for _, data in blobs:
        out += data
    path.write_bytes(out)


def write_icns(path: Path) -> None:
    # PNG payloads for every entry; 1x and @2x types as produced by iconutil.
    entries = [
        (b"icp4", 16), (b"ic11", 32),    # 16pt, 16pt@2x
        (b"icp5", 32), (b"ic12", 64),    # 32pt, 32pt@2x
        (b"ic07", 128), (b"ic13", 256),  # 128pt, 128pt@2x
        (b"ic08", 256), (b"ic14", 512),  # 256pt, 256pt@2x
        (b"ic09", 512), (b"ic10", 1024), # 512pt, 512pt@2x
    ]
    master = HERE / "icon.svg"  # macOS keeps the grid with margin at every size
    cache: dict[int, bytes] = {}
    body = bytearray()
    for ostype, s in entries:
        data = cache.setdefault(s, png_bytes(render(s, master)))
        body += ostype + struct.pack(">I", 8 + len(data)) + data
    path.write_bytes(b"icns" + struct.pack(">I", 8 + len(body)) + bytes(body))


def contact_sheet(path: Path) -> None:
    files = ["32x32.png", "64x64.png", "128x128.png", "128x128@2x.png", "icon.png"]
    ico = Image.open(HERE / "icon.ico")
    ico_imgs = []
    for s in sorted(ico.info.get("sizes", []) or ico.ico.sizes()):
        ico_imgs.append(ico.ico.getimage(s).convert("RGBA"))
    imgs = ico_imgs + [Image.open(HERE / f).convert("RGBA") for f in files]
    imgs = [im if im.width <= 256 else im.resize((256, 256), Image.LANCZOS) for im in imgs]
    pad = 16
    width = sum(im.width for im in imgs) + pad * (len(imgs) + 1)
    band = 256 + 2 * pad
    zoom = [im.resize((im.width * k, im.height * k), Image.NEAREST)
            for im, k in ((ico_imgs[0], 8), (ico_imgs[2], 4))]  # 16 and 32 px, magnified
    zband = max(z.height for z in zoom) + 2 * pad
    sheet = Image.new("RGBA", (width, 2 * band + zband), (245, 246, 248, 255))
    sheet.paste((24, 26, 32, 255), (0, band, width, 2 * band))
    for y0 in (0, band):
        x = pad
        for im in imgs:
            sheet.alpha_composite(im, (x, y0 + band - pad - im.height))
            x += im.width + pad
    x = pad
    for z in zoom:
        sheet.alpha_composite(z, (x, 2 * band + pad))
        x += z.width + pad
    sheet.save(path)


def main() -> None:
    for name, size in [("32x32.png", 32), ("64x64.png", 64), ("128x128.png", 128),
                       ("128x128@2x.png", 256), ("icon.png", 512)]:
        (HERE / name).write_bytes(png_bytes(render(size)))
    write_ico(HERE / "icon.ico", [16, 24, 32, 48, 64, 256])
    write_icns(HERE / "icon.icns")

    for p in sorted(HERE.glob("*.png")):
        with Image.open(p) as im:
            assert im.mode == "RGBA", (p, im.mode)
    if "--sheet" in sys.argv:
        contact_sheet(Path(sys.argv[sys.argv.index("--sheet") + 1]))


if __name__ == "__main__":
    main()
