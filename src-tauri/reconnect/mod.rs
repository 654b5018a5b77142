//! The reconnect wizard's engine: what to reconnect in one environment ([`items`]), where
//! to send the browser ([`connect_url`], with localhost advice), and the proof that the
//! connection landed in that environment's database and nowhere else ([`watch`]). Token
//! columns are never selected. No clock is read here except through what callers pass in.

mod browser;
mod decide;
mod items;
mod urls;
mod watch;

pub use browser::{BROWSER_VAR, has_display, open_browser};
pub use decide::{Decision, OutcomeKind, Seen, decide, missing_scopes, proof};
pub use items::{Item, Reason, items, reference_env};
pub use urls::{DEFAULT_REFUSE_LOCALHOST, connect_url, is_local_url, localhost_advice};
pub use watch::{Mark, Probe, Watched};
