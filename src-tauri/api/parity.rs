//! The integration parity grid (provider × every environment) and the two JSON values
//! behind a workflow or reference-data finding.

use serde::Serialize;
use ts_rs::TS;

use super::Context;
pub use crate::compare::parity::{EnvError, ParityCell, ParityGrid, ParityRow, ParityState};
use crate::compare::{self, Area, KeyPart, KeyParts};
use crate::error::{Error, Result};
use crate::snapshot::IntegrationRow;
use crate::snapshot::{RefRow, RefTable, Snapshot};
use crate::workspace::{Environment, Workspace};

/// One environment's integrations, on a read-only connection of its own.
pub(super) async fn env_integrations(
    ctx: &Context,
    ws: &Workspace,
    env: &Environment,
) -> Result<Vec<IntegrationRow>> {
    let mut c = ctx.connect(ws, env).await?;
    let rows = crate::snapshot::integrations(&mut c, &ws.integrations, ctx.now()).await;
    c.close().await;
    rows
}

/// Every provider against every environment; an unreachable environment is listed in
/// `errors` and its column stays empty.
pub async fn integration_parity(ctx: &Context, ws: &Workspace) -> ParityGrid {
    let loads = ws.environments.iter().map(|e| env_integrations(ctx, ws, e));
    let results = futures::future::join_all(loads).await;
    compare::parity::grid(
        ws.environments.iter().map(|e| e.name.clone()).collect(),
        ws.environments
            .iter()
            .zip(results)
            .map(|(e, r)| (e.name.clone(), r.map_err(|e| e.to_wire())))
            .collect(),
    )
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export_to = "ValuePair.ts")]
pub struct ValuePair {
    pub from_json: Option<String>,
    pub to_json: Option<String>,
}

fn pretty(mut v: serde_json::Value) -> String {
    crate::secrets::redact::json(&mut v);
    serde_json::to_string_pretty(&v).unwrap_or_default()
}

/// The two values behind a `workflows` or `reference_data` finding, found by the finding's
/// structured key (never by splitting its text) in both environments' snapshots; secrets
/// are never read, and secret-looking JSON fields are redacted.
pub async fn finding_values(
    ctx: &Context,
    ws: &Workspace,
    from: &str,
    to: &str,
    area: Area,
    key: &KeyParts,
    kind: Option<compare::FindingKind>,
) -> Result<ValuePair> {
    if !matches!(
        area,
        Area::Workflows | Area::ReferenceData | Area::Data | Area::Schema
    ) {
        return Err(Error::invalid_input(format!(
            "findings in {area} have no values to show side by side (only workflows, reference_data, data and schema do)"
        )));
    }
    let (fe, te) = (ws.environment(from)?, ws.environment(to)?);
    let wanted = area.wants();
    let now = ctx.now();
    let read = async |env: &Environment| {
        let conn = ctx.connect(ws, env).await;
        crate::snapshot::read(conn, ws, env, wanted, now, &|| {}).await
    };
    let (a, b) = futures::join!(read(fe), read(te));
    if area == Area::Schema {
        let kind = kind.ok_or_else(|| {
            Error::invalid_input("a schema finding's values need its kind: none was given")
        })?;
        let def = |s: &Snapshot| -> Result<Option<String>> {
            match &s.schema {
                Some(Ok(schema)) => Ok(compare::schema_definition(schema, kind, key)),
                Some(Err(e)) => Err(e.clone()),
                None => Ok(None),
            }
        };
        return Ok(ValuePair {
            from_json: def(&a)?,
            to_json: def(&b)?,
        });
    }
    if area == Area::Workflows {
        let want: Vec<Option<String>> = key.parts.iter().map(part_text).collect();
        let pick = |s: &Snapshot| -> Result<Option<String>> {
            let rows = match &s.workflows {
                Some(Ok(rows)) => rows,
                Some(Err(e)) => return Err(e.clone()),
                None => return Ok(None),
            };
            Ok(rows.iter().find(|r| r.key_parts == want).map(workflow_json))
        };
        return Ok(ValuePair {
            from_json: pick(&a)?,
            to_json: pick(&b)?,
        });
    }
    let table = key.subject.as_deref().ok_or_else(|| {
        Error::invalid_input("a reference-data key names its table: none was given")
    })?;
    let get = |s: &Snapshot| -> Result<Option<RefTable>> {
        let tables = if area == Area::Data {
            &s.data
        } else {
            &s.reference
        };
        match tables {
            Some(Ok(t)) => Ok(t.iter().find(|t| t.table == table).cloned()),
            Some(Err(e)) => Err(e.clone()),
            None => Ok(None),
        }
    };
    let (Some(ta), Some(tb)) = (get(&a)?, get(&b)?) else {
        return Err(Error::invalid_input(format!(
            "{table:?} is not a {} table of this workspace",
            if area == Area::Data {
                "[[tables]]"
            } else {
                "[[reference_data]]"
            }
        )));
    };
    let (ra, rb) = compare::reference::rows_for_key(&ta, &tb, &key.parts);
    Ok(ValuePair {
        from_json: ra.map(|r| reference_json(&ta, r)),
        to_json: rb.map(|r| reference_json(&tb, r)),
    })
}

fn part_text(p: &KeyPart) -> Option<String> {
    match p {
        KeyPart::Text(t) | KeyPart::Number(t) => Some(t.clone()),
        KeyPart::Null => None,
    }
}

fn workflow_json(r: &crate::snapshot::WorkflowRecord) -> String {
    let mut obj = serde_json::Map::new();
    if let Some(act) = r.active {
        obj.insert("active".into(), act.into());
    }
    for (c, v) in &r.columns {
        obj.insert(
            c.clone(),
            v.clone().map(Into::into).unwrap_or(serde_json::Value::Null),
        );
    }
    if let Some(d) = &r.definition {
        obj.insert(
            "definition".into(),
            compare::normalise_workflow_definition(d),
        );
    }
    pretty(serde_json::Value::Object(obj))
}

/// A reference row as JSON: the key and every compared column, JSON columns as JSON.
/// Secret columns were read as a hash at most, and are never shown.
fn reference_json(t: &RefTable, (k, v): &RefRow) -> String {
    let text = |x: &Option<String>| match x {
        Some(s) if s.starts_with('{') || s.starts_with('[') => {
            serde_json::from_str(s).unwrap_or_else(|_| serde_json::Value::String(s.clone()))
        }
        Some(s) => serde_json::Value::String(s.clone()),
        None => serde_json::Value::Null,
    };
    let mut m = serde_json::Map::new();
    for (c, x) in t.key.iter().zip(k) {
        m.insert(c.clone(), text(x));
    }
    for ((c, x), hashed) in t.columns.iter().zip(v).zip(&t.hashed) {
        if !hashed {
            m.insert(c.clone(), text(x));
        }
    }
    pretty(serde_json::Value::Object(m))
}
