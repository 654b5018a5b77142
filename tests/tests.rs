//! envdeck's integration tests: one binary, a module per area, all against real parts
//! (SQLite files, a throwaway PostgreSQL cluster, the Secret Service on a private D-Bus,
//! the real window). Run them with `make test`, which starts those parts.

// Shared helpers: temp dirs, running the envdeck binary, the throwaway PostgreSQL.
mod util;
