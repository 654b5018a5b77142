//! Structural JSON diff: paths added, removed and changed. Workflow definitions are first
//! normalised so per-environment noise (node ids, positions, webhook ids, version ids)
//! does not count, and nodes are keyed by name rather than array position.

use serde_json::{Map, Value};

/// Node fields that differ per environment by design.
const NODE_NOISE: &[&str] = &["id", "position", "webhookId", "notesInFlow"];
/// Top-level fields that differ per environment by design.
const TOP_NOISE: &[&str] = &[
    "id",
    "versionId",
    "meta",
    "pinData",
    "createdAt",
    "updatedAt",
    "active",
    "staticData",
    "triggerCount",
];

/// n8n-style `{nodes:[…], connections:{…}, settings:{…}}` with noise removed and nodes
/// keyed by name. Other JSON is returned unchanged.
pub fn normalise_workflow_definition(v: &Value) -> Value {
    let Value::Object(obj) = v else {
        return v.clone();
    };
    let mut out = Map::new();
    for (k, val) in obj {
        if TOP_NOISE.contains(&k.as_str()) {
            continue;
        }
        if k == "nodes"
            && let Value::Array(nodes) = val
            && nodes
                .iter()
                .all(|n| n.get("name").and_then(Value::as_str).is_some())
        {
            let mut by_name = Map::new();
            for n in nodes {
                let mut n = n.as_object().cloned().unwrap_or_default();
                let name = n
                    .remove("name")
                    .and_then(|v| v.as_str().map(String::from))
                    .unwrap_or_default();
                for noise in NODE_NOISE {
                    n.remove(*noise);
                }
                // Credentials are referenced by per-environment ids; their names matter.
                if let Some(Value::Object(creds)) = n.get_mut("credentials") {
                    for c in creds.values_mut() {
                        if let Value::Object(c) = c {
                            c.remove("id");
                        }
                    }
                }
                by_name.insert(name, Value::Object(n));
            }
            out.insert(k.clone(), Value::Object(by_name));
            continue;
        }
        out.insert(k.clone(), val.clone());
    }
    Value::Object(out)
}

/// `(op, path)` pairs: `+` only in `b`, `-` only in `a`, `~` different. Paths read
/// `nodes.Wait.parameters.amount` or `connections.Notify.main[0]`.
pub fn diff_paths(a: &Value, b: &Value) -> Vec<(char, String)> {
    let mut out = Vec::new();
    walk(a, b, String::new(), &mut out);
    out
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

fn walk(a: &Value, b: &Value, path: String, out: &mut Vec<(char, String)>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (k, va) in x {
                match y.get(k) {
                    Some(vb) => walk(va, vb, join(&path, k), out),
                    None => out.push(('-', join(&path, k))),
                }
            }
            for k in y.keys() {
                if !x.contains_key(k) {
                    out.push(('+', join(&path, k)));
                }
            }
        }
        (Value::Array(x), Value::Array(y)) => {
            for i in 0..x.len().max(y.len()) {
                let p = format!("{path}[{i}]");
                match (x.get(i), y.get(i)) {
                    (Some(va), Some(vb)) => walk(va, vb, p, out),
                    (Some(_), None) => out.push(('-', p)),
                    (None, Some(_)) => out.push(('+', p)),
                    (None, None) => {}
                }
            }
        }
        _ if a != b => out.push((
            '~',
            if path.is_empty() {
                "(value)".into()
            } else {
                path
            },
        )),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn ids_and_positions_are_noise_but_parameters_are_not() {
        let a = json!({"id": 1, "nodes": [{"id": "u1", "name": "Wait", "position": [0, 0], "parameters": {"amount": 3}}], "connections": {}});
        let b = json!({"id": 2, "nodes": [{"id": "u2", "name": "Wait", "position": [40, 20], "parameters": {"amount": 3}}], "connections": {}});
        let (na, nb) = (
            normalise_workflow_definition(&a),
            normalise_workflow_definition(&b),
        );
        assert!(diff_paths(&na, &nb).is_empty());
        let c = json!({"nodes": [{"id": "u3", "name": "Wait", "parameters": {"amount": 2}}, {"name": "Task", "parameters": {}}], "connections": {}});
        let d = diff_paths(&na, &normalise_workflow_definition(&c));
        assert_eq!(
            d,
            vec![
                ('~', "nodes.Wait.parameters.amount".to_string()),
                ('+', "nodes.Task".to_string())
            ]
        );
    }
}
