#!/usr/bin/env python3
"""Helper of tests/bench/table-diff.sh: reads the counts each tool printed, checks them
against the expected ones, and prints the table of runs, the medians and the verdict.

    table_diff_report.py count envdeck|reladiff OUTPUT_FILE
        prints "only_in_a only_in_b changed rows_a rows_b" read from one tool's output.
    table_diff_report.py report RUNS_TSV EXP_A EXP_B EXP_CHANGED ROWS_A ROWS_B MIN_RATIO MAX_RSS_MB
        RUNS_TSV lines: tool run seconds max_rss_kb only_in_a only_in_b changed rows_a rows_b
        Exits 1 when counts disagree (with each other or with the expected ones), 2 when a
        target is missed, 0 otherwise.
"""
import json
import statistics
import sys


def counts(tool, path):
    with open(path) as f:
        text = f.read()
    if tool == "envdeck":
        d = json.loads(text)
        return d["only_in_a"], d["only_in_b"], d["changed"], d["rows_a"], d["rows_b"]
    # reladiff --stats --json prints one JSON object (rich may wrap long lines: rejoin them).
    start = text.index("{")
    d = json.loads(text[start:].replace("\n", " "))
    # reladiff counts keys: only `-` = exclusive_A, only `+` = exclusive_B, both = updated.
    return d["exclusive_A"], d["exclusive_B"], d["updated"], d["rows_A"], d["rows_B"]


def report(runs_path, exp_a, exp_b, exp_changed, rows_a, rows_b, min_ratio, max_rss_mb):
    expected = (int(exp_a), int(exp_b), int(exp_changed))
    runs = []
    with open(runs_path) as f:
        for line in f:
            if line.strip():
                tool, run, secs, rss, *c = line.split()
                runs.append((tool, int(run), float(secs), int(rss), tuple(int(x) for x in c)))

    print(f"{'tool':<9} {'run':>3} {'seconds':>8} {'peak RSS MB':>12}  only_in_a only_in_b changed  rows_a  rows_b")
    for tool, run, secs, rss, c in runs:
        print(f"{tool:<9} {run:>3} {secs:>8.2f} {rss / 1024:>12.1f}  {c[0]:>9} {c[1]:>9} {c[2]:>7} {c[3]:>7} {c[4]:>7}")
    print()

    ok = True
    for tool, run, _, _, c in runs:
        if c[:3] != expected:
            print(f"COUNTS DIFFER: {tool} run {run} found {c[:3]}, expected {expected} "
                  "(only_in_a, only_in_b, changed)")
            ok = False
    # Row totals: envdeck's are checked too; reladiff's `rows_B` comes from the segments it
    # happened to count and varies between runs, so it is shown but not compared.
    for tool, run, _, _, c in runs:
        if tool == "envdeck" and c[3:] != (int(rows_a), int(rows_b)):
            print(f"ROW TOTALS DIFFER: envdeck run {run} read {c[3:]}, expected {(int(rows_a), int(rows_b))}")
            ok = False
    per_tool = {t: {r[4][:3] for r in runs if r[0] == t} for t in ("envdeck", "reladiff")}
    if per_tool["envdeck"] != per_tool["reladiff"]:
        print(f"COUNTS DIFFER between the tools: envdeck {per_tool['envdeck']}, reladiff {per_tool['reladiff']}")
        ok = False
    if ok:
        print(f"counts agree: only_in_a={expected[0]} only_in_b={expected[1]} changed={expected[2]} "
              "(envdeck, reladiff and the expected numbers)")

    med = {t: statistics.median(r[2] for r in runs if r[0] == t) for t in ("envdeck", "reladiff")}
    rss = {t: max(r[3] for r in runs if r[0] == t) / 1024 for t in ("envdeck", "reladiff")}
    ratio = med["reladiff"] / med["envdeck"]
    print(f"median wall time: envdeck {med['envdeck']:.2f} s, reladiff {med['reladiff']:.2f} s")
    print(f"ratio (reladiff / envdeck): {ratio:.1f}x")
    print(f"peak RSS: envdeck {rss['envdeck']:.1f} MB, reladiff {rss['reladiff']:.1f} MB")
    speed_ok = ratio >= float(min_ratio)
    mem_ok = rss["envdeck"] <= float(max_rss_mb)
    print(f"{'PASS' if speed_ok else 'FAIL'}: envdeck at least {float(min_ratio):g}x faster than reladiff ({ratio:.1f}x)")
    print(f"{'PASS' if mem_ok else 'FAIL'}: envdeck peak RSS at most {float(max_rss_mb):g} MB ({rss['envdeck']:.1f} MB)")
    if not ok:
        return 1
    return 0 if speed_ok and mem_ok else 2


if __name__ == "__main__":
    if sys.argv[1] == "count":
        print(*counts(sys.argv[2], sys.argv[3]))
    elif sys.argv[1] == "report":
        sys.exit(report(*sys.argv[2:10]))
    else:
        sys.exit(__doc__)
