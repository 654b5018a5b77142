//! Pure comparison of two environments' snapshots → findings. No I/O, no clock: the time
//! used for expiry is passed in. One engine for the window and `envdeck check`.

mod all;
mod config;
mod data;
mod integrations;
mod isolation;
mod jsondiff;
mod migrations;
pub mod parity;
pub mod reference;
mod schema;
mod schema_objects;
mod schema_sql;
pub mod sides;
mod workflows;

pub use all::{AreaOutcome, all, area};
pub use config::config;
pub use data::data;
pub use integrations::integrations;
pub use isolation::{IsolationInput, isolation};
pub use jsondiff::{diff_paths, normalise_workflow_definition};
pub use migrations::migrations;
pub use reference::reference_data;
pub use schema::schema;
pub use schema_sql::{definition as schema_definition, sql_script};
pub use sides::Sides;
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
    /// `[[tables]]`: ordinary rows (customers, their notes…) matched by natural key.
    Data,
    Config,
    Isolation,
}

impl Area {
    pub const ALL: [Area; 8] = [
        Area::Integrations,
        Area::Workflows,
        Area::Schema,
        Area::Migrations,
        Area::ReferenceData,
        Area::Data,
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
            Area::Data => "data",
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

/// What kind of difference a finding is. Serialized as the snake_case names the JSON
/// contract has always used (`missing`, `missing_table`, `shared_database`, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export_to = "FindingKind.ts")]
pub enum FindingKind {
    Missing,
    Extra,
    Changed,
    Inactive,
    Expired,
    Broken,
    MissingTable,
    ExtraTable,
    MissingColumn,
    ExtraColumn,
    ColumnType,
    MissingIndex,
    ExtraIndex,
    ChangedIndex,
    Pending,
    Unknown,
    MissingKey,
    ExtraKey,
    SharedDatabase,
    SharedBackend,
    LocalUrlInProtected,
    SameSecret,
    MissingExtension,
    ExtraExtension,
    ExtensionVersion,
    MissingEnum,
    ExtraEnum,
    EnumValues,
    MissingConstraint,
    ExtraConstraint,
    ChangedConstraint,
    MissingView,
    ExtraView,
    ChangedView,
    MissingFunction,
    ExtraFunction,
    ChangedFunction,
    MissingTrigger,
    ExtraTrigger,
    ChangedTrigger,
    RlsDisabled,
    MissingPolicy,
    ExtraPolicy,
    ChangedPolicy,
    Publication,
    /// A `[[tables]]` table's rows differ: the counts, the rows listed beside it.
    TableDrift,
}

impl FindingKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FindingKind::Missing => "missing",
            FindingKind::Extra => "extra",
            FindingKind::Changed => "changed",
            FindingKind::Inactive => "inactive",
            FindingKind::Expired => "expired",
            FindingKind::Broken => "broken",
            FindingKind::MissingTable => "missing_table",
            FindingKind::ExtraTable => "extra_table",
            FindingKind::MissingColumn => "missing_column",
            FindingKind::ExtraColumn => "extra_column",
            FindingKind::ColumnType => "column_type",
            FindingKind::MissingIndex => "missing_index",
            FindingKind::ExtraIndex => "extra_index",
            FindingKind::ChangedIndex => "changed_index",
            FindingKind::Pending => "pending",
            FindingKind::Unknown => "unknown",
            FindingKind::MissingKey => "missing_key",
            FindingKind::ExtraKey => "extra_key",
            FindingKind::SharedDatabase => "shared_database",
            FindingKind::SharedBackend => "shared_backend",
            FindingKind::LocalUrlInProtected => "local_url_in_protected",
            FindingKind::SameSecret => "same_secret",
            FindingKind::MissingExtension => "missing_extension",
            FindingKind::ExtraExtension => "extra_extension",
            FindingKind::ExtensionVersion => "extension_version",
            FindingKind::MissingEnum => "missing_enum",
            FindingKind::ExtraEnum => "extra_enum",
            FindingKind::EnumValues => "enum_values",
            FindingKind::MissingConstraint => "missing_constraint",
            FindingKind::ExtraConstraint => "extra_constraint",
            FindingKind::ChangedConstraint => "changed_constraint",
            FindingKind::MissingView => "missing_view",
            FindingKind::ExtraView => "extra_view",
            FindingKind::ChangedView => "changed_view",
            FindingKind::MissingFunction => "missing_function",
            FindingKind::ExtraFunction => "extra_function",
            FindingKind::ChangedFunction => "changed_function",
            FindingKind::MissingTrigger => "missing_trigger",
            FindingKind::ExtraTrigger => "extra_trigger",
            FindingKind::ChangedTrigger => "changed_trigger",
            FindingKind::RlsDisabled => "rls_disabled",
            FindingKind::MissingPolicy => "missing_policy",
            FindingKind::ExtraPolicy => "extra_policy",
            FindingKind::ChangedPolicy => "changed_policy",
            FindingKind::Publication => "publication",
            FindingKind::TableDrift => "table_drift",
        }
    }
}

impl std::fmt::Display for FindingKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One typed part of a finding's key. NULL is its own part, never the text "NULL".
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
#[ts(export_to = "KeyPart.ts")]
pub enum KeyPart {
    Text(String),
    /// A number, in one plain form (`1.0` and `1` are one key).
    Number(String),
    Null,
}

impl KeyPart {
    pub fn text(s: impl Into<String>) -> KeyPart {
        KeyPart::Text(s.into())
    }

    /// A value read from a database: numbers as numbers, bytes as their hex text.
    pub fn from_cell(c: &crate::connectors::Cell) -> KeyPart {
        use crate::connectors::Cell;
        match c {
            Cell::Null => KeyPart::Null,
            Cell::Int(_) | Cell::Num(_) => KeyPart::Number(c.to_text().unwrap_or_default()),
            Cell::Text(_) | Cell::Bytes(_) => KeyPart::Text(c.to_text().unwrap_or_default()),
        }
    }
}

/// A finding's key with its structure: what it is about (a table, for schema and
/// reference data) and the parts that identify it there. Parts may contain `/` or `.`:
/// nothing ever splits a key string back into parts.
#[derive(
    Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS,
)]
#[ts(export_to = "KeyParts.ts")]
pub struct KeyParts {
    pub subject: Option<String>,
    pub parts: Vec<KeyPart>,
}

impl KeyParts {
    /// A key that is one name (a variable, a migration, a provider).
    pub fn name(n: impl Into<String>) -> KeyParts {
        KeyParts {
            subject: None,
            parts: vec![KeyPart::Text(n.into())],
        }
    }

    pub fn of(subject: Option<&str>, parts: Vec<KeyPart>) -> KeyParts {
        KeyParts {
            subject: subject.map(str::to_string),
            parts,
        }
    }
}

/// One difference between `from` and `to`. Never carries a secret value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export_to = "Finding.ts")]
pub struct Finding {
    pub area: Area,
    pub kind: FindingKind,
    /// The key as one string, as the JSON contract has always had it.
    pub key: String,
    /// The same key with its structure (see [`KeyParts`]).
    pub key_parts: KeyParts,
    pub severity: Severity,
    pub detail: String,
    /// For schema findings: what would make `to` like `from`, as SQL the server itself
    /// deparsed (a suggestion: the fix is to run the project's migrations).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub sql: Option<String>,
}

impl Finding {
    /// A finding whose key is one name; [`Finding::with_parts`] gives it more structure.
    pub fn new(
        area: Area,
        kind: FindingKind,
        key: impl Into<String>,
        severity: Severity,
        detail: impl Into<String>,
    ) -> Self {
        let key = key.into();
        Finding {
            area,
            kind,
            key_parts: KeyParts::name(key.clone()),
            key,
            severity,
            detail: detail.into(),
            sql: None,
        }
    }

    pub fn with_sql(mut self, sql: impl Into<String>) -> Self {
        self.sql = Some(sql.into());
        self
    }

    /// A finding about `table` or one of its columns or indexes: key `table` or
    /// `table.part`, subject `table`.
    pub fn in_table(
        area: Area,
        kind: FindingKind,
        table: &str,
        part: Option<&str>,
        severity: Severity,
        detail: impl Into<String>,
    ) -> Self {
        let key = match part {
            Some(p) => format!("{table}.{p}"),
            None => table.to_string(),
        };
        Finding::new(area, kind, key, severity, detail).with_parts(KeyParts::of(
            Some(table),
            part.map(KeyPart::text).into_iter().collect(),
        ))
    }

    pub fn with_parts(mut self, parts: KeyParts) -> Self {
        self.key_parts = parts;
        self
    }
}

/// Sorts findings: most severe first, then by area, kind and key.
pub fn sort(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then(a.area.cmp(&b.area))
            .then(a.kind.as_str().cmp(b.kind.as_str()))
            .then(a.key.cmp(&b.key))
    });
}
