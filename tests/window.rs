//! The real window, driven through tauri-driver + WebKitWebDriver under Xvfb.
