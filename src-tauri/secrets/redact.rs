//! Text that may quote a person's value (a serde message, a name echoed back), made safe to
//! print: the password of every URL in it masked, and long values cut. Every [`Error`]
//! message goes through [`message`], so a value quoted by any layer is covered.
//!
//! [`Error`]: crate::error::Error

/// How many characters of a quoted value are shown.
pub const QUOTE_LIMIT: usize = 100;
/// How long an unbroken run of text (a key path, a file name) may be before it is cut.
const RUN_LIMIT: usize = 300;

/// `s` cut to `limit` characters, with a note saying how long it really was.
pub fn clip(s: &str, limit: usize) -> String {
    match s.char_indices().nth(limit) {
        None => s.to_string(),
        Some((cut, _)) => format!("{}… ({} characters)", &s[..cut], s.chars().count()),
    }
}

/// A value as it may appear quoted in a message: passwords masked, cut to [`QUOTE_LIMIT`].
pub fn quote(value: &str) -> String {
    format!("{:?}", clip(&mask_urls_in_text(value), QUOTE_LIMIT))
}

/// A whole message made safe: URL passwords masked, quoted values and very long unbroken
/// runs cut.
pub fn message(text: &str) -> String {
    let masked = mask_urls_in_text(text);
    clip_runs(&clip_quoted(&masked))
}

/// Masks `user:password@` in every `scheme://…` inside `text`, and `password=…` values.
pub fn mask_urls_in_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("://") {
        // The scheme runs back over letters, digits, '+', '-' and '.'.
        let scheme_start = rest[..i]
            .char_indices()
            .rev()
            .take_while(|(_, c)| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
            .last()
            .map(|(j, _)| j)
            .unwrap_or(i);
        let after = i + 3;
        let end = rest[after..]
            .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '`'))
            .map(|e| after + e)
            .unwrap_or(rest.len());
        out.push_str(&rest[..scheme_start]);
        if scheme_start == i {
            // "://" with no scheme before it: not a URL, copy it through.
            out.push_str(&rest[i..after]);
            rest = &rest[after..];
            continue;
        }
        out.push_str(&mask_one(&rest[scheme_start..end], after - scheme_start));
        rest = &rest[end..];
    }
    out.push_str(rest);
    mask_password_params(&out)
}

/// `token` is one URL; `auth` is where its authority starts.
fn mask_one(token: &str, auth: usize) -> String {
    // Userinfo ends at the last '@' before the query or fragment: passwords people type
    // unencoded may hold '/', ':' or '@'.
    let stop = token[auth..]
        .find(['?', '#'])
        .map(|p| auth + p)
        .unwrap_or(token.len());
    let Some(at) = token[auth..stop].rfind('@').map(|p| auth + p) else {
        return token.to_string();
    };
    let userinfo = &token[auth..at];
    match userinfo.find(':') {
        Some(colon) => format!(
            "{}{}:****{}",
            &token[..auth],
            &userinfo[..colon],
            &token[at..]
        ),
        None => token.to_string(),
    }
}

/// `password=…` / `sslpassword=…` values (URL query, libpq key=value strings).
fn mask_password_params(text: &str) -> String {
    let lower = text.to_ascii_lowercase();
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    while let Some(p) = lower[pos..].find("password=") {
        let start = pos + p + "password=".len();
        let end = text[start..]
            .find(|c: char| c.is_whitespace() || matches!(c, '&' | '"' | '\'' | '`'))
            .map(|e| start + e)
            .unwrap_or(text.len());
        out.push_str(&text[pos..start]);
        if end > start {
            out.push_str("****");
        }
        pos = end;
    }
    out.push_str(&text[pos..]);
    out
}

/// Replaces the value of every secret-looking field of a JSON value (a workflow definition,
/// a reference row) with `<redacted>`, at any depth, before it is shown.
pub fn json(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, val) in m.iter_mut() {
                if super::looks_secret(k) && !val.is_object() && !val.is_array() && !val.is_null() {
                    *val = serde_json::Value::String("<redacted>".into());
                } else {
                    json(val);
                }
            }
        }
        serde_json::Value::Array(a) => a.iter_mut().for_each(json),
        _ => {}
    }
}

/// Cuts every `"…"` segment longer than [`QUOTE_LIMIT`].
fn clip_quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(4096));
    let mut rest = text;
    while let Some(open) = rest.find('"') {
        out.push_str(&rest[..=open]);
        let body = &rest[open + 1..];
        // The closing quote is the next one not escaped by a backslash.
        let mut close = None;
        let mut escaped = false;
        for (j, c) in body.char_indices() {
            match c {
                '\\' if !escaped => escaped = true,
                '"' if !escaped => {
                    close = Some(j);
                    break;
                }
                _ => escaped = false,
            }
        }
        match close {
            Some(j) => {
                out.push_str(&clip(&body[..j], QUOTE_LIMIT));
                out.push('"');
                rest = &body[j + 1..];
            }
            None => {
                out.push_str(&clip(body, QUOTE_LIMIT));
                return out;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Cuts every whitespace-free run longer than [`RUN_LIMIT`] (a 10 MB key echoed back).
fn clip_runs(text: &str) -> String {
    if text.len() <= RUN_LIMIT {
        return text.to_string();
    }
    let mut out = String::new();
    let mut run_start = 0;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        if c.is_whitespace() {
            out.push_str(&clip(&text[run_start..i], RUN_LIMIT));
            if i < text.len() {
                out.push(c);
            }
            run_start = i + c.len_utf8();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_passwords_are_masked_anywhere_in_a_message() {
        let m = message(
            r#"invalid type: string "postgres://app:s3cr/et@db.acme.test:5432/app?sslmode=require", expected a boolean"#,
        );
        assert!(!m.contains("s3cr"), "{m}");
        assert!(
            m.contains("postgres://app:****@db.acme.test:5432/app"),
            "{m}"
        );
        let m = message("url=postgresql://u@h/db?password=hunter22&x=1 failed");
        assert!(!m.contains("hunter22"), "{m}");
        assert_eq!(
            message("sqlite://dev.db: file is not a database"),
            "sqlite://dev.db: file is not a database"
        );
        assert_eq!(message("host db.acme.test:5432"), "host db.acme.test:5432");
    }

    #[test]
    fn long_values_are_cut() {
        let long = "x".repeat(10_000_000);
        let m = message(&format!("secret name {long:?} is not valid"));
        assert!(m.len() < 400, "{}", m.len());
        assert!(m.contains("(10000000 characters)"), "{m}");
        assert_eq!(quote("short"), "\"short\"");
        let q = quote(&"é".repeat(150));
        assert!(q.starts_with(&format!("\"{}…", "é".repeat(100))), "{q}");
    }
}
