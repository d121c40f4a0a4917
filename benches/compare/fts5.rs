//! SQLite FTS5 (rusqlite, SQLite bundled): what a user would build with SQL.
//!
//! One row per item, parsed by imr's own parser (so both engines hold the same records):
//! an FTS5 table over the item, its drug names, rationale, guideline lines and the letter's
//! summary (porter stemming, like imr's English stemmer), and a plain `meta` table keyed by
//! the same rowid with the letter id, decision, category, drug generic and class and the
//! decision date, indexed for filters. Letters are parsed on the same number of threads as
//! imr, a batch ahead of SQLite, which inserts on one thread (it has one writer). Bulk-load settings (no journal, no
//! fsync, the same memory budget as imr's writer as page cache), one transaction per 5,000
//! letters as imr commits, indexes built after the load, then FTS5's `optimize`.
//!
//! A query: top 10 by bm25 (column weights 3, 2, 1.5, 1, 0.5, ranked as imr ranks) with a snippet, the total
//! count, and counts by decision and by category (GROUP BY).

use super::queries::{Fts, Spec};
use super::Outcome;
use imr_search::lexicon::Lexicon;
use imr_search::record::Item;
use rayon::prelude::*;
use rusqlite::{params, Connection};
use std::path::{Path, PathBuf};

const DB: &str = "fts5.sqlite";

pub fn build(letters: &Path, index: &Path, _threads: usize, budget: usize) -> anyhow::Result<u64> {
    std::fs::create_dir_all(index)?;
    let mut conn = Connection::open(index.join(DB))?;
    conn.execute_batch(&format!(
        "PRAGMA journal_mode = OFF;
         PRAGMA synchronous = OFF;
         PRAGMA cache_size = -{};
         PRAGMA temp_store = MEMORY;
         CREATE TABLE meta(
           id INTEGER PRIMARY KEY, letter_id TEXT NOT NULL, item_index INTEGER NOT NULL,
           item TEXT NOT NULL, decision TEXT NOT NULL, category TEXT NOT NULL,
           generic TEXT, class TEXT, decision_date TEXT);
         CREATE VIRTUAL TABLE fts USING fts5(
           item, drug, rationale, guideline, summary, tokenize = 'porter unicode61');",
        budget / 1024
    ))?;
    // Parsing (rayon, `threads` workers) runs a batch ahead of SQLite's single writer.
    let (send, parsed_batches) = std::sync::mpsc::sync_channel::<anyhow::Result<Vec<Item>>>(1);
    let letters = letters.to_path_buf();
    let producer = std::thread::spawn(move || {
        let mut files = walkdir::WalkDir::new(letters)
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "txt"))
            .map(walkdir::DirEntry::into_path);
        loop {
            let batch: Vec<PathBuf> = files.by_ref().take(5_000).collect();
            if batch.is_empty() {
                break;
            }
            let parsed = batch
                .par_iter()
                .map(|p| {
                    imr_search::files::parse_file(p)
                        .map(imr_search::letter::Parsed::into_items)
                        .map_err(|e| anyhow::anyhow!("{e}"))
                })
                .collect::<anyhow::Result<Vec<Vec<Item>>>>()
                .map(|v| v.into_iter().flatten().collect());
            if send.send(parsed).is_err() {
                break;
            }
        }
    });
    let lex = Lexicon::get();
    let mut id = 0i64;
    for parsed in parsed_batches {
        let parsed = parsed?;
        let tx = conn.transaction()?;
        {
            let mut meta =
                tx.prepare_cached("INSERT INTO meta VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")?;
            let mut fts = tx.prepare_cached(
                "INSERT INTO fts(rowid, item, drug, rationale, guideline, summary) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            for item in &parsed {
                id += 1;
                let med = item.medication.as_ref();
                // The drug column holds what imr's drug field holds: every name of the
                // item's drug, its generic and class.
                let drug = med.map_or(String::new(), |m| {
                    let mut words = vec![m.name.clone(), m.generic.clone(), m.class.clone()];
                    if let Some(d) = lex.drug(&m.generic) {
                        words.extend(d.names.iter().cloned());
                    }
                    words.join(" ")
                });
                meta.execute(params![
                    id,
                    item.letter_id,
                    item.item_index,
                    item.item,
                    item.decision.as_str(),
                    item.category.as_str(),
                    med.map(|m| m.generic.as_str()),
                    med.map(|m| m.class.as_str()),
                    item.decision_date,
                ])?;
                let item_text = match &item.original_request {
                    Some(o) => format!("{} {o}", item.item),
                    None => item.item.clone(),
                };
                fts.execute(params![
                    id,
                    item_text,
                    drug,
                    item.rationale,
                    format!(
                        "{} {}",
                        item.claims_administrator_guideline, item.maximus_guideline
                    ),
                    item.summary,
                ])?;
            }
        }
        tx.commit()?;
    }
    producer
        .join()
        .map_err(|_| anyhow::anyhow!("the parsing thread panicked"))?;
    conn.execute_batch(
        "CREATE INDEX meta_decision ON meta(decision);
         CREATE INDEX meta_category ON meta(category);
         CREATE INDEX meta_generic ON meta(generic);
         CREATE INDEX meta_class ON meta(class);
         CREATE INDEX meta_date ON meta(decision_date);
         INSERT INTO fts(fts) VALUES ('optimize');
         ANALYZE;",
    )?;
    Ok(id as u64)
}

pub struct Fts5 {
    conn: Connection,
}

impl Fts5 {
    pub fn open(index: &Path) -> anyhow::Result<Fts5> {
        let conn = Connection::open_with_flags(
            index.join(DB),
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
        )?;
        conn.execute_batch("PRAGMA cache_size = -262144;")?;
        Ok(Fts5 { conn })
    }

    fn where_clause(q: &Fts) -> String {
        let mut conds = Vec::new();
        if q.matches.is_some() {
            conds.push("fts MATCH ?1".to_string());
        }
        conds.extend(q.conditions.iter().cloned());
        if conds.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", conds.join(" AND "))
        }
    }

    pub fn run(&self, spec: &Spec) -> anyhow::Result<Outcome> {
        let q = spec.fts();
        let w = Fts5::where_clause(&q);
        let args: Vec<&str> = q.matches.as_deref().into_iter().collect();
        let args = rusqlite::params_from_iter(args);
        let (top_sql, from) = if q.matches.is_some() {
            (
                format!(
                    "SELECT m.letter_id, m.item_index, m.item, m.decision,
                            snippet(fts, 2, '<b>', '</b>', '…', 32),
                            bm25(fts, 3.0, 2.0, 1.5, 1.0, 0.5) AS score
                     FROM fts JOIN meta m ON m.id = fts.rowid {w} ORDER BY score LIMIT 10"
                ),
                format!("FROM fts JOIN meta m ON m.id = fts.rowid {w}"),
            )
        } else {
            (
                // The rationale's opening by rowid for the 10 rows only (a join would have
                // SQLite scan the FTS table).
                format!(
                    "SELECT m.letter_id, m.item_index, m.item, m.decision,
                            (SELECT substr(rationale, 1, 240) FROM fts WHERE rowid = m.id), 0.0
                     FROM meta m {w}
                     ORDER BY m.decision_date DESC LIMIT 10"
                ),
                format!("FROM meta m {w}"),
            )
        };
        let mut hits = 0;
        let mut snippet_chars = 0;
        {
            let mut stmt = self.conn.prepare_cached(&top_sql)?;
            let mut rows = stmt.query(args.clone())?;
            while let Some(row) = rows.next()? {
                let _id: String = row.get(0)?;
                let snippet: String = row.get(4)?;
                hits += 1;
                snippet_chars += snippet.len();
            }
        }
        let total: i64 = self
            .conn
            .prepare_cached(&format!("SELECT count(*) {from}"))?
            .query_row(args.clone(), |r| r.get(0))?;
        let mut facet_values = 0;
        for column in ["decision", "category"] {
            let mut stmt = self.conn.prepare_cached(&format!(
                "SELECT m.{column}, count(*) {from} GROUP BY m.{column}"
            ))?;
            let mut rows = stmt.query(args.clone())?;
            while let Some(row) = rows.next()? {
                let _value: String = row.get(0)?;
                let _count: i64 = row.get(1)?;
                facet_values += 1;
            }
        }
        Ok(Outcome {
            total: total as u64,
            hits,
            facet_values,
            snippet_chars,
            interpreted: match &q.matches {
                Some(m) => format!("MATCH {m} {}", q.conditions.join(" AND ")),
                None => q.conditions.join(" AND "),
            },
        })
    }
}
