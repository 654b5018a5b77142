//! The guarded sync: the only code that writes to an environment's database. The plan is
//! pure (rows, remapped foreign keys, blockers, warnings, SQL, fingerprint); the apply
//! plans again inside its write transaction; the undo deletes exactly the journaled rows
//! still unchanged. Apply and undo are the only holders of the write permit.

pub mod apply;
mod index;
pub mod log_table;
mod permit;
pub mod plan;
mod render;
pub mod undo;
mod unique;
mod verify;
mod workflow;

pub use permit::WritePermit;
pub use plan::{Plan, Reviewed, Selection, Side, TableConf, plan};
