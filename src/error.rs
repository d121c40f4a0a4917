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
    /// A text file over the size cap (`files::MAX_TEXT_FILE_BYTES`), refused before it is read.
    #[error("{path}: {size} bytes is over the {limit}-byte limit for one text file (a letter is 5-30 KB)")]
    TooLarge { path: String, size: u64, limit: u64 },
    /// A PDF that could not be read as a letter.
    #[error("{path}: PDF: {source}")]
    Pdf {
        path: String,
        #[source]
        source: crate::pdf::PdfError,
    },
    /// A drug name the lexicon does not know (`--medication`).
    #[error("unknown drug \"{name}\": not in the drug lexicon (search it as text instead)")]
    UnknownDrug { name: String },
    /// A drug class the lexicon does not know (`--class`).
    #[error("unknown drug class \"{name}\"; known classes: {}", known.join(", "))]
    UnknownClass { name: String, known: Vec<String> },
    /// A facet a user named that does not exist (`imr facets FIELD`, `--where`).
    #[error("no facet {name:?}: choose one of {known}")]
    UnknownFacet { name: String, known: String },
    /// A typed facet path that names no value in the index (`--guideline NICE`).
    #[error("no {what} in the index matches \"{typed}\" (see `imr facets {facet}`)")]
    NoSuchValue {
        /// What the values are, for the message: "guideline", "reviewer specialty".
        what: &'static str,
        facet: &'static str,
        typed: String,
    },
    /// A typed path that names several values where one is needed (`imr facets --path`).
    #[error("{typed:?} matches several {facet} values: {}", matches.join(", "))]
    Ambiguous {
        facet: &'static str,
        typed: String,
        matches: Vec<String>,
    },
    /// A query written in tantivy's syntax that does not parse.
    #[error("query syntax: {source}")]
    QuerySyntax {
        #[source]
        source: tantivy::query::QueryParserError,
    },
    /// A date flag or parameter that is not a date.
    #[error("--{flag} {value:?} is not a date: use YYYY-MM-DD, YYYY-MM or YYYY")]
    BadDate { flag: &'static str, value: String },
    /// A date range that ends before it starts.
    #[error("--from {from} is after --to {to}")]
    DateRange { from: String, to: String },
    /// No item or letter with this id.
    #[error(
        "no item or letter {id:?} in the index (ids look like CM16-0213037 or CM16-0213037#2)"
    )]
    NoSuchItem { id: String },
    /// `imr similar LETTER` where the letter decides several items.
    #[error("{id} is a letter of {items} items: name one, e.g. {id}#1 (see `imr show {id}`)")]
    LetterNotItem { id: String, items: usize },
    /// `imr similar --text` given nothing to read.
    #[error("{name}: the text is empty: give the UR denial or the request to compare")]
    EmptyText { name: String },
    /// A text that names no treatment, drug or region and has no word any item has.
    #[error("{name}: nothing to compare: no treatment, drug or body region recognised, and no word of it occurs in the index")]
    NothingToCompare { name: String },
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

    /// Whether the error is the user's to fix in how imr was called (a usage error) rather
    /// than a failure of the work itself: the CLI exits 2 either way, a server answers 400
    /// rather than 500.
    pub fn is_usage(&self) -> bool {
        matches!(
            self,
            Error::UnknownDrug { .. }
                | Error::UnknownClass { .. }
                | Error::UnknownFacet { .. }
                | Error::NoSuchValue { .. }
                | Error::Ambiguous { .. }
                | Error::QuerySyntax { .. }
                | Error::BadDate { .. }
                | Error::DateRange { .. }
                | Error::LetterNotItem { .. }
                | Error::EmptyText { .. }
                | Error::NothingToCompare { .. }
        )
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
