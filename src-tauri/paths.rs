//! Where envdeck keeps its own files: the OS app-data directory, unless `--data-dir` or
//! `ENVDECK_DATA_DIR` says otherwise (tests, portable use).

use std::path::PathBuf;

use crate::error::{Error, ErrorCode, Result};

pub fn data_dir(explicit: Option<PathBuf>) -> Result<PathBuf> {
    if let Some(p) = explicit {
        return Ok(p);
    }
    directories::ProjectDirs::from("dev", "envdeck", "envdeck")
        .map(|d| d.data_dir().to_path_buf())
        .ok_or_else(|| {
            Error::new(
                ErrorCode::Io,
                "no home directory to keep envdeck's data in: pass --data-dir <DIR> or set ENVDECK_DATA_DIR",
            )
        })
}
