//! Profiling aid: runs one query N times in-process against an index.
use imr_search::search::{Criteria, Engine, Filters, SearchRequest};
use std::time::Instant;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let index = &args[1];
    let query = &args[2];
    let n: usize = args.get(3).map_or(200, |s| s.parse().unwrap());
    let threads: usize = std::env::var("THREADS").map_or(1, |t| t.parse().unwrap());
    let engine = Engine::open_with_threads(std::path::Path::new(index), threads)?;
    // WARM=1: facet arrays in memory, as `imr serve` has them.
    if std::env::var("WARM").is_ok_and(|w| w == "1") {
        let t = Instant::now();
        let w = engine.warm()?;
        eprintln!(
            "warmed {} segments, {} items, {:.1} MB in {:.0} ms",
            w.segments,
            w.items,
            w.bytes as f64 / 1e6,
            t.elapsed().as_secs_f64() * 1e3
        );
    }
    let req = SearchRequest::new(Criteria {
        query: query.clone(),
        literal: false,
        filters: Filters::default(),
    });
    for (name, r) in [
        (
            "count",
            SearchRequest {
                limit: 0,
                facets: false,
                snippets: false,
                ..req.clone()
            },
        ),
        (
            "top10",
            SearchRequest {
                facets: false,
                snippets: false,
                ..req.clone()
            },
        ),
        (
            "facets",
            SearchRequest {
                snippets: false,
                ..req.clone()
            },
        ),
        ("full", req.clone()),
    ] {
        if std::env::var("ONLY").is_ok_and(|o| o != name) {
            continue;
        }
        let mut t = Vec::new();
        for _ in 0..n {
            let s = Instant::now();
            let res = engine.search(&r)?;
            std::hint::black_box(&res);
            t.push(s.elapsed().as_secs_f64() * 1e3);
        }
        t.sort_by(|a, b| a.partial_cmp(b).unwrap());
        println!("{name:8} p50 {:.2} ms  min {:.2}", t[n / 2], t[0]);
    }
    Ok(())
}
