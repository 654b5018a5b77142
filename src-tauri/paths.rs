//! Where envdeck keeps its own files: the OS app-data directory, unless `--data-dir` or
//! `ENVDECK_DATA_DIR` says otherwise (tests, portable use). What envdeck creates there is
//! private to its owner (0700 folders, 0600 files on Unix): logs and the audit log name
//! hosts, environments and secret names.

use std::path::{Path, PathBuf};

use crate::error::{Error, ErrorCode, Result};

pub fn data_dir(explicit: Option<PathBuf>) -> Result<PathBuf> {
    if let Some(p) = explicit {
        return Ok(p);
    }
    directories::ProjectDirs::from("dev", "envdeck", "envdeck")
        .map(|d| d.data_dir().to_path_buf())
        .ok_or_else(|| {
            Error::new(
                ErrorCode::Io,
                "no home directory to keep envdeck's data in: pass --data-dir <DIR> or set ENVDECK_DATA_DIR",
            )
        })
}

/// Creates `dir` (and missing parents) readable by the owner only (0700 on Unix). A folder
/// that already exists is left as it is: it may be one the person chose and shares.
pub fn create_private_dir(dir: &Path) -> Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
    b.create(dir).map_err(|e| Error::io("create", dir, &e))
}

/// Opens (creating if needed) one of envdeck's own files in append mode, owner-only
/// (0600 on Unix) from the moment it exists; a looser one left by an older envdeck is
/// tightened.
pub fn open_private_file(path: &Path) -> std::io::Result<std::fs::File> {
    let mut o = std::fs::OpenOptions::new();
    o.create(true).append(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
    let f = o.open(path)?;
    tighten(&f)?;
    Ok(f)
}

/// Makes an existing file of envdeck's owner-only (0600 on Unix); a missing one is fine.
pub fn tighten_file(path: &Path) -> std::io::Result<()> {
    match std::fs::File::open(path) {
        Ok(f) => tighten(&f),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

#[cfg(unix)]
fn tighten(f: &std::fs::File) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mode = f.metadata()?.permissions().mode();
    if mode & 0o077 != 0 {
        f.set_permissions(std::fs::Permissions::from_mode(mode & 0o700))?;
    }
    Ok(())
}

#[cfg(not(unix))]
fn tighten(_: &std::fs::File) -> std::io::Result<()> {
    Ok(())
}
