fn main() {
    // The window's build step only runs with the `gui` feature, so a CLI-only build
    // (`--no-default-features`) needs neither WebKit nor a built front end.
    #[cfg(feature = "gui")]
    tauri_build::build();
}
