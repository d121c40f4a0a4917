//! Finding letter files: paths given on the command line, folders walked recursively.

use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

/// File extensions read as letters.
pub const LETTER_EXTENSIONS: &[&str] = &["txt", "pdf"];

/// Expands files and folders into the letter files under them, sorted within each folder so
/// that runs are repeatable. A path that does not exist is an error.
pub fn letter_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for path in paths {
        let meta = std::fs::metadata(path).map_err(|e| Error::io_path(e, path))?;
        if meta.is_file() {
            out.push(path.clone());
            continue;
        }
        for entry in walkdir::WalkDir::new(path).sort_by_file_name() {
            let entry = entry.map_err(|e| {
                let p = e.path().unwrap_or(path).to_path_buf();
                Error::io_path(e.into(), &p)
            })?;
            if entry.file_type().is_file() && is_letter(entry.path()) {
                out.push(entry.into_path());
            }
        }
    }
    Ok(out)
}

fn is_letter(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| LETTER_EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

/// The letter id fallback for a file: its stem.
pub fn stem(path: &Path) -> String {
    path.file_stem().map_or_else(
        || path.display().to_string(),
        |s| s.to_string_lossy().into_owned(),
    )
}

/// Reads and parses one letter file: text as it is, a PDF (by its content, whatever its
/// name) through the in-process extractor, bounded in time and memory.
pub fn parse_file(path: &Path) -> Result<crate::letter::Parsed> {
    let bytes = std::fs::read(path).map_err(|e| Error::io_path(e, path))?;
    let source = path.display().to_string();
    let is_pdf = bytes.starts_with(b"%PDF-")
        || path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("pdf"));
    if is_pdf {
        let text = crate::pdf::extract_text(&bytes).map_err(|e| Error::Pdf {
            path: source.clone(),
            source: e,
        })?;
        return crate::letter::parse_file_text(&text, &source, &stem(path));
    }
    crate::letter::parse_bytes(&bytes, &source, &stem(path))
}
