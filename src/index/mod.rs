//! The tantivy index of disputed items: schema (from `index-schema/`), opening with version
//! and lock checks, and the rayon → `IndexWriter` build pipeline.

pub mod builder;
pub mod document;
pub mod facets;
pub mod schema;
pub mod tokenizer;

use crate::error::{Error, Result};
use schema::Fields;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use tantivy::directory::error::LockError;
use tantivy::{Index, TantivyError};

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
    /// Opens an existing index, refusing one written by another schema version.
    pub fn open(dir: &Path) -> Result<ImrIndex> {
        let meta_path = dir.join(META_FILE);
        if !dir.join("meta.json").exists() {
            return Err(if dir.exists() && !is_empty_dir(dir) {
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
        let meta: Meta = std::fs::read_to_string(&meta_path)
            .map_err(|e| Error::io_path(e, &meta_path))
            .and_then(|s| {
                serde_json::from_str(&s).map_err(|e| Error::NotAnIndex {
                    path: dir.to_path_buf(),
                    reason: format!("unreadable {META_FILE}: {e}"),
                })
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
        let index = Index::open_in_dir(dir)
            .map_err(|e| Error::tantivy(format!("{}: cannot open index", dir.display()), e))?;
        ImrIndex::wrap(index, dir)
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
        std::fs::write(
            &meta_path,
            serde_json::to_string_pretty(&meta).expect("meta serializes"),
        )
        .map_err(|e| Error::io_path(e, &meta_path))?;
        let settings = tantivy::IndexSettings {
            docstore_compression: tantivy::store::Compressor::Zstd(
                tantivy::store::ZstdCompressor {
                    compression_level: Some(3),
                },
            ),
            // Larger blocks compress the repetitive letter prose better; a lookup decompresses
            // one block, still well under a millisecond.
            docstore_blocksize: 64 * 1024,
            ..Default::default()
        };
        let index = Index::builder()
            .schema(schema::build_schema())
            .settings(settings)
            .create_in_dir(dir)
            .map_err(|e| Error::tantivy(format!("{}: cannot create index", dir.display()), e))?;
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
fn is_empty_dir(dir: &Path) -> bool {
    std::fs::read_dir(dir)
        .is_ok_and(|d| d.filter_map(|e| e.ok()).all(|e| e.file_name() == META_FILE))
}
