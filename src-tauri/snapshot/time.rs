//! Timestamps as databases write them, normalised to RFC 3339 UTC.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};

/// Parses the usual shapes: RFC 3339, Postgres' text form (`2026-11-20 09:00:00.123+00`),
/// naive `YYYY-MM-DD HH:MM:SS` (taken as UTC), a date, or Unix seconds / milliseconds.
pub fn parse_timestamp(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    for f in [
        "%Y-%m-%d %H:%M:%S%.f%#z",
        "%Y-%m-%d %H:%M:%S%#z",
        "%Y-%m-%dT%H:%M:%S%.f%#z",
    ] {
        if let Ok(t) = DateTime::parse_from_str(s, f) {
            return Some(t.with_timezone(&Utc));
        }
    }
    for f in [
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, f) {
            return Some(t.and_utc());
        }
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return d.and_hms_opt(0, 0, 0).map(|t| t.and_utc());
    }
    if let Ok(n) = s.parse::<i64>() {
        // Milliseconds when the number is too large to be seconds before year 5000.
        let secs = if n > 95_617_584_000 { n / 1000 } else { n };
        return DateTime::from_timestamp(secs, 0);
    }
    None
}

/// RFC 3339 UTC with second precision, or the raw text when it does not parse.
pub fn normalise(s: Option<String>) -> Option<String> {
    s.map(|raw| match parse_timestamp(&raw) {
        Some(t) => t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        None => raw,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_timestamp_shapes_parse_to_the_same_instant() {
        let want = parse_timestamp("2026-11-20T09:00:00Z").unwrap();
        for s in [
            "2026-11-20 09:00:00+00",
            "2026-11-20 09:00:00.000+00",
            "2026-11-20 10:00:00+01:00",
            "2026-11-20 09:00:00",
            "2026-11-20T09:00:00.000Z",
            "1795165200",
        ] {
            assert_eq!(parse_timestamp(s), Some(want), "{s}");
        }
        assert_eq!(parse_timestamp("soon"), None);
    }
}
