//! A new workspace (or a new database source) as the window's form gives it: checked field
//! by field, turned into what envdeck.toml says, and rendered as a file. A pasted URL with
//! a password in it is set aside for the OS keychain: the file only names the secret.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::model::{DatabaseSource, EnvKind};
use crate::secrets::Sensitive;

/// The secret a pasted URL with a password is filed under (as `envdeck secret move-url`).
pub const URL_SECRET: &str = "DATABASE_URL";

/// Where an environment's database is, as a person gives it.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
#[ts(export_to = "DatabaseInput.ts")]
pub enum DatabaseInput {
    /// A pasted `postgres://` (or `sqlite:`) URL. One with a password goes to the keychain.
    Url {
        #[ts(type = "string")]
        url: Sensitive<String>,
    },
    /// A SQLite file; relative paths are relative to the workspace file.
    Sqlite { path: String },
    /// A URL kept in the OS keychain under `name`; `url`, when given, is stored there now.
    Keychain {
        name: String,
        #[ts(type = "string | null")]
        url: Option<Sensitive<String>>,
    },
}

#[derive(Debug, Clone, Deserialize, TS)]
#[ts(export_to = "NewEnvironment.ts")]
pub struct NewEnvironment {
    pub name: String,
    pub kind: EnvKind,
    /// Read-only except through the guarded sync. Production must be.
    pub protected: bool,
    pub database: DatabaseInput,
}

/// The window's "New workspace" form.
#[derive(Debug, Clone, Deserialize, TS)]
#[ts(export_to = "NewWorkspace.ts")]
pub struct NewWorkspace {
    /// The envdeck.toml to write, or the folder to write it in.
    pub path: String,
    pub name: String,
    pub environments: Vec<NewEnvironment>,
}

/// One thing wrong with one field of the form. `field` is `path`, `name`, `environments`,
/// or `environments.<i>.name` / `.protected` / `.database`; the window puts `message`
/// under that field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "FieldProblem.ts")]
pub struct FieldProblem {
    pub field: String,
    pub message: String,
}

impl FieldProblem {
    fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        FieldProblem {
            field: field.into(),
            message: crate::secrets::redact::message(&message.into()),
        }
    }
}

/// What is at a path, as far as the form cares (passed in, so the checks stay pure).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathKind {
    Missing,
    File,
    Folder,
}

/// The envdeck.toml a location names: the file itself, or `envdeck.toml` in a folder.
pub fn target_file(path: &str, kind_of: &dyn Fn(&Path) -> PathKind) -> PathBuf {
    let p = PathBuf::from(path.trim());
    if kind_of(&p) == PathKind::Folder || path.trim().ends_with(std::path::MAIN_SEPARATOR) {
        p.join("envdeck.toml")
    } else {
        p
    }
}

/// Every problem with the form, field by field (empty when it can be written).
pub fn check_new(input: &NewWorkspace, kind_of: &dyn Fn(&Path) -> PathKind) -> Vec<FieldProblem> {
    let mut out = Vec::new();
    let file = target_file(&input.path, kind_of);
    if input.path.trim().is_empty() {
        out.push(FieldProblem::new(
            "path",
            "choose where to save envdeck.toml (a folder, or a file name ending in .toml)",
        ));
    } else if !file.is_absolute() {
        out.push(FieldProblem::new(
            "path",
            format!(
                "{} is not a full path: choose the folder with Browse…",
                file.display()
            ),
        ));
    } else if file.extension().is_none_or(|e| e != "toml") {
        out.push(FieldProblem::new(
            "path",
            format!(
                "{} does not end in .toml: name the file envdeck.toml",
                file.display()
            ),
        ));
    } else if let Some(dir) = file.parent()
        && kind_of(dir) != PathKind::Folder
    {
        out.push(FieldProblem::new(
            "path",
            format!(
                "the folder {} does not exist: create it first, or choose another",
                dir.display()
            ),
        ));
    } else if kind_of(&file) == PathKind::Folder {
        out.push(FieldProblem::new(
            "path",
            format!(
                "{} is a folder: choose a file name such as envdeck.toml",
                file.display()
            ),
        ));
    }
    let name = input.name.trim();
    if name.is_empty() {
        out.push(FieldProblem::new(
            "name",
            "give the workspace a name, e.g. acme",
        ));
    } else if let Err(e) = crate::secrets::validate_name("the workspace name", name) {
        out.push(FieldProblem::new("name", e.message));
    }
    if input.environments.is_empty() {
        out.push(FieldProblem::new(
            "environments",
            "add at least one environment (e.g. dev, and prod)",
        ));
    }
    let dir = file.parent().map(Path::to_path_buf).unwrap_or_default();
    for (i, env) in input.environments.iter().enumerate() {
        let at = |k: &str| format!("environments.{i}.{k}");
        let n = env.name.trim();
        if n.is_empty() {
            out.push(FieldProblem::new(
                at("name"),
                "name this environment, e.g. dev or prod",
            ));
        } else if let Err(e) = crate::secrets::validate_name("the environment name", n) {
            out.push(FieldProblem::new(at("name"), e.message));
        } else if input.environments[..i].iter().any(|o| o.name.trim() == n) {
            out.push(FieldProblem::new(
                at("name"),
                format!("another environment is already named {n}: give each its own name"),
            ));
        }
        if env.kind == EnvKind::Production && !env.protected {
            out.push(FieldProblem::new(
                at("protected"),
                "a production environment is always protected (read-only, written only through the guarded sync): keep it protected, or choose kind staging or development",
            ));
        }
        if let Some(why) = check_database(&env.database, &dir, kind_of) {
            out.push(FieldProblem::new(at("database"), why));
        }
    }
    out
}

/// What is wrong with a database source, if anything.
pub fn check_database(
    input: &DatabaseInput,
    dir: &Path,
    kind_of: &dyn Fn(&Path) -> PathKind,
) -> Option<String> {
    match input {
        DatabaseInput::Url { url } => check_url(url.expose().trim()),
        DatabaseInput::Sqlite { path } => {
            let p = path.trim();
            if p.is_empty() {
                return Some("choose the SQLite database file".into());
            }
            let full = dir.join(p);
            match kind_of(&full) {
                PathKind::File => None,
                PathKind::Folder => Some(format!(
                    "{} is a folder: choose the database file itself",
                    full.display()
                )),
                PathKind::Missing => Some(format!(
                    "there is no file at {}: choose an existing SQLite database (envdeck opens it read-only and never creates one)",
                    full.display()
                )),
            }
        }
        DatabaseInput::Keychain { name, url } => {
            if let Err(e) = crate::secrets::validate_name("the secret name", name.trim()) {
                return Some(e.message);
            }
            url.as_ref()
                .map(|u| u.expose().trim())
                .filter(|u| !u.is_empty())
                .and_then(check_url)
        }
    }
}

/// A URL envdeck can open. Never repeats a password: messages show the URL masked.
fn check_url(url: &str) -> Option<String> {
    if url.is_empty() {
        return Some(
            "paste the database URL, e.g. postgres://app:password@db.example.com:5432/app".into(),
        );
    }
    let shown = crate::connectors::mask_url(url);
    if url.starts_with("sqlite:") {
        return match crate::connectors::sqlite_path(url, Path::new(".")) {
            Some(_) => None,
            None => Some("a sqlite: URL must name a file: write sqlite://path/to/file.db".into()),
        };
    }
    if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
        return Some(format!(
            "{shown} is not a database URL envdeck reads: write postgres://user:password@host:5432/dbname (or choose SQLite file)"
        ));
    }
    match url::Url::parse(&first_host(url)) {
        Err(e) => Some(format!(
            "this is not a valid PostgreSQL URL ({e}): write postgres://user:password@host:5432/dbname"
        )),
        Ok(u) if u.host_str().is_none_or(str::is_empty) && !url.contains("host=") => Some(format!(
            "{shown} names no host: write postgres://user:password@host:5432/dbname"
        )),
        Ok(_) => None,
    }
}

/// `postgres://u@h1:5432,h2:5433/db` with its first host only, which a URL parser takes.
fn first_host(url: &str) -> String {
    let Some(i) = url.find("://") else {
        return url.to_string();
    };
    let start = i + 3;
    let end = url[start..]
        .find(['/', '?', '#'])
        .map_or(url.len(), |e| start + e);
    let hosts = url[start..end].rfind('@').map_or(start, |a| start + a + 1);
    match url[hosts..end].find(',') {
        Some(c) => format!("{}{}", &url[..hosts + c], &url[end..]),
        None => url.to_string(),
    }
}

/// What envdeck.toml will say for a (checked) source, and the secret to store first, if
/// any: `(name, URL)` for the keychain.
pub fn resolve(
    input: &DatabaseInput,
    dir: &Path,
) -> (DatabaseSource, Option<(String, Sensitive<String>)>) {
    match input {
        DatabaseInput::Url { url } => {
            let u = url.expose().trim().to_string();
            if crate::connectors::url_has_password(&u) {
                (
                    DatabaseSource::Secret(URL_SECRET.into()),
                    Some((URL_SECRET.into(), Sensitive::new(u))),
                )
            } else {
                (DatabaseSource::Url(u), None)
            }
        }
        DatabaseInput::Sqlite { path } => {
            let p = Path::new(path.trim());
            // Inside the workspace's folder it is written relative, so the folder can move.
            let shown = match p.strip_prefix(dir) {
                Ok(rel) if p.is_absolute() && !rel.as_os_str().is_empty() => rel,
                _ => p,
            };
            (
                DatabaseSource::Url(format!("sqlite://{}", shown.display())),
                None,
            )
        }
        DatabaseInput::Keychain { name, url } => {
            let name = name.trim().to_string();
            let value = url
                .as_ref()
                .map(|u| u.expose().trim().to_string())
                .filter(|u| !u.is_empty())
                .map(|u| (name.clone(), Sensitive::new(u)));
            (DatabaseSource::Secret(name), value)
        }
    }
}

/// The keychain entries creating `input` would write, as `(environment, secret name)`:
/// each environment whose source stores a URL (a pasted one with a password, or a keychain
/// source given a value). Environments whose names would be refused anyway are left out.
pub fn keychain_writes(input: &NewWorkspace) -> Vec<(String, String)> {
    input
        .environments
        .iter()
        .filter(|e| crate::secrets::validate_name("the environment name", e.name.trim()).is_ok())
        .filter_map(|e| {
            let (_, secret) = resolve(&e.database, Path::new(""));
            secret.map(|(name, _)| (e.name.trim().to_string(), name))
        })
        .collect()
}

/// The `name` field's problem when the keychain already holds entries creating this
/// workspace would write (`taken` as `(environment, secret name)`): they belong to another
/// workspace of the same name, and writing would replace its secrets.
pub fn name_taken(workspace: &str, taken: &[(String, String)]) -> Option<FieldProblem> {
    if taken.is_empty() {
        return None;
    }
    let mut envs: Vec<&str> = taken.iter().map(|(e, _)| e.as_str()).collect();
    envs.dedup();
    let envs = match envs.as_slice() {
        [one] => one.to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
        [] => unreachable!("taken is not empty"),
    };
    Some(FieldProblem::new(
        "name",
        format!(
            "a workspace named \"{}\" already keeps secrets for {envs} in the OS keychain, and creating this one would replace them: pick another name, or open that workspace instead",
            workspace.trim()
        ),
    ))
}

/// One environment of a new file, as it will be written.
pub struct Planned {
    pub name: String,
    pub kind: EnvKind,
    pub protected: bool,
    pub database: DatabaseSource,
}

/// The new envdeck.toml: the name, then one table per environment in the form's order.
pub fn render(name: &str, environments: &[Planned]) -> String {
    let mut doc = toml_edit::DocumentMut::new();
    doc.insert("name", toml_edit::value(name.trim()));
    doc.decor_mut().set_prefix(
        "# envdeck workspace, written by envdeck. Safe to commit: database passwords live in the OS keychain.\n",
    );
    let mut envs = toml_edit::Table::new();
    envs.set_implicit(true);
    for (i, e) in environments.iter().enumerate() {
        let mut t = toml_edit::Table::new();
        // Written in the form's order (unpositioned tables would be sorted).
        t.set_position(Some(i as isize + 1));
        t.insert("kind", toml_edit::value(e.kind.as_str()));
        // Production is protected by itself; another kind says so when it is.
        if e.protected && e.kind != EnvKind::Production {
            t.insert("protected", toml_edit::value(true));
        }
        t.insert(
            "database",
            toml_edit::Item::Value(super::edit::database_value(&e.database)),
        );
        t.decor_mut().set_prefix("\n");
        envs.insert(e.name.trim(), toml_edit::Item::Table(t));
    }
    doc.insert("environments", toml_edit::Item::Table(envs));
    doc.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(p: &Path) -> PathKind {
        match p.to_str().unwrap() {
            "/w" | "/" => PathKind::Folder,
            "/w/dev.db" | "/w/envdeck.toml" => PathKind::File,
            _ => PathKind::Missing,
        }
    }

    fn env(name: &str, kind: EnvKind, protected: bool, database: DatabaseInput) -> NewEnvironment {
        NewEnvironment {
            name: name.into(),
            kind,
            protected,
            database,
        }
    }

    fn url(u: &str) -> DatabaseInput {
        DatabaseInput::Url {
            url: Sensitive::new(u.into()),
        }
    }

    fn fields(input: &NewWorkspace) -> Vec<(String, String)> {
        check_new(input, &kinds)
            .into_iter()
            .map(|p| (p.field, p.message))
            .collect()
    }

    #[test]
    fn a_good_form_has_no_problems_and_a_folder_gets_envdeck_toml() {
        let input = NewWorkspace {
            path: "/w".into(),
            name: "acme".into(),
            environments: vec![
                env(
                    "dev",
                    EnvKind::Development,
                    false,
                    DatabaseInput::Sqlite {
                        path: "dev.db".into(),
                    },
                ),
                env(
                    "prod",
                    EnvKind::Production,
                    true,
                    url("postgres://app:pw@db.example.com:5432/app"),
                ),
            ],
        };
        assert_eq!(fields(&input), []);
        assert_eq!(target_file("/w", &kinds), PathBuf::from("/w/envdeck.toml"));
    }

    #[test]
    fn every_field_says_what_is_wrong_without_repeating_a_password() {
        let input = NewWorkspace {
            path: "/nowhere/envdeck.toml".into(),
            name: "".into(),
            environments: vec![
                env(
                    "dev",
                    EnvKind::Development,
                    false,
                    DatabaseInput::Sqlite {
                        path: "gone.db".into(),
                    },
                ),
                env(
                    "dev",
                    EnvKind::Production,
                    false,
                    url("mysql://app:hunter2@db.example.com/app"),
                ),
                env("", EnvKind::Staging, false, url("")),
                env(
                    "qa",
                    EnvKind::Staging,
                    false,
                    DatabaseInput::Keychain {
                        name: "A/B".into(),
                        url: None,
                    },
                ),
            ],
        };
        let got = fields(&input);
        let field = |f: &str| {
            got.iter()
                .find(|(k, _)| k == f)
                .map(|(_, m)| m.as_str())
                .unwrap_or_else(|| panic!("no problem for {f}: {got:?}"))
        };
        assert!(field("path").contains("/nowhere does not exist"));
        assert!(field("name").contains("give the workspace a name"));
        assert!(field("environments.0.database").contains("no file at /nowhere/gone.db"));
        assert!(field("environments.1.name").contains("already named dev"));
        assert!(field("environments.1.protected").contains("always protected"));
        let bad = field("environments.1.database");
        assert!(
            bad.contains("mysql://app:****@db.example.com/app") && !bad.contains("hunter2"),
            "{bad}"
        );
        assert!(field("environments.2.name").contains("name this environment"));
        assert!(field("environments.2.database").contains("paste the database URL"));
        assert!(field("environments.3.database").contains("not valid"));
        let none = NewWorkspace {
            path: "/w".into(),
            name: "a".into(),
            environments: vec![],
        };
        assert_eq!(fields(&none)[0].0, "environments");
    }

    #[test]
    fn a_password_goes_to_the_keychain_and_the_file_names_it() {
        let (src, secret) = resolve(
            &url(" postgres://app:pw@db.example.com:5432/app "),
            Path::new("/w"),
        );
        assert_eq!(src, DatabaseSource::Secret(URL_SECRET.into()));
        let (name, value) = secret.unwrap();
        assert_eq!(
            (name.as_str(), value.expose().as_str()),
            (URL_SECRET, "postgres://app:pw@db.example.com:5432/app")
        );
        let (src, secret) = resolve(&url("postgres://app@localhost/app"), Path::new("/w"));
        assert_eq!(
            src,
            DatabaseSource::Url("postgres://app@localhost/app".into())
        );
        assert!(secret.is_none());
        let (src, _) = resolve(
            &DatabaseInput::Sqlite {
                path: "/w/data/dev.db".into(),
            },
            Path::new("/w"),
        );
        assert_eq!(src, DatabaseSource::Url("sqlite://data/dev.db".into()));
        let (src, _) = resolve(
            &DatabaseInput::Sqlite {
                path: "/elsewhere/dev.db".into(),
            },
            Path::new("/w"),
        );
        assert_eq!(
            src,
            DatabaseSource::Url("sqlite:///elsewhere/dev.db".into())
        );
    }

    #[test]
    fn only_sources_that_store_a_url_write_to_the_keychain() {
        let input = NewWorkspace {
            path: "/w".into(),
            name: "acme".into(),
            environments: vec![
                env(
                    "dev",
                    EnvKind::Development,
                    false,
                    url("postgres://app@localhost/app"),
                ),
                env(
                    "staging",
                    EnvKind::Staging,
                    false,
                    DatabaseInput::Keychain {
                        name: "STAGING_URL".into(),
                        url: None,
                    },
                ),
                env(
                    "qa",
                    EnvKind::Staging,
                    false,
                    DatabaseInput::Keychain {
                        name: "QA_URL".into(),
                        url: Some(Sensitive::new("postgres://qa@h/qa".into())),
                    },
                ),
                env(
                    " prod ",
                    EnvKind::Production,
                    true,
                    url("postgres://app:pw@db.example.com/app"),
                ),
                env(
                    "bad env",
                    EnvKind::Production,
                    true,
                    url("postgres://a:pw@h/a"),
                ),
            ],
        };
        assert_eq!(
            keychain_writes(&input),
            [
                ("qa".to_string(), "QA_URL".to_string()),
                ("prod".to_string(), URL_SECRET.to_string())
            ]
        );
    }

    /// The sentence under the name says whose secrets are at stake and what to do.
    #[test]
    fn a_name_whose_secrets_are_in_the_keychain_says_what_to_do() {
        assert_eq!(name_taken("acme", &[]), None);
        let one = name_taken("acme", &[("prod".into(), URL_SECRET.into())]).unwrap();
        assert_eq!(one.field, "name");
        assert_eq!(
            one.message,
            "a workspace named \"acme\" already keeps secrets for prod in the OS keychain, and creating this one would replace them: pick another name, or open that workspace instead"
        );
        let three = name_taken(
            "acme",
            &[
                ("dev".into(), "A".into()),
                ("staging".into(), "B".into()),
                ("prod".into(), "C".into()),
            ],
        )
        .unwrap();
        assert!(
            three
                .message
                .contains("secrets for dev, staging and prod in"),
            "{}",
            three.message
        );
    }

    #[test]
    fn the_rendered_file_loads_back_as_given() {
        let text = render(
            "acme",
            &[
                Planned {
                    name: "dev".into(),
                    kind: EnvKind::Development,
                    protected: false,
                    database: DatabaseSource::Url("sqlite://dev.db".into()),
                },
                Planned {
                    name: "staging".into(),
                    kind: EnvKind::Staging,
                    protected: true,
                    database: DatabaseSource::Secret("DATABASE_URL".into()),
                },
                Planned {
                    name: "prod".into(),
                    kind: EnvKind::Production,
                    protected: true,
                    database: DatabaseSource::Secret("DATABASE_URL".into()),
                },
            ],
        );
        let ws = crate::workspace::parse(&text, Path::new("/w/envdeck.toml")).unwrap();
        assert_eq!(ws.name, "acme");
        let mut got: Vec<_> = ws
            .environments
            .iter()
            .map(|e| (e.name.as_str(), e.kind, e.protected))
            .collect();
        got.sort_by_key(|g| g.0);
        assert_eq!(
            got,
            [
                ("dev", EnvKind::Development, false),
                ("prod", EnvKind::Production, true),
                ("staging", EnvKind::Staging, true)
            ]
        );
        let at = |n: &str| text.find(&format!("[environments.{n}]")).unwrap();
        assert!(
            at("dev") < at("staging") && at("staging") < at("prod"),
            "the form's order: {text}"
        );
        assert!(text.contains("[environments.prod]\nkind = \"production\"\ndatabase = { secret = \"DATABASE_URL\" }\n"), "{text}");
        assert!(!text.contains("[environments]\n"), "{text}");
    }
}
