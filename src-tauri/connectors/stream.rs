//! Typed row streams and key lookups for the table diff: rows arrive one at a time so
//! memory stays flat however large the table.

use futures::StreamExt;
use futures::stream::BoxStream;
use sqlx::Row;

use super::{Connection, Inner};
use crate::error::Result;

/// How to decode one selected column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellKind {
    Int,
    /// A number compared by value (`1.0` = `1`), from text (PostgreSQL) or the stored
    /// integer / real (SQLite).
    Num,
    /// Text, or bytes when they are not UTF-8 (SQLite BLOBs and raw text).
    Text,
}

/// One decoded value. NULL sorts after everything (queries say `NULLS LAST`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Cell {
    Int(i64),
    Num(Num),
    Text(String),
    /// Bytes that are not valid UTF-8 (valid UTF-8 is always `Text`: see [`Cell::from_bytes`]).
    Bytes(Vec<u8>),
    Null,
}

impl Cell {
    /// `Text` when `b` is UTF-8, else `Bytes`, so equal bytes always make equal cells.
    pub fn from_bytes(b: Vec<u8>) -> Cell {
        match String::from_utf8(b) {
            Ok(s) => Cell::Text(s),
            Err(e) => Cell::Bytes(e.into_bytes()),
        }
    }

    pub fn to_text(&self) -> Option<String> {
        match self {
            Cell::Int(i) => Some(i.to_string()),
            Cell::Num(n) => Some(n.to_string()),
            Cell::Text(s) => Some(s.clone()),
            Cell::Bytes(b) => Some(hex(b)),
            Cell::Null => None,
        }
    }

    fn bytes(&self) -> Option<&[u8]> {
        match self {
            Cell::Text(s) => Some(s.as_bytes()),
            Cell::Bytes(b) => Some(b),
            _ => None,
        }
    }

    fn rank(&self) -> u8 {
        match self {
            Cell::Int(_) => 0,
            Cell::Num(_) => 1,
            Cell::Text(_) | Cell::Bytes(_) => 2,
            Cell::Null => 3,
        }
    }
}

/// Bytes as an SQL hex literal: `x'00ff'`.
pub fn hex(b: &[u8]) -> String {
    let mut s = String::with_capacity(3 + 2 * b.len());
    s.push_str("x'");
    for x in b {
        s.push_str(&format!("{x:02x}"));
    }
    s.push('\'');
    s
}

impl PartialOrd for Cell {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Cell {
    /// Integers and numbers by value, text and bytes by bytes (Postgres `COLLATE "C"`,
    /// SQLite `BINARY`), NULL last.
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        match (self, other) {
            (Cell::Int(a), Cell::Int(b)) => a.cmp(b),
            (Cell::Num(a), Cell::Num(b)) => a.cmp(b),
            _ => match (self.bytes(), other.bytes()) {
                (Some(a), Some(b)) => a.cmp(b),
                _ => self.rank().cmp(&other.rank()),
            },
        }
    }
}

/// A number by value, in the order PostgreSQL sorts `numeric` and `float8`:
/// -Infinity < finite < Infinity < NaN. `1`, `1.0` and `0.1e1` are one `Num`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Num {
    NegInf,
    /// `±0.DIGITS × 10^exp`; `digits` has no leading or trailing zeros (empty for zero,
    /// which is never negative).
    Finite {
        neg: bool,
        digits: String,
        exp: i64,
    },
    PosInf,
    NaN,
}

impl Num {
    /// Parses decimal text as PostgreSQL and SQLite print it (`-1.50`, `1e+20`, `1.0e+20`,
    /// `NaN`, `Infinity`, `Inf`). `None` when it is not a number.
    pub fn parse(text: &str) -> Option<Num> {
        let t = text.trim();
        let (neg, body) = match t.as_bytes().first()? {
            b'-' => (true, &t[1..]),
            b'+' => (false, &t[1..]),
            _ => (false, t),
        };
        let lower = body.to_ascii_lowercase();
        match lower.as_str() {
            "nan" => return Some(Num::NaN),
            "inf" | "infinity" => return Some(if neg { Num::NegInf } else { Num::PosInf }),
            _ => {}
        }
        let (mantissa, exp) = match lower.find('e') {
            Some(i) => (&lower[..i], parse_exp(&lower[i + 1..])?),
            None => (lower.as_str(), 0),
        };
        let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        if int.is_empty() && frac.is_empty()
            || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit())
        {
            return None;
        }
        let all = format!("{int}{frac}");
        let lead = all.len() - all.trim_start_matches('0').len();
        let digits = all
            .trim_start_matches('0')
            .trim_end_matches('0')
            .to_string();
        if digits.is_empty() {
            return Some(Num::Finite {
                neg: false,
                digits,
                exp: 0,
            });
        }
        let exp = exp.saturating_add(int.len() as i64 - lead as i64);
        Some(Num::Finite { neg, digits, exp })
    }

    pub fn from_f64(f: f64) -> Num {
        if f.is_nan() {
            Num::NaN
        } else if f.is_infinite() {
            if f < 0.0 { Num::NegInf } else { Num::PosInf }
        } else {
            // `{:e}` is the shortest text that reads back as `f`, as PostgreSQL prints it.
            Num::parse(&format!("{f:e}")).unwrap_or(Num::NaN)
        }
    }

    pub fn from_i64(i: i64) -> Num {
        Num::parse(&i.to_string()).unwrap_or(Num::NaN)
    }
}

/// An exponent, clamped far beyond any real value so huge ones still order right.
fn parse_exp(s: &str) -> Option<i64> {
    let (neg, d) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    if d.is_empty() || !d.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let v = d.parse::<i64>().unwrap_or(i64::MAX).min(1 << 40);
    Some(if neg { -v } else { v })
}

impl PartialOrd for Num {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Num {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        let rank = |n: &Num| match n {
            Num::NegInf => 0,
            Num::Finite { .. } => 1,
            Num::PosInf => 2,
            Num::NaN => 3,
        };
        match (self, other) {
            (
                Num::Finite {
                    neg: na,
                    digits: da,
                    exp: ea,
                },
                Num::Finite {
                    neg: nb,
                    digits: db,
                    exp: eb,
                },
            ) => {
                let sign = |neg: bool, d: &str| match (neg, d.is_empty()) {
                    (_, true) => 0,
                    (true, _) => -1,
                    (false, _) => 1,
                };
                let (sa, sb) = (sign(*na, da), sign(*nb, db));
                if sa != sb || sa == 0 {
                    return sa.cmp(&sb);
                }
                // Same sign: no trailing zeros, so digit strings order like the values.
                let mag = ea.cmp(eb).then_with(|| da.cmp(db));
                if sa < 0 { mag.reverse() } else { mag }
            }
            _ => rank(self).cmp(&rank(other)),
        }
    }
}

impl std::fmt::Display for Num {
    /// Plain decimals (`2.5`, `100`, `0.001`); scientific only for far exponents (`1e+40`).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (neg, digits, exp) = match self {
            Num::NaN => return f.write_str("NaN"),
            Num::PosInf => return f.write_str("Infinity"),
            Num::NegInf => return f.write_str("-Infinity"),
            Num::Finite { neg, digits, exp } => (*neg, digits.as_str(), *exp),
        };
        if digits.is_empty() {
            return f.write_str("0");
        }
        if neg {
            f.write_str("-")?;
        }
        let n = digits.len() as i64;
        if (-6..=0).contains(&exp) {
            write!(f, "0.{}{digits}", "0".repeat((-exp) as usize))
        } else if exp > 0 && exp <= 30 {
            if exp >= n {
                write!(f, "{digits}{}", "0".repeat((exp - n) as usize))
            } else {
                write!(f, "{}.{}", &digits[..exp as usize], &digits[exp as usize..])
            }
        } else {
            let (first, rest) = digits.split_at(1);
            let dot = if rest.is_empty() { "" } else { "." };
            let e = exp - 1;
            write!(f, "{first}{dot}{rest}e{}{e}", if e < 0 { "" } else { "+" })
        }
    }
}

fn is_sqlite<R: Row>() -> bool {
    <R::Database as sqlx::Database>::NAME == "SQLite"
}

/// The stored type of a SQLite value (`INTEGER`, `REAL`, `TEXT`, `BLOB`).
fn value_type<R: Row>(r: &R, i: usize) -> std::result::Result<Option<String>, sqlx::Error>
where
    usize: sqlx::ColumnIndex<R>,
{
    use sqlx::{TypeInfo, ValueRef};
    let v = r.try_get_raw(i)?;
    Ok((!v.is_null()).then(|| v.type_info().name().to_string()))
}

fn decode<R: Row>(r: &R, kinds: &[CellKind]) -> std::result::Result<Vec<Cell>, sqlx::Error>
where
    usize: sqlx::ColumnIndex<R>,
    for<'a> Option<String>: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> Option<i64>: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> i64: sqlx::Decode<'a, R::Database>,
    for<'a> f64: sqlx::Decode<'a, R::Database>,
    for<'a> Vec<u8>: sqlx::Decode<'a, R::Database>,
{
    kinds
        .iter()
        .enumerate()
        .map(|(i, k)| {
            let Some(ty) = value_type(r, i)? else {
                return Ok(Cell::Null);
            };
            Ok(match (k, is_sqlite::<R>()) {
                (CellKind::Int, _) => r
                    .try_get::<Option<i64>, _>(i)?
                    .map(Cell::Int)
                    .unwrap_or(Cell::Null),
                // SQLite: by the stored value, as SQLite orders it (numbers, then text).
                (CellKind::Num, true) => match ty.as_str() {
                    "INTEGER" => Cell::Num(Num::from_i64(r.try_get_unchecked::<i64, _>(i)?)),
                    "REAL" => Cell::Num(Num::from_f64(r.try_get_unchecked::<f64, _>(i)?)),
                    _ => Cell::from_bytes(r.try_get_unchecked::<Vec<u8>, _>(i)?),
                },
                (CellKind::Num, false) => {
                    let s: String = r.try_get::<Option<String>, _>(i)?.unwrap_or_default();
                    Num::parse(&s).map(Cell::Num).unwrap_or(Cell::Text(s))
                }
                (CellKind::Text, true) => Cell::from_bytes(r.try_get_unchecked::<Vec<u8>, _>(i)?),
                (CellKind::Text, false) => r
                    .try_get::<Option<String>, _>(i)?
                    .map(Cell::Text)
                    .unwrap_or(Cell::Null),
            })
        })
        .collect()
}

/// Every column of a row as text; a column that is not text is an error, never a panic.
/// SQLite values are read as stored: numbers print as numbers, and text or BLOBs that are
/// not UTF-8 print as hex (`x'00ff'`) instead of failing the query.
pub(super) fn text_row<R: Row>(r: &R) -> std::result::Result<Vec<Option<String>>, sqlx::Error>
where
    usize: sqlx::ColumnIndex<R>,
    for<'a> Option<String>: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> i64: sqlx::Decode<'a, R::Database>,
    for<'a> f64: sqlx::Decode<'a, R::Database>,
    for<'a> Vec<u8>: sqlx::Decode<'a, R::Database>,
{
    (0..r.len())
        .map(|i| {
            if !is_sqlite::<R>() {
                return r.try_get::<Option<String>, _>(i);
            }
            Ok(match value_type(r, i)?.as_deref() {
                None => None,
                Some("INTEGER") => Some(r.try_get_unchecked::<i64, _>(i)?.to_string()),
                Some("REAL") => Some(r.try_get_unchecked::<f64, _>(i)?.to_string()),
                Some(_) => Cell::from_bytes(r.try_get_unchecked::<Vec<u8>, _>(i)?).to_text(),
            })
        })
        .collect()
}

impl Connection {
    /// Streams `sql`'s rows decoded as `kinds`.
    pub fn stream(
        &mut self,
        sql: String,
        kinds: Vec<CellKind>,
    ) -> BoxStream<'_, Result<Vec<Cell>>> {
        let display = self.display.clone();
        let fragments = self.fragments.clone();
        let err = move |e| super::errors::map(e, &display, &fragments);
        on_engine!(&mut self.inner, c => sqlx::query(sqlx::AssertSqlSafe(sql))
            .fetch(c)
            .map(move |r| r.and_then(|r| decode(&r, &kinds)).map_err(&err))
            .boxed())
    }

    /// `(column, declared type)` of `table`, in table order; empty when it does not exist.
    pub async fn column_types(&mut self, table: &str) -> Result<Vec<(String, String)>> {
        let sql = match self.engine() {
            super::Engine::Postgres => format!(
                "SELECT CAST(attname AS TEXT), format_type(atttypid, atttypmod) FROM pg_attribute
                 WHERE attrelid = to_regclass('{}') AND attnum > 0 AND NOT attisdropped ORDER BY attnum",
                super::quote_ident(table).replace('\'', "''")
            ),
            super::Engine::Sqlite => format!(
                "SELECT name, type FROM pragma_table_info('{}') ORDER BY cid",
                table.replace('\'', "''")
            ),
        };
        Ok(self
            .fetch_text(&sql)
            .await?
            .into_iter()
            .map(|r| {
                (
                    r[0].clone().unwrap_or_default(),
                    r[1].clone().unwrap_or_default(),
                )
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> Num {
        Num::parse(s).unwrap_or_else(|| panic!("{s} is a number"))
    }

    #[test]
    fn numbers_equal_by_value_whatever_their_spelling() {
        assert_eq!(n("1.0"), n("1"));
        assert_eq!(n("2.50"), n("2.5"));
        assert_eq!(n("1e+20"), n("100000000000000000000"));
        assert_eq!(n("1.0e+20"), n("1e20"));
        assert_eq!(n("-0"), n("0.000"));
        assert_eq!(Num::from_f64(0.1), n("0.1"));
        assert_eq!(Num::from_f64(9.0), n("9"));
        assert_eq!(Num::from_f64(1e20), n("1e+20"));
        assert_eq!(Num::from_f64(f64::INFINITY), n("Infinity"));
        assert_eq!(Num::from_f64(f64::NEG_INFINITY), n("-Inf"));
        assert_eq!(Num::from_f64(f64::NAN), n("NaN"));
        assert_eq!(Num::from_i64(-3), n("-3.000"));
        assert!(Num::parse("abc").is_none() && Num::parse("").is_none());
        assert!(Num::parse(".").is_none() && Num::parse("1e").is_none());
    }

    #[test]
    fn numbers_order_as_postgres_sorts_them() {
        let sorted = [
            "-Infinity",
            "-1e30",
            "-10",
            "-9",
            "-0.5",
            "0",
            "0.001",
            "0.1",
            "1",
            "2.5",
            "9",
            "10",
            "1e20",
            "1e999999999999",
            "Infinity",
            "NaN",
        ];
        for w in sorted.windows(2) {
            assert!(n(w[0]) < n(w[1]), "{} < {}", w[0], w[1]);
        }
    }

    #[test]
    fn numbers_print_in_one_plain_form() {
        for (t, want) in [
            ("2.50", "2.5"),
            ("1e+20", "100000000000000000000"),
            ("0.0001", "0.0001"),
            ("-1.5e-9", "-1.5e-9"),
            ("1e40", "1e+40"),
            ("10", "10"),
            ("NaN", "NaN"),
        ] {
            assert_eq!(n(t).to_string(), want);
        }
    }

    #[test]
    fn text_and_bytes_order_by_bytes_and_print_bytes_as_hex() {
        let (t, b) = (
            Cell::from_bytes(b"a".to_vec()),
            Cell::from_bytes(vec![0xc3]),
        );
        assert_eq!(t, Cell::Text("a".into()));
        assert!(t < b && b < Cell::Null);
        assert_eq!(
            Cell::from_bytes(vec![0, 0xff]).to_text().unwrap(),
            "x'00ff'"
        );
    }
}
