//! Checked filters → tantivy queries that restrict without scoring. Typed paths
//! ("MTUS/chronic pain/opioids") are resolved here against the values in the index.

use super::request::{Filters, Target};
use crate::error::{Error, Result};
use crate::index::document::iso_to_datetime;
use crate::index::facets::{FacetId, FACETS};
use crate::index::schema::Fields;
use std::ops::Bound;
use tantivy::query::{BooleanQuery, ConstScoreQuery, Occur, Query, RangeQuery, TermQuery};
use tantivy::schema::{Facet, IndexRecordOption};
use tantivy::Term;

/// The facet paths that exist in the index for a facet, for resolving what users type.
pub trait FacetSource {
    fn facets(&self, facet: FacetId) -> Result<Vec<Facet>>;
}

/// Resolves a path typed by a user ("MTUS/chronic pain/opioids") to the indexed facets it
/// names: each step matches a step of the same depth exactly (ignoring case) or, failing
/// that, as a prefix.
pub fn resolve_path(known: &[Facet], root: &str, typed: &str) -> Vec<Facet> {
    let steps: Vec<String> = typed
        .trim()
        .trim_start_matches('/')
        .trim_start_matches(root)
        .split('/')
        .map(|s| s.trim().to_lowercase())
        .filter(|s| !s.is_empty())
        .collect();
    if steps.is_empty() {
        return Vec::new();
    }
    let mut candidates: Vec<Vec<String>> = known
        .iter()
        .map(|f| {
            f.to_path()
                .iter()
                .skip(1)
                .map(|s| s.to_string())
                .collect::<Vec<_>>()
        })
        .filter(|p: &Vec<String>| p.len() >= steps.len())
        .map(|p| p[..steps.len()].to_vec())
        .collect();
    candidates.sort();
    candidates.dedup();
    for (depth, step) in steps.iter().enumerate() {
        let exact: Vec<Vec<String>> = candidates
            .iter()
            .filter(|c| c[depth].to_lowercase() == *step)
            .cloned()
            .collect();
        candidates = if exact.is_empty() {
            candidates
                .into_iter()
                .filter(|c| c[depth].to_lowercase().starts_with(step.as_str()))
                .collect()
        } else {
            exact
        };
    }
    candidates
        .into_iter()
        .map(|c| Facet::from_path(std::iter::once(root.to_string()).chain(c)))
        .collect()
}

/// The values of `steps` steps whose last step is `typed`, whole and ignoring case, else
/// beginning with it.
pub fn resolve_leaf(known: &[Facet], steps: usize, typed: &str) -> Vec<Facet> {
    let typed = typed.trim().to_lowercase();
    if typed.is_empty() {
        return Vec::new();
    }
    let leaf = |f: &Facet| {
        f.to_path()
            .last()
            .map(|s| s.to_lowercase())
            .unwrap_or_default()
    };
    let deep = |f: &&Facet| f.to_path().len() == steps;
    let exact: Vec<Facet> = known
        .iter()
        .filter(deep)
        .filter(|f| leaf(f) == typed)
        .cloned()
        .collect();
    if !exact.is_empty() {
        return exact;
    }
    known
        .iter()
        .filter(deep)
        .filter(|f| leaf(f).starts_with(&typed))
        .cloned()
        .collect()
}

fn any_of(mut qs: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    if qs.len() == 1 {
        qs.pop().expect("one")
    } else {
        Box::new(BooleanQuery::new(
            qs.into_iter().map(|q| (Occur::Should, q)).collect(),
        ))
    }
}

fn term(t: Term) -> Box<dyn Query> {
    Box::new(TermQuery::new(t, IndexRecordOption::Basic))
}

/// The queries of one filter value (several when a typed path names several values).
fn target_queries(
    f: &Fields,
    target: &Target,
    known: &dyn FacetSource,
) -> Result<Vec<Box<dyn Query>>> {
    Ok(match target {
        Target::Path(facet, path) => vec![term(Term::from_facet(f.facets[*facet], path))],
        Target::MtusPage(p) => vec![term(Term::from_field_u64(f.mtus_pages, u64::from(*p)))],
        Target::Leaf {
            facet,
            steps,
            typed,
            what,
        } => {
            let values = known.facets(*facet)?;
            let found = resolve_leaf(&values, *steps, typed);
            if found.is_empty() {
                return Err(Error::NoSuchValue {
                    what,
                    facet: FACETS[*facet].name,
                    typed: typed.clone(),
                });
            }
            found
                .iter()
                .map(|path| term(Term::from_facet(f.facets[*facet], path)))
                .collect()
        }
        Target::Typed {
            facet,
            spellings,
            what,
        } => {
            let values = known.facets(*facet)?;
            let root = FACETS[*facet].name;
            let found = spellings
                .iter()
                .map(|s| resolve_path(&values, root, s))
                .find(|found| !found.is_empty())
                .ok_or_else(|| Error::NoSuchValue {
                    what,
                    facet: root,
                    typed: spellings.last().cloned().unwrap_or_default(),
                })?;
            found
                .iter()
                .map(|path| term(Term::from_facet(f.facets[*facet], path)))
                .collect()
        }
    })
}

/// Builds the filter queries (each non-scoring) for `filters`: one per group, each the union
/// of its values, and one for the date range.
pub fn queries(
    f: &Fields,
    filters: &Filters,
    known: &dyn FacetSource,
) -> Result<Vec<Box<dyn Query>>> {
    let mut out: Vec<Box<dyn Query>> = Vec::new();
    for g in &filters.groups {
        let mut qs = Vec::new();
        for v in &g.values {
            qs.extend(target_queries(f, &v.target, known)?);
        }
        out.push(any_of(qs));
    }
    if filters.from.is_some() || filters.to.is_some() {
        let bound = |d: &Option<String>| -> Result<Bound<Term>> {
            Ok(match d {
                None => Bound::Unbounded,
                Some(iso) => {
                    let dt = iso_to_datetime(iso).ok_or_else(|| Error::BadDate {
                        flag: "from",
                        value: iso.clone(),
                    })?;
                    Bound::Included(Term::from_field_date(f.decision_date, dt))
                }
            })
        };
        out.push(Box::new(RangeQuery::new(
            bound(&filters.from)?,
            bound(&filters.to)?,
        )));
    }
    Ok(out
        .into_iter()
        .map(|q| Box::new(ConstScoreQuery::new(q, 0.0)) as Box<dyn Query>)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_resolve_by_step_exact_then_prefix() {
        let known: Vec<Facet> = [
            "/guideline/MTUS/Chronic Pain Medical Treatment Guidelines/Opioids",
            "/guideline/MTUS/Chronic Pain Medical Treatment Guidelines/Opioids/80",
            "/guideline/MTUS/Low Back Complaints/Special Studies",
            "/guideline/ODG/Pain (Chronic)/Zolpidem (Ambien)",
        ]
        .iter()
        .map(|s| Facet::from(*s))
        .collect();
        let show = |v: Vec<Facet>| v.iter().map(|f| f.to_string()).collect::<Vec<_>>();
        assert_eq!(
            show(resolve_path(&known, "guideline", "mtus")),
            ["/guideline/MTUS"]
        );
        assert_eq!(
            show(resolve_path(
                &known,
                "guideline",
                "MTUS/chronic pain/opioids"
            )),
            ["/guideline/MTUS/Chronic Pain Medical Treatment Guidelines/Opioids"]
        );
        assert_eq!(
            show(resolve_path(&known, "guideline", "/guideline/ODG/pain")),
            ["/guideline/ODG/Pain (Chronic)"]
        );
        assert!(resolve_path(&known, "guideline", "ACOEM").is_empty());
    }
}
