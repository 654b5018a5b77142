//! How the CLI prints: aligned tables, colour only on a terminal, JSON on request.

use owo_colors::{OwoColorize, Stream};

use crate::api::views::{SecretEntry, StatusReport};
use crate::error::{Error, Result};

/// Data on its way to a terminal: control characters (newlines, ANSI escapes, …) and
/// bidirectional overrides are shown escaped, so a key or a detail cannot forge a row or
/// recolour the terminal. JSON output needs none of this: serde escapes it.
pub fn safe(s: &str) -> std::borrow::Cow<'_, str> {
    let bad = |c: char| {
        c.is_control()
            || matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    };
    if !s.chars().any(bad) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if bad(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

pub fn error_line(e: &Error) -> String {
    format!(
        "{}: {}",
        format!("error[{}]", e.code).if_supports_color(Stream::Stderr, |t| t.red()),
        safe(&e.message)
    )
}

pub fn warning_line(w: &str) -> String {
    format!(
        "{}: {}",
        "warning".if_supports_color(Stream::Stderr, |t| t.yellow()),
        safe(w)
    )
}

pub fn print_json<T: serde::Serialize>(v: &T) -> Result<()> {
    print!("{}", crate::api::export::json_text(v)?);
    Ok(())
}

/// One JSON object on one line (`--json` output that streams a line per step).
pub fn print_json_line<T: serde::Serialize>(v: &T) -> Result<()> {
    let s = serde_json::to_string(v)
        .map_err(|e| Error::internal(format!("could not encode JSON: {e}")))?;
    println!("{s}");
    Ok(())
}

fn pad(s: &str, w: usize) -> String {
    format!("{s:<w$}")
}

pub fn print_status(r: &StatusReport) {
    let wn = r
        .environments
        .iter()
        .map(|e| e.name.len())
        .max()
        .unwrap_or(4)
        .max(4);
    println!("{} — {} environment(s)", r.workspace, r.environments.len());
    for e in &r.environments {
        let dot = if e.reachable && e.error.is_none() {
            "●"
                .if_supports_color(Stream::Stdout, |t| t.green())
                .to_string()
        } else if e.reachable {
            "●"
                .if_supports_color(Stream::Stdout, |t| t.yellow())
                .to_string()
        } else {
            "✗"
                .if_supports_color(Stream::Stdout, |t| t.red())
                .to_string()
        };
        let lock = if e.protected { "protected" } else { "" };
        let mut line = format!(
            "{dot} {} {} {}",
            pad(&safe(&e.name), wn),
            pad(e.kind.as_str(), 11),
            pad(lock, 9)
        );
        if e.reachable {
            line.push_str(&format!(
                " {:>5} ms  {}",
                e.latency_ms.unwrap_or(0),
                pad(&safe(e.server_version.as_deref().unwrap_or("?")), 16)
            ));
            if let Some(n) = e.integrations {
                line.push_str(&format!("  {n} integrations"));
            }
            if let Some(n) = e.workflows {
                line.push_str(&format!("  {n} workflows"));
            }
        } else {
            line.push_str(" unreachable");
        }
        println!("{}", line.trim_end());
        if let (Some(msg), Some(code)) = (&e.error, e.error_code) {
            println!(
                "    {}: {}",
                format!("error[{code}]").if_supports_color(Stream::Stdout, |t| t.red()),
                safe(msg)
            );
            // The technical part (the keychain's or the driver's own words), under it.
            if let Some(detail) = &e.error_detail {
                println!(
                    "    {}",
                    format!("detail: {}", safe(detail))
                        .if_supports_color(Stream::Stdout, |t| t.dimmed())
                );
            }
        }
    }
}

pub fn print_secrets(list: &[SecretEntry]) {
    if list.is_empty() {
        println!(
            "no secrets: the workspace names none and none were set with `envdeck secret set`"
        );
        return;
    }
    let we = list.iter().map(|s| s.env.len()).max().unwrap_or(3).max(3);
    let wn = list.iter().map(|s| s.name.len()).max().unwrap_or(4).max(4);
    println!(
        "{} {} {:<7} USED BY",
        pad("ENV", we),
        pad("NAME", wn),
        "STATUS"
    );
    for s in list {
        let status = if s.is_set {
            format!("{:<7}", "set")
                .if_supports_color(Stream::Stdout, |t| t.green())
                .to_string()
        } else {
            format!("{:<7}", "not set")
                .if_supports_color(Stream::Stdout, |t| t.yellow())
                .to_string()
        };
        println!(
            "{} {} {status} {}",
            pad(&safe(&s.env), we),
            pad(&safe(&s.name), wn),
            safe(s.used_by.as_deref().unwrap_or("-"))
        );
    }
}

fn severity_word(s: crate::compare::Severity) -> String {
    use crate::compare::Severity::*;
    let w = format!("{:<8}", s.as_str());
    match s {
        Critical => w.if_supports_color(Stream::Stdout, |t| t.red()).to_string(),
        Warning => w
            .if_supports_color(Stream::Stdout, |t| t.yellow())
            .to_string(),
        Info => w
            .if_supports_color(Stream::Stdout, |t| t.dimmed())
            .to_string(),
    }
}

pub fn print_check(r: &crate::api::compare::CheckReport) {
    use crate::compare::Area;
    println!("{} → {}", safe(&r.from), safe(&r.to));
    for area in Area::ALL {
        let fs: Vec<_> = r.findings.iter().filter(|f| f.area == area).collect();
        let err = r.errors.iter().find(|e| e.area == area);
        let skip = r.skipped.iter().find(|s| s.area == area);
        if fs.is_empty() && err.is_none() && skip.is_none() {
            continue;
        }
        println!();
        println!(
            "{}",
            area.as_str()
                .if_supports_color(Stream::Stdout, |t| t.bold())
        );
        if let Some(e) = err {
            println!(
                "  {}: {}",
                format!("error[{}]", e.error.code).if_supports_color(Stream::Stdout, |t| t.red()),
                safe(&e.error.message)
            );
        }
        if let Some(s) = skip {
            println!(
                "  {}",
                safe(&s.reason).if_supports_color(Stream::Stdout, |t| t.dimmed())
            );
        }
        let wk = fs.iter().map(|f| f.kind.as_str().len()).max().unwrap_or(0);
        let wkey = fs
            .iter()
            .map(|f| safe(&f.key).chars().count())
            .max()
            .unwrap_or(0)
            .min(40);
        for f in fs {
            println!(
                "  {} {} {} {}",
                severity_word(f.severity),
                pad(f.kind.as_str(), wk),
                pad(&safe(&f.key), wkey),
                safe(&f.detail)
            );
        }
    }
    println!();
    let s = &r.summary;
    let line = format!(
        "{} finding(s): {} critical, {} warning, {} info{}",
        r.findings.len(),
        s.critical,
        s.warning,
        s.info,
        match (r.errors.len(), r.skipped.len()) {
            (0, 0) => String::new(),
            (0, s) => format!("; {s} area(s) not configured"),
            (e, 0) => format!("; {e} area(s) could not be checked"),
            (e, s) => format!("; {e} area(s) could not be checked, {s} not configured"),
        }
    );
    let mark = match r.exit_code() {
        0 => "✓"
            .if_supports_color(Stream::Stdout, |t| t.green())
            .to_string(),
        _ => "✗"
            .if_supports_color(Stream::Stdout, |t| t.red())
            .to_string(),
    };
    println!("{mark} {line}");
}

pub fn print_table_diff(d: &crate::tablediff::TableDiff) {
    println!(
        "{}: {} only in A, {} only in B, {} changed ({} vs {} rows; key {}; hashed in the {})",
        safe(&d.table),
        d.only_in_a,
        d.only_in_b,
        d.changed,
        d.rows_a,
        d.rows_b,
        d.key.join(","),
        d.hashing
    );
    for r in &d.rows {
        let key = r
            .key
            .iter()
            .map(|k| k.clone().unwrap_or_else(|| "NULL".into()))
            .collect::<Vec<_>>()
            .join("/");
        let key = safe(&key);
        if r.columns.is_empty() {
            println!("  {:<10} {key}", r.kind.as_str());
        } else {
            // A secret column's change is shown without values: it was compared as a hash.
            let cols: Vec<String> = r
                .columns
                .iter()
                .map(|c| {
                    if d.secret_columns.contains(c) {
                        format!("{c} (secret, differs)")
                    } else {
                        c.clone()
                    }
                })
                .collect();
            println!(
                "  {:<10} {key}  ({})",
                r.kind.as_str(),
                safe(&cols.join(", "))
            );
        }
    }
    let total = d.only_in_a + d.only_in_b + d.changed;
    if total as usize > d.rows.len() {
        println!(
            "  … {} more (at most {} rows are listed; --limit changes it)",
            total as usize - d.rows.len(),
            d.rows_cap
        );
    }
    if !d.skipped_secret_columns.is_empty() {
        println!(
            "  not compared: {} (secret columns are compared only as a hash inside PostgreSQL)",
            safe(&d.skipped_secret_columns.join(", "))
        );
    }
}
