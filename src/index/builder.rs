//! Building and updating an index: files are read, parsed and turned into documents in
//! parallel (rayon, a chunk of letters at a time, running ahead of the writer), fed in input
//! order to one `IndexWriter`, and the writer commits every `batch_letters` letters so a crash
//! loses at most one batch. Re-indexing a letter deletes its items by `letter_id` first, in
//! the same commit, so running the same command twice leaves the same documents. Every build
//! holds the index's write lock (`lock.rs`) from start to end, rebuilds included.

use super::document::to_document;
use super::guard::guard;
use super::lock::{Siblings, WriteLock};
use super::schema::Fields;
use super::ImrIndex;
use crate::error::{Error, Result};
use crate::files;
use crate::record::Item;
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use tantivy::indexer::UserOperation;
use tantivy::{TantivyDocument, Term};

/// How progress is shown on stderr.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProgressMode {
    /// An indicatif bar (stderr is a terminal).
    Bar,
    /// One plain line per commit (stderr is a pipe or a file: logs, CI).
    Lines,
    Quiet,
}

#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Build a fresh index beside the old one and swap it in when done.
    pub rebuild: bool,
    pub progress: ProgressMode,
    /// Commit after this many letters.
    pub batch_letters: usize,
    /// Indexing threads of the writer.
    pub threads: usize,
    /// The writer's memory budget in bytes, shared by its threads.
    pub memory_budget: usize,
}

impl Default for BuildOptions {
    fn default() -> Self {
        BuildOptions {
            rebuild: false,
            progress: ProgressMode::Quiet,
            batch_letters: 5_000,
            threads: std::thread::available_parallelism()
                .map_or(2, |n| n.get())
                .clamp(1, 8),
            memory_budget: 256 << 20,
        }
    }
}

/// What a build did.
#[derive(Debug, Default)]
pub struct BuildReport {
    pub files: usize,
    pub letters: usize,
    pub items: usize,
    pub bytes: u64,
    /// "path: reason" for each file that was not indexed.
    pub skipped: Vec<String>,
    /// Files read leniently as Windows-1252.
    pub warnings: Vec<String>,
    /// Letters that replaced items already in the index (same letter id).
    pub replaced: usize,
    pub elapsed: Duration,
    /// Items in the index after the last commit.
    pub total_items: u64,
}

impl BuildReport {
    pub fn mb_per_sec(&self) -> f64 {
        self.bytes as f64 / 1e6 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

/// Indexes the letters under `paths` into the index at `dir`, creating it if needed.
///
/// The whole run holds the index's write lock ([`WriteLock`]): a second `imr index` or
/// `--rebuild` on the same index gets [`Error::Locked`] rather than racing this one. Folders
/// left by killed rebuilds are cleaned up first. A damaged index is [`Error::Damaged`], which
/// names the rebuild; `--rebuild` accepts a damaged index (or one missing its meta files) as
/// long as the folder holds nothing but index files.
pub fn build(dir: &Path, paths: &[PathBuf], opts: &BuildOptions) -> Result<BuildReport> {
    let files = files::letter_files(paths)?;
    let lock = WriteLock::acquire(dir)?;
    lock.clean_leftovers()?;
    if !opts.rebuild {
        return guard(dir, || {
            let index = if dir.join("meta.json").exists()
                || (super::looks_like_index(dir) && !super::is_empty_dir(dir))
            {
                ImrIndex::open(dir)?
            } else {
                ImrIndex::create(dir)?
            };
            index_files(&index, &files, opts)
        });
    }
    rebuild(dir, &lock.siblings, &files, opts)
}

/// Builds a fresh index beside the old one and swaps it in when done: a failed rebuild
/// leaves the old index as it was.
fn rebuild(
    dir: &Path,
    siblings: &Siblings,
    files: &[PathBuf],
    opts: &BuildOptions,
) -> Result<BuildReport> {
    if dir.exists()
        && !dir.join(super::META_FILE).exists()
        && !super::looks_like_index(dir)
        && std::fs::read_dir(dir).is_ok_and(|mut d| d.next().is_some())
    {
        return Err(Error::NotAnIndex {
            path: dir.to_path_buf(),
            reason: "exists and is not an imr index; --rebuild only replaces an imr index".into(),
        });
    }
    let pid = std::process::id();
    let fresh = siblings.rebuild(pid);
    if fresh.exists() {
        std::fs::remove_dir_all(&fresh).map_err(|e| Error::io_path(e, &fresh))?;
    }
    let index = ImrIndex::create(&fresh)?;
    let report = match index_files(&index, files, opts) {
        Ok(r) => r,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&fresh);
            return Err(e);
        }
    };
    drop(index);
    // Two renames, not one atomic exchange: a process killed between them leaves the old
    // index in `old` and the complete new one in `fresh`, which the next run's
    // `clean_leftovers` finishes swapping.
    let old = siblings.old(pid);
    if dir.exists() {
        std::fs::rename(dir, &old).map_err(|e| Error::io_path(e, dir))?;
    }
    std::fs::rename(&fresh, dir).map_err(|e| Error::io_path(e, &fresh))?;
    if old.exists() {
        std::fs::remove_dir_all(&old).map_err(|e| Error::io_path(e, &old))?;
    }
    Ok(report)
}

/// Letters parsed (in parallel) before their documents are handed to the writer.
const PARSE_CHUNK: usize = 1_000;

/// A letter parsed and turned into documents (in parallel), ready to add.
struct Parsed {
    letter_id: String,
    documents: Vec<TantivyDocument>,
}

/// One file's letters (a file may hold several), or why it was not read.
struct ParsedFile {
    source: String,
    bytes: u64,
    outcome: std::result::Result<Vec<Parsed>, String>,
    lossy: bool,
    warnings: Vec<String>,
}

/// Reads, parses and turns one file into documents (on the rayon pool).
fn parse_one(f: &Fields, path: &Path) -> ParsedFile {
    let bytes = std::fs::metadata(path).map_or(0, |m| m.len());
    let source = path.display().to_string();
    match files::parse_file(path) {
        Ok(p) => ParsedFile {
            source,
            bytes,
            lossy: p.lossy,
            warnings: p.warnings,
            outcome: Ok(p
                .letters
                .into_iter()
                .map(|letter| {
                    let items: Vec<Item> = letter.into_items();
                    Parsed {
                        letter_id: items
                            .first()
                            .map(|i| i.letter_id.clone())
                            .unwrap_or_default(),
                        documents: items.iter().map(|i| to_document(f, i)).collect(),
                    }
                })
                .collect()),
        },
        Err(e) => ParsedFile {
            source,
            bytes,
            outcome: Err(e.to_string()),
            lossy: false,
            warnings: Vec::new(),
        },
    }
}

/// Adds one file's letters, each replacing what the index held under its letter id.
fn add_file(
    writer: &mut tantivy::IndexWriter,
    searcher: &tantivy::Searcher,
    f: &Fields,
    report: &mut BuildReport,
    p: ParsedFile,
) -> Result<()> {
    let letters = match p.outcome {
        Ok(letters) => letters,
        Err(reason) => {
            report.skipped.push(reason);
            return Ok(());
        }
    };
    if p.lossy {
        report.warnings.push(format!(
            "{}: not valid UTF-8, read as Windows-1252",
            p.source
        ));
    }
    report.warnings.extend(p.warnings);
    for letter in letters {
        add_letter(writer, searcher, f, report, &p.source, letter)?;
    }
    Ok(())
}

/// Replaces a letter's items: its delete and its adds as one batch, so they go in order to
/// one indexing thread (whose analyzer then reads the shared summary once).
fn add_letter(
    writer: &mut tantivy::IndexWriter,
    searcher: &tantivy::Searcher,
    f: &Fields,
    report: &mut BuildReport,
    source: &str,
    letter: Parsed,
) -> Result<()> {
    let Parsed {
        letter_id,
        documents,
    } = letter;
    if documents.is_empty() {
        return Ok(());
    }
    let term = Term::from_field_text(f.letter_id, &letter_id);
    if searcher
        .doc_freq(&term)
        .map_err(|e| Error::tantivy("doc_freq", e))?
        > 0
    {
        report.replaced += 1;
    }
    report.letters += 1;
    report.items += documents.len();
    let mut ops = Vec::with_capacity(documents.len() + 1);
    ops.push(UserOperation::Delete(term));
    ops.extend(documents.into_iter().map(UserOperation::Add));
    writer
        .run(ops)
        .map_err(|e| Error::tantivy(format!("{source}: cannot add"), e))?;
    Ok(())
}

fn commit(writer: &mut tantivy::IndexWriter, index: &ImrIndex) -> Result<()> {
    if let Err(e) = writer.commit() {
        let _ = writer.rollback();
        return Err(Error::tantivy(
            format!(
                "{}: commit failed, rolled back to the last commit",
                index.dir.display()
            ),
            e,
        ));
    }
    Ok(())
}

fn show_progress(
    mode: ProgressMode,
    bar: Option<&ProgressBar>,
    report: &BuildReport,
    files: usize,
) {
    match mode {
        ProgressMode::Lines => eprintln!(
            "imr index: committed {}/{} files, {} items, {:.1} MB/s",
            report.letters + report.skipped.len(),
            files,
            report.items,
            report.mb_per_sec()
        ),
        ProgressMode::Bar => {
            if let Some(bar) = bar {
                bar.set_message(format!(
                    "{}/{} files, {} items",
                    report.letters + report.skipped.len(),
                    files,
                    report.items
                ));
            }
        }
        ProgressMode::Quiet => {}
    }
}

fn index_files(index: &ImrIndex, files: &[PathBuf], opts: &BuildOptions) -> Result<BuildReport> {
    let start = Instant::now();
    let mut writer = index.writer(opts.threads, opts.memory_budget)?;
    let f = index.fields;
    let total_bytes: u64 = files
        .iter()
        .map(|p| std::fs::metadata(p).map_or(0, |m| m.len()))
        .sum();
    let bar = match opts.progress {
        ProgressMode::Bar => {
            let bar = ProgressBar::new(total_bytes);
            bar.set_style(
                ProgressStyle::with_template(
                    "{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} {binary_bytes_per_sec} ETA {eta} {msg}",
                )
                .expect("static template")
                .progress_chars("=> "),
            );
            Some(bar)
        }
        _ => None,
    };
    let mut report = BuildReport {
        files: files.len(),
        ..Default::default()
    };
    let searcher = index
        .index
        .reader()
        .map_err(|e| Error::tantivy("cannot open a reader", e))?
        .searcher();
    // Parsing runs ahead on the rayon pool (a chunk at a time, at most two chunks waiting)
    // while this thread hands documents to the writer and commits every `batch_letters`
    // letters: parsing and indexing overlap, and memory holds a few chunks, not a batch.
    let batch_letters = opts.batch_letters.max(1);
    std::thread::scope(|scope| -> Result<()> {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<ParsedFile>>(2);
        scope.spawn(move || {
            for chunk in files.chunks(PARSE_CHUNK.min(batch_letters)) {
                let parsed: Vec<ParsedFile> =
                    chunk.par_iter().map(|path| parse_one(&f, path)).collect();
                if tx.send(parsed).is_err() {
                    return;
                }
            }
        });
        let mut since_commit = 0;
        let mut seen = 0;
        // Deletes and adds in input order, one letter at a time, so a letter that appears
        // twice (or is already indexed) ends up exactly once.
        for parsed in rx {
            for p in parsed {
                seen += 1;
                since_commit += 1;
                report.bytes += p.bytes;
                if let Some(bar) = &bar {
                    bar.inc(p.bytes);
                }
                add_file(&mut writer, &searcher, &f, &mut report, p)?;
                if since_commit >= batch_letters || seen == files.len() {
                    since_commit = 0;
                    commit(&mut writer, index)?;
                    report.elapsed = start.elapsed();
                    show_progress(opts.progress, bar.as_ref(), &report, files.len());
                }
            }
        }
        Ok(())
    })?;
    if files.is_empty() {
        writer
            .commit()
            .map_err(|e| Error::tantivy("commit failed", e))?;
    }
    writer
        .wait_merging_threads()
        .map_err(|e| Error::tantivy("merging segments failed", e))?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    report.elapsed = start.elapsed();
    report.total_items = index.num_items()?;
    Ok(report)
}
