//! Relevance held to a bar: precision@10 over judged queries (tests/data/relevance.toml).

use crate::search::{all_index, ids, search_json, seeds_index};

#[derive(serde::Deserialize)]
struct Truth {
    query: Vec<Judged>,
}

#[derive(serde::Deserialize)]
struct Judged {
    query: String,
    corpus: String,
    relevant: Vec<String>,
    #[serde(default)]
    not: Vec<String>,
    first: Option<String>,
}

#[test]
fn relevance_precision_at_10() {
    let truth: Truth = toml::from_str(include_str!("data/relevance.toml")).unwrap();
    let mut scores = Vec::new();
    for j in &truth.query {
        let ix = match j.corpus.as_str() {
            "seeds" => seeds_index(),
            _ => match all_index() {
                Some(ix) => ix,
                None => continue,
            },
        };
        let got = ids(&search_json(ix, &["--limit", "10", &j.query]));
        let k = j.relevant.len().min(10);
        let good = got
            .iter()
            .take(k)
            .filter(|id| j.relevant.contains(id))
            .count();
        let p = good as f64 / k as f64;
        eprintln!("precision@10 {p:.2}  [{}] {:?}", j.corpus, j.query);
        if let Some(first) = &j.first {
            assert_eq!(
                got.first(),
                Some(first),
                "{:?} ranks {first} first",
                j.query
            );
        }
        for bad in &j.not {
            assert!(!got.contains(bad), "{:?} must not return {bad}", j.query);
        }
        assert!(
            p >= 0.6,
            "{:?}: precision@10 {p:.2} < 0.6; got {got:?}",
            j.query
        );
        scores.push(p);
    }
    let mean = scores.iter().sum::<f64>() / scores.len() as f64;
    eprintln!("mean precision@10 over {} queries: {mean:.3}", scores.len());
    assert!(mean >= 0.85, "mean precision@10 {mean:.3} < 0.85");
}
