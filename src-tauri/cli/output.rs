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
