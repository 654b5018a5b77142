//! How the CLI prints: aligned tables, colour only on a terminal, JSON on request.

use owo_colors::{OwoColorize, Stream};

use crate::api::views::{SecretEntry, StatusReport};
use crate::error::{Error, Result};

pub fn error_line(e: &Error) -> String {
    format!(
        "{}: {}",
        format!("error[{}]", e.code).if_supports_color(Stream::Stderr, |t| t.red()),
        e.message
    )
}

pub fn warning_line(w: &str) -> String {
    format!(
        "{}: {w}",
        "warning".if_supports_color(Stream::Stderr, |t| t.yellow())
    )
}

pub fn print_json<T: serde::Serialize>(v: &T) -> Result<()> {
    let s = serde_json::to_string_pretty(v)
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
            pad(&e.name, wn),
            pad(e.kind.as_str(), 11),
            pad(lock, 9)
        );
        if e.reachable {
            line.push_str(&format!(
                " {:>5} ms  {}",
                e.latency_ms.unwrap_or(0),
                pad(e.server_version.as_deref().unwrap_or("?"), 16)
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
                "    {}: {msg}",
                format!("error[{code}]").if_supports_color(Stream::Stdout, |t| t.red())
            );
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
            pad(&s.env, we),
            pad(&s.name, wn),
            s.used_by.as_deref().unwrap_or("-")
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
    println!("{} → {}", r.from, r.to);
    for area in Area::ALL {
        let fs: Vec<_> = r.findings.iter().filter(|f| f.area == area).collect();
        let err = r.errors.iter().find(|e| e.area == area);
        if fs.is_empty() && err.is_none() {
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
                e.error.message
            );
        }
        let wk = fs.iter().map(|f| f.kind.len()).max().unwrap_or(0);
        let wkey = fs
            .iter()
            .map(|f| f.key.chars().count())
            .max()
            .unwrap_or(0)
            .min(40);
        for f in fs {
            println!(
                "  {} {} {} {}",
                severity_word(f.severity),
                pad(&f.kind, wk),
                pad(&f.key, wkey),
                f.detail
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
        if r.errors.is_empty() {
            String::new()
        } else {
            format!("; {} area(s) could not be checked", r.errors.len())
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
        d.table,
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
        if r.columns.is_empty() {
            println!("  {:<10} {key}", r.kind);
        } else {
            println!("  {:<10} {key}  ({})", r.kind, r.columns.join(", "));
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
}
