//! Reading envdeck.toml: every error names the file, the line and the key.

use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use serde::Deserialize;
use toml::Spanned;

use super::locate::{Locator, key_lines};
use super::model::{
    DataTable, DatabaseSource, EnvKind, Environment, IntegrationsMap, ReferenceTable, SyncSettings,
    Timeouts, WorkflowsMap, Workspace, WorkspaceWarning,
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
    #[serde(default)]
    tables: Vec<DataTable>,
    /// Postgres schemas the schema comparison reads (default `["public"]`).
    schemas: Option<Vec<String>>,
    #[serde(default)]
    timeouts: Timeouts,
    #[serde(default)]
    sync: SyncSettings,
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
    let mut warnings: Vec<WorkspaceWarning> = Vec::new();

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
                    return Err(at.error(
                        p.span().start,
                        &format!("{key}.protected"),
                        "a production environment is always protected (opened read-only, written only through the guarded sync): remove protected = false, or give it kind = \"staging\" or \"development\" if writes are intended",
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
            Some(db) => database_source(&at, env_name, &key, db, &mut warnings)?,
        };
        let env_file = match &env.env_file {
            Some(f) => {
                let p = dir.join(f.get_ref());
                let problem = match std::fs::metadata(&p) {
                    Ok(m) if m.is_file() => None,
                    Ok(_) => Some(format!(
                        "env file {} is not a regular file (a folder, a pipe or a device): point env_file at the .env file itself",
                        p.display()
                    )),
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => Some(format!(
                        "env file {} does not exist: create it or fix the path (relative paths are relative to the workspace file)",
                        p.display()
                    )),
                    Err(e) => Some(format!(
                        "env file {} cannot be read ({e}): check its permissions",
                        p.display()
                    )),
                };
                if let Some(what) = problem {
                    return Err(at.error(f.span().start, &format!("{key}.env_file"), &what));
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

    let lines = key_lines(text);
    let place = |key: &str| -> String {
        let (mut k, mut own) = (key, true);
        loop {
            if let Some(l) = lines.get(k) {
                let p = format!("{}:{l}", path.display());
                return if own {
                    p
                } else {
                    format!("{p} (the key is not written there: its default applies)")
                };
            }
            match k.rfind('.') {
                Some(i) => {
                    k = &k[..i];
                    own = false;
                }
                None => {
                    return format!(
                        "{} (not written there: the default applies)",
                        path.display()
                    );
                }
            }
        }
    };
    let mut integrations = raw.integrations.unwrap_or_default();
    for k in [
        "table",
        "provider",
        "account",
        "status",
        "expires_at",
        "updated_at",
        "scopes",
        "connect_url",
    ] {
        integrations
            .places
            .set(k, place(&format!("integrations.{k}")));
    }
    for provider in integrations
        .connect_urls
        .keys()
        .cloned()
        .collect::<Vec<_>>()
    {
        let key = format!("connect_urls.{provider}");
        integrations
            .places
            .set(&key, place(&format!("integrations.{key}")));
    }
    if let Some(c) = &integrations.scopes
        && crate::secrets::is_secret_column(c, &integrations.secret_columns)
    {
        return Err(at.error(
            at.offset_of("integrations.scopes"),
            "integrations.scopes",
            &format!("{c:?} is a secret column: envdeck never reads secret values; map scopes to the column that lists the granted scopes"),
        ));
    }
    let mut workflows = raw.workflows.unwrap_or_default();
    for k in [
        "table",
        "key",
        "definition",
        "active",
        "updated_at",
        "runs",
        "failures",
        "last_run_at",
        "last_run_status",
        "owner",
        "owner_table",
        "credentials_table",
        "runs_table",
    ]
    .into_iter()
    .chain(super::runs::COLUMN_KEYS)
    {
        workflows.places.set(k, place(&format!("workflows.{k}")));
    }
    super::runs::validate(&at, &lines, &workflows, &integrations)?;
    if workflows.owner.is_some() != workflows.owner_table.is_some() {
        let key = if workflows.owner.is_some() {
            "workflows.owner"
        } else {
            "workflows.owner_table"
        };
        return Err(at.error(
            at.offset_of(key),
            key,
            "workflows.owner and workflows.owner_table go together: owner names the column (e.g. \"user_id\"), owner_table the table its owners live in (e.g. \"users\")",
        ));
    }
    if workflows.key.is_empty() {
        return Err(at.error(
            0,
            "workflows.key",
            "workflows.key is empty: name the natural key column(s), e.g. key = [\"name\"]",
        ));
    }
    let secret_key = |key: &[String]| -> Option<String> {
        key.iter()
            .find(|k| crate::secrets::is_secret_column(k, &integrations.secret_columns))
            .cloned()
    };
    // A workflow column that is shown (the key, the definition, run counts…) must not be a
    // secret one: it would be read and displayed.
    for (k, c) in [
        ("definition", &workflows.definition),
        ("active", &workflows.active),
        ("updated_at", &workflows.updated_at),
        ("runs", &workflows.runs),
        ("failures", &workflows.failures),
        ("last_run_at", &workflows.last_run_at),
        ("last_run_status", &workflows.last_run_status),
        ("owner", &workflows.owner),
        ("credentials_id", &Some(workflows.credentials_id.clone())),
        (
            "credentials_name",
            &Some(workflows.credentials_name.clone()),
        ),
        (
            "credentials_type",
            &Some(workflows.credentials_type.clone()),
        ),
    ]
    .into_iter()
    .filter_map(|(k, c)| c.as_ref().map(|c| (k, c.clone())))
    .chain(workflows.key.iter().map(|c| ("key", c.clone())))
    {
        if crate::secrets::is_secret_column(&c, &integrations.secret_columns) {
            let key = format!("workflows.{k}");
            return Err(at.error(
                at.offset_of(&key),
                &key,
                &format!(
                    "{c:?} is a secret column: envdeck never reads secret values for display; map {k} to another column"
                ),
            ));
        }
    }
    let refuse_secret_key = |section: &str, i: usize, table: &str, k: &str| -> Error {
        let key = format!("{section}.{i}.key");
        at.error(
            at.offset_of(&key),
            &key,
            &format!(
                "{k:?} is a secret column: envdeck never reads secret values, so it cannot match rows by one; key {table:?} by a natural key such as its name"
            ),
        )
    };
    for (i, r) in raw.reference_data.iter().enumerate() {
        if let Some(k) = secret_key(&r.key) {
            return Err(refuse_secret_key("reference_data", i, &r.table, &k));
        }
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
    for (i, t) in raw.tables.iter().enumerate() {
        let here = |k: &str| {
            let key = format!("tables.{i}.{k}");
            (at.offset_of(&key), key)
        };
        if t.table.eq_ignore_ascii_case(&integrations.table) {
            let (offset, key) = here("table");
            return Err(at.error(
                offset,
                &key,
                &format!(
                    "{:?} is the integrations table, and it can never be compared row by row or synced: tokens belong to the environment that received them: reconnect it in each environment instead (the reconnect wizard); remove this [[tables]] entry",
                    t.table
                ),
            ));
        }
        if let Some(k) = secret_key(&t.key) {
            return Err(refuse_secret_key("tables", i, &t.table, &k));
        }
        if t.key.is_empty() {
            let (offset, key) = here("key");
            return Err(at.error(
                if offset == 0 { at.offset_of(&format!("tables.{i}")) } else { offset },
                &key,
                &format!(
                    "table {:?} has an empty key: name its natural key column(s), e.g. key = [\"email\"] (how rows are matched across environments, whose ids differ)",
                    t.table
                ),
            ));
        }
        if let Some(j) = raw.tables[..i].iter().position(|o| o.table == t.table) {
            let (offset, key) = here("table");
            return Err(at.error(
                offset,
                &key,
                &format!(
                    "table {:?} is already configured by [[tables]] entry {}: keep one",
                    t.table,
                    j + 1
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
        tables: raw.tables,
        schemas: raw.schemas.unwrap_or_else(|| vec!["public".to_string()]),
        timeouts: validate_timeouts(&at, raw.timeouts)?,
        sync: raw.sync,
        warnings,
        lines,
    })
}

fn validate_timeouts(at: &Locator, t: Timeouts) -> Result<Timeouts> {
    for (name, v) in [
        ("connect", t.connect),
        ("statement", t.statement),
        ("scan", t.scan),
        ("lock", t.lock),
        ("reconnect", t.reconnect),
    ] {
        if v == 0 || v > 86_400 {
            let key = format!("timeouts.{name}");
            let offset = at.offset_of(&key);
            return Err(at.error(
                offset,
                &key,
                &format!("{v} is not a usable timeout: give a number of seconds from 1 to 86400"),
            ));
        }
    }
    Ok(t)
}

fn database_source(
    at: &Locator,
    env_name: &str,
    key: &str,
    db: &Spanned<RawDatabase>,
    warnings: &mut Vec<WorkspaceWarning>,
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
            warnings.push(WorkspaceWarning {
                message: format!(
                    "{}: the database URL of {env_name} contains a password in envdeck.toml: move it to the OS keychain with `envdeck secret move-url {env_name}` (or Move to keychain in the window)",
                    at.place(start)
                ),
                env: Some(env_name.to_string()),
                can_move_to_keychain: true,
            });
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

/// `./envdeck.toml` when it exists.
pub fn default_path() -> Option<PathBuf> {
    let p = PathBuf::from("envdeck.toml");
    p.is_file().then_some(p)
}
