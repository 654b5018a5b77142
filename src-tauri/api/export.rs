//! Findings exported from the window: the same report `envdeck check --json` prints, written
//! to a file the person picked. Like the CLI, it carries keys and details, never a value.

use std::path::Path;

use super::Context;
use crate::error::{Error, Result};
use crate::progress::{Cancel, NoProgress};

/// `v` as the CLI's `--json` prints it (`envdeck check --json` included): pretty JSON and
/// a final newline.
pub fn json_text<T: serde::Serialize>(v: &T) -> Result<String> {
    let mut text = serde_json::to_string_pretty(v)
        .map_err(|e| Error::internal(format!("could not encode JSON: {e}")))?;
    text.push('\n');
    Ok(text)
}

/// Compares `from` with `to` in every area, as `envdeck check --from --to --json` does, and
/// writes that report to `path`. Answers how many findings were written.
pub async fn export_findings(
    ctx: &Context,
    ws: &Path,
    from: &str,
    to: &str,
    path: &Path,
) -> Result<u32> {
    let ws = crate::workspace::load(ws)?;
    let report =
        super::compare::check(ctx, &ws, from, to, &[], &NoProgress, &Cancel::new()).await?;
    let text = json_text(&report)?;
    crate::workspace::edit::write_atomically(path, text.as_bytes())?;
    tracing::info!(path = %path.display(), findings = report.findings.len(), "findings exported");
    Ok(report.findings.len() as u32)
}
