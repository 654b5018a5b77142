//! Reading envdeck.toml: every error names the file, the line and the key.

use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use serde::Deserialize;
use toml::Spanned;

use super::model::{
    DatabaseSource, EnvKind, Environment, IntegrationsMap, ReferenceTable, WorkflowsMap, Workspace,
};
use crate::error::{Error, ErrorCode, Result};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWorkspace {
    name: Spanned<String>,
    #[serde(default)]
    environments: IndexMap<String, Spanned<RawEnvironment>>,
    integrations: Option<IntegrationsMap>,
    workflows: Option<WorkflowsMap>,
    #[serde(default)]
    reference_data: Vec<ReferenceTable>,
    /// Postgres schemas the schema comparison reads (default `["public"]`).
    schemas: Option<Vec<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEnvironment {
    kind: EnvKind,
    protected: Option<Spanned<bool>>,
    app_url: Option<Spanned<String>>,
    database: Option<Spanned<RawDatabase>>,
    env_file: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDatabase {
    url: Option<String>,
    secret: Option<String>,
    env: Option<String>,
}

/// Loads and validates a workspace file.
pub fn load(path: &Path) -> Result<Workspace> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(Error::new(
                ErrorCode::WorkspaceNotFound,
                format!(
                    "no workspace file at {}: pass --workspace <FILE>, or create one with `envdeck demo init <DIR>`",
                    path.display()
                ),
            ));
        }
        Err(e) => return Err(Error::io("read", path, &e)),
    };
    let abs = std::path::absolute(path).map_err(|e| Error::io("resolve", path, &e))?;
    parse(&text, &abs)
}

/// Parses workspace text; `path` is used for messages and to resolve relative paths.
pub fn parse(text: &str, path: &Path) -> Result<Workspace> {
    let at = Locator { text, path };
    let de = toml::Deserializer::parse(text).map_err(|e| at.toml_error(&e, None))?;
    let raw: RawWorkspace = serde_path_to_error::deserialize(de).map_err(|e| {
        // Spanned<T> shows up in serde's path as a private field: drop it.
        let key = e
            .path()
            .to_string()
            .replace(".$__serde_spanned_private_value", "")
            .replace("$__serde_spanned_private_value", "");
        at.toml_error(e.inner(), Some(&key))
    })?;
    let dir = path.parent().unwrap_or(Path::new(".")).to_path_buf();
    let mut warnings = Vec::new();

    let name = raw.name.get_ref().trim().to_string();
    crate::secrets::validate_name("workspace name", &name)
        .map_err(|e| at.error(raw.name.span().start, "name", &e.message))?;

    if raw.environments.is_empty() {
        return Err(at.error(
            0,
            "environments",
            "the workspace defines no environments: add at least one [environments.<name>] table",
        ));
    }

    let mut environments = Vec::new();
    for (env_name, spanned) in &raw.environments {
        let key = format!("environments.{env_name}");
        let start = spanned.span().start;
        crate::secrets::validate_name("environment name", env_name)
            .map_err(|e| at.error(start, &key, &e.message))?;
        let env = spanned.get_ref();
        let protected = match &env.protected {
            Some(p) => {
                if env.kind == EnvKind::Production && !*p.get_ref() {
                    warnings.push(format!(
                        "{}: {key}.protected = false on a production environment: envdeck will allow writes to it outside the guarded sync",
                        at.place(p.span().start)
                    ));
                }
                *p.get_ref()
            }
            None => env.kind == EnvKind::Production,
        };
        let app_url = match &env.app_url {
            Some(u) => {
                url::Url::parse(u.get_ref()).map_err(|e| {
                    at.error(
                        u.span().start,
                        &format!("{key}.app_url"),
                        &format!("{e}: write a full URL such as \"https://app.example.com\""),
                    )
                })?;
                Some(u.get_ref().clone())
            }
            None => None,
        };
        let database = match &env.database {
            None => {
                return Err(at.error(
                    start,
                    &format!("{key}.database"),
                    "missing database source: add database = { url = \"…\" }, { secret = \"DATABASE_URL\" } (OS keychain) or { env = \"VAR\" }",
                ));
            }
            Some(db) => database_source(&at, &key, db, &mut warnings)?,
        };
        let env_file = match &env.env_file {
            Some(f) => {
                let p = dir.join(f.get_ref());
                if !p.is_file() {
                    return Err(at.error(
                        f.span().start,
                        &format!("{key}.env_file"),
                        &format!(
                            "env file {} does not exist: create it or fix the path (relative paths are relative to the workspace file)",
                            p.display()
                        ),
                    ));
                }
                Some(p)
            }
            None => None,
        };
        environments.push(Environment {
            name: env_name.clone(),
            kind: env.kind,
            protected,
            app_url,
            database,
            env_file,
        });
    }

    let integrations = raw.integrations.unwrap_or_default();
    let workflows = raw.workflows.unwrap_or_default();
    if workflows.key.is_empty() {
        return Err(at.error(
            0,
            "workflows.key",
            "workflows.key is empty: name the natural key column(s), e.g. key = [\"name\"]",
        ));
    }
    for (i, r) in raw.reference_data.iter().enumerate() {
        if r.key.is_empty() {
            return Err(at.error(
                0,
                &format!("reference_data[{i}].key"),
                &format!(
                    "reference table {:?} has an empty key: name its natural key column(s)",
                    r.table
                ),
            ));
        }
    }

    Ok(Workspace {
        path: path.to_path_buf(),
        name,
        environments,
        integrations,
        workflows,
        reference_data: raw.reference_data,
        schemas: raw.schemas.unwrap_or_else(|| vec!["public".to_string()]),
        warnings,
    })
}

fn database_source(
    at: &Locator,
    key: &str,
    db: &Spanned<RawDatabase>,
    warnings: &mut Vec<String>,
) -> Result<DatabaseSource> {
    let start = db.span().start;
    let key = format!("{key}.database");
    let d = db.get_ref();
    let n = [d.url.is_some(), d.secret.is_some(), d.env.is_some()]
        .iter()
        .filter(|b| **b)
        .count();
    if n != 1 {
        return Err(at.error(
            start,
            &key,
            "give exactly one database source: { url = \"…\" }, { secret = \"NAME\" } or { env = \"VAR\" }",
        ));
    }
    if let Some(u) = &d.url {
        if !(u.starts_with("postgres://")
            || u.starts_with("postgresql://")
            || u.starts_with("sqlite:"))
        {
            return Err(at.error(
                start,
                &format!("{key}.url"),
                &format!(
                    "unsupported database URL {}: envdeck reads postgres://, postgresql:// and sqlite: URLs",
                    crate::connectors::mask_url(u)
                ),
            ));
        }
        if crate::connectors::url_has_password(u) {
            warnings.push(format!(
                "{}: {key}.url contains a password: move the URL to the OS keychain with `envdeck secret set <env> DATABASE_URL` and write database = {{ secret = \"DATABASE_URL\" }}",
                at.place(start)
            ));
        }
        return Ok(DatabaseSource::Url(u.clone()));
    }
    if let Some(s) = &d.secret {
        crate::secrets::validate_name("secret name", s)
            .map_err(|e| at.error(start, &format!("{key}.secret"), &e.message))?;
        return Ok(DatabaseSource::Secret(s.clone()));
    }
    let v = d.env.clone().unwrap_or_default();
    crate::secrets::validate_name("variable name", &v)
        .map_err(|e| at.error(start, &format!("{key}.env"), &e.message))?;
    Ok(DatabaseSource::Env(v))
}

/// Turns byte offsets into `file:line` for messages.
struct Locator<'a> {
    text: &'a str,
    path: &'a Path,
}

impl Locator<'_> {
    fn line(&self, offset: usize) -> usize {
        let end = offset.min(self.text.len());
        self.text.as_bytes()[..end]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1
    }

    fn place(&self, offset: usize) -> String {
        format!("{}:{}", self.path.display(), self.line(offset))
    }

    fn error(&self, offset: usize, key: &str, what: &str) -> Error {
        Error::new(
            ErrorCode::WorkspaceInvalid,
            format!("{}: {key}: {what}", self.place(offset)),
        )
    }

    fn toml_error(&self, e: &toml::de::Error, key: Option<&str>) -> Error {
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

/// `./envdeck.toml` when it exists.
pub fn default_path() -> Option<PathBuf> {
    let p = PathBuf::from("envdeck.toml");
    p.is_file().then_some(p)
}
