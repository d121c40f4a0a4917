//! Facet counts from the engine's in-memory arrays (`Engine::warm`, what `imr serve` uses)
//! against counts from the facet columns (what a one-shot `imr search` uses): the same
//! totals, facet values, counts and overturned counts for every query, including queries
//! that match most items (counted by complement) and an index with deleted items (letters
//! indexed again) spread over several segments.

use crate::util::*;
use imr_search::index::builder::{build, BuildOptions};
use imr_search::search::{Criteria, Engine, Filters, SearchRequest};
use imr_search::synth::{self, SynthOptions};

fn request(query: &str) -> SearchRequest {
    let mut r = SearchRequest::new(Criteria {
        query: query.to_string(),
        literal: false,
        filters: Filters::default(),
    });
    r.reasoning = false;
    r
}

#[test]
fn warmed_facet_counts_equal_column_counts() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("synth");
    let letters = out.join("letters");
    let opts = SynthOptions {
        letters: 600,
        seed: 7,
        out: out.clone(),
        templates: vec![seeds()],
        per_folder: 1000,
    };
    synth::generate(&opts, |_| {}).unwrap();
    let ix = dir.path().join("ix");
    // Small commits make several segments; indexing some letters again deletes and re-adds
    // their items, so segments carry deleted items.
    let build_opts = BuildOptions {
        batch_letters: 150,
        threads: 1,
        ..BuildOptions::default()
    };
    build(&ix, std::slice::from_ref(&letters), &build_opts).unwrap();
    // The generator writes letters/0000/*.txt.
    let folder = letters.join("0000");
    let again: Vec<_> = letter_files(&folder).into_iter().step_by(15).collect();
    assert!(again.len() > 10);
    build(&ix, &again, &build_opts).unwrap();
    let deleted: u32 = tantivy::Index::open_in_dir(&ix)
        .unwrap()
        .reader()
        .unwrap()
        .searcher()
        .segment_readers()
        .iter()
        .map(|s| s.num_deleted_docs())
        .sum();
    assert!(deleted > 0, "re-indexed letters leave deleted items");

    let cold = Engine::open_with_threads(&ix, 1).unwrap();
    let warm = Engine::open_with_threads(&ix, 2).unwrap();
    let w = warm.warm().unwrap();
    assert!(w.segments >= 2, "several segments: {w:?}");
    assert_eq!(w.items, warm.num_items());
    assert!(w.bytes > 0);
    let mut complement = false;
    for q in [
        "",
        "overturned",
        "upheld",
        "\"not medically necessary\"",
        "medically necessary",
        "Norco upheld urine drug screen",
        "physical therapy",
        "lumbar MRI",
        "no such word anywhere",
    ] {
        let (a, b) = (
            cold.search(&request(q)).unwrap(),
            warm.search(&request(q)).unwrap(),
        );
        assert_eq!(a.total, b.total, "{q:?}");
        assert_eq!(a.facets, b.facets, "{q:?}");
        let ids = |r: &imr_search::search::SearchResults| {
            r.hits.iter().map(|h| h.id.clone()).collect::<Vec<_>>()
        };
        assert_eq!(ids(&a), ids(&b), "{q:?}");
        complement |= b.total as u64 * 2 > warm.num_items();
    }
    assert!(
        complement,
        "some query matches most items (counted by complement)"
    );
}
