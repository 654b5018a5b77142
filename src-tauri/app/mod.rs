//! The window: Tauri builder, plugins, managed state.

mod watch;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use crate::api::Context;

/// When the window process started; the startup marks are measured from it.
static STARTED: OnceLock<Instant> = OnceLock::new();

/// Logs (info, in the log file) the first time `what` answers, with the milliseconds since
/// the window started: tests/bench/startup.sh times the first dashboard from these lines.
pub(crate) fn startup_mark(what: &'static str, done: &AtomicBool) {
    if done.swap(true, Ordering::Relaxed) {
        return;
    }
    let since_start_ms = STARTED.get().map_or(0, |t| t.elapsed().as_millis() as u64);
    tracing::info!(what, since_start_ms, "startup mark");
}

/// Opens the window. `data_dir` overrides the OS app-data directory.
pub fn run(data_dir: Option<PathBuf>) -> ExitCode {
    let _ = STARTED.set(Instant::now());
    let data_dir = match crate::paths::data_dir(data_dir) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error[{}]: {}", e.code, e.message);
            return ExitCode::from(1);
        }
    };
    let _log = crate::logging::init(&data_dir, Some(0));
    let ctx = match tauri::async_runtime::block_on(Context::open(&data_dir)) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error[{}]: {}", e.code, e.message);
            return ExitCode::from(1);
        }
    };
    tracing::info!(data_dir = %data_dir.display(), "starting the window");
    let webview_data = data_dir.join("webview");
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_notification::init())
        .manage(ctx.clone())
        .setup(move |app| {
            // The webview's own storage lives beside envdeck's state, so `--data-dir`
            // moves everything (and tests never touch the real app-data directory).
            tauri::WebviewWindowBuilder::new(app, "main", tauri::WebviewUrl::default())
                .title("envdeck")
                .inner_size(1240.0, 800.0)
                .min_inner_size(900.0, 560.0)
                .data_directory(webview_data.clone())
                .build()?;
            let start = ctx.clone();
            tauri::async_runtime::spawn(async move {
                crate::api::workspace::prepare_start(&start).await
            });
            watch::start(app.handle(), ctx.clone());
            Ok(())
        })
        .invoke_handler(crate::commands::handler())
        .run(tauri::generate_context!());
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("the window failed: {e}");
            eprintln!("error[internal]: the window failed to start: {e}");
            ExitCode::from(1)
        }
    }
}
