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

/// `f` over `items` on two threads, results in order: a large plan's statements (megabytes
/// each) and its tables' keys (100,000s each) are independent pieces of CPU work, and the
/// machines envdeck runs on have at least two cores.
pub(crate) fn two_threads<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    if items.len() < 2 {
        return items.iter().map(&f).collect();
    }
    std::thread::scope(|s| {
        // Every other item each, so two large tables (or a table's chunks) split evenly.
        let odd = s.spawn(|| items.iter().skip(1).step_by(2).map(&f).collect::<Vec<R>>());
        let even: Vec<R> = items.iter().step_by(2).map(&f).collect();
        // A panic here is a bug either way (the release build aborts on one).
        let odd = odd.join().unwrap_or_else(|p| std::panic::resume_unwind(p));
        let mut out = Vec::with_capacity(items.len());
        let mut odd = odd.into_iter();
        for e in even {
            out.push(e);
            out.extend(odd.next());
        }
        out
    })
}

#[cfg(test)]
mod tests {
    /// Results come back in the items' order, for any count (a plan's statements run in
    /// the order of its spans).
    #[test]
    fn two_threads_keeps_the_order() {
        for n in 0..7 {
            let items: Vec<usize> = (0..n).collect();
            let out = super::two_threads(&items, |i| i * 10);
            assert_eq!(out, (0..n).map(|i| i * 10).collect::<Vec<_>>(), "{n} items");
        }
    }
}
