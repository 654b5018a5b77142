//! Two snapshots in, findings out: every area compared purely, no I/O and no clock. An area
//! whose parts could not be read carries the reason; one the workspace does not configure
//! is skipped with a note.

use super::{Area, Finding, IsolationInput};
use crate::error::Error;
use crate::snapshot::{Part, Snapshot, Wanted};

/// One area's answer.
#[derive(Debug)]
pub struct AreaOutcome {
    pub area: Area,
    pub findings: Vec<Finding>,
    /// Why (part of) the area could not be compared. Isolation keeps its env-file findings
    /// beside the error that hid the shared-database check.
    pub error: Option<Error>,
    /// Why the area was not compared: the workspace does not configure it. Not a failure.
    pub skipped: Option<String>,
}

impl Area {
    /// What each environment's snapshot must hold for this area.
    pub fn wants(self) -> Wanted {
        let mut w = Wanted::default();
        match self {
            Area::Integrations => w.integrations = true,
            Area::Workflows => w.workflows = true,
            Area::Schema => w.schema = true,
            Area::Migrations => w.migrations = true,
            Area::ReferenceData => w.reference = true,
            Area::Data => w.data = true,
            Area::Config => w.env_file = true,
            Area::Isolation => {
                w.identity = true;
                w.env_file = true;
            }
        }
        w
    }
}

/// Every area of `areas`, in that order.
pub fn all(from: &Snapshot, to: &Snapshot, areas: &[Area]) -> Vec<AreaOutcome> {
    areas.iter().map(|a| area(from, to, *a)).collect()
}

/// Both parts, or the first error (a part that was not read is an internal error).
fn both<'a, T>(
    a: &'a Option<Part<T>>,
    b: &'a Option<Part<T>>,
    what: &str,
) -> Result<(&'a T, &'a T), Error> {
    let get = |p: &'a Option<Part<T>>| -> Result<&'a T, Error> {
        match p {
            Some(Ok(v)) => Ok(v),
            Some(Err(e)) => Err(e.clone()),
            None => Err(Error::internal(format!("the snapshot has no {what}"))),
        }
    };
    Ok((get(a)?, get(b)?))
}

pub fn area(from: &Snapshot, to: &Snapshot, area: Area) -> AreaOutcome {
    let (f, t) = (from.env.as_str(), to.env.as_str());
    let mut out = AreaOutcome {
        area,
        findings: Vec::new(),
        error: None,
        skipped: None,
    };
    let result: Result<Vec<Finding>, Error> = match area {
        Area::Integrations => both(&from.integrations, &to.integrations, "integrations")
            .map(|(x, y)| super::integrations(f, t, x, y)),
        Area::Workflows => both(&from.workflows, &to.workflows, "workflows")
            .map(|(x, y)| super::workflows(f, t, x, y)),
        Area::Schema => both(&from.schema, &to.schema, "schema")
            .map(|(x, y)| super::schema(f, t, x, y, to.protected)),
        Area::Migrations => both(&from.migrations, &to.migrations, "migrations")
            .map(|(x, y)| super::migrations(f, t, x.as_ref(), y.as_ref())),
        Area::ReferenceData => match both(&from.reference, &to.reference, "reference data") {
            Ok((x, _)) if x.is_empty() => {
                out.skipped = Some("not compared: envdeck.toml has no [[reference_data]] tables (add one per table whose rows must match, e.g. roles)".to_string());
                Ok(Vec::new())
            }
            Ok((x, y)) => super::reference::reference_data(f, t, x, y),
            Err(e) => Err(e),
        },
        Area::Data => match both(&from.data, &to.data, "data tables") {
            Ok((x, _)) if x.is_empty() => {
                out.skipped = Some("not compared: envdeck.toml has no [[tables]] (add one per table whose rows should be compared, e.g. table = \"customers\", key = [\"email\"])".to_string());
                Ok(Vec::new())
            }
            Ok((x, y)) => super::data(f, t, x, y),
            Err(e) => Err(e),
        },
        Area::Config => {
            let missing: Vec<&str> = [from, to]
                .iter()
                .filter(|s| !s.env_file_configured)
                .map(|s| s.env.as_str())
                .collect();
            if missing.is_empty() {
                both(&from.env_file, &to.env_file, "env file")
                    .map(|(x, y)| super::config(f, t, x, y))
            } else {
                out.skipped = Some(format!(
                    "not compared: {} {} no env_file in envdeck.toml (add env_file = \"…\" to compare config keys)",
                    missing.join(" and "),
                    if missing.len() == 1 { "has" } else { "have" }
                ));
                Ok(Vec::new())
            }
        }
        Area::Isolation => {
            // Env-file and app_url checks stand on their own: an unreachable database only
            // hides the shared-database check, and its error is reported beside them.
            let id = |s: &Snapshot| match &s.identity {
                Some(Ok(id)) => (Some(id.clone()), None),
                Some(Err(e)) => (None, Some(e.clone())),
                None => (None, None),
            };
            fn env(s: &Snapshot) -> (Option<&crate::snapshot::EnvFile>, Option<Error>) {
                match &s.env_file {
                    Some(Ok(e)) => (Some(e), None),
                    Some(Err(e)) => (None, Some(e.clone())),
                    None => (None, None),
                }
            }
            let ((ida, ea), (idb, eb)) = (id(from), id(to));
            let ((fa, xa), (fb, xb)) = (env(from), env(to));
            match xa.or(xb) {
                Some(e) => Err(e),
                None => {
                    out.error = ea.or(eb);
                    Ok(super::isolation(
                        &IsolationInput {
                            env: f,
                            protected: from.protected,
                            app_url: from.app_url.as_deref(),
                            database: ida.as_deref(),
                            env_file: fa,
                        },
                        &IsolationInput {
                            env: t,
                            protected: to.protected,
                            app_url: to.app_url.as_deref(),
                            database: idb.as_deref(),
                            env_file: fb,
                        },
                    ))
                }
            }
        }
    };
    match result {
        Ok(mut v) => {
            super::sort(&mut v);
            out.findings = v;
        }
        Err(e) => out.error = Some(e),
    }
    out
}
