//! envdeck: see and fix the drift between a web product's environments (dev, staging,
//! prod), each with its own database, OAuth connections, workflows and config.
//!
//! Domain modules never import tauri; the window (`app`, `commands`, feature `gui`) and the
//! CLI (`cli`) both call the [`api`] layer.

pub mod api;
pub mod compare;
pub mod connectors;
pub mod demo;
pub mod error;
pub mod expiry;
pub mod logging;
pub mod paths;
pub mod progress;
pub mod reconnect;
pub mod secrets;
pub mod snapshot;
pub mod state;
pub mod sync;
pub mod tablediff;
pub mod workspace;

pub mod cli;

#[cfg(feature = "gui")]
pub mod app;
#[cfg(feature = "gui")]
pub mod commands;
