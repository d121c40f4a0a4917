//! The tantivy index of disputed items: schema (from `index-schema/`), opening with version,
//! lock and damage checks, and the rayon → `IndexWriter` build pipeline.

pub mod builder;
pub mod directory;
pub mod document;
pub mod facets;
pub mod guard;
pub mod lock;
pub mod schema;
pub mod tokenizer;

pub use guard::{guard, guard_command};

use crate::error::{Error, Result};
use schema::Fields;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use tantivy::directory::error::LockError;
use tantivy::{Directory, Index, TantivyError};

/// The file beside tantivy's own that says which imr schema wrote the index.
pub const META_FILE: &str = "imr-index.json";

#[derive(Debug, Serialize, Deserialize)]
struct Meta {
    schema_version: u32,
    /// Fingerprint of the synonym table whose concept tokens the index holds.
    #[serde(default)]
    concepts: u64,
    written_by: String,
}

/// An open index with its field handles.
pub struct ImrIndex {
    pub index: Index,
    pub fields: Fields,
    pub dir: PathBuf,
}

/// Where the index lives: `--index DIR`, else `$IMR_INDEX`, else the per-user data directory
/// (see `crate::location`).
pub fn default_dir(flag: Option<&Path>) -> PathBuf {
    crate::location::index_dir(flag)
}

impl ImrIndex {
    /// Opens an existing index, refusing one written by another schema version, and one
    /// whose files are visibly damaged ([`Error::Damaged`]: a missing or unreadable meta
    /// file, a segment file missing or cut short). Needs only read access to `dir`.
    pub fn open(dir: &Path) -> Result<ImrIndex> {
        guard::note_opened(dir);
        let meta_path = dir.join(META_FILE);
        if !dir.join("meta.json").exists() {
            return Err(if looks_like_index(dir) {
                Error::damaged(dir, "tantivy's meta.json is missing")
            } else if dir.exists() && !is_empty_dir(dir) {
                Error::NotAnIndex {
                    path: dir.to_path_buf(),
                    reason: "not an imr index (no meta.json)".into(),
                }
            } else {
                Error::NoIndex {
                    path: dir.to_path_buf(),
                }
            });
        }
        let text = match std::fs::read_to_string(&meta_path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(Error::damaged(dir, format!("{META_FILE} is missing")))
            }
            Err(e) if e.kind() == std::io::ErrorKind::InvalidData => {
                return Err(Error::damaged(dir, format!("{META_FILE} is not text")))
            }
            Err(e) => return Err(Error::io_path(e, &meta_path)),
        };
        let meta: Meta = serde_json::from_str(&text).map_err(|e| {
            Error::damaged(
                dir,
                format!(
                    "{META_FILE} is unreadable: {}",
                    guard::one_line(&e.to_string())
                ),
            )
        })?;
        if meta.schema_version != schema::version() {
            return Err(Error::SchemaVersion {
                path: dir.to_path_buf(),
                found: meta.schema_version,
                needed: schema::version(),
            });
        }
        if meta.concepts != schema::concepts_fingerprint() {
            return Err(Error::ConceptTable {
                path: dir.to_path_buf(),
            });
        }
        guard::guard(dir, || {
            // A folder that cannot be opened (permissions) is not damage: no classification.
            let directory = directory::ImrDirectory::open(dir).map_err(|e| {
                Error::tantivy(
                    format!("{}: cannot open index", dir.display()),
                    TantivyError::OpenDirectoryError(e),
                )
            })?;
            let index = Index::open(directory)
                .map_err(|e| Error::tantivy(format!("{}: cannot open index", dir.display()), e))?;
            // meta.json holds the schema the index was written with: imr-index.json vouched
            // for the version, so any difference is an altered meta.json (tantivy would read
            // fields with the wrong options, and the queries fail in odd ways).
            if index.schema() != schema::build_schema() {
                return Err(Error::damaged(
                    dir,
                    format!(
                        "meta.json's schema is not imr's schema v{}",
                        schema::version()
                    ),
                ));
            }
            check_segment_files(dir, &index)?;
            ImrIndex::wrap(index, dir)
        })
    }

    fn wrap(index: Index, dir: &Path) -> Result<ImrIndex> {
        schema::register_tokenizers(&index);
        let fields = Fields::resolve(&index.schema())?;
        Ok(ImrIndex {
            index,
            fields,
            dir: dir.to_path_buf(),
        })
    }

    /// Creates a new, empty index in `dir` (which must not exist or be empty, but for the
    /// version file of a creation that was interrupted).
    pub fn create(dir: &Path) -> Result<ImrIndex> {
        if dir.exists() && !is_empty_dir(dir) {
            return Err(Error::NotAnIndex {
                path: dir.to_path_buf(),
                reason: "exists and is not empty; choose another --index or remove it".into(),
            });
        }
        std::fs::create_dir_all(dir).map_err(|e| Error::io_path(e, dir))?;
        // The version file first: a dir with tantivy's meta.json always says its version.
        let meta = Meta {
            schema_version: schema::version(),
            concepts: schema::concepts_fingerprint(),
            written_by: format!("imr {}", env!("CARGO_PKG_VERSION")),
        };
        let meta_path = dir.join(META_FILE);
        let text = serde_json::to_string_pretty(&meta)
            .map_err(|e| Error::Other(format!("{META_FILE} does not serialize: {e}")))?;
        std::fs::write(&meta_path, text).map_err(|e| Error::io_path(e, &meta_path))?;
        let settings = tantivy::IndexSettings {
            // lz4, not zstd: a page of hits decompresses a block per hit, and zstd's
            // per-call decompressor set-up cost more than the decompression (schema v6).
            docstore_compression: tantivy::store::Compressor::Lz4,
            // Blocks of a few items: a lookup decompresses one block.
            docstore_blocksize: 32 * 1024,
            ..Default::default()
        };
        let cannot = |e| Error::tantivy(format!("{}: cannot create index", dir.display()), e);
        let directory = directory::ImrDirectory::open(dir)
            .map_err(|e| cannot(TantivyError::OpenDirectoryError(e)))?;
        let index = Index::builder()
            .schema(schema::build_schema())
            .settings(settings)
            // `create` is crate-private: on the empty folder checked above this creates.
            .open_or_create(directory)
            .map_err(cannot)?;
        ImrIndex::wrap(index, dir)
    }

    /// A writer, or a clear error when another process holds the lock.
    pub fn writer(&self, threads: usize, budget: usize) -> Result<tantivy::IndexWriter> {
        self.index
            .writer_with_num_threads(threads, budget)
            .map_err(|e| match e {
                TantivyError::LockFailure(LockError::LockBusy, _) => Error::Locked {
                    path: self.dir.clone(),
                },
                e => Error::tantivy(format!("{}: cannot open a writer", self.dir.display()), e),
            })
    }

    /// Number of items (live documents) in the last commit.
    pub fn num_items(&self) -> Result<u64> {
        let reader = self
            .index
            .reader()
            .map_err(|e| Error::tantivy("cannot open a reader", e))?;
        Ok(reader.searcher().num_docs())
    }
}

/// Empty, or holding only our version file (a creation interrupted before tantivy's files).
pub(crate) fn is_empty_dir(dir: &Path) -> bool {
    std::fs::read_dir(dir)
        .is_ok_and(|d| d.filter_map(|e| e.ok()).all(|e| e.file_name() == META_FILE))
}

/// Every file the last commit's segments list is present and ends in a whole tantivy footer.
/// This reads a few hundred bytes per file (tantivy maps the files, and its footer check reads
/// the end), not the files: a cut or deleted file is caught
/// here with its name, while damage inside a file shows when tantivy reads it (see
/// [`guard`]). tantivy's own checksums (`Index::validate_checksum`) would read the whole
/// index, gigabytes for a large one, on every search.
fn check_segment_files(dir: &Path, index: &Index) -> Result<()> {
    let meta = index
        .load_metas()
        .map_err(|e| Error::tantivy(format!("{}: cannot read meta.json", dir.display()), e))?;
    // tantivy lists a delete file for every segment; only segments with deletes have one.
    let no_delete_file: std::collections::HashSet<PathBuf> = meta
        .segments
        .iter()
        .filter(|s| !s.has_deletes())
        .map(|s| s.relative_path(tantivy::index::SegmentComponent::Delete))
        .collect();
    let mut files: Vec<PathBuf> = meta
        .list_segment_files()
        .into_iter()
        .filter(|f| !no_delete_file.contains(f))
        .collect();
    files.sort();
    let directory = index.directory();
    for file in files {
        // tantivy reads the last 8 bytes (footer length, magic number) without checking that
        // there are 8: a shorter file panics inside it.
        let path = dir.join(&file);
        match std::fs::metadata(&path) {
            Ok(m) if m.len() < 8 => {
                return Err(Error::damaged(
                    dir,
                    format!("{} is cut short ({} bytes)", file.display(), m.len()),
                ))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(Error::damaged(
                    dir,
                    format!("{} is missing", file.display()),
                ))
            }
            _ => {}
        }
        // The managed directory checks the footer (magic number, length, version) as it
        // opens the file.
        directory.open_read(&file).map_err(|e| {
            Error::tantivy(
                format!("{}: cannot open {}", dir.display(), file.display()),
                e.into(),
            )
        })?;
    }
    for segment in &meta.segments {
        check_fast_fields(dir, directory, segment)?;
    }
    Ok(())
}

/// A segment's fast-field file against meta.json and against itself: its row count is the
/// segment's `max_doc` (one that disagrees makes tantivy read past every per-document
/// structure, count documents that do not exist, or panic), and no column's dictionary claims
/// more terms than the file has bytes (the facet code sizes buffers by that count: a flipped
/// bit there asked for 137 GB, and a failed allocation aborts the process, past any guard).
fn check_fast_fields(
    dir: &Path,
    directory: &tantivy::directory::ManagedDirectory,
    segment: &tantivy::index::SegmentMeta,
) -> Result<()> {
    use tantivy::columnar::{ColumnarReader, DynamicColumn};
    let fast = segment.relative_path(tantivy::index::SegmentComponent::FastFields);
    let damaged = |what: String| Error::damaged(dir, format!("{}: {what}", fast.display()));
    let slice = directory.open_read(&fast).map_err(|e| {
        Error::tantivy(
            format!("{}: cannot open {}", dir.display(), fast.display()),
            e.into(),
        )
    })?;
    let bytes = tantivy::HasLen::len(&slice) as u64;
    let columnar =
        ColumnarReader::open(slice).map_err(|e| damaged(guard::one_line(&e.to_string())))?;
    let rows = columnar.num_docs();
    if rows != segment.max_doc() {
        return Err(Error::damaged(
            dir,
            format!(
                "meta.json gives segment {} {} documents, its files hold {rows}",
                segment.id().short_uuid_string(),
                segment.max_doc()
            ),
        ));
    }
    let columns = columnar
        .list_columns()
        .map_err(|e| damaged(guard::one_line(&e.to_string())))?;
    for (name, handle) in columns {
        let column = handle.open().map_err(|e| {
            damaged(format!(
                "column {name}: {}",
                guard::one_line(&e.to_string())
            ))
        })?;
        let terms = match &column {
            DynamicColumn::Str(c) => c.dictionary().num_terms(),
            DynamicColumn::Bytes(c) => c.dictionary().num_terms(),
            _ => 0,
        };
        if terms as u64 > bytes {
            return Err(damaged(format!(
                "column {name} claims {terms} terms in {bytes} bytes"
            )));
        }
    }
    Ok(())
}

/// A directory whose every entry is a file an imr index holds (tantivy's meta and segment
/// files, imr's version file, the lock files): an index, perhaps damaged, that `--rebuild`
/// may replace. A folder holding anything else is refused, in case it is the user's.
pub fn looks_like_index(dir: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    let mut any = false;
    for entry in entries {
        let Ok(entry) = entry else { return false };
        let name = entry.file_name().to_string_lossy().into_owned();
        let is_segment_file = name.split_once('.').is_some_and(|(id, ext)| {
            id.len() == 32
                && id.bytes().all(|b| b.is_ascii_hexdigit())
                && ext
                    .split('.')
                    .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_alphanumeric()))
        });
        let is_index_file = is_segment_file
            || [
                META_FILE,
                "meta.json",
                ".managed.json",
                ".tantivy-meta.lock",
                ".tantivy-writer.lock",
            ]
            .contains(&name.as_str())
            || (name.starts_with(".meta.json.") || name.starts_with(".managed.json."))
                && name.ends_with(".tmp");
        if !is_index_file || !entry.file_type().is_ok_and(|t| t.is_file()) {
            return false;
        }
        any = true;
    }
    any
}
