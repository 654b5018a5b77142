//! Pure comparison of two environments' snapshots → findings. No I/O, no clock: the time
//! used for expiry is passed in. One engine for the window and `envdeck check`.

mod config;
mod integrations;
mod isolation;
mod jsondiff;
mod migrations;
mod schema;
mod workflows;

pub use config::config;
pub use integrations::{integrations, parity_state};
pub use isolation::{IsolationInput, isolation};
pub use jsondiff::{diff_paths, normalise_workflow_definition};
pub use migrations::migrations;
pub use schema::schema;
pub use workflows::workflows;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The areas a comparison covers, in the order people read them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export_to = "Area.ts")]
pub enum Area {
    Integrations,
    Workflows,
    Schema,
    Migrations,
    ReferenceData,
    Config,
    Isolation,
}

impl Area {
    pub const ALL: [Area; 7] = [
        Area::Integrations,
        Area::Workflows,
        Area::Schema,
        Area::Migrations,
        Area::ReferenceData,
        Area::Config,
        Area::Isolation,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Area::Integrations => "integrations",
            Area::Workflows => "workflows",
            Area::Schema => "schema",
            Area::Migrations => "migrations",
            Area::ReferenceData => "reference_data",
            Area::Config => "config",
            Area::Isolation => "isolation",
        }
    }

    pub fn parse(s: &str) -> Option<Area> {
        Area::ALL.into_iter().find(|a| a.as_str() == s)
    }
}

impl std::fmt::Display for Area {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How much a finding matters. `info` is reported but does not fail `envdeck check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export_to = "Severity.ts")]
pub enum Severity {
    Info,
    Warning,
    Critical,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Critical => "critical",
        }
    }
}

/// One difference between `from` and `to`. Never carries a secret value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export_to = "Finding.ts")]
pub struct Finding {
    pub area: Area,
    pub kind: String,
    pub key: String,
    pub severity: Severity,
    pub detail: String,
}

impl Finding {
    pub fn new(
        area: Area,
        kind: &str,
        key: impl Into<String>,
        severity: Severity,
        detail: impl Into<String>,
    ) -> Self {
        Finding {
            area,
            kind: kind.to_string(),
            key: key.into(),
            severity,
            detail: detail.into(),
        }
    }
}

/// Sorts findings: most severe first, then by area, kind and key.
pub fn sort(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then(a.area.cmp(&b.area))
            .then(a.kind.cmp(&b.kind))
            .then(a.key.cmp(&b.key))
    });
}
