//! Finding letter files and reading them: paths given on the command line, folders walked
//! recursively (symbolic links followed, loop-safe), each file read once and bounded in size.
//!
//! Nothing met on the way stops the walk: an unreadable folder or file is one [`Skip`] line
//! and the rest is still read. Only a path given on the command line that does not exist is
//! an error (the user mistyped it).

use crate::error::{Error, Result};
use std::collections::HashMap;
use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

/// File extensions read as letters.
pub const LETTER_EXTENSIONS: &[&str] = &["txt", "pdf"];

/// The most bytes one text file may hold. A letter is 5–30 KB; a file of several letters
/// (merged PDFs, appended text) is split into them, so the cap is per file and generous —
/// thousands of letters — while one runaway file (a log, a dump, a letter appended to itself
/// for ever) is refused before it is read instead of taking gigabytes. UTF-16 files count
/// their bytes, so hold half as many characters.
pub const MAX_TEXT_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Why a file (or folder) was not indexed, for counting skipped files by reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SkipKind {
    /// Text, but not an IMR determination letter.
    NotALetter,
    /// Nothing but whitespace.
    Empty,
    /// Binary data, or a PDF named `.txt` that is not one.
    NotText,
    /// Over [`MAX_TEXT_FILE_BYTES`], or a PDF over its own limits.
    TooLarge,
    /// The file could not be opened or read (permissions, a broken link, not a regular file).
    Unreadable,
    /// A PDF that gave no text (damaged, encrypted, image-only, too slow).
    UnreadablePdf,
    /// An IMR letter the parser could not read.
    Unparsed,
    /// A folder that could not be listed: not a file, so counted apart from the files.
    UnreadableFolder,
}

impl SkipKind {
    /// In the order the index summary lists them.
    pub const ALL: [SkipKind; 8] = [
        SkipKind::NotALetter,
        SkipKind::Empty,
        SkipKind::NotText,
        SkipKind::TooLarge,
        SkipKind::Unreadable,
        SkipKind::UnreadablePdf,
        SkipKind::Unparsed,
        SkipKind::UnreadableFolder,
    ];

    /// The label in the index summary: "2 skipped (1 not a letter, 1 empty)".
    pub fn as_str(self) -> &'static str {
        match self {
            SkipKind::NotALetter => "not a letter",
            SkipKind::Empty => "empty",
            SkipKind::NotText => "not text",
            SkipKind::TooLarge => "too large",
            SkipKind::Unreadable => "unreadable",
            SkipKind::UnreadablePdf => "unreadable PDF",
            SkipKind::Unparsed => "unparsed",
            SkipKind::UnreadableFolder => "unreadable folder",
        }
    }

    /// The kind of a failure to read or parse one file.
    pub fn of(e: &Error) -> SkipKind {
        use crate::pdf::PdfError;
        match e {
            Error::Io { .. } => SkipKind::Unreadable,
            Error::TooLarge { .. } => SkipKind::TooLarge,
            Error::Pdf { source, .. } => match source {
                PdfError::TooLarge(_) | PdfError::TooManyPages(_) | PdfError::TooMuchText => {
                    SkipKind::TooLarge
                }
                _ => SkipKind::UnreadablePdf,
            },
            Error::Parse { reason, .. } => {
                use crate::letter::text;
                if reason == text::EMPTY {
                    SkipKind::Empty
                } else if reason == text::NOT_TEXT || reason == text::NOT_TEXT_PDF {
                    SkipKind::NotText
                } else if reason.contains("not an IMR determination letter") {
                    SkipKind::NotALetter
                } else {
                    SkipKind::Unparsed
                }
            }
            _ => SkipKind::Unparsed,
        }
    }
}

/// A file or folder that was not indexed: what kind of failure, which path, and the one line
/// a user reads (it names the path).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skip {
    pub kind: SkipKind,
    pub path: String,
    pub message: String,
}

impl Skip {
    pub fn of(e: &Error, path: &Path) -> Skip {
        Skip {
            kind: SkipKind::of(e),
            path: path.display().to_string(),
            message: e.to_string(),
        }
    }

    fn new(kind: SkipKind, path: &Path, why: impl fmt::Display) -> Skip {
        Skip {
            kind,
            path: path.display().to_string(),
            message: format!("{}: {why}", path.display()),
        }
    }
}

impl fmt::Display for Skip {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// What a walk found.
#[derive(Debug, Default)]
pub struct Walk {
    /// Letter files to read, each once, sorted within each folder so runs are repeatable.
    pub files: Vec<PathBuf>,
    /// Files and folders that could not be listed or opened; the walk went on past them.
    pub skipped: Vec<Skip>,
    /// One line each: symbolic-link loops not followed, files reached twice and read once.
    pub notes: Vec<String>,
}

impl Walk {
    /// Files the walk met: those to read and those it could not open (not folders).
    pub fn files_seen(&self) -> usize {
        self.files.len()
            + self
                .skipped
                .iter()
                .filter(|s| s.kind != SkipKind::UnreadableFolder)
                .count()
    }
}

/// Expands files and folders into the letter files under them. Symbolic links are followed,
/// to files and to folders, except a link back to a folder the walk is already inside (a
/// loop: noted, not followed); a file reached by two paths is read once. A path given that
/// does not exist is an error; anything unreadable below it is a [`Skip`] and the walk goes on.
pub fn walk(paths: &[PathBuf]) -> Result<Walk> {
    let mut w = Walk::default();
    // Where each file was first met, by identity (device and inode), not by name.
    let mut seen: HashMap<FileKey, PathBuf> = HashMap::new();
    for path in paths {
        let meta = std::fs::metadata(path).map_err(|e| Error::io_path(e, path))?;
        if meta.is_file() {
            w.add(&mut seen, path.clone(), &meta);
            continue;
        }
        if !meta.is_dir() {
            w.skipped.push(Skip::new(
                SkipKind::Unreadable,
                path,
                "not a regular file or folder",
            ));
            continue;
        }
        for entry in walkdir::WalkDir::new(path)
            .follow_links(true)
            .sort_by_file_name()
        {
            match entry {
                Ok(entry) if entry.file_type().is_dir() => {}
                Ok(entry) if is_letter(entry.path()) => match entry.metadata() {
                    Ok(meta) if meta.is_file() => w.add(&mut seen, entry.into_path(), &meta),
                    Ok(_) => w.skipped.push(Skip::new(
                        SkipKind::Unreadable,
                        entry.path(),
                        "not a regular file",
                    )),
                    Err(e) => w
                        .skipped
                        .push(Skip::new(SkipKind::Unreadable, entry.path(), e)),
                },
                Ok(_) => {}
                Err(e) => w.walk_error(path, e),
            }
        }
    }
    Ok(w)
}

impl Walk {
    fn add(
        &mut self,
        seen: &mut HashMap<FileKey, PathBuf>,
        path: PathBuf,
        meta: &std::fs::Metadata,
    ) {
        match seen.entry(file_key(&path, meta)) {
            std::collections::hash_map::Entry::Occupied(first) => {
                // The same path named twice is no news; two names for one file are.
                if first.get() != &path {
                    self.notes.push(format!(
                        "{}: the same file as {}, read once",
                        path.display(),
                        first.get().display()
                    ));
                }
            }
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(path.clone());
                self.files.push(path);
            }
        }
    }

    fn walk_error(&mut self, root: &Path, e: walkdir::Error) {
        let path = e.path().unwrap_or(root).to_path_buf();
        if let Some(ancestor) = e.loop_ancestor() {
            self.notes.push(format!(
                "{}: a symbolic link back to {}, not followed (a loop)",
                path.display(),
                ancestor.display()
            ));
            return;
        }
        let io = e
            .into_io_error()
            .unwrap_or_else(|| std::io::Error::other("cannot be read"));
        let dangling = std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink());
        if dangling {
            // A link to nothing: a file lost only if it was named as a letter.
            if is_letter(&path) {
                self.skipped.push(Skip::new(
                    SkipKind::Unreadable,
                    &path,
                    format!("a symbolic link to nothing readable ({io})"),
                ));
            }
            return;
        }
        if path.is_dir() || !is_letter(&path) {
            self.skipped.push(Skip::new(
                SkipKind::UnreadableFolder,
                &path,
                format!("cannot read folder: {io}"),
            ));
        } else {
            self.skipped
                .push(Skip::new(SkipKind::Unreadable, &path, io));
        }
    }
}

/// A file's identity: the same file reached through a link or named twice has one key.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum FileKey {
    #[cfg(unix)]
    Inode(u64, u64),
    #[allow(dead_code)]
    Path(PathBuf),
}

fn file_key(path: &Path, meta: &std::fs::Metadata) -> FileKey {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let _ = path;
        FileKey::Inode(meta.dev(), meta.ino())
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        FileKey::Path(std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()))
    }
}

/// The letter files under `paths`, as [`walk`] finds them, leaving out what could not be
/// listed: for callers that learn from letters rather than account for every file.
pub fn letter_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    walk(paths).map(|w| w.files)
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

/// Reads a whole file, refusing one over `limit` bytes before reading it (by its size) and
/// while reading it (a file that grows, or a device that never ends).
fn read_bounded(path: &Path, limit: u64) -> Result<Vec<u8>> {
    let file = std::fs::File::open(path).map_err(|e| Error::io_path(e, path))?;
    let size = file.metadata().map_err(|e| Error::io_path(e, path))?.len();
    let too_large = |size: u64| Error::TooLarge {
        path: path.display().to_string(),
        size,
        limit,
    };
    if size > limit {
        return Err(too_large(size));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io_path(e, path))?;
    if bytes.len() as u64 > limit {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

/// Reads and parses one letter file: text (UTF-8, UTF-16 or Windows-1252, at most
/// [`MAX_TEXT_FILE_BYTES`]) or a PDF (by its content, whatever its name) through the
/// in-process extractor, bounded in time and memory.
pub fn parse_file(path: &Path) -> Result<crate::letter::Parsed> {
    let named_pdf = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("pdf"));
    // A PDF has its own, smaller cap (and message).
    let limit = if named_pdf {
        crate::pdf::MAX_PDF_BYTES
    } else {
        MAX_TEXT_FILE_BYTES
    };
    let bytes = read_bounded(path, limit).map_err(|e| match e {
        Error::TooLarge { path, size, .. } if named_pdf => Error::Pdf {
            path,
            source: crate::pdf::PdfError::TooLarge(size),
        },
        e => e,
    })?;
    let source = path.display().to_string();
    if named_pdf || bytes.starts_with(b"%PDF-") {
        let text = crate::pdf::extract_text(&bytes).map_err(|e| Error::Pdf {
            path: source.clone(),
            source: e,
        })?;
        return crate::letter::parse_file_text(&text, &source, &stem(path));
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
