//! Numbers by value for keys: `1`, `1.0` and `0.1e1` are one key, whichever engine and
//! type they come from, in the order PostgreSQL sorts them.

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
}
