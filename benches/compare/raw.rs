//! Raw tantivy: what a user gets by pointing tantivy at the letter files with no parsing.
//! One document per letter; the whole text in one TEXT field with tantivy's default
//! tokenizer (positions kept, so phrases work), stored so results can show a snippet; the
//! file path stored. Same writer threads and memory budget as imr; one commit at the end.
//! Queries: the words as typed, every word required (the query parser's conjunction mode),
//! top 10 by BM25 with the total count and a snippet per hit. No facets: there are no fields
//! to count by.

use super::queries::Spec;
use super::Outcome;
use std::path::Path;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::QueryParser;
use tantivy::schema::{Field, Schema, Value, STORED, STRING, TEXT};
use tantivy::snippet::SnippetGenerator;
use tantivy::{doc, Index, IndexReader, TantivyDocument};

fn schema() -> (Schema, Field, Field) {
    let mut b = Schema::builder();
    let path = b.add_text_field("path", STRING | STORED);
    let body = b.add_text_field("body", TEXT | STORED);
    (b.build(), path, body)
}

/// Indexes every `.txt` under `letters`; returns the number of documents.
pub fn build(letters: &Path, index: &Path, threads: usize, budget: usize) -> anyhow::Result<u64> {
    std::fs::create_dir_all(index)?;
    let (schema, path, body) = schema();
    let ix = Index::create_in_dir(index, schema)?;
    let mut writer: tantivy::IndexWriter = ix.writer_with_num_threads(threads, budget)?;
    let mut docs = 0u64;
    for entry in walkdir::WalkDir::new(letters).sort_by_file_name() {
        let entry = entry?;
        if !entry.file_type().is_file() || entry.path().extension().is_none_or(|e| e != "txt") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path())?;
        writer.add_document(doc!(path => entry.path().display().to_string(), body => text))?;
        docs += 1;
    }
    writer.commit()?;
    writer.wait_merging_threads()?;
    Ok(docs)
}

pub struct Raw {
    index: Index,
    reader: IndexReader,
    path: Field,
    body: Field,
}

impl Raw {
    pub fn open(index: &Path) -> anyhow::Result<Raw> {
        let mut index = Index::open_in_dir(index)?;
        // As many search threads as imr's engine uses in this run (see --search-threads).
        let threads = imr_search::search::default_threads();
        if threads > 1 {
            index.set_multithread_executor(threads)?;
        }
        let reader = index.reader()?;
        let schema = index.schema();
        Ok(Raw {
            path: schema.get_field("path")?,
            body: schema.get_field("body")?,
            reader,
            index,
        })
    }

    pub fn run(&self, spec: &Spec) -> anyhow::Result<Outcome> {
        let searcher = self.reader.searcher();
        let mut parser = QueryParser::for_index(&self.index, vec![self.body]);
        parser.set_conjunction_by_default();
        let (query, _) = parser.parse_query_lenient(spec.raw());
        let (top, total) =
            searcher.search(&query, &(TopDocs::with_limit(10).order_by_score(), Count))?;
        let mut snippets = SnippetGenerator::create(&searcher, &*query, self.body)?;
        snippets.set_max_num_chars(240);
        let mut snippet_chars = 0;
        for (_, addr) in &top {
            let doc: TantivyDocument = searcher.doc(*addr)?;
            let _path = doc.get_first(self.path).and_then(|v| v.as_str());
            snippet_chars += snippets.snippet_from_doc(&doc).fragment().len();
        }
        Ok(Outcome {
            total: total as u64,
            hits: top.len(),
            facet_values: 0,
            snippet_chars,
            interpreted: format!("{query:?}").chars().take(120).collect(),
        })
    }
}
