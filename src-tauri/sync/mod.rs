//! The guarded sync: the only code that writes to an environment's database. The plan is
//! pure (rows, remapped foreign keys, blockers, warnings, SQL, fingerprint); the apply
//! plans again inside its write transaction and is the only holder of the write permit
//! (the undo comes next).

pub mod apply;
mod permit;
pub mod plan;
mod render;

pub use permit::WritePermit;
pub use plan::{Plan, Selection, Side, TableConf, plan};
