//! Changing envdeck.toml in place: one key rewritten through `toml_edit`, so comments, order
//! and every other key stay as the person wrote them; and files replaced all at once.

use std::path::Path;

use super::model::DatabaseSource;
use crate::error::{Error, ErrorCode, Result};

/// `database = { url = "…" }`, `{ secret = "…" }` or `{ env = "…" }` as a TOML value.
pub fn database_value(source: &DatabaseSource) -> toml_edit::Value {
    let mut inline = toml_edit::InlineTable::new();
    match source {
        DatabaseSource::Url(u) => inline.insert("url", u.as_str().into()),
        DatabaseSource::Secret(n) => inline.insert("secret", n.as_str().into()),
        DatabaseSource::Env(v) => inline.insert("env", v.as_str().into()),
    };
    toml_edit::Value::InlineTable(inline)
}

/// `text` with `environments.<env>.database` set to `source`, and nothing else changed: the
/// comment after the old value stays after the new one. `file` names the file in messages.
pub fn set_database(text: &str, file: &Path, env: &str, source: &DatabaseSource) -> Result<String> {
    let mut doc: toml_edit::DocumentMut = text.parse().map_err(|_| {
        Error::new(
            ErrorCode::WorkspaceInvalid,
            format!(
                "{} changed and no longer parses: fix it, then try again",
                file.display()
            ),
        )
    })?;
    let table = doc
        .get_mut("environments")
        .and_then(|t| t.get_mut(env))
        .and_then(|t| t.as_table_like_mut())
        .ok_or_else(|| {
            Error::new(
                ErrorCode::WorkspaceInvalid,
                format!(
                    "{} no longer has an [environments.{env}] table: reload the workspace",
                    file.display()
                ),
            )
        })?;
    let mut value = database_value(source);
    match table.get_mut("database") {
        Some(toml_edit::Item::Value(old)) => {
            *value.decor_mut() = old.decor().clone();
            *old = value;
        }
        // Absent, or written as its own `[environments.<env>.database]` table.
        _ => {
            table.insert("database", toml_edit::Item::Value(value));
        }
    }
    Ok(doc.to_string())
}

/// Replaces `path` with `bytes` all at once (a temp file beside it, then a rename), keeping
/// its permissions: a crash leaves the old file or the new one, never half of one.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = temp_beside(path);
    let perms = std::fs::metadata(path).map(|m| m.permissions()).ok();
    let write = || -> std::io::Result<()> {
        write_synced(&tmp, bytes)?;
        if let Some(p) = perms {
            std::fs::set_permissions(&tmp, p)?;
        }
        std::fs::rename(&tmp, path)
    };
    write().map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::io("rewrite", path, &e)
    })
}

/// Writes a new file at `path` all at once. Without `replace`, an existing file is never
/// overwritten, even one that appears meanwhile: the temp file is linked into place, which
/// fails when the name is taken.
pub fn write_new(path: &Path, bytes: &[u8], replace: bool) -> Result<()> {
    if replace {
        return write_atomically(path, bytes);
    }
    let tmp = temp_beside(path);
    let result = write_synced(&tmp, bytes).and_then(|()| match std::fs::hard_link(&tmp, path) {
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(e),
        // A file system without hard links: the check and the rename are two steps there.
        Err(_) if path.exists() => Err(std::io::ErrorKind::AlreadyExists.into()),
        Err(_) => std::fs::rename(&tmp, path),
        Ok(()) => Ok(()),
    });
    let _ = std::fs::remove_file(&tmp);
    result.map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            already_exists(path)
        } else {
            Error::io("write", path, &e)
        }
    })
}

/// The refusal to overwrite a workspace file the person did not agree to replace.
pub fn already_exists(path: &Path) -> Error {
    Error::invalid_input(format!(
        "{} already exists and was left as it is: choose another folder, or confirm that it should be replaced",
        path.display()
    ))
}

fn temp_beside(path: &Path) -> std::path::PathBuf {
    let dir = path.parent().unwrap_or(Path::new("."));
    dir.join(format!(
        ".{}.envdeck-tmp",
        path.file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default()
    ))
}

fn write_synced(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::write(path, bytes)?;
    std::fs::File::open(path)?.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = r#"name = "acme"   # the team

# local first
[environments.dev]
kind = "development"
database = { url = "postgres://app:pw@localhost:5432/app" }   # pasted
env_file = ".env.local"

[environments.prod]
kind = "production"
database = { secret = "DATABASE_URL" }

[integrations]
table = "integrations"
"#;

    #[test]
    fn only_the_database_key_changes_and_its_comment_stays() {
        let out = set_database(
            FILE,
            Path::new("envdeck.toml"),
            "dev",
            &DatabaseSource::Secret("DATABASE_URL".into()),
        )
        .unwrap();
        assert_eq!(
            out,
            FILE.replace(
                r#"{ url = "postgres://app:pw@localhost:5432/app" }"#,
                r#"{ secret = "DATABASE_URL" }"#
            )
        );
    }

    #[test]
    fn a_database_table_or_a_missing_key_is_replaced_by_one_line() {
        let text = "name = \"a\"\n[environments.dev]\nkind = \"development\"\n[environments.dev.database]\nurl = \"sqlite://a.db\"\n";
        let out = set_database(
            text,
            Path::new("w.toml"),
            "dev",
            &DatabaseSource::Url("sqlite://b.db".into()),
        )
        .unwrap();
        assert!(
            out.contains("database = { url = \"sqlite://b.db\" }"),
            "{out}"
        );
        assert!(!out.contains("a.db"), "{out}");
    }

    #[test]
    fn an_unknown_environment_or_a_broken_file_is_an_error() {
        let src = DatabaseSource::Env("X".into());
        let e = set_database(FILE, Path::new("w.toml"), "qa", &src).unwrap_err();
        assert_eq!(e.code, ErrorCode::WorkspaceInvalid);
        assert!(e.message.contains("[environments.qa]"), "{}", e.message);
        let e = set_database("name = ", Path::new("w.toml"), "dev", &src).unwrap_err();
        assert!(e.message.contains("no longer parses"), "{}", e.message);
    }

    #[test]
    fn a_new_file_never_replaces_one_unless_asked() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("envdeck.toml");
        write_new(&p, b"one", false).unwrap();
        let e = write_new(&p, b"two", false).unwrap_err();
        assert!(e.message.contains("already exists"), "{}", e.message);
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "one");
        write_new(&p, b"three", true).unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "three");
        let left: Vec<_> = std::fs::read_dir(d.path()).unwrap().flatten().collect();
        assert_eq!(left.len(), 1, "no temp file is left behind");
    }
}
