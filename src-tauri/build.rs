fn main() {
    // sqlx's `migrate!` embeds the store's migrations when it expands: a new migration
    // file must rebuild the crate (as sqlx's documentation advises).
    println!("cargo:rerun-if-changed=src-tauri/state/migrations");
    // The window's build step only runs with the `gui` feature, so a CLI-only build
    // (`--no-default-features`) needs neither WebKit nor a built front end.
    #[cfg(feature = "gui")]
    tauri_build::build();
}
