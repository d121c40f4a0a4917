//! Facet counts over a result set: per decision, drug, class, guideline, specialty and
//! category, each with how many of its items were overturned.

use crate::error::{Error, Result};
use crate::letter::Decision;
use crate::lexicon::Lexicon;
use serde::Serialize;
use tantivy::collector::{FacetCollector, FacetCounts};
use tantivy::query::Query;
use tantivy::Searcher;

/// One facet value and its counts within the result set.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FacetValue {
    /// Display value: "hydrocodone/acetaminophen", "MTUS/Low Back Complaints".
    pub value: String,
    /// The facet path, for `--guideline` / drill-down: "/guideline/MTUS/Low Back Complaints".
    pub path: String,
    pub count: u64,
    /// Of `count`, how many were overturned.
    pub overturned: u64,
}

impl FacetValue {
    pub fn overturn_rate(&self) -> f64 {
        if self.count == 0 {
            0.0
        } else {
            self.overturned as f64 / self.count as f64
        }
    }
}

/// The counts of one facet, largest first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FacetGroup {
    pub name: &'static str,
    pub values: Vec<FacetValue>,
}

/// The facet groups of search results, in display order.
pub const GROUPS: [&str; 6] = [
    "decision",
    "medication",
    "class",
    "guideline",
    "specialty",
    "category",
];

struct Collected {
    decision: FacetCounts,
    class: FacetCounts,
    medication: FacetCounts,
    guideline: FacetCounts,
    specialty: FacetCounts,
    category: FacetCounts,
}

fn collect(searcher: &Searcher, query: &dyn Query) -> Result<Collected> {
    let lex = Lexicon::get();
    let mut decision = FacetCollector::for_field("decision");
    decision.add_facet("/decision");
    // A collector may not hold a facet and its descendant: one for classes, one for drugs.
    let mut class = FacetCollector::for_field("medication");
    class.add_facet("/medication");
    let mut medication = FacetCollector::for_field("medication");
    for class in lex.classes() {
        medication.add_facet(tantivy::schema::Facet::from_path(["medication", class]));
    }
    let mut guideline = FacetCollector::for_field("guideline");
    for source in ["MTUS", "ODG", "ACOEM", "Other"] {
        guideline.add_facet(tantivy::schema::Facet::from_path(["guideline", source]));
    }
    let mut specialty = FacetCollector::for_field("specialty");
    specialty.add_facet("/specialty");
    let mut category = FacetCollector::for_field("category");
    category.add_facet("/category");
    let ((decision, class, medication), (guideline, specialty, category)) = searcher
        .search(
            query,
            &(
                (decision, class, medication),
                (guideline, specialty, category),
            ),
        )
        .map_err(|e| Error::tantivy("facet counts", e))?;
    Ok(Collected {
        decision,
        class,
        medication,
        guideline,
        specialty,
        category,
    })
}

fn children(counts: &FacetCounts, root: &str) -> Vec<(String, u64)> {
    counts
        .get(root)
        .map(|(f, n)| (f.to_path_string(), n))
        .collect()
}

/// How the overturned share of each facet value is known.
pub enum Overturned<'a> {
    /// Count the hits of this query (the search restricted to overturned items).
    Query(&'a dyn Query),
    /// The search is already restricted to one decision.
    Fixed(Decision),
}

/// Counts for all hits of `query`, and how many of each were overturned.
pub fn facet_groups(
    searcher: &Searcher,
    query: &dyn Query,
    overturned: Overturned<'_>,
) -> Result<Vec<FacetGroup>> {
    let all = collect(searcher, query)?;
    let (over, fixed) = match overturned {
        Overturned::Query(q) => (Some(collect(searcher, q)?), None),
        Overturned::Fixed(d) => (None, Some(d)),
    };
    let lex = Lexicon::get();

    let group = |name: &'static str,
                 pick: &dyn Fn(&Collected) -> Vec<(String, u64)>,
                 display: &dyn Fn(&str) -> String| {
        let counts = pick(&all);
        let over_counts = over.as_ref().map(pick).unwrap_or_default();
        let mut values: Vec<FacetValue> = counts
            .into_iter()
            .map(|(path, count)| {
                let overturned = match fixed {
                    Some(Decision::Overturned) => count,
                    Some(Decision::Upheld) => 0,
                    None => over_counts
                        .iter()
                        .find(|(p, _)| *p == path)
                        .map_or(0, |x| x.1),
                };
                FacetValue {
                    value: display(&path),
                    path,
                    count,
                    overturned,
                }
            })
            .collect();
        values.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
        FacetGroup { name, values }
    };
    let last = |p: &str| -> String {
        tantivy::schema::Facet::from_text(p)
            .ok()
            .and_then(|f| f.to_path().last().map(|s| s.to_string()))
            .unwrap_or_else(|| p.to_string())
    };
    let after = |skip: usize| {
        move |p: &str| -> String {
            tantivy::schema::Facet::from_text(p)
                .map(|f| {
                    f.to_path()
                        .iter()
                        .skip(skip)
                        .cloned()
                        .collect::<Vec<_>>()
                        .join("/")
                })
                .unwrap_or_else(|_| p.to_string())
        }
    };
    let classes = lex.classes();
    let sources = ["MTUS", "ODG", "ACOEM", "Other"];
    let decision = group("decision", &|c| children(&c.decision, "/decision"), &last);
    Ok(vec![
        decision,
        group(
            "medication",
            &|c| {
                classes
                    .iter()
                    .flat_map(|class| children(&c.medication, &format!("/medication/{class}")))
                    .collect()
            },
            &last,
        ),
        group("class", &|c| children(&c.class, "/medication"), &last),
        group(
            "guideline",
            &|c| {
                sources
                    .iter()
                    .flat_map(|s| children(&c.guideline, &format!("/guideline/{s}")))
                    .collect()
            },
            &after(1),
        ),
        group(
            "specialty",
            &|c| children(&c.specialty, "/specialty"),
            &last,
        ),
        group("category", &|c| children(&c.category, "/category"), &last),
    ])
}
