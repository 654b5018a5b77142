//! The guarded sync: the only code that writes to an environment's database. The plan is
//! pure (rows, remapped foreign keys, blockers, warnings, SQL, fingerprint); the guard, the
//! apply, the journal and the undo come next, and only they may hold the write permit.

mod permit;
pub mod plan;
mod render;

pub use permit::WritePermit;
pub use plan::{Plan, Selection, Side, TableConf, plan};
