//! The merge of two key-ordered row streams. Rows with equal keys form a group (NULL keys
//! group together); a group of more than one row means the key is not unique on that side,
//! which is an error: pairing such rows would be a guess. Equal keys on both sides are the
//! same row, `changed` when their hashes differ; the rest are `only_in_a` / `only_in_b`.

use std::hash::{DefaultHasher, Hash, Hasher};

use futures::{Stream, StreamExt};

use super::DiffKind;
use crate::connectors::Cell;
use crate::error::{Error, Result};
use crate::progress::{Cancel, Progress};

/// A row as the merge sees it: its key and a hash of its compared columns.
pub(super) struct KeyedRow {
    key: Vec<Cell>,
    hash: u64,
}

/// Splits a scanned row into key cells and a hash: the database's hash when it sent one
/// (a single Int after the key), else a hash of the text columns.
pub(super) fn split(mut row: Vec<Cell>, nk: usize) -> KeyedRow {
    let rest = row.split_off(nk);
    let hash = match rest.as_slice() {
        [Cell::Int(h)] => *h as u64,
        cols => {
            let mut h = DefaultHasher::new();
            cols.hash(&mut h);
            h.finish()
        }
    };
    KeyedRow { key: row, hash }
}

pub(super) struct Listed {
    pub kind: DiffKind,
    pub key: Vec<Cell>,
    pub columns: Vec<String>,
}

pub(super) struct Merged {
    pub only_in_a: u64,
    pub only_in_b: u64,
    pub changed: u64,
    pub rows_a: u64,
    pub rows_b: u64,
    pub rows: Vec<Listed>,
}

/// Reads the next group of equal-key rows from a peekable stream; more than one row is an
/// error naming the key and `side`.
async fn next_group<S>(
    s: &mut std::pin::Pin<&mut futures::stream::Peekable<S>>,
    side: &str,
) -> Result<Vec<KeyedRow>>
where
    S: Stream<Item = Result<KeyedRow>>,
{
    let mut group: Vec<KeyedRow> = Vec::new();
    loop {
        let same = match s.as_mut().peek().await {
            None => break,
            Some(Err(_)) => true,
            Some(Ok(r)) => group.first().is_none_or(|g| g.key == r.key),
        };
        if !same {
            break;
        }
        match s.next().await {
            Some(Ok(r)) => group.push(r),
            Some(Err(e)) => return Err(e),
            None => break,
        }
    }
    if let [first, _, ..] = group.as_slice() {
        return Err(not_unique(&first.key, group.len(), side));
    }
    Ok(group)
}

fn not_unique(key: &[Cell], n: usize, side: &str) -> Error {
    let key = key
        .iter()
        .map(|c| c.to_text().unwrap_or_else(|| "NULL".into()))
        .collect::<Vec<_>>()
        .join("/");
    let mut shown: String = key.chars().take(100).collect();
    if shown.len() < key.len() {
        shown.push('…');
    }
    Error::invalid_input(format!(
        "key `{}` appears {n} times in {side}: choose a unique key",
        shown.escape_debug()
    ))
}

pub(super) async fn merge<A, B>(
    a: A,
    b: B,
    cap: usize,
    labels: &[String; 2],
    progress: &dyn Progress,
    cancel: &Cancel,
) -> Result<Merged>
where
    A: Stream<Item = Result<KeyedRow>>,
    B: Stream<Item = Result<KeyedRow>>,
{
    let a = a.peekable();
    let b = b.peekable();
    futures::pin_mut!(a);
    futures::pin_mut!(b);
    let mut m = Merged {
        only_in_a: 0,
        only_in_b: 0,
        changed: 0,
        rows_a: 0,
        rows_b: 0,
        rows: Vec::new(),
    };
    let list = |m: &mut Merged, kind: DiffKind, key: &[Cell]| {
        if m.rows.len() < cap {
            m.rows.push(Listed {
                kind,
                key: key.to_vec(),
                columns: Vec::new(),
            });
        }
    };
    let mut ga = next_group(&mut a, &labels[0]).await?;
    let mut gb = next_group(&mut b, &labels[1]).await?;
    let mut since_report = 0u64;
    while !ga.is_empty() || !gb.is_empty() {
        let ord = match (ga.first(), gb.first()) {
            (Some(x), Some(y)) => x.key.cmp(&y.key),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, _) => std::cmp::Ordering::Greater,
        };
        let (na, nb) = (ga.len() as u64, gb.len() as u64);
        match ord {
            std::cmp::Ordering::Less => {
                for r in &ga {
                    m.only_in_a += 1;
                    list(&mut m, DiffKind::OnlyInA, &r.key);
                }
                m.rows_a += na;
                ga = next_group(&mut a, &labels[0]).await?;
            }
            std::cmp::Ordering::Greater => {
                for r in &gb {
                    m.only_in_b += 1;
                    list(&mut m, DiffKind::OnlyInB, &r.key);
                }
                m.rows_b += nb;
                gb = next_group(&mut b, &labels[1]).await?;
            }
            std::cmp::Ordering::Equal => {
                // Keys are unique (see `next_group`): equal hashes are the same row, else `changed`.
                let mut rest_b: Vec<&KeyedRow> = gb.iter().collect();
                let mut rest_a: Vec<&KeyedRow> = Vec::new();
                for r in &ga {
                    match rest_b.iter().position(|x| x.hash == r.hash) {
                        Some(i) => {
                            rest_b.swap_remove(i);
                        }
                        None => rest_a.push(r),
                    }
                }
                let paired = rest_a.len().min(rest_b.len());
                for r in rest_a.iter().take(paired) {
                    m.changed += 1;
                    list(&mut m, DiffKind::Changed, &r.key);
                }
                for r in rest_a.iter().skip(paired) {
                    m.only_in_a += 1;
                    list(&mut m, DiffKind::OnlyInA, &r.key);
                }
                for r in rest_b.iter().skip(paired) {
                    m.only_in_b += 1;
                    list(&mut m, DiffKind::OnlyInB, &r.key);
                }
                m.rows_a += na;
                m.rows_b += nb;
                ga = next_group(&mut a, &labels[0]).await?;
                gb = next_group(&mut b, &labels[1]).await?;
            }
        }
        since_report += na.max(1);
        if since_report >= 8192 {
            since_report = 0;
            cancel.check()?;
            progress.advance(m.rows_a + m.rows_b);
        }
    }
    progress.advance(m.rows_a + m.rows_b);
    Ok(m)
}
