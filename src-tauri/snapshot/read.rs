//! One environment read once: everything a comparison needs, from one connection, into a
//! [`Snapshot`]. A part that cannot be read keeps its error, so the other parts (and the
//! other areas) still report.

use chrono::{DateTime, Utc};

use super::reference::RefTable;
use super::{EnvFile, IntegrationRow, Migrations, Schema, WorkflowRecord};
use crate::connectors::Connection;
use crate::error::Error;
use crate::workspace::{Environment, Workspace};

/// A part of a snapshot: what was read, or why it could not be.
pub type Part<T> = std::result::Result<T, Error>;

/// Which parts to read (the areas being compared decide).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Wanted {
    pub integrations: bool,
    pub workflows: bool,
    pub schema: bool,
    pub migrations: bool,
    pub reference: bool,
    /// `[[tables]]` (the `data` area).
    pub data: bool,
    pub env_file: bool,
    pub identity: bool,
}

impl Wanted {
    pub fn union(self, o: Wanted) -> Wanted {
        Wanted {
            integrations: self.integrations || o.integrations,
            workflows: self.workflows || o.workflows,
            schema: self.schema || o.schema,
            migrations: self.migrations || o.migrations,
            reference: self.reference || o.reference,
            data: self.data || o.data,
            env_file: self.env_file || o.env_file,
            identity: self.identity || o.identity,
        }
    }

    /// How many parts a read will report progress for.
    pub fn count(self) -> u64 {
        [
            self.integrations,
            self.workflows,
            self.schema,
            self.migrations,
            self.reference,
            self.data,
            self.env_file,
            self.identity,
        ]
        .iter()
        .filter(|b| **b)
        .count() as u64
    }
}

/// What one environment holds. `None` for a part that was not asked for.
#[derive(Debug)]
pub struct Snapshot {
    pub env: String,
    pub protected: bool,
    pub app_url: Option<String>,
    pub integrations: Option<Part<Vec<IntegrationRow>>>,
    pub workflows: Option<Part<Vec<WorkflowRecord>>>,
    pub schema: Option<Part<Schema>>,
    pub migrations: Option<Part<Option<Migrations>>>,
    /// Every `[[reference_data]]` table, in workspace order.
    pub reference: Option<Part<Vec<RefTable>>>,
    /// Every `[[tables]]` table, in workspace order (foreign keys to configured tables read
    /// through their parent's natural key).
    pub data: Option<Part<Vec<RefTable>>>,
    /// Whether the workspace gives this environment an env file at all.
    pub env_file_configured: bool,
    pub env_file: Option<Part<EnvFile>>,
    /// Which database this is, however its URL was written (see [`super::identity`]).
    pub identity: Option<Part<String>>,
}

/// Reads `wanted` of `env` on `conn` (one connection for everything), then closes it.
/// When the connection could not be opened, every database part carries that error.
/// `tick` is called once per part read.
pub async fn read(
    conn: Part<Connection>,
    ws: &Workspace,
    env: &Environment,
    wanted: Wanted,
    now: DateTime<Utc>,
    tick: &(dyn Fn() + Send + Sync),
) -> Snapshot {
    let mut s = Snapshot {
        env: env.name.clone(),
        protected: env.protected,
        app_url: env.app_url.clone(),
        integrations: None,
        workflows: None,
        schema: None,
        migrations: None,
        reference: None,
        data: None,
        env_file_configured: env.env_file.is_some(),
        env_file: None,
        identity: None,
    };
    if wanted.env_file {
        if let Some(p) = &env.env_file {
            s.env_file = Some(super::env_file(p));
        }
        tick();
    }
    let mut conn = match conn {
        Ok(c) => c,
        Err(e) => {
            fn err<T>(e: &Error) -> Option<Part<T>> {
                Some(Err(e.clone()))
            }
            if wanted.integrations {
                s.integrations = err(&e);
            }
            if wanted.workflows {
                s.workflows = err(&e);
            }
            if wanted.schema {
                s.schema = err(&e);
            }
            if wanted.migrations {
                s.migrations = err(&e);
            }
            if wanted.reference {
                s.reference = err(&e);
            }
            if wanted.data {
                s.data = err(&e);
            }
            if wanted.identity {
                s.identity = err(&e);
            }
            for _ in 0..wanted.count() - u64::from(wanted.env_file) {
                tick();
            }
            return s;
        }
    };
    let c = &mut conn;
    if wanted.identity {
        s.identity = Some(super::identity(c).await);
        tick();
    }
    if wanted.integrations {
        s.integrations = Some(super::integrations(c, &ws.integrations, now).await);
        tick();
    }
    if wanted.workflows {
        s.workflows =
            Some(super::workflow_records(c, &ws.workflows, &ws.integrations.secret_columns).await);
        tick();
    }
    if wanted.schema {
        s.schema = Some(super::schema(c, &ws.schemas).await);
        tick();
    }
    if wanted.migrations {
        s.migrations = Some(super::migrations(c).await);
        tick();
    }
    if wanted.reference {
        let mut tables = Vec::new();
        let mut failed = None;
        for r in &ws.reference_data {
            match super::reference::reference_table(c, r, &ws.integrations.secret_columns).await {
                Ok(t) => tables.push(t),
                Err(e) => {
                    failed = Some(e);
                    break;
                }
            }
        }
        s.reference = Some(match failed {
            Some(e) => Err(e),
            None => Ok(tables),
        });
        tick();
    }
    if wanted.data {
        let mut tables = Vec::new();
        let mut failed = None;
        for t in &ws.tables {
            match super::data_table(c, ws, t).await {
                Ok(t) => tables.push(t),
                Err(e) => {
                    failed = Some(e);
                    break;
                }
            }
        }
        s.data = Some(match failed {
            Some(e) => Err(e),
            None => Ok(tables),
        });
        tick();
    }
    conn.close().await;
    s
}
