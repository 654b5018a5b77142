//! Copying a workflow (pure): its n8n credential references remapped by type and name to
//! the target's credentials, and its active flag, which a copy sets to inactive unless the
//! person asked to activate.

use serde_json::Value as Json;

use super::plan::{CredentialRemap, Insert, WorkflowConf, show};
use crate::snapshot::CopyTable;

/// A credential reference in a definition: `nodes[].credentials.<type> = {id, name}`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Reference {
    node: String,
    ty: String,
    name: Option<String>,
    id: Option<String>,
}

fn text(v: Option<&Json>) -> Option<String> {
    match v? {
        Json::String(s) => Some(s.clone()),
        Json::Null => None,
        other => Some(other.to_string()),
    }
}

/// Every credential reference of a definition, in node order. A definition that is not
/// JSON (or has no nodes) has none.
fn references(definition: &str) -> Vec<Reference> {
    let Ok(doc) = serde_json::from_str::<Json>(definition) else {
        return Vec::new();
    };
    let Some(nodes) = doc.get("nodes").and_then(Json::as_array) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for node in nodes {
        let Some(creds) = node.get("credentials").and_then(Json::as_object) else {
            continue;
        };
        let node_name = text(node.get("name")).unwrap_or_else(|| "(unnamed)".into());
        for (ty, r) in creds {
            out.push(Reference {
                node: node_name.clone(),
                ty: ty.clone(),
                name: text(r.get("name")),
                id: text(r.get("id")),
            });
        }
    }
    out
}

/// The target's credential for each reference of `definition` (with the row it was found
/// in, for the fingerprint), or one sentence per reference that cannot be resolved.
pub(super) fn resolve(
    conf: &WorkflowConf,
    workflow: &str,
    definition: &str,
    target: Option<&CopyTable>,
    to: &str,
) -> Result<Vec<(CredentialRemap, usize)>, Vec<String>> {
    let refs = references(definition);
    if refs.is_empty() {
        return Ok(Vec::new());
    }
    let label = |r: &Reference| {
        format!(
            "workflow {workflow:?}: node {:?} uses the {} credential {:?}",
            r.node,
            r.ty,
            r.name.as_deref().unwrap_or("(no name)")
        )
    };
    let Some(c) = &conf.credentials else {
        return Err(refs
            .iter()
            .map(|r| {
                format!(
                    "{}, and [workflows] credentials_table is not configured, so it cannot be matched in {to}: set credentials_table (n8n: \"credentials_entity\") in envdeck.toml",
                    label(r)
                )
            })
            .collect());
    };
    let t = match target.filter(|t| t.exists) {
        Some(t) => t,
        None => {
            return Err(vec![format!(
                "workflow {workflow:?} refers to credentials, and the credentials table {:?} ([workflows] credentials_table) does not exist in {to}: check that setting",
                c.table
            )]);
        }
    };
    let (Some(ci), Some(ni), Some(ti)) = (t.index(&c.id), t.index(&c.name), t.index(&c.ty)) else {
        return Err(vec![format!(
            "the credentials table {:?} in {to} lacks one of the columns {:?}, {:?}, {:?} ([workflows] credentials_id, credentials_name, credentials_type): map them to its id, name and type columns",
            c.table, c.id, c.name, c.ty
        )]);
    };
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for r in &refs {
        let Some(name) = &r.name else {
            problems.push(format!(
                "{}, a reference without a name, which cannot be matched in {to}: give the credential a name in the workflow",
                label(r)
            ));
            continue;
        };
        let found: Vec<usize> = (0..t.rows.len())
            .filter(|&i| {
                t.rows[i][ti].as_deref() == Some(r.ty.as_str())
                    && t.rows[i][ni].as_deref() == Some(name.as_str())
            })
            .collect();
        match found.as_slice() {
            [i] => out.push((
                CredentialRemap {
                    node: r.node.clone(),
                    credential_type: r.ty.clone(),
                    name: name.clone(),
                    from_id: r.id.clone(),
                    to_id: t.rows[*i][ci].clone(),
                },
                *i,
            )),
            [] => problems.push(format!(
                "{}, which does not exist in {to}: create a {} credential named {name:?} in {to} first, then plan again",
                label(r),
                r.ty
            )),
            many => problems.push(format!(
                "{}, and {to} has {} {} credentials with that name: rename them so the match is unambiguous, then plan again",
                label(r),
                many.len(),
                r.ty
            )),
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

/// The definition with each reference's id replaced by the target's (names kept).
pub(super) fn rewrite(definition: &str, remaps: &[CredentialRemap]) -> String {
    let Ok(mut doc) = serde_json::from_str::<Json>(definition) else {
        return definition.to_string();
    };
    let Some(nodes) = doc.get_mut("nodes").and_then(Json::as_array_mut) else {
        return definition.to_string();
    };
    for node in nodes {
        let name = text(node.get("name")).unwrap_or_else(|| "(unnamed)".into());
        let Some(creds) = node.get_mut("credentials").and_then(Json::as_object_mut) else {
            continue;
        };
        for (ty, r) in creds.iter_mut() {
            let found = remaps
                .iter()
                .find(|m| m.node == name && &m.credential_type == ty);
            if let (Some(m), Some(obj)) = (found, r.as_object_mut()) {
                let id = m.to_id.clone().map(Json::String).unwrap_or(Json::Null);
                obj.insert("id".into(), id);
            }
        }
    }
    doc.to_string()
}

/// Whether a stored active flag means active.
pub(super) fn is_active(text: Option<&str>) -> bool {
    matches!(
        text.map(|t| t.trim().to_ascii_lowercase()).as_deref(),
        Some("true" | "t" | "1" | "yes" | "on")
    )
}

/// "Inactive" as the target column stores it: `false` for a boolean, `0` for SQLite and
/// integer columns.
pub(super) fn inactive(ty: &str, sqlite: bool) -> String {
    let t = ty.to_ascii_lowercase();
    if !sqlite && t.contains("bool") {
        "false".into()
    } else if sqlite || crate::connectors::is_int_type(ty) || crate::connectors::is_num_type(ty) {
        "0".into()
    } else {
        "false".into()
    }
}

/// Which copied workflows land inactive, or keep an active flag (`--activate`).
pub(super) fn warning(
    w: &WorkflowConf,
    columns: &[super::plan::PlanColumn],
    rows: &[Insert],
    st: &CopyTable,
    planned: &[(usize, bool)],
    from: &str,
    to: &str,
) -> Option<String> {
    let active = w.active.as_ref()?;
    if rows.is_empty() || !columns.iter().any(|c| &c.column == active) {
        return None;
    }
    let names: Vec<String> = rows.iter().map(|r| format!("{:?}", show(&r.key))).collect();
    if !w.activate {
        return Some(format!(
            "{} workflow(s) land inactive in {to} ({active} written as inactive): {}: activate them in {to} once their credentials and owner are checked, or plan with --activate to keep {from}'s flag",
            rows.len(),
            names.join(", ")
        ));
    }
    let on: Vec<String> = rows
        .iter()
        .zip(planned)
        .filter(|(_, (i, _))| {
            let v = st.index(active).and_then(|ci| st.rows[*i][ci].as_deref());
            is_active(v)
        })
        .map(|(r, _)| format!("{:?}", show(&r.key)))
        .collect();
    (!on.is_empty()).then(|| {
        format!(
            "--activate: {} workflow(s) are active in {to} as soon as they are inserted (as in {from}): {}",
            on.len(),
            on.join(", ")
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reference_is_rewritten_by_node_and_type_and_keeps_its_name() {
        let def = r#"{"nodes":[{"name":"Post to X","credentials":{"twitterOAuth2Api":{"id":"7","name":"X account"}}},{"name":"Code"}]}"#;
        let m = CredentialRemap {
            node: "Post to X".into(),
            credential_type: "twitterOAuth2Api".into(),
            name: "X account".into(),
            from_id: Some("7".into()),
            to_id: Some("42".into()),
        };
        let out: Json = serde_json::from_str(&rewrite(def, &[m])).unwrap();
        assert_eq!(
            out["nodes"][0]["credentials"]["twitterOAuth2Api"],
            serde_json::json!({"id": "42", "name": "X account"})
        );
        assert_eq!(out["nodes"][1]["name"], "Code");
    }
}
