//! The window's commands, declared once in `commands!` below: that one list makes the
//! `#[tauri::command]` wrappers (one call into [`crate::api::session`] each, traced), the
//! invoke handler ([`handler`]) and the TypeScript functions the UI calls ([`typescript`],
//! ui/src/lib/bindings/commands.ts, checked by tests/bindings.rs). Errors cross IPC as
//! `{code, message, retryable}`.

use std::path::Path;
use std::sync::atomic::AtomicBool;

use tauri::State;
use tauri::ipc::Channel;

use crate::api::compare::AreaReport;
use crate::api::ops::ProgressEvent;
use crate::api::parity::{ParityGrid, ValuePair};
use crate::api::reconnect::{
    StepOutcome as ReconnectOutcome, Summary as ReconnectSummary, WatchOptions,
    Wizard as ReconnectWizard,
};
use crate::api::sync::ApplyReport;
use crate::api::sync_undo::{UndoPreview, UndoReport};
use crate::api::views::{EnvDetail, EnvStatus, SecretEntry, WorkspaceView};
use crate::api::{Context, session, session_reconnect};
use crate::compare::{Area, FindingKind, KeyParts};
use crate::error::Error;
use crate::progress::Progress;
use crate::secrets::Sensitive;
use crate::state::{SyncRecord, UndoRecord};
use crate::sync::{Plan, Selection};

/// Declares the commands. Each is written as
/// `async fn name(ctx, arg: Type, …; channel: Channel<Message>) -> Answer { body }`, where
/// `ctx` is the managed [`Context`] and the channel part is optional. `#[secret(arg, …)]`
/// (after the doc comment) keeps arguments out of the trace.
///
/// The functions stay private: tauri exports the macros behind a `pub` command with
/// `#[macro_export]`, which a macro expansion may not do.
macro_rules! commands {
    ($(
        $(#[doc = $doc:literal])*
        $(#[secret($($secret:ident),+)])?
        async fn $name:ident($ctx:ident $(, $arg:ident: $ty:ty)* $(; $ch:ident: Channel<$cht:ty>)?)
            -> $answer:ty $body:block
    )*) => {
        $(
            $(#[doc = $doc])*
            #[tauri::command]
            #[tracing::instrument(err(level = "info"), skip($ctx $(, $ch)? $($(, $secret)+)?))]
            async fn $name(
                $ctx: State<'_, Context>
                $(, $arg: $ty)*
                $(, $ch: Channel<$cht>)?
            ) -> Result<$answer, Error> $body
        )*

        /// The invoke handler that answers every command above.
        pub fn handler<R: tauri::Runtime>()
            -> impl Fn(tauri::ipc::Invoke<R>) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$($name),*]
        }

        /// The TypeScript module with one function per command above.
        pub fn typescript(cfg: &ts_rs::Config) -> String {
            use crate::api::ipc::{param, Command};
            crate::api::ipc::typescript(&[$(
                Command {
                    name: stringify!($name),
                    docs: vec![$($doc),*],
                    args: vec![$(param::<$ty>(stringify!($arg), cfg)),*],
                    channels: vec![$(param::<$cht>(stringify!($ch), cfg))?],
                    answer: param::<$answer>("answer", cfg),
                }
            ),*])
        }
    };
}

commands! {
    /// The last workspace opened if it still loads, else the demo.
    async fn workspace_current(ctx) -> WorkspaceView {
        session::workspace_current(&ctx).await
    }

    /// Opens the envdeck.toml at `path` and remembers it for the next start.
    async fn workspace_open(ctx, path: String) -> WorkspaceView {
        session::workspace_open(&ctx, Path::new(&path)).await
    }

    /// Moves `env`'s database URL (password included) out of envdeck.toml into the OS
    /// keychain; answers the workspace as rewritten.
    async fn workspace_move_url_to_keychain(ctx, workspace: String, env: String) -> WorkspaceView {
        session::workspace_move_url_to_keychain(&ctx, Path::new(&workspace), &env).await
    }

    async fn environment_status(ctx, workspace: String, env: String) -> EnvStatus {
        static ANSWERED: AtomicBool = AtomicBool::new(false);
        let answer = session::environment_status(&ctx, Path::new(&workspace), &env).await;
        crate::app::startup_mark("environment_status", &ANSWERED);
        answer
    }

    async fn environment_detail(ctx, workspace: String, env: String) -> EnvDetail {
        static ANSWERED: AtomicBool = AtomicBool::new(false);
        let answer = session::environment_detail(&ctx, Path::new(&workspace), &env).await;
        crate::app::startup_mark("environment_detail", &ANSWERED);
        answer
    }

    async fn secrets_list(ctx, workspace: String) -> Vec<SecretEntry> {
        session::secrets_list(&ctx, Path::new(&workspace)).await
    }

    /// The value arrives from a write-only field and goes straight into the keychain.
    #[secret(value)]
    async fn secret_set(ctx, workspace: String, env: String, name: String, value: String) -> () {
        session::secret_set(&ctx, Path::new(&workspace), &env, &name, Sensitive::new(value)).await
    }

    async fn secret_delete(ctx, workspace: String, env: String, name: String) -> () {
        session::secret_delete(&ctx, Path::new(&workspace), &env, &name).await
    }

    /// One area of a comparison; each area is its own call so a slow or failing one holds
    /// up nothing. Every area of one Compare runs under the same `operation` id, so one
    /// cancel of that id stops them all; progress arrives on the call's own channel.
    async fn compare_area(
        ctx, workspace: String, from: String, to: String, area: Area, operation: String;
        on_progress: Channel<ProgressEvent>
    ) -> AreaReport {
        let progress = ChannelProgress(on_progress);
        session::compare_area(&ctx, Path::new(&workspace), &from, &to, area, &operation, &progress)
            .await
    }

    /// Stops every call running under `operation`: they end with the code `cancelled`.
    async fn cancel_operation(ctx, operation: String) -> () {
        session::cancel_operation(&ctx, &operation);
        Ok(())
    }

    async fn integration_parity(ctx, workspace: String) -> ParityGrid {
        session::integration_parity(&ctx, Path::new(&workspace)).await
    }

    /// The two sides of a `workflows` / `reference_data` finding, as JSON text, or of a
    /// `schema` finding, as the SQL that defines the object (`null` when absent).
    async fn finding_values(
        ctx, workspace: String, from: String, to: String, area: Area, key_parts: KeyParts,
        kind: Option<FindingKind>
    ) -> ValuePair {
        session::finding_values(&ctx, Path::new(&workspace), &from, &to, area, &key_parts, kind)
            .await
    }

    /// The preview of copying the selected rows of `from` into `to` (with their missing
    /// parents when `with_parents`): rows, blockers, warnings, SQL, fingerprint. Writes
    /// nothing.
    async fn sync_plan(
        ctx, workspace: String, from: String, to: String, selections: Vec<Selection>,
        with_parents: bool, activate: bool
    ) -> Plan {
        let ws = Path::new(&workspace);
        session::sync_plan(&ctx, ws, &from, &to, selections, with_parents, activate).await
    }

    /// Inserts a reviewed plan in one transaction, confirmed by the target's name as typed
    /// and the plan's fingerprint; refused (outcome `refused`) when the target changed.
    /// `cancel_operation(operation)` before COMMIT rolls it back.
    async fn sync_apply(
        ctx, workspace: String, plan: Plan, confirm_env: String, fingerprint: String,
        operation: String;
        on_progress: Channel<ProgressEvent>
    ) -> ApplyReport {
        let progress = ChannelProgress(on_progress);
        session::sync_apply(
            &ctx, Path::new(&workspace), &plan, &confirm_env, &fingerprint, &operation, &progress,
        )
        .await
    }

    /// The workspace's syncs, newest first, with their outcome.
    async fn sync_log(ctx, workspace: String) -> Vec<SyncRecord> {
        session::sync_log(&ctx, Path::new(&workspace)).await
    }

    /// What undoing the applied sync `sync_id` would do now: the rows to delete, the rows
    /// kept and why, the SQL and the fingerprint, or (`noop`) why there is nothing to undo.
    /// Writes nothing.
    async fn sync_undo_preview(ctx, workspace: String, sync_id: String) -> UndoPreview {
        session::sync_undo_preview(&ctx, Path::new(&workspace), &sync_id).await
    }

    /// Deletes the rows the sync inserted that are still there unchanged and unreferenced,
    /// in one transaction, confirmed by the target's name as typed and the undo's
    /// fingerprint; refused (outcome `refused`) when anything changed since the preview.
    async fn sync_undo(
        ctx, workspace: String, sync_id: String, confirm_env: String, fingerprint: String,
        operation: String;
        on_progress: Channel<ProgressEvent>
    ) -> UndoReport {
        let progress = ChannelProgress(on_progress);
        session::sync_undo(
            &ctx, Path::new(&workspace), &sync_id, &confirm_env, &fingerprint, &operation,
            &progress,
        )
        .await
    }

    /// The workspace's undos, oldest first, with their outcome.
    async fn sync_undos(ctx, workspace: String) -> Vec<UndoRecord> {
        session::sync_undos(&ctx, Path::new(&workspace)).await
    }

    /// The reconnect wizard of `env`: its saved progress when there is some (`resumed`),
    /// else a new list — missing here but healthy in `from` (default the first development
    /// environment), expired or broken here.
    async fn reconnect_plan(
        ctx, workspace: String, env: String, from: Option<String>, providers: Vec<String>
    ) -> ReconnectWizard {
        let ws = Path::new(&workspace);
        session_reconnect::reconnect_plan(&ctx, ws, &env, from.as_deref(), &providers).await
    }

    /// Takes `provider` off the wizard's list; answers the list.
    async fn reconnect_remove(ctx, workspace: String, env: String, provider: String)
        -> ReconnectWizard {
        session_reconnect::reconnect_remove(&ctx, Path::new(&workspace), &env, &provider).await
    }

    /// Adds any provider to the wizard's list, with the account expected when known.
    async fn reconnect_add(
        ctx, workspace: String, env: String, provider: String, account: Option<String>
    ) -> ReconnectWizard {
        let ws = Path::new(&workspace);
        session_reconnect::reconnect_add(&ctx, ws, &env, &provider, account.as_deref()).await
    }

    /// Opens `provider`'s connect page of `env` in the system browser (`ENVDECK_BROWSER`
    /// when set); the URL is made from the workspace, not sent by the window.
    async fn reconnect_open(_ctx, workspace: String, env: String, provider: String) -> () {
        session_reconnect::reconnect_open(Path::new(&workspace), &env, &provider, open_system)
            .await
    }

    /// Waits under `operation` for `provider`'s connection to land in `env` (as the account
    /// the list expects); progress once per poll (`done` = seconds elapsed).
    /// `cancel_operation(operation)` ends it with `cancelled`; the step stays saved as waiting.
    async fn reconnect_watch(
        ctx, workspace: String, env: String, provider: String, options: WatchOptions,
        operation: String;
        on_progress: Channel<ProgressEvent>
    ) -> ReconnectOutcome {
        let progress = ChannelProgress(on_progress);
        let ws = Path::new(&workspace);
        session_reconnect::reconnect_watch(&ctx, ws, &env, &provider, &options, &operation, &progress)
            .await
    }

    /// Skips a step: it stays to reconnect, listed as skipped in the summary.
    async fn reconnect_skip(ctx, workspace: String, env: String, provider: String)
        -> ReconnectOutcome {
        session_reconnect::reconnect_skip(&ctx, Path::new(&workspace), &env, &provider).await
    }

    /// Keeps a connection that landed as another account than expected: it counts as landed.
    async fn reconnect_accept(ctx, workspace: String, env: String, provider: String) -> () {
        session_reconnect::reconnect_accept(&ctx, Path::new(&workspace), &env, &provider).await
    }

    /// What the wizard of `env` did so far: landed, skipped, failed, pending.
    async fn reconnect_summary(ctx, workspace: String, env: String) -> ReconnectSummary {
        session_reconnect::reconnect_summary(&ctx, Path::new(&workspace), &env).await
    }

    /// Ends the wizard of `env`: its summary; the saved progress is forgotten.
    async fn reconnect_finish(ctx, workspace: String, env: String) -> ReconnectSummary {
        session_reconnect::reconnect_finish(&ctx, Path::new(&workspace), &env).await
    }

    /// The expiry watch's settings: check integrations on start and every interval.
    async fn watch_settings(ctx) -> crate::api::expiry::WatchSettings {
        crate::api::expiry::settings(&ctx).await
    }

    /// Saves the expiry watch's settings; answers them as saved.
    async fn watch_settings_set(ctx, settings: crate::api::expiry::WatchSettings)
        -> crate::api::expiry::WatchSettings {
        crate::api::expiry::set_settings(&ctx, settings).await
    }

    // ── details: the dashboard's and the compare screen's drawers ──

    /// One integration of `env` for the dashboard's drawer: its mapped columns, never a
    /// secret one (those are named in `withheld`, not read).
    async fn integration_detail(
        ctx, workspace: String, env: String, provider: String, account: Option<String>
    ) -> crate::api::details::IntegrationDetail {
        let ws = Path::new(&workspace);
        crate::api::details::integration(&ctx, ws, &env, &provider, account.as_deref()).await
    }

    /// One workflow of `env` (by its key as the dashboard lists it) for the dashboard's
    /// drawer: run counters, last runs, the definition with secret-looking fields redacted.
    async fn workflow_detail(ctx, workspace: String, env: String, key: String)
        -> crate::api::details::WorkflowDetail {
        crate::api::details::workflow(&ctx, Path::new(&workspace), &env, &key).await
    }

    /// The side-by-side view of a schema, migration or config finding: the table's columns
    /// and types on each side, both applied-migration lists, or the env files' keys as
    /// equal / different / missing (never a value); with the migration command when known.
    async fn finding_sides(
        ctx, workspace: String, from: String, to: String, area: Area, key_parts: KeyParts,
        kind: FindingKind
    ) -> crate::compare::Sides {
        let ws = Path::new(&workspace);
        crate::api::compare::finding_sides(&ctx, ws, &from, &to, area, &key_parts, kind).await
    }

    // ── desktop: export, recent workspaces, theme ──

    /// The workspaces opened lately, newest first; one whose file is gone says `missing`.
    async fn workspace_recent(ctx) -> Vec<session::RecentWorkspace> {
        session::workspace_recent(&ctx).await
    }

    /// Compares `from` with `to` in every area and writes the report `envdeck check --json`
    /// prints to `path` (picked in the native save dialog); answers the findings written.
    async fn export_findings(ctx, workspace: String, from: String, to: String, path: String)
        -> u32 {
        crate::api::export::export_findings(&ctx, Path::new(&workspace), &from, &to, Path::new(&path))
            .await
    }

    // ── workspace editing ──

    /// Checks the "New workspace" form without writing: the file it would write, whether
    /// one is there already, and every problem by field.
    #[secret(input)]
    async fn workspace_check_new(ctx, input: crate::workspace::create::NewWorkspace)
        -> crate::api::workspace::NewWorkspaceCheck {
        Ok(crate::api::workspace::check_new(&ctx, &input).await)
    }

    /// Writes the new envdeck.toml (a pasted URL with a password goes to the OS keychain,
    /// the file names it) and opens it. An existing file is replaced only with `replace`.
    #[secret(input)]
    async fn workspace_create(ctx, input: crate::workspace::create::NewWorkspace, replace: bool)
        -> WorkspaceView {
        crate::api::workspace::create_from_window(&ctx, &input, replace).await
    }

    /// Changes where `env` reads its database, in envdeck.toml itself (comments and other
    /// keys kept); answers the workspace as rewritten.
    #[secret(database)]
    async fn workspace_set_database(
        ctx, workspace: String, env: String, database: crate::workspace::create::DatabaseInput
    ) -> WorkspaceView {
        crate::api::workspace::set_database_from_window(&ctx, Path::new(&workspace), &env, &database)
            .await
    }
}

/// [`Progress`] sent to the window on the call's own channel. A window that went away
/// just stops listening: sending then fails and is ignored.
struct ChannelProgress(Channel<ProgressEvent>);

impl Progress for ChannelProgress {
    fn wants_total(&self) -> bool {
        true
    }
    fn start(&self, label: &str, total: Option<u64>) {
        let _ = self.0.send(ProgressEvent::Started {
            label: label.to_string(),
            total,
        });
    }
    fn advance(&self, done: u64) {
        let _ = self.0.send(ProgressEvent::Advanced { done });
    }
    fn finish(&self) {
        let _ = self.0.send(ProgressEvent::Finished);
    }
}

/// The system browser, through tauri-plugin-opener (no plugin registration needed for
/// its Rust side; the window itself opens nothing).
fn open_system(url: &str) -> Result<(), Error> {
    tauri_plugin_opener::open_url(url, None::<&str>).map_err(|e| {
        Error::new(
            crate::error::ErrorCode::Io,
            format!("could not open the system browser ({e}): copy the URL and open it yourself"),
        )
    })
}
