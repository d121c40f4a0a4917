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
        let letter = crate::letter::parse_text(&text, &source, &stem(path))?;
        return Ok(crate::letter::Parsed {
            letter,
            lossy: false,
        });
    }
    crate::letter::parse_bytes(&bytes, &source, &stem(path))
}

/// Writes `path` whole or not at all: into a hidden temporary file beside it (same folder,
/// so the rename cannot cross file systems), renamed over `path` once every byte is written
/// and synced. On any failure the temporary file is removed, `path` is left as it was, and
/// the error names `path`.
pub fn write_whole(
    path: &Path,
    write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> Result<()> {
    use std::io::{BufWriter, Error as IoError, ErrorKind};
    let name = path.file_name().ok_or_else(|| {
        Error::io_path(
            IoError::new(ErrorKind::InvalidInput, "not a file name"),
            path,
        )
    })?;
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let tmp = dir.join(format!(
        ".{}.imr-{}.tmp",
        name.to_string_lossy(),
        std::process::id()
    ));
    let result = (|| {
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        let mut w = BufWriter::new(file);
        write(&mut w)?;
        let file = w.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    result.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::io_path(e, path)
    })
}
