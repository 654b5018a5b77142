//! The TypeScript types the window uses are generated from the Rust types (ts-rs), and its
//! command functions (bindings/commands.ts) from the `commands!` list.

/// A change to a type that crosses IPC, or to a command's name or arguments, must come with
/// regenerated bindings, or the window would read fields or send commands that no longer
/// exist. Regenerate with `UPDATE_BINDINGS=1 make test`.
#[test]
fn committed_typescript_bindings_match_the_rust_types() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/src/lib/bindings");
    let update = std::env::var_os("UPDATE_BINDINGS").is_some();
    let stale = envdeck::api::views::export_bindings(&dir, !update).unwrap();
    if !update {
        assert!(
            stale.is_empty(),
            "ui/src/lib/bindings is stale ({}): run `UPDATE_BINDINGS=1 cargo test --test integration bindings` and commit the result",
            stale.join(", ")
        );
    }
}
