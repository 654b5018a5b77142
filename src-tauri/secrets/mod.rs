//! Credentials in the OS keychain (macOS Keychain, Windows Credential Manager, Linux Secret
//! Service) through keyring-core. Service `envdeck`, account `<workspace>/<env>/<NAME>`.
//! Fails closed: no reachable or unlocked keychain is an error, never a plaintext fallback.

mod names;
pub mod redact;
mod sensitive;

pub use names::{is_secret_column, looks_secret};
pub use sensitive::Sensitive;

use std::sync::Arc;

use keyring_core::{CredentialStore, Entry};

use crate::error::{Error, ErrorCode, Result};

/// The keychain service every envdeck credential is filed under.
pub const SERVICE: &str = "envdeck";

/// Where one secret lives: `<workspace>/<env>/<NAME>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretRef {
    pub workspace: String,
    pub env: String,
    pub name: String,
}

impl SecretRef {
    pub fn new(workspace: &str, env: &str, name: &str) -> Result<Self> {
        validate_name("secret name", name)?;
        validate_name("environment name", env)?;
        Ok(SecretRef {
            workspace: workspace.to_string(),
            env: env.to_string(),
            name: name.to_string(),
        })
    }

    pub fn account(&self) -> String {
        format!("{}/{}/{}", self.workspace, self.env, self.name)
    }
}

/// Names are things like `DATABASE_URL`: letters, digits, `_`, `-`, `.`.
pub fn validate_name(what: &str, name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name.len() <= 128
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    if ok {
        Ok(())
    } else {
        Err(Error::invalid_input(format!(
            "{what} {name:?} is not valid: use letters, digits, '_', '-' or '.' (at most 128)"
        )))
    }
}

/// Asks the platform whether "no such entry" can be believed; `Err` is the reason it cannot
/// (e.g. no default keyring, or it is locked).
type UsableCheck = Arc<dyn Fn() -> std::result::Result<(), String> + Send + Sync>;

/// A handle on the OS keychain.
#[derive(Clone)]
pub struct Keychain {
    store: Arc<CredentialStore>,
    /// `None` when the store's "no entry" is always the truth (the mock, macOS, Windows).
    usable: Option<UsableCheck>,
}

impl std::fmt::Debug for Keychain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Keychain")
            .field("vendor", &self.store.vendor())
            .finish()
    }
}

impl Keychain {
    /// The platform's own keychain. Calls are blocking: run them off the async runtime.
    pub fn open_platform() -> Result<Self> {
        let store = platform_store().map_err(unavailable)?;
        let usable = platform_usable_check()?;
        Ok(Keychain { store, usable })
    }

    /// Any keyring-core store (tests use `keyring_core::mock::Store`).
    pub fn with_store(store: Arc<CredentialStore>) -> Self {
        Keychain {
            store,
            usable: None,
        }
    }

    /// A "no entry" answer, unless the keychain has no usable keyring to look in: then
    /// "not set" would be a guess, so the answer is `keychain_unavailable`.
    fn no_entry<T>(&self, none: T) -> Result<T> {
        match self.usable.as_ref().map(|check| check()) {
            Some(Err(why)) => Err(Error::new(
                ErrorCode::KeychainUnavailable,
                format!("the OS keychain is unavailable ({why}). {HOW_TO_FIX}."),
            )
            .with_detail(UNAVAILABLE, why)),
            _ => Ok(none),
        }
    }

    fn entry(&self, r: &SecretRef) -> Result<Entry> {
        self.store
            .build(SERVICE, &r.account(), None)
            .map_err(|e| map_err(e, r))
    }

    /// The secret, or `None` when it was never set.
    pub fn get(&self, r: &SecretRef) -> Result<Option<Sensitive<String>>> {
        match self.entry(r)?.get_password() {
            Ok(v) => Ok(Some(Sensitive::new(v))),
            Err(keyring_core::Error::NoEntry) => self.no_entry(None),
            Err(e) => Err(map_err(e, r)),
        }
    }

    pub fn is_set(&self, r: &SecretRef) -> Result<bool> {
        Ok(self.get(r)?.is_some())
    }

    pub fn set(&self, r: &SecretRef, value: &Sensitive<String>) -> Result<()> {
        if value.expose().is_empty() {
            return Err(Error::invalid_input(format!(
                "the value for {} is empty: nothing was stored",
                r.name
            )));
        }
        self.entry(r)?
            .set_password(value.expose())
            .map_err(|e| map_err(e, r))
    }

    /// Removes the secret. Returns false when there was nothing to remove.
    pub fn delete(&self, r: &SecretRef) -> Result<bool> {
        match self.entry(r)?.delete_credential() {
            Ok(()) => Ok(true),
            Err(keyring_core::Error::NoEntry) => self.no_entry(false),
            Err(e) => Err(map_err(e, r)),
        }
    }
}

#[cfg(target_os = "linux")]
fn platform_store() -> keyring_core::Result<Arc<CredentialStore>> {
    Ok(zbus_secret_service_keyring_store::Store::new()?)
}

/// The Secret Service searches every collection, so an empty search says "not set" even
/// when there is no keyring to store into (gnome-keyring started without a login keyring)
/// or the default one is locked. This asks, on its own connection, whether the default
/// collection exists and is unlocked.
#[cfg(target_os = "linux")]
fn platform_usable_check() -> Result<Option<UsableCheck>> {
    use secret_service::blocking::SecretService;
    use std::sync::Mutex;
    let ss = SecretService::connect(secret_service::EncryptionType::Plain)
        .map_err(|e| unavailable(keyring_core::Error::PlatformFailure(Box::new(e))))?;
    let ss = Mutex::new(ss);
    Ok(Some(Arc::new(move || {
        let ss = ss
            .lock()
            .map_err(|_| "an earlier keychain call failed".to_string())?;
        match ss.get_default_collection() {
            Ok(c) => match c.is_locked() {
                Ok(false) => Ok(()),
                Ok(true) => Err("the default keyring is locked".into()),
                Err(e) => Err(first_line(&e.to_string())),
            },
            Err(secret_service::Error::NoResult) => {
                Err("the Secret Service has no default keyring".into())
            }
            Err(e) => Err(first_line(&e.to_string())),
        }
    })))
}

#[cfg(not(target_os = "linux"))]
fn platform_usable_check() -> Result<Option<UsableCheck>> {
    Ok(None)
}

#[cfg(target_os = "macos")]
fn platform_store() -> keyring_core::Result<Arc<CredentialStore>> {
    Ok(apple_native_keyring_store::keychain::Store::new()?)
}

#[cfg(target_os = "windows")]
fn platform_store() -> keyring_core::Result<Arc<CredentialStore>> {
    Ok(windows_native_keyring_store::Store::new()?)
}

#[cfg(not(any(target_os = "linux", target_os = "macos", target_os = "windows")))]
fn platform_store() -> keyring_core::Result<Arc<CredentialStore>> {
    Err(keyring_core::Error::NotSupportedByStore(
        "no OS keychain is supported on this platform".into(),
    ))
}

const HOW_TO_FIX: &str = "envdeck keeps credentials only in the OS keychain. On Linux, start and unlock a Secret Service (GNOME Keyring or KWallet) with a default (login) keyring in this desktop session; on macOS, unlock the login keychain; on Windows, sign in to Credential Manager. Then try again";

fn unavailable(e: keyring_core::Error) -> Error {
    // The platform error text names the failing D-Bus call or OS status; it never contains
    // a secret value (none was handed to the store yet).
    let why = short(&e);
    Error::new(
        ErrorCode::KeychainUnavailable,
        format!("the OS keychain is unavailable ({why}). {HOW_TO_FIX}."),
    )
    .with_detail(UNAVAILABLE, why)
}

/// What the window shows first for an unavailable keychain; the platform's own error text
/// is folded under it (see [`Error::with_detail`]).
const UNAVAILABLE: &str = "The OS keychain is unavailable, so envdeck cannot read or store credentials. Unlock it (on Linux, start GNOME Keyring or KWallet with a default login keyring; on macOS, unlock the login keychain; on Windows, sign in to Credential Manager), then try again.";

fn map_err(e: keyring_core::Error, r: &SecretRef) -> Error {
    match e {
        keyring_core::Error::PlatformFailure(_) | keyring_core::Error::NoStorageAccess(_) => {
            unavailable(e)
        }
        keyring_core::Error::NoDefaultStore => unavailable(e),
        keyring_core::Error::BadEncoding(_) | keyring_core::Error::BadDataFormat(..) => Error::new(
            ErrorCode::KeychainUnavailable,
            format!(
                "the keychain entry for {} is not readable text: delete it with `envdeck secret delete {} {}` and set it again",
                r.account(),
                r.env,
                r.name
            ),
        ),
        // Variants carrying bytes are matched above; the rest describe the request only.
        other => {
            let why = short(&other);
            Error::new(
                ErrorCode::KeychainUnavailable,
                format!("the OS keychain refused {}: {why}", r.account()),
            )
            .with_detail(
                format!(
                    "The OS keychain refused the entry {}. Unlock the keychain and try again; if it keeps refusing, delete the entry with `envdeck secret delete {} {}` and set it again.",
                    r.account(),
                    r.env,
                    r.name
                ),
                why,
            )
        }
    }
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or("").chars().take(200).collect()
}

/// A one-line description of a keyring error that never includes stored bytes.
fn short(e: &keyring_core::Error) -> String {
    match e {
        keyring_core::Error::PlatformFailure(p) | keyring_core::Error::NoStorageAccess(p) => {
            first_line(&p.to_string())
        }
        keyring_core::Error::NoEntry => "no entry".into(),
        keyring_core::Error::BadEncoding(_) => "entry is not UTF-8".into(),
        keyring_core::Error::BadDataFormat(..) => "entry has a bad format".into(),
        keyring_core::Error::BadStoreFormat(s) => s.clone(),
        keyring_core::Error::TooLong(a, n) => format!("{a} is longer than {n}"),
        keyring_core::Error::Invalid(a, why) => format!("{a}: {why}"),
        keyring_core::Error::Ambiguous(v) => format!("{} entries match", v.len()),
        keyring_core::Error::NoDefaultStore => "no keychain store configured".into(),
        keyring_core::Error::NotSupportedByStore(s) => s.clone(),
        _ => "unknown keychain error".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mock() -> Keychain {
        Keychain::with_store(keyring_core::mock::Store::new().unwrap())
    }

    #[test]
    fn set_get_delete_round_trip_with_the_documented_account() {
        let k = mock();
        let r = SecretRef::new("acme", "prod", "DATABASE_URL").unwrap();
        assert_eq!(r.account(), "acme/prod/DATABASE_URL");
        assert!(k.get(&r).unwrap().is_none());
        k.set(&r, &Sensitive::new("postgres://x".to_string()))
            .unwrap();
        assert_eq!(k.get(&r).unwrap().unwrap().expose(), "postgres://x");
        assert!(k.delete(&r).unwrap());
        assert!(!k.delete(&r).unwrap());
    }

    #[test]
    fn names_with_slashes_or_spaces_are_refused() {
        assert!(SecretRef::new("acme", "prod", "A/B").is_err());
        assert!(SecretRef::new("acme", "pr od", "A").is_err());
        assert!(SecretRef::new("acme", "prod", "").is_err());
    }

    /// The window shows a sentence that says what to do; the platform's text is folded.
    #[test]
    fn an_unavailable_keychain_is_a_sentence_first_with_the_detail_folded() {
        let e = unavailable(keyring_core::Error::NoStorageAccess(Box::new(
            std::io::Error::other("org.freedesktop.DBus.Error.ServiceUnknown: no such name"),
        )));
        assert_eq!(e.code, ErrorCode::KeychainUnavailable);
        assert!(e.message.contains("ServiceUnknown"), "the CLI keeps it all");
        let wire = e.to_wire();
        assert!(wire.message.starts_with("The OS keychain is unavailable"));
        assert!(wire.message.contains("then try again"));
        assert!(!wire.message.contains("DBus"), "{}", wire.message);
        assert!(wire.detail.unwrap().contains("ServiceUnknown"));
    }
}
