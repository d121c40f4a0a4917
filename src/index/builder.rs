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
use crate::files::{self, Skip, SkipKind};
use crate::record::{Item, Layout};
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use tantivy::collector::TopDocs;
use tantivy::indexer::UserOperation;
use tantivy::query::TermQuery;
use tantivy::schema::{IndexRecordOption, Value};
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

/// What a build did. The counts reconcile: `files` = files read + files skipped (skips
/// other than unreadable folders); `letters` = the sum of `split` and `whole`.
#[derive(Debug, Default)]
pub struct BuildReport {
    /// Files met: read, or skipped with a reason (folders are not files).
    pub files: usize,
    /// Letters indexed (a file may hold several), in all layouts.
    pub letters: usize,
    pub items: usize,
    pub bytes: u64,
    /// Letters indexed item by item, per layout.
    pub split: HashMap<Layout, usize>,
    /// Letters indexed as one whole-letter document (items not splittable), per layout.
    pub whole: HashMap<Layout, usize>,
    /// Each file or folder that was not indexed, with its kind of failure.
    pub skipped: Vec<Skip>,
    /// One line each: lenient decodings, letters that replaced another file's copy, and
    /// whatever the parser noticed.
    pub warnings: Vec<String>,
    /// What the walk noticed without losing anything: links not followed, files met twice.
    pub notes: Vec<String>,
    /// Letters that replaced items an earlier run had indexed (same letter id).
    pub replaced: usize,
    /// Letters that replaced a copy read earlier in this same run (same letter id).
    pub duplicates: usize,
    pub elapsed: Duration,
    /// Items in the index after the last commit.
    pub total_items: u64,
}

impl BuildReport {
    pub fn mb_per_sec(&self) -> f64 {
        self.bytes as f64 / 1e6 / self.elapsed.as_secs_f64().max(1e-9)
    }

    /// Files skipped, folders apart.
    pub fn files_skipped(&self) -> usize {
        self.skipped
            .iter()
            .filter(|s| s.kind != SkipKind::UnreadableFolder)
            .count()
    }

    /// Files read: those met less those skipped.
    pub fn files_read(&self) -> usize {
        self.files - self.files_skipped()
    }

    /// Skips per kind, in [`SkipKind::ALL`] order, kinds that occurred only.
    pub fn skipped_by_kind(&self) -> Vec<(SkipKind, usize)> {
        SkipKind::ALL
            .into_iter()
            .map(|k| (k, self.skipped.iter().filter(|s| s.kind == k).count()))
            .filter(|&(_, n)| n > 0)
            .collect()
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
    let walk = files::walk(paths)?;
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
            index_files(&index, walk, opts)
        });
    }
    rebuild(dir, &lock.siblings, walk, opts)
}

/// Builds a fresh index beside the old one and swaps it in when done: a failed rebuild
/// leaves the old index as it was.
fn rebuild(
    dir: &Path,
    siblings: &Siblings,
    walk: files::Walk,
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
    let report = match index_files(&index, walk, opts) {
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
    layout: Layout,
    whole: bool,
    documents: Vec<TantivyDocument>,
}

/// One file's letters (a file may hold several), or why it was not read.
struct ParsedFile {
    source: String,
    bytes: u64,
    outcome: std::result::Result<Vec<Parsed>, Skip>,
    lossy: bool,
    warnings: Vec<String>,
}

/// A letter's documents, with what the report counts it by.
fn to_parsed(f: &Fields, letter: crate::record::Letter) -> Parsed {
    let (layout, whole) = (letter.layout, letter.whole);
    let items: Vec<Item> = letter.into_items();
    Parsed {
        letter_id: items
            .first()
            .map(|i| i.letter_id.clone())
            .unwrap_or_default(),
        layout,
        whole,
        documents: items.iter().map(|i| to_document(f, i)).collect(),
    }
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
            outcome: Ok(p.letters.into_iter().map(|l| to_parsed(f, l)).collect()),
        },
        Err(e) => ParsedFile {
            source,
            bytes,
            outcome: Err(Skip::of(&e, path)),
            lossy: false,
            warnings: Vec::new(),
        },
    }
}

/// What adding letters needs besides the report: the writer, the index as it was before
/// this run (to name the file a replaced letter came from), and where each letter id was
/// read in this run.
struct Adder<'a> {
    writer: &'a mut tantivy::IndexWriter,
    searcher: &'a tantivy::Searcher,
    f: &'a Fields,
    /// Letter id → the file it was read from in this run.
    seen: HashMap<String, String>,
}

impl Adder<'_> {
    /// Adds one file's letters, each replacing what the index held under its letter id.
    fn add_file(&mut self, report: &mut BuildReport, p: ParsedFile) -> Result<()> {
        let letters = match p.outcome {
            Ok(letters) => letters,
            Err(skip) => {
                report.skipped.push(skip);
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
            self.add_letter(report, &p.source, letter)?;
        }
        Ok(())
    }

    /// Replaces a letter's items: its delete and its adds as one batch, so they go in order
    /// to one indexing thread (whose analyzer then reads the shared summary once).
    fn add_letter(&mut self, report: &mut BuildReport, source: &str, letter: Parsed) -> Result<()> {
        let Parsed {
            letter_id,
            layout,
            whole,
            documents,
        } = letter;
        if documents.is_empty() {
            return Ok(());
        }
        let term = Term::from_field_text(self.f.letter_id, &letter_id);
        // The later copy of a letter replaces the earlier one, whichever run read it; the
        // user hears which files when they differ (re-indexing the same file is routine).
        if let Some(earlier) = self.seen.insert(letter_id.clone(), source.to_string()) {
            report.duplicates += 1;
            report.warnings.push(if earlier == source {
                format!("{source}: holds two letters {letter_id}; the later replaces the earlier")
            } else {
                format!("{letter_id}: {source} replaces {earlier} (same letter read twice)")
            });
        } else if let Some(stored) = self.indexed_source(&term)? {
            report.replaced += 1;
            if !same_file(&stored, source) {
                report.warnings.push(format!(
                    "{letter_id}: {source} replaces {stored} (indexed before)"
                ));
            }
        }
        report.letters += 1;
        *if whole {
            &mut report.whole
        } else {
            &mut report.split
        }
        .entry(layout)
        .or_default() += 1;
        report.items += documents.len();
        let mut ops = Vec::with_capacity(documents.len() + 1);
        ops.push(UserOperation::Delete(term));
        ops.extend(documents.into_iter().map(UserOperation::Add));
        self.writer
            .run(ops)
            .map_err(|e| Error::tantivy(format!("{source}: cannot add"), e))?;
        Ok(())
    }

    /// The file a letter id was indexed from before this run, if it was.
    fn indexed_source(&self, term: &Term) -> Result<Option<String>> {
        let cannot = |e| Error::tantivy("cannot look up a letter already indexed", e);
        // doc_freq is a cheap first test (new letters stop here); it counts deleted
        // documents too, which the search below does not.
        if self.searcher.doc_freq(term).map_err(cannot)? == 0 {
            return Ok(None);
        }
        let query = TermQuery::new(term.clone(), IndexRecordOption::Basic);
        let top = self
            .searcher
            .search(&query, &TopDocs::with_limit(1).order_by_score())
            .map_err(cannot)?;
        let Some((_, address)) = top.first() else {
            return Ok(None);
        };
        let doc: TantivyDocument = self.searcher.doc(*address).map_err(cannot)?;
        Ok(Some(
            doc.get_first(self.f.source)
                .and_then(|v| v.as_str())
                .unwrap_or("an earlier run")
                .to_string(),
        ))
    }
}

/// Whether two sources name one file: the same text, or (paths given another way in another
/// run: relative, through a link) the same file on disk now.
fn same_file(a: &str, b: &str) -> bool {
    a == b
        || matches!(
            (std::fs::canonicalize(a), std::fs::canonicalize(b)),
            (Ok(x), Ok(y)) if x == y
        )
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
    done: usize,
    files: usize,
) {
    match mode {
        ProgressMode::Lines => eprintln!(
            "imr index: committed {}/{} files, {} items, {:.1} MB/s",
            done,
            files,
            report.items,
            report.mb_per_sec()
        ),
        ProgressMode::Bar => {
            if let Some(bar) = bar {
                bar.set_message(format!("{}/{} files, {} items", done, files, report.items));
            }
        }
        ProgressMode::Quiet => {}
    }
}

fn index_files(index: &ImrIndex, walk: files::Walk, opts: &BuildOptions) -> Result<BuildReport> {
    let start = Instant::now();
    let files_seen = walk.files_seen();
    let files::Walk {
        files,
        skipped,
        notes,
    } = walk;
    let files: &[PathBuf] = &files;
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
        files: files_seen,
        skipped,
        notes,
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
        let mut adder = Adder {
            writer: &mut writer,
            searcher: &searcher,
            f: &f,
            seen: HashMap::new(),
        };
        let mut since_commit = 0;
        let mut done = 0;
        // Deletes and adds in input order, one letter at a time, so a letter that appears
        // twice (or is already indexed) ends up exactly once.
        for parsed in rx {
            for p in parsed {
                done += 1;
                report.bytes += p.bytes;
                if let Some(bar) = &bar {
                    bar.inc(p.bytes);
                }
                let before = report.letters;
                adder.add_file(&mut report, p)?;
                // A file of several letters counts each; a skipped file counts one.
                since_commit += (report.letters - before).max(1);
                if since_commit >= batch_letters || done == files.len() {
                    since_commit = 0;
                    commit(adder.writer, index)?;
                    report.elapsed = start.elapsed();
                    show_progress(opts.progress, bar.as_ref(), &report, done, files.len());
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Two letters under one case number in one file (a letter saved twice into a merged
    /// file): the later replaces the earlier, and the warning says so. Built here rather
    /// than end to end because which letters a file holds is the parser's business.
    #[test]
    fn two_letters_with_one_id_in_one_file_leave_one_and_a_warning() {
        let tmp = tempfile::tempdir().unwrap();
        let index = ImrIndex::create(&tmp.path().join("ix")).unwrap();
        let mut writer = index.writer(1, 16 << 20).unwrap();
        let searcher = index.index.reader().unwrap().searcher();
        let f = index.fields;
        let text = format!(
            "Case Number: CM99-0000001\n{}",
            include_str!("../../corpora/seeds/004_8d13912140871e79.txt")
        );
        let letter = || {
            to_parsed(
                &f,
                crate::letter::parse_text(&text, "two.txt", "two").unwrap(),
            )
        };
        let file = ParsedFile {
            source: "two.txt".into(),
            bytes: 0,
            outcome: Ok(vec![letter(), letter()]),
            lossy: false,
            warnings: Vec::new(),
        };
        let mut report = BuildReport::default();
        let mut adder = Adder {
            writer: &mut writer,
            searcher: &searcher,
            f: &f,
            seen: HashMap::new(),
        };
        adder.add_file(&mut report, file).unwrap();
        commit(&mut writer, &index).unwrap();
        assert_eq!(
            report.warnings,
            ["two.txt: holds two letters CM99-0000001; the later replaces the earlier"]
        );
        assert_eq!(
            (report.letters, report.duplicates, report.replaced),
            (2, 1, 0)
        );
        assert_eq!(report.split.get(&Layout::Header2016), Some(&2));
        assert_eq!(
            index.num_items().unwrap(),
            2,
            "one letter's two items, once"
        );
    }
}
