//! Reading one provider's integration rows as the watcher needs them: identity, account,
//! status, expiry, a change stamp and the granted scopes. Only mapped, non-secret columns
//! are selected: the token columns never appear in a statement.

use chrono::{DateTime, Utc};

use crate::connectors::{Cell, Connection, Engine, quote_ident};
use crate::error::{Error, Result};
use crate::snapshot::IntegrationHealth;
use crate::workspace::IntegrationsMap;

/// One integration row as the watcher sees it. Two reads of the same row compare equal
/// unless something about it changed (its stamp, status, expiry, account or scopes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    /// The primary key (or `id`) as text; the provider and account when there is none.
    pub id: String,
    pub account: Option<String>,
    pub status: Option<String>,
    pub expires_at: Option<String>,
    /// `updated_at` (else `created_at`) as the database wrote it.
    pub stamp: Option<String>,
    pub scopes: Option<String>,
}

impl Mark {
    /// The one health rule ([`IntegrationHealth::of`]) applied to this row at `now`.
    pub fn health(&self, map: &IntegrationsMap, now: DateTime<Utc>) -> IntegrationHealth {
        let healthy = match &self.status {
            Some(s) => map
                .healthy_status
                .iter()
                .any(|h| h.eq_ignore_ascii_case(s.trim())),
            None => true,
        };
        IntegrationHealth::of(healthy, self.status.as_deref(), self.expires_in(now))
    }

    pub fn expires_in(&self, now: DateTime<Utc>) -> Option<i64> {
        self.expires_at
            .as_deref()
            .and_then(crate::snapshot::parse_timestamp)
            .map(|e| (e - now).num_seconds())
    }
}

/// An environment being watched: its rows for the provider when the step started.
#[derive(Debug, Clone)]
pub struct Watched {
    pub env: String,
    pub app_url: Option<String>,
    pub baseline: Vec<Mark>,
}

/// The statement that reads one provider's rows from one environment, prepared once per
/// step (its columns checked against the table).
#[derive(Debug, Clone)]
pub struct Probe {
    sql: String,
    id_columns: usize,
}

impl Probe {
    /// Checks the mapped columns and finds the row identity (the primary key, else `id`)
    /// and the change stamp (`[integrations] updated_at`, else an `updated_at` or
    /// `created_at` column). Secret columns are never chosen.
    pub async fn prepare(conn: &mut Connection, map: &IntegrationsMap) -> Result<Probe> {
        conn.require_table(&map.table, "[integrations] table")
            .await?;
        let have = conn.columns(&map.table).await?;
        let mut mapped: Vec<(&str, &str)> = vec![("provider", map.provider.as_str())];
        for (k, c) in [
            ("account", &map.account),
            ("status", &map.status),
            ("expires_at", &map.expires_at),
            ("updated_at", &map.updated_at),
            ("scopes", &map.scopes),
        ] {
            if let Some(c) = c {
                mapped.push((k, c.as_str()));
            }
        }
        for (k, c) in &mapped {
            if crate::secrets::is_secret_column(c, &map.secret_columns) {
                return Err(Error::invalid_input(format!(
                    "[integrations] {k} = {c:?} names a secret column: envdeck never reads secret columns; map {k} to another column"
                )));
            }
        }
        crate::snapshot::require_columns(conn, &map.table, "integrations", &map.places, &mapped)
            .await?;
        let public = |c: &str| !crate::secrets::is_secret_column(c, &map.secret_columns);
        let mut ids: Vec<String> = primary_key(conn, &map.table)
            .await?
            .into_iter()
            .filter(|c| public(c))
            .collect();
        if ids.is_empty() && have.iter().any(|c| c == "id") {
            ids.push("id".into());
        }
        let stamp = map.updated_at.clone().or_else(|| {
            ["updated_at", "created_at"]
                .into_iter()
                .find(|c| have.iter().any(|h| h == c) && public(c))
                .map(str::to_string)
        });
        let col = |c: &Option<String>| match c {
            Some(c) => format!("CAST({} AS TEXT)", quote_ident(c)),
            None => "NULL".to_string(),
        };
        let mut select: Vec<String> = ids
            .iter()
            .map(|c| format!("CAST({} AS TEXT)", quote_ident(c)))
            .collect();
        select.extend([
            col(&map.account),
            col(&map.status),
            col(&map.expires_at),
            col(&stamp),
            col(&map.scopes),
        ]);
        let param = match conn.engine() {
            Engine::Postgres => "$1",
            Engine::Sqlite => "?1",
        };
        let sql = format!(
            "SELECT {} FROM {} WHERE CAST({} AS TEXT) = {param}",
            select.join(", "),
            quote_ident(&map.table),
            quote_ident(&map.provider),
        );
        Ok(Probe {
            sql,
            id_columns: ids.len(),
        })
    }

    /// The rows of `provider`, in a stable order.
    pub async fn read(&self, conn: &mut Connection, provider: &str) -> Result<Vec<Mark>> {
        let rows = conn
            .fetch_text_bound(&self.sql, &[Cell::Text(provider.to_string())])
            .await?;
        let mut marks: Vec<Mark> = rows
            .into_iter()
            .map(|r| {
                let (ids, rest) = r.split_at(self.id_columns.min(r.len()));
                let mut rest = rest.iter().cloned();
                let mut next = || rest.next().flatten();
                let account = next();
                let id = if ids.is_empty() {
                    format!("{provider}/{}", account.as_deref().unwrap_or(""))
                } else {
                    ids.iter()
                        .map(|v| v.clone().unwrap_or_default())
                        .collect::<Vec<_>>()
                        .join("/")
                };
                Mark {
                    id,
                    account,
                    status: next(),
                    expires_at: next(),
                    stamp: next(),
                    scopes: next(),
                }
            })
            .collect();
        marks.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(marks)
    }
}

/// The primary key columns of `table`, in key order (empty when it has none).
async fn primary_key(conn: &mut Connection, table: &str) -> Result<Vec<String>> {
    let sql = match conn.engine() {
        Engine::Postgres => format!(
            "SELECT CAST(a.attname AS TEXT) FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) WHERE i.indrelid = '{}'::regclass AND i.indisprimary ORDER BY array_position(CAST(i.indkey AS int2[]), a.attnum)",
            quote_ident(table).replace('\'', "''")
        ),
        Engine::Sqlite => format!(
            "SELECT name FROM pragma_table_info('{}') WHERE pk > 0 ORDER BY pk",
            table.replace('\'', "''")
        ),
    };
    Ok(conn
        .fetch_text(&sql)
        .await?
        .into_iter()
        .filter_map(|r| r.into_iter().next().flatten())
        .collect())
}
