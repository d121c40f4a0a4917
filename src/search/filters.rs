//! Filters from flags and from understood query words → tantivy queries that restrict
//! without scoring.

use super::query::Understood;
use crate::error::{Error, Result};
use crate::index::schema::Fields;
use crate::letter::{Category, Decision};
use crate::lexicon::Lexicon;
use std::ops::Bound;
use tantivy::query::{BooleanQuery, ConstScoreQuery, Occur, Query, RangeQuery, TermQuery};
use tantivy::schema::{Facet, IndexRecordOption};
use tantivy::Term;

/// Restrictions on the items returned. Values are as a user types them; `resolve` checks and
/// normalises them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filters {
    pub decision: Option<Decision>,
    /// Drug names, brand or generic ("Norco", "hydrocodone/acetaminophen").
    pub medications: Vec<String>,
    /// Drug classes ("opioid", "muscle relaxant").
    pub classes: Vec<String>,
    pub categories: Vec<Category>,
    /// Guideline facet paths, whole or abbreviated per step, case-insensitive:
    /// "MTUS", "ODG/Pain", "MTUS/Chronic Pain/Opioids".
    pub guidelines: Vec<String>,
    /// Items citing any of these MTUS pages.
    pub mtus_pages: Vec<u32>,
    pub specialties: Vec<String>,
    /// Decision date bounds, ISO `YYYY-MM-DD`, inclusive.
    pub from: Option<String>,
    pub to: Option<String>,
}

impl Filters {
    /// Adds what query understanding recognised.
    pub fn merge_understood(&mut self, u: &Understood) {
        if self.decision.is_none() {
            self.decision = u.decision;
        }
        self.medications.extend(u.medications.iter().cloned());
        self.classes.extend(u.classes.iter().cloned());
        self.guidelines.extend(u.sources.iter().cloned());
        self.mtus_pages.extend(u.pages.iter().copied());
    }

    pub fn is_empty(&self) -> bool {
        *self == Filters::default()
    }
}

/// Parses a user's date: `2016-12-01`, `2016-12`, `2016` (a bound's start or end), or
/// `12/01/2016`.
pub fn parse_user_date(s: &str, end_of_period: bool) -> Option<String> {
    let s = s.trim();
    let parts: Vec<&str> = s.split('-').collect();
    let num = |p: &str| p.parse::<u32>().ok();
    match parts.as_slice() {
        [y] if y.len() == 4 => {
            let y = num(y)?;
            Some(if end_of_period {
                format!("{y:04}-12-31")
            } else {
                format!("{y:04}-01-01")
            })
        }
        [y, m] if y.len() == 4 => {
            let (y, m) = (num(y)?, num(m)?);
            if !(1..=12).contains(&m) {
                return None;
            }
            let last = crate::letter::dates::parse_date(&format!("{m}/31/{y}"))
                .or_else(|| crate::letter::dates::parse_date(&format!("{m}/30/{y}")))
                .or_else(|| crate::letter::dates::parse_date(&format!("{m}/29/{y}")))
                .or_else(|| crate::letter::dates::parse_date(&format!("{m}/28/{y}")))?;
            Some(if end_of_period {
                last
            } else {
                format!("{y:04}-{m:02}-01")
            })
        }
        [y, m, d] if y.len() == 4 => crate::letter::dates::parse_date(&format!("{m}/{d}/{y}")),
        _ => crate::letter::dates::parse_date(s),
    }
}

fn facet_term(field: tantivy::schema::Field, path: &[&str]) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_facet(field, &Facet::from_path(path.iter())),
        IndexRecordOption::Basic,
    ))
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

/// The facet paths that exist in the index for a field, for resolving what users type.
pub trait FacetSource {
    fn facets(&self, field: &str) -> Result<Vec<Facet>>;
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

/// Builds the filter queries (each non-scoring) for `filters`.
pub fn resolve(
    f: &Fields,
    filters: &Filters,
    facets: &dyn FacetSource,
) -> Result<Vec<Box<dyn Query>>> {
    let lex = Lexicon::get();
    let mut out: Vec<Box<dyn Query>> = Vec::new();
    if let Some(d) = filters.decision {
        out.push(facet_term(f.decision, &["decision", d.as_str()]));
    }
    if !filters.medications.is_empty() {
        let mut qs = Vec::new();
        for name in &filters.medications {
            let drug = lex.drug(name).ok_or_else(|| {
                Error::Other(format!(
                    "unknown drug \"{name}\": not in the drug lexicon (search it as text instead)"
                ))
            })?;
            qs.push(facet_term(
                f.medication,
                &["medication", &drug.class, &drug.generic],
            ));
        }
        out.push(any_of(qs));
    }
    if !filters.classes.is_empty() {
        let classes = lex.classes();
        let mut qs = Vec::new();
        for c in &filters.classes {
            let c = c.trim().to_lowercase();
            let singular = c.strip_suffix('s').unwrap_or(&c);
            let class = classes
                .iter()
                .find(|k| **k == c || **k == singular)
                .ok_or_else(|| {
                    Error::Other(format!(
                        "unknown drug class \"{c}\"; known classes: {}",
                        classes.join(", ")
                    ))
                })?;
            qs.push(facet_term(f.medication, &["medication", class]));
        }
        out.push(any_of(qs));
    }
    if !filters.categories.is_empty() {
        out.push(any_of(
            filters
                .categories
                .iter()
                .map(|c| facet_term(f.category, &["category", c.as_str()]))
                .collect(),
        ));
    }
    if !filters.guidelines.is_empty() {
        let known = facets.facets("guideline")?;
        let mut qs = Vec::new();
        for g in &filters.guidelines {
            let found = resolve_path(&known, "guideline", g);
            if found.is_empty() {
                return Err(Error::Other(format!(
                    "no guideline in the index matches \"{g}\" (see `imr facets guideline`)"
                )));
            }
            qs.extend(found.into_iter().map(|facet| {
                Box::new(TermQuery::new(
                    Term::from_facet(f.guideline, &facet),
                    IndexRecordOption::Basic,
                )) as Box<dyn Query>
            }));
        }
        out.push(any_of(qs));
    }
    if !filters.mtus_pages.is_empty() {
        out.push(any_of(
            filters
                .mtus_pages
                .iter()
                .map(|p| {
                    Box::new(TermQuery::new(
                        Term::from_field_u64(f.mtus_pages, u64::from(*p)),
                        IndexRecordOption::Basic,
                    )) as Box<dyn Query>
                })
                .collect(),
        ));
    }
    if !filters.specialties.is_empty() {
        let known = facets.facets("specialty")?;
        let mut qs = Vec::new();
        for s in &filters.specialties {
            let canonical = lex.canonical_specialty(s);
            let mut found = resolve_path(&known, "specialty", &canonical);
            if found.is_empty() {
                found = resolve_path(&known, "specialty", s);
            }
            if found.is_empty() {
                return Err(Error::Other(format!(
                    "no reviewer specialty in the index matches \"{s}\" (see `imr facets specialty`)"
                )));
            }
            qs.extend(found.into_iter().map(|facet| {
                Box::new(TermQuery::new(
                    Term::from_facet(f.specialty, &facet),
                    IndexRecordOption::Basic,
                )) as Box<dyn Query>
            }));
        }
        out.push(any_of(qs));
    }
    if filters.from.is_some() || filters.to.is_some() {
        let bound = |d: &Option<String>| -> Result<Bound<Term>> {
            Ok(match d {
                None => Bound::Unbounded,
                Some(iso) => {
                    let dt = crate::index::document::iso_to_datetime(iso)
                        .ok_or_else(|| Error::Other(format!("not a date: {iso}")))?;
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
    fn user_dates() {
        assert_eq!(
            parse_user_date("2016", false).as_deref(),
            Some("2016-01-01")
        );
        assert_eq!(parse_user_date("2016", true).as_deref(), Some("2016-12-31"));
        assert_eq!(
            parse_user_date("2016-02", true).as_deref(),
            Some("2016-02-29")
        );
        assert_eq!(
            parse_user_date("2016-12-09", false).as_deref(),
            Some("2016-12-09")
        );
        assert_eq!(
            parse_user_date("12/09/2016", false).as_deref(),
            Some("2016-12-09")
        );
        assert_eq!(parse_user_date("yesterday", false), None);
    }

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
