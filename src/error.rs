//! The crate's error type: every failure says which file and why.

use std::path::{Path, PathBuf};

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The file is not a parseable IMR letter; `reason` is one line a user can act on.
    #[error("{path}: {reason}")]
    Parse { path: String, reason: String },
    #[error("{0}")]
    Other(String),
}

impl Error {
    pub fn io_path(source: std::io::Error, path: &Path) -> Error {
        Error::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    pub fn parse(path: impl Into<String>, reason: impl Into<String>) -> Error {
        Error::Parse {
            path: path.into(),
            reason: reason.into(),
        }
    }
}
