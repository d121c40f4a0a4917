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
    /// "a": the half ranking was tuned on; "b": held aside, run at the end.
    half: String,
    relevant: Vec<String>,
    #[serde(default)]
    not: Vec<String>,
    first: Option<String>,
}

#[test]
fn relevance_precision_at_10() {
    let truth: Truth = toml::from_str(include_str!("data/relevance.toml")).unwrap();
    assert!(truth.query.len() >= 60, "at least 60 judged queries");
    let mut scores: std::collections::BTreeMap<&str, Vec<f64>> = Default::default();
    let mut failures = Vec::new();
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
        eprintln!(
            "precision@k {p:.2}  [{} {}] {:?}",
            j.half, j.corpus, j.query
        );
        if let Some(first) = &j.first {
            if got.first() != Some(first) {
                failures.push(format!("{:?} ranks {first} first; got {got:?}", j.query));
            }
        }
        for bad in &j.not {
            if got.contains(bad) {
                failures.push(format!("{:?} must not return {bad}", j.query));
            }
        }
        // Every query of the tuning half is held to 0.8; the held-aside half to its mean
        // only, its low queries printed: a bar per held query would be tuned to.
        if p < 0.8 {
            let miss = format!("{:?}: precision@k {p:.2} < 0.8; got {got:?}", j.query);
            if j.half == "a" {
                failures.push(miss);
            } else {
                eprintln!("held-aside query below 0.8: {miss}");
            }
        }
        scores.entry(j.half.as_str()).or_default().push(p);
    }
    for (half, s) in &scores {
        let mean = s.iter().sum::<f64>() / s.len() as f64;
        eprintln!(
            "half {half}: mean precision@k over {} queries: {mean:.3}",
            s.len()
        );
        if mean < 0.95 {
            failures.push(format!("half {half}: mean precision@k {mean:.3} < 0.95"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_treatment_query_counts_the_items_of_that_treatment() {
    // The total printed beside "acupuncture" is the number of acupuncture requests, not of
    // items whose letter mentions acupuncture: checked against `imr parse` over the same
    // letters.
    let Some(ix) = all_index() else { return };
    let mut items = Vec::new();
    for dir in [
        crate::util::seeds(),
        crate::util::shared_letters("txt").unwrap(),
    ] {
        let r = crate::util::run(&["parse", "--format", "jsonl", dir.to_str().unwrap()]);
        items.extend(crate::util::jsonl(&r.stdout));
    }
    for (query, treatment) in [
        ("acupuncture", "acupuncture"),
        ("MRI", "MRI"),
        ("physical therapy", "physical therapy"),
        ("x-ray", "X-ray"),
        ("chiropractor", "chiropractic manipulation"),
    ] {
        let of = |d: Option<&str>| {
            items
                .iter()
                .filter(|i| i["treatment"] == treatment)
                .filter(|i| d.is_none_or(|d| i["decision"] == d))
                .count() as u64
        };
        let v = search_json(ix, &["--limit", "0", query]);
        assert_eq!(v["total"].as_u64(), Some(of(None)), "{query}");
        let over = v["facets"]["decision"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["value"] == "overturned")
            .map_or(0, |d| d["count"].as_u64().unwrap());
        assert_eq!(over, of(Some("overturned")), "{query}: overturned");
    }
}
