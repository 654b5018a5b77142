//! The one definition of "this name looks like it holds a secret", shared by env-variable
//! names, JSON field names and database column names.

/// Words that make any name secret-looking, wherever they stand.
const SECRET_WORDS: &[&str] = &[
    "token",
    "tokens",
    "password",
    "passwd",
    "pwd",
    "secret",
    "secrets",
    "credential",
    "credentials",
    "apikey",
    "privatekey",
];

/// Two adjacent words that together name a secret.
const SECRET_PAIRS: &[(&str, &str)] = &[
    ("api", "key"),
    ("private", "key"),
    ("access", "key"),
    ("secret", "key"),
    ("signing", "key"),
    ("encryption", "key"),
    ("client", "secret"),
];

/// Words before a final `key` that make it an ordinary key, not a credential.
const HARMLESS_KEYS: &[&str] = &[
    "public",
    "publishable",
    "foreign",
    "primary",
    "sort",
    "partition",
    "cache",
    "idempotency",
    "unique",
    "natural",
    "lookup",
];

/// Whether a database column holds a secret: it looks like one, or the workspace names it
/// in `[integrations] secret_columns` (applied to every table). Such a column is never
/// selected in plain text, never a key, never printed.
pub fn is_secret_column(column: &str, secret_columns: &[String]) -> bool {
    looks_secret(column)
        || secret_columns
            .iter()
            .any(|s| s.eq_ignore_ascii_case(column))
}

/// Whether `name` looks like it holds a secret (`STRIPE_SECRET_KEY`, `accessToken`,
/// `db.password`, `OPENAI_KEY`), so its value is never read for display or printed. A
/// name that is just `key`, or ends in a harmless key (`primary_key`, `STRIPE_PUBLISHABLE_KEY`),
/// does not.
pub fn looks_secret(name: &str) -> bool {
    let words = words(name);
    if words.iter().any(|w| SECRET_WORDS.contains(&w.as_str())) {
        return true;
    }
    if words
        .windows(2)
        .any(|p| SECRET_PAIRS.contains(&(p[0].as_str(), p[1].as_str())))
    {
        return true;
    }
    match words.as_slice() {
        [.., before, last] if last == "key" => !HARMLESS_KEYS.contains(&before.as_str()),
        _ => false,
    }
}

/// `name` split into lowercase words on `_`, `-`, `.`, any other non-alphanumeric
/// character and camelCase boundaries (`APIKey` → `api`, `key`).
fn words(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut out = Vec::new();
    let mut cur = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if c.is_uppercase() && !cur.is_empty() {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            // `fooBar` splits before B; `APIKey` splits before the K that starts `Key`.
            if prev.is_lowercase() || prev.is_ascii_digit() || (prev.is_uppercase() && next_lower) {
                out.push(std::mem::take(&mut cur));
            }
        }
        cur.extend(c.to_lowercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_in_every_naming_style_look_secret() {
        for n in [
            "access_token",
            "refresh_token",
            "accessToken",
            "GITHUB_TOKEN",
            "DB_PASSWORD",
            "db.password",
            "pwd",
            "STRIPE_SECRET_KEY",
            "client-secret",
            "clientSecret",
            "api_key",
            "apiKey",
            "APIKey",
            "X-Api-Key",
            "apikey",
            "PRIVATE_KEY",
            "privateKey",
            "AWS_ACCESS_KEY_ID",
            "signing_key",
            "ENCRYPTION_KEY",
            "STRIPE_KEY",
            "OPENAI_KEY",
            "credentials",
            "tokens",
        ] {
            assert!(looks_secret(n), "{n} should look secret");
        }
    }

    #[test]
    fn ordinary_names_and_harmless_keys_do_not() {
        for n in [
            "key",
            "KEY",
            "name",
            "provider",
            "account_email",
            "STRIPE_PUBLISHABLE_KEY",
            "NEXT_PUBLIC_KEY",
            "primary_key",
            "foreignKey",
            "sort_key",
            "partition-key",
            "cache_key",
            "idempotency_key",
            "unique_key",
            "natural_key",
            "lookup_key",
            "keyboard_layout",
            "monkey",
            "tokenizer",
            "DATABASE_HOST",
            "",
            "___",
        ] {
            assert!(!looks_secret(n), "{n} should not look secret");
        }
    }

    #[test]
    fn words_split_on_separators_and_camel_case() {
        assert_eq!(words("X-Api-Key"), ["x", "api", "key"]);
        assert_eq!(words("APIKey"), ["api", "key"]);
        assert_eq!(words("oauth2Token"), ["oauth2", "token"]);
        assert_eq!(words("a.b_c"), ["a", "b", "c"]);
    }
}
