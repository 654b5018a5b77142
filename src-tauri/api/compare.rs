//! Comparing two environments, area by area; the integration parity grid; the two values
//! behind a finding for the side-by-side diff.

use std::time::Instant;

use serde::Serialize;
use ts_rs::TS;

use super::Context;
use crate::compare::{self, Area, Finding, IsolationInput, Severity};
use crate::connectors::Connection;
use crate::error::{AppError, Error, ErrorCode, Result};
use crate::progress::{Cancel, NoProgress, Progress};
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

/// Why `area` is not compared between `from` and `to`, when the workspace does not
/// configure it for them.
pub fn not_configured(
    ws: &Workspace,
    from: &Environment,
    to: &Environment,
    area: Area,
) -> Option<String> {
    match area {
        Area::Config => {
            let missing: Vec<&str> = [from, to]
                .iter()
                .filter(|e| e.env_file.is_none())
                .map(|e| e.name.as_str())
                .collect();
            (!missing.is_empty()).then(|| {
                format!(
                    "not compared: {} {} no env_file in envdeck.toml (add env_file = \"…\" to compare config keys)",
                    missing.join(" and "),
                    if missing.len() == 1 { "has" } else { "have" }
                )
            })
        }
        Area::ReferenceData => ws.reference_data.is_empty().then(|| {
            "not compared: envdeck.toml has no [[reference_data]] tables (add one per table whose rows must match, e.g. roles)".to_string()
        }),
        _ => None,
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
) -> AreaReport {
    let t = Instant::now();
    let skipped = not_configured(ws, from, to, area);
    let (mut findings, error) = if skipped.is_some() {
        (Vec::new(), None)
    } else if area == Area::Isolation {
        // Env-file and app_url checks stand on their own: an unreachable database only
        // hides the shared-database check, and its error is reported beside the findings.
        match isolation(ctx, ws, from, to, cancel).await {
            Ok((f, e)) => (f, e),
            Err(e) => (Vec::new(), Some(e)),
        }
    } else {
        match area_findings(ctx, ws, from, to, area, cancel).await {
            Ok(f) => (f, None),
            Err(e) => (Vec::new(), Some(e)),
        }
    };
    compare::sort(&mut findings);
    if let Some(e) = &error {
        tracing::info!(area = %area, code = %e.code, "area failed: {}", e.message);
    }
    let error = error.map(|e| e.to_wire());
    AreaReport {
        area,
        from: from.name.clone(),
        to: to.name.clone(),
        findings,
        error,
        skipped,
        duration_ms: t.elapsed().as_millis().min(u32::MAX as u128) as u32,
    }
}

async fn both(
    ctx: &Context,
    ws: &Workspace,
    from: &Environment,
    to: &Environment,
    cancel: &Cancel,
) -> Result<(Connection, Connection)> {
    futures::try_join!(
        ctx.connect_watched(ws, from, cancel),
        ctx.connect_watched(ws, to, cancel)
    )
}

async fn area_findings(
    ctx: &Context,
    ws: &Workspace,
    from: &Environment,
    to: &Environment,
    area: Area,
    cancel: &Cancel,
) -> Result<Vec<Finding>> {
    let (f, t) = (from.name.as_str(), to.name.as_str());
    match area {
        Area::Integrations => {
            let (mut a, mut b) = both(ctx, ws, from, to, cancel).await?;
            let now = ctx.now();
            let (x, y) = futures::try_join!(
                snapshot::integrations(&mut a, &ws.integrations, now),
                snapshot::integrations(&mut b, &ws.integrations, now)
            )?;
            Ok(compare::integrations(f, t, &x, &y))
        }
        Area::Workflows => {
            let (mut a, mut b) = both(ctx, ws, from, to, cancel).await?;
            let (x, y) = futures::try_join!(
                snapshot::workflow_records(&mut a, &ws.workflows, &ws.integrations.secret_columns),
                snapshot::workflow_records(&mut b, &ws.workflows, &ws.integrations.secret_columns)
            )?;
            Ok(compare::workflows(f, t, &x, &y))
        }
        Area::Schema => {
            let (mut a, mut b) = both(ctx, ws, from, to, cancel).await?;
            let (x, y) = futures::try_join!(
                snapshot::schema(&mut a, &ws.schemas),
                snapshot::schema(&mut b, &ws.schemas)
            )?;
            Ok(compare::schema(f, t, &x, &y))
        }
        Area::Migrations => {
            let (mut a, mut b) = both(ctx, ws, from, to, cancel).await?;
            let (x, y) =
                futures::try_join!(snapshot::migrations(&mut a), snapshot::migrations(&mut b))?;
            Ok(compare::migrations(f, t, x.as_ref(), y.as_ref()))
        }
        Area::ReferenceData => reference_data(ctx, ws, from, to, cancel).await,
        Area::Config => {
            let (Some(pa), Some(pb)) = (&from.env_file, &to.env_file) else {
                let missing = if from.env_file.is_none() { f } else { t };
                return Err(Error::invalid_input(format!(
                    "{missing} has no env_file in envdeck.toml: add env_file = \"…\" to compare config"
                )));
            };
            let (x, y) = (snapshot::env_file(pa)?, snapshot::env_file(pb)?);
            Ok(compare::config(f, t, &x, &y))
        }
        Area::Isolation => match isolation(ctx, ws, from, to, cancel).await? {
            (_, Some(e)) => Err(e),
            (f, None) => Ok(f),
        },
    }
}

/// Isolation findings, plus the error that kept the shared-database check from running.
async fn isolation(
    ctx: &Context,
    ws: &Workspace,
    from: &Environment,
    to: &Environment,
    cancel: &Cancel,
) -> Result<(Vec<Finding>, Option<Error>)> {
    let mut db_error = None;
    let mut identity = async |env: &Environment| -> Option<String> {
        let r = async {
            let mut c = ctx.connect_watched(ws, env, cancel).await?;
            let id = snapshot::identity(&mut c).await;
            c.close().await;
            id
        }
        .await;
        match r {
            Ok(id) => Some(id),
            Err(e) => {
                db_error.get_or_insert(e);
                None
            }
        }
    };
    let ida = identity(from).await;
    let idb = identity(to).await;
    let ea = from
        .env_file
        .as_deref()
        .map(snapshot::env_file)
        .transpose()?;
    let eb = to.env_file.as_deref().map(snapshot::env_file).transpose()?;
    let findings = compare::isolation(
        &IsolationInput {
            env: &from.name,
            protected: from.protected,
            app_url: from.app_url.as_deref(),
            database: ida.as_deref(),
            env_file: ea.as_ref(),
        },
        &IsolationInput {
            env: &to.name,
            protected: to.protected,
            app_url: to.app_url.as_deref(),
            database: idb.as_deref(),
            env_file: eb.as_ref(),
        },
    );
    Ok((findings, db_error))
}

/// How many differing rows per reference table are listed as findings.
const REFERENCE_ROW_CAP: usize = 500;

async fn reference_data(
    ctx: &Context,
    ws: &Workspace,
    from: &Environment,
    to: &Environment,
    cancel: &Cancel,
) -> Result<Vec<Finding>> {
    let mut out = Vec::new();
    if ws.reference_data.is_empty() {
        return Ok(out);
    }
    let (mut a, mut b) = both(ctx, ws, from, to, cancel).await?;
    for r in &ws.reference_data {
        let (ea, eb) = (
            a.table_exists(&r.table).await?,
            b.table_exists(&r.table).await?,
        );
        if !ea || !eb {
            let (kind, sev, detail) = if ea {
                (
                    "missing",
                    Severity::Warning,
                    format!(
                        "table {} exists in {} but not in {}",
                        r.table, from.name, to.name
                    ),
                )
            } else if eb {
                (
                    "extra",
                    Severity::Info,
                    format!("table {} exists in {} only", r.table, to.name),
                )
            } else {
                return Err(Error::new(
                    ErrorCode::TableMissing,
                    format!(
                        "reference table {:?} exists in neither {} nor {}: fix [[reference_data]] in envdeck.toml",
                        r.table, from.name, to.name
                    ),
                ));
            };
            out.push(Finding::new(
                Area::ReferenceData,
                kind,
                r.table.clone(),
                sev,
                detail,
            ));
            continue;
        }
        let spec = crate::tablediff::Spec {
            table: r.table.clone(),
            key: r.key.clone(),
            columns: None,
            ignore: r.ignore.clone(),
            row_cap: REFERENCE_ROW_CAP,
            secret_columns: ws.integrations.secret_columns.clone(),
            labels: [from.name.clone(), to.name.clone()],
        };
        let d = crate::tablediff::diff(&mut a, &mut b, &spec, &NoProgress, &Cancel::new()).await?;
        for row in &d.rows {
            let key = format!(
                "{}/{}",
                r.table,
                row.key
                    .iter()
                    .map(|k| k.clone().unwrap_or_else(|| "NULL".into()))
                    .collect::<Vec<_>>()
                    .join("/")
            );
            out.push(match row.kind.as_str() {
                "only_in_a" => Finding::new(
                    Area::ReferenceData,
                    "missing",
                    key,
                    Severity::Warning,
                    format!("row exists in {} but not in {}", from.name, to.name),
                ),
                "only_in_b" => Finding::new(
                    Area::ReferenceData,
                    "extra",
                    key,
                    Severity::Info,
                    format!("row exists in {} only", to.name),
                ),
                _ => Finding::new(
                    Area::ReferenceData,
                    "changed",
                    key,
                    Severity::Warning,
                    format!("column(s) {} differ", row.columns.join(", ")),
                ),
            });
        }
        let listed = d.rows.len() as u64;
        let total = d.only_in_a + d.only_in_b + d.changed;
        if total > listed {
            out.push(Finding::new(
                Area::ReferenceData,
                "changed",
                format!("{}/…", r.table),
                Severity::Warning,
                format!("{} more differing row(s) not listed; run `envdeck table-diff --from {} --to {} --table {} --key {}`", total - listed, from.name, to.name, r.table, r.key.join(",")),
            ));
        }
    }
    Ok(out)
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

/// Every requested area, concurrently. `progress` advances once per finished area.
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
    progress.start("comparing", Some(areas.len() as u64));
    let done = std::sync::atomic::AtomicU64::new(0);
    let jobs = areas.iter().map(|a| async {
        let r = compare_area(ctx, ws, fe, te, *a, cancel).await;
        progress.advance(done.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1);
        Ok::<_, Error>(r)
    });
    // A cancel drops every area at once and stops what their server sessions still run.
    let reports =
        crate::progress::until_cancelled(cancel, futures::future::try_join_all(jobs)).await?;
    progress.finish();
    let mut findings = Vec::new();
    let mut errors = Vec::new();
    let mut skipped = Vec::new();
    for r in reports {
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
    })
}
