//! Where things are in envdeck.toml: byte offsets to `file:line`, the line of every key,
//! and errors that name them.

use std::path::Path;

use crate::error::{Error, ErrorCode};

/// The line of every key in the file, by dotted path (array items by index).
pub(super) fn key_lines(text: &str) -> std::collections::BTreeMap<String, usize> {
    use toml::de::{DeTable, DeValue};
    fn walk(
        at: &Locator,
        prefix: &str,
        v: &DeValue,
        out: &mut std::collections::BTreeMap<String, usize>,
    ) {
        match v {
            DeValue::Table(t) => {
                for (k, v) in t.iter() {
                    let path = if prefix.is_empty() {
                        k.get_ref().to_string()
                    } else {
                        format!("{prefix}.{}", k.get_ref())
                    };
                    out.entry(path.clone())
                        .or_insert_with(|| at.line(k.span().start));
                    walk(at, &path, v.get_ref(), out);
                }
            }
            DeValue::Array(a) => {
                for (i, item) in a.iter().enumerate() {
                    let path = format!("{prefix}.{i}");
                    out.entry(path.clone())
                        .or_insert_with(|| at.line(item.span().start));
                    walk(at, &path, item.get_ref(), out);
                }
            }
            _ => {}
        }
    }
    let mut out = std::collections::BTreeMap::new();
    let at = Locator {
        text,
        path: Path::new(""),
    };
    if let Ok(t) = DeTable::parse(text) {
        walk(&at, "", &DeValue::Table(t.into_inner()), &mut out);
    }
    out
}

/// Turns byte offsets into `file:line` for messages.
pub(super) struct Locator<'a> {
    pub(super) text: &'a str,
    pub(super) path: &'a Path,
}

impl Locator<'_> {
    /// Where `key` (dotted) is written, or 0 when it is not.
    pub(super) fn offset_of(&self, key: &str) -> usize {
        let lines = key_lines(self.text);
        let Some(line) = lines.get(key) else { return 0 };
        self.text
            .split_inclusive('\n')
            .take(line - 1)
            .map(str::len)
            .sum()
    }

    pub(super) fn line(&self, offset: usize) -> usize {
        let end = offset.min(self.text.len());
        self.text.as_bytes()[..end]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1
    }

    pub(super) fn place(&self, offset: usize) -> String {
        format!("{}:{}", self.path.display(), self.line(offset))
    }

    pub(super) fn error(&self, offset: usize, key: &str, what: &str) -> Error {
        Error::new(
            ErrorCode::WorkspaceInvalid,
            format!("{}: {key}: {what}", self.place(offset)),
        )
    }

    pub(super) fn toml_error(&self, e: &toml::de::Error, key: Option<&str>) -> Error {
        let offset = e.span().map(|s| s.start).unwrap_or(0);
        let msg = e.message().trim().trim_end_matches('.').to_string();
        match key.filter(|k| !k.is_empty() && *k != ".") {
            Some(k) => self.error(offset, k, &msg),
            None => Error::new(
                ErrorCode::WorkspaceInvalid,
                format!("{}: {msg}", self.place(offset)),
            ),
        }
    }
}
