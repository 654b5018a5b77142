//! Comparing two environments, area by area; the integration parity grid; the two values
//! behind a finding for the side-by-side diff.

use std::time::Instant;

use serde::Serialize;
use ts_rs::TS;

use super::Context;
use crate::compare::{self, Area, Finding, Severity};
use crate::error::{AppError, Error, Result};
use crate::progress::{Cancel, Progress};
use crate::snapshot;
use crate::workspace::{Environment, Workspace};

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export_to = "AreaReport.ts")]
pub struct AreaReport {
    pub area: Area,
    pub from: String,
    pub to: String,
    pub findings: Vec<Finding>,
    pub error: Option<AppError>,
    /// Why the area was not compared: the workspace does not configure it for these two
    /// environments (no env_file, no [[reference_data]]). Not a failure.
    pub skipped: Option<String>,
    pub duration_ms: u32,
}

/// Both environments read once each (one connection per environment, whatever the number
/// of areas), concurrently. `tick` is called once per part read. A cancel stops the
/// statements both sessions are running.
async fn snapshots(
    ctx: &Context,
    ws: &Workspace,
    from: &Environment,
    to: &Environment,
    areas: &[Area],
    cancel: &Cancel,
    tick: &(dyn Fn() + Send + Sync),
) -> (snapshot::Snapshot, snapshot::Snapshot) {
    let wanted = wanted(areas);
    let needs_db = wanted.integrations
        || wanted.workflows
        || wanted.schema
        || wanted.migrations
        || wanted.reference
        || wanted.data
        || wanted.identity;
    let now = ctx.now();
    let one = async |env: &Environment| {
        let conn = if needs_db {
            ctx.connect_watched(ws, env, cancel).await
        } else {
            Err(Error::internal("no database part was asked for"))
        };
        snapshot::read(conn, ws, env, wanted, now, tick).await
    };
    futures::join!(one(from), one(to))
}

fn wanted(areas: &[Area]) -> snapshot::Wanted {
    let mut w = areas
        .iter()
        .fold(snapshot::Wanted::default(), |w, a| w.union(a.wants()));
    // The schema's SQL suggestion names the project's migration tool: one small query.
    if areas.contains(&Area::Schema) {
        w.migrations = true;
    }
    w
}

fn report(ws: &Workspace, o: compare::AreaOutcome, from: &str, to: &str, t: Instant) -> AreaReport {
    if let Some(e) = &o.error {
        tracing::info!(area = %o.area, code = %e.code, "area failed: {}", e.message);
    }
    let mut findings = o.findings;
    // A workflow is a row of the [workflows] table: its findings name it, so a missing one
    // can be selected for the guarded sync like any configured table's row.
    for f in findings.iter_mut().filter(|f| f.area == Area::Workflows) {
        f.key_parts
            .subject
            .get_or_insert_with(|| ws.workflows.table.clone());
    }
    AreaReport {
        area: o.area,
        from: from.to_string(),
        to: to.to_string(),
        findings,
        error: o.error.map(|e| e.to_wire()),
        skipped: o.skipped,
        duration_ms: t.elapsed().as_millis().min(u32::MAX as u128) as u32,
    }
}

/// One area's findings; an error (unreachable environment, missing table…) is part of the
/// answer so the other areas still load.
pub async fn compare_area(
    ctx: &Context,
    ws: &Workspace,
    from: &Environment,
    to: &Environment,
    area: Area,
    cancel: &Cancel,
    progress: &dyn Progress,
) -> AreaReport {
    let t = Instant::now();
    progress.start(
        &format!("reading {} and {}", from.name, to.name),
        Some(wanted(&[area]).count() * 2),
    );
    let done = std::sync::atomic::AtomicU64::new(0);
    let tick = || progress.advance(done.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1);
    let (a, b) = snapshots(ctx, ws, from, to, &[area], cancel, &tick).await;
    progress.finish();
    report(ws, compare::area(&a, &b, area), &from.name, &to.name, t)
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export_to = "AreaError.ts")]
pub struct AreaError {
    pub area: Area,
    pub error: AppError,
}

/// `envdeck check`'s answer. JSON contract: `{"from","to","findings":[…]}`, extended with
/// `errors` (areas that could not run) and `summary`.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export_to = "CheckReport.ts")]
pub struct CheckReport {
    pub from: String,
    pub to: String,
    pub findings: Vec<Finding>,
    pub errors: Vec<AreaError>,
    /// Areas not compared because the workspace does not configure them (not failures).
    pub skipped: Vec<AreaSkip>,
    pub summary: Summary,
    /// The migration table found (for `check --sql`'s advice); not part of the JSON.
    #[serde(skip)]
    #[ts(skip)]
    pub migration_table: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export_to = "AreaSkip.ts")]
pub struct AreaSkip {
    pub area: Area,
    pub reason: String,
}

#[derive(Debug, Clone, Default, Serialize, TS)]
#[ts(export_to = "Summary.ts")]
pub struct Summary {
    pub critical: u32,
    pub warning: u32,
    pub info: u32,
}

impl CheckReport {
    /// 3 when any critical finding exists (even if an area failed: what was found stands),
    /// else 1 when an area could not run, else 2 on drift, else 0. Skipped areas and info
    /// findings do not count.
    pub fn exit_code(&self) -> u8 {
        if self.summary.critical > 0 {
            3
        } else if !self.errors.is_empty() {
            1
        } else if self.summary.warning > 0 {
            2
        } else {
            0
        }
    }
}

/// Every requested area: both environments read once (progress advances per part read),
/// then compared purely. Ctrl-C drops the reads at once and stops their server-side
/// statements.
pub async fn check(
    ctx: &Context,
    ws: &Workspace,
    from: &str,
    to: &str,
    areas: &[Area],
    progress: &dyn Progress,
    cancel: &Cancel,
) -> Result<CheckReport> {
    let (fe, te) = (ws.environment(from)?, ws.environment(to)?);
    if fe.name == te.name {
        return Err(Error::invalid_input(
            "--from and --to name the same environment: compare two different ones",
        ));
    }
    let areas: Vec<Area> = if areas.is_empty() {
        Area::ALL.to_vec()
    } else {
        areas.to_vec()
    };
    let t = Instant::now();
    progress.start("reading", Some(wanted(&areas).count() * 2));
    let done = std::sync::atomic::AtomicU64::new(0);
    let tick = || progress.advance(done.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1);
    let (a, b) = crate::progress::until_cancelled(cancel, async {
        Ok(snapshots(ctx, ws, fe, te, &areas, cancel, &tick).await)
    })
    .await?;
    progress.finish();
    let mut findings = Vec::new();
    let mut errors = Vec::new();
    let mut skipped = Vec::new();
    for o in compare::all(&a, &b, &areas) {
        let r = report(ws, o, &fe.name, &te.name, t);
        if let Some(reason) = r.skipped {
            skipped.push(AreaSkip {
                area: r.area,
                reason,
            });
        }
        findings.extend(r.findings);
        if let Some(e) = r.error {
            errors.push(AreaError {
                area: r.area,
                error: e,
            });
        }
    }
    compare::sort(&mut findings);
    let mut summary = Summary::default();
    for f in &findings {
        match f.severity {
            Severity::Critical => summary.critical += 1,
            Severity::Warning => summary.warning += 1,
            Severity::Info => summary.info += 1,
        }
    }
    Ok(CheckReport {
        from: fe.name.clone(),
        to: te.name.clone(),
        findings,
        errors,
        skipped,
        summary,
        migration_table: [&b, &a].iter().find_map(|s| match &s.migrations {
            Some(Ok(Some(m))) => Some(m.table.clone()),
            _ => None,
        }),
    })
}

/// The two sides of a schema, migration or config finding (see [`compare::Sides`]): both
/// environments read again, read-only. A config value is compared inside the engine and
/// never leaves it: only each key's state does.
pub async fn finding_sides(
    ctx: &Context,
    ws: &std::path::Path,
    from: &str,
    to: &str,
    area: Area,
    key: &compare::KeyParts,
    kind: compare::FindingKind,
) -> Result<compare::Sides> {
    if !compare::sides::has_sides(area) {
        return Err(Error::invalid_input(format!(
            "findings in {area} have no side-by-side view (only schema, migrations and config do)"
        )));
    }
    let ws = crate::workspace::load(ws)?;
    let (fe, te) = (ws.environment(from)?, ws.environment(to)?);
    let cancel = Cancel::new();
    let (a, b) = snapshots(ctx, &ws, fe, te, &[area], &cancel, &|| {}).await;
    fn part<T>(p: &Option<snapshot::Part<T>>) -> Result<Option<&T>> {
        match p {
            Some(Ok(v)) => Ok(Some(v)),
            Some(Err(e)) => Err(e.clone()),
            None => Ok(None),
        }
    }
    Ok(match area {
        Area::Schema => {
            let (Some(x), Some(y)) = (part(&a.schema)?, part(&b.schema)?) else {
                return Err(Error::internal("the schema was not read"));
            };
            // The target's migration table first: that is where the command will run.
            let table = [&b, &a].iter().find_map(|s| match &s.migrations {
                Some(Ok(Some(m))) => Some(m.table.as_str()),
                _ => None,
            });
            compare::sides::columns(x, y, key, kind, table)
        }
        Area::Migrations => compare::sides::migrations(
            part(&a.migrations)?.and_then(Option::as_ref),
            part(&b.migrations)?.and_then(Option::as_ref),
        ),
        _ => compare::sides::config_keys(part(&a.env_file)?, part(&b.env_file)?),
    })
}
