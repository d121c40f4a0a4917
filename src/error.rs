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
    /// Another process holds the index's writer lock.
    #[error("{}: index is locked by another imr process (an `imr index` is running); try again when it finishes", path.display())]
    Locked { path: PathBuf },
    /// The index was written by a different schema version.
    #[error("{}: index built with schema v{found}, this imr needs v{needed}: run `imr index --rebuild PATH...`", path.display())]
    SchemaVersion {
        path: PathBuf,
        found: u32,
        needed: u32,
    },
    /// The index was built with another synonym table (its concept tokens differ).
    #[error("{}: index built with another synonym table than this imr's: run `imr index --rebuild PATH...`", path.display())]
    ConceptTable { path: PathBuf },
    /// The directory exists but is not an imr index.
    #[error("{}: {reason}", path.display())]
    NotAnIndex { path: PathBuf, reason: String },
    /// No index where one was expected.
    #[error("{}: no index here: build one with `imr index PATH...`", path.display())]
    NoIndex { path: PathBuf },
    /// The index's files are damaged (truncated, altered or missing): `detail` is one line
    /// saying what was found; the fix is a rebuild, which the message names.
    #[error("{}: index is damaged ({detail}); rebuild it with `imr index --rebuild --index {} PATH...`", path.display(), path.display())]
    Damaged { path: PathBuf, detail: String },
    #[error("{context}: {source}")]
    Tantivy {
        context: String,
        #[source]
        source: tantivy::TantivyError,
    },
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

    pub fn tantivy(context: impl Into<String>, source: tantivy::TantivyError) -> Error {
        Error::Tantivy {
            context: context.into(),
            source,
        }
    }

    pub fn damaged(path: &Path, detail: impl Into<String>) -> Error {
        Error::Damaged {
            path: path.to_path_buf(),
            detail: detail.into(),
        }
    }

    pub fn parse(path: impl Into<String>, reason: impl Into<String>) -> Error {
        Error::Parse {
            path: path.into(),
            reason: reason.into(),
        }
    }
}
