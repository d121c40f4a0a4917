//! imr: `imr_search::index::builder::build` for the index, `imr_search::search::Engine` for
//! queries: parsed items, facet counts over every facet, snippets.

use super::queries::Spec;
use super::Outcome;
use imr_search::index::builder::{build as build_index, BuildOptions, ProgressMode};
use imr_search::record::Decision;
use imr_search::search::{Criteria, Engine, Filters, SearchRequest};
use std::path::Path;

/// Builds the index as `imr index` does; returns the number of items indexed.
pub fn build(letters: &Path, index: &Path, threads: usize, budget: usize) -> anyhow::Result<u64> {
    let opts = BuildOptions {
        rebuild: false,
        progress: ProgressMode::Quiet,
        threads,
        memory_budget: budget,
        ..BuildOptions::default()
    };
    let report = build_index(index, &[letters.to_path_buf()], &opts)?;
    anyhow::ensure!(
        report.skipped.is_empty(),
        "imr skipped {} letters: {:?}",
        report.skipped.len(),
        &report.skipped[..report.skipped.len().min(3)]
    );
    Ok(report.items as u64)
}

pub struct Imr {
    engine: Engine,
    /// Building the facet arrays at open, as `imr serve` does: ms and bytes.
    pub warm_ms: f64,
    pub warm_bytes: usize,
}

impl Imr {
    /// Opens the engine and builds its facet arrays, as `imr serve` does: the in-process
    /// query figures are a server's (`imr search` as a process counts from the columns).
    pub fn open(index: &Path) -> anyhow::Result<Imr> {
        let engine = Engine::open(index)?;
        let t = std::time::Instant::now();
        let w = engine.warm()?;
        Ok(Imr {
            engine,
            warm_ms: t.elapsed().as_secs_f64() * 1e3,
            warm_bytes: w.bytes,
        })
    }

    pub fn request(spec: &Spec) -> SearchRequest {
        let mut filters = Filters::default();
        if let Some(d) = spec.decision.and_then(Decision::parse) {
            filters.decision(d);
        }
        if let Some(c) = spec.category {
            filters.category(c);
        }
        if let Some(m) = spec.medication {
            filters
                .medication(m)
                .expect("the benchmark's query set names lexicon drugs");
        }
        // What `imr search` and the search page compute: hits with snippets, the total
        // and the facets; key sentences are chosen only for precedent lists and JSON
        // (about 37 µs a hit more).
        SearchRequest {
            reasoning: false,
            ..SearchRequest::new(Criteria {
                query: spec.query.to_string(),
                literal: false,
                filters,
            })
        }
    }

    /// Where a query's time goes: median ms of the count alone, then with the top 10 loaded,
    /// then with facet counts, then with snippets (the full request).
    pub fn phases(&self, spec: &Spec, runs: usize) -> anyhow::Result<[f64; 4]> {
        let full = Imr::request(spec);
        let variants = [
            SearchRequest {
                limit: 0,
                facets: false,
                snippets: false,
                ..full.clone()
            },
            SearchRequest {
                facets: false,
                snippets: false,
                ..full.clone()
            },
            SearchRequest {
                snippets: false,
                ..full.clone()
            },
            full,
        ];
        let mut out = [0.0; 4];
        for (slot, req) in out.iter_mut().zip(&variants) {
            self.engine.search(req)?;
            let mut ms: Vec<f64> = (0..runs.max(1))
                .map(|_| {
                    let t = std::time::Instant::now();
                    let r = self.engine.search(req);
                    std::hint::black_box(r.is_ok());
                    t.elapsed().as_secs_f64() * 1e3
                })
                .collect();
            ms.sort_by(f64::total_cmp);
            *slot = ms[ms.len() / 2];
        }
        Ok(out)
    }

    /// Top 10 with snippets, the total and the facet counts.
    pub fn run(&self, spec: &Spec) -> anyhow::Result<Outcome> {
        let r = self.engine.search(&Imr::request(spec))?;
        let facet_values = r.facets.iter().map(|g| g.values.len()).sum();
        Ok(Outcome {
            total: r.total as u64,
            hits: r.hits.len(),
            facet_values,
            snippet_chars: r
                .hits
                .iter()
                .map(|h| h.snippet.as_ref().map_or(0, |s| s.text.len()))
                .sum(),
            interpreted: r.interpreted,
        })
    }
}
