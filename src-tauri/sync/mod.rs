//! The guarded sync: the only code that writes to an environment's database. For now it
//! holds the write permit; the plan, the guard, the apply, the journal and the undo arrive
//! with it.

mod permit;

pub use permit::WritePermit;
