//! What a search asks for, checked: the words, the filters (resolved against the lexicon
//! before any index is opened), and how to page, order and count the results.
//!
//! The CLI and the web server build the same [`Criteria`] from their flags or parameters
//! through the same checks ([`Filters::medication`], [`parse_from`], ...), so a bad value is
//! refused with the same typed error before any work starts.

use crate::error::{Error, Result};
use crate::index::facets::{self, FacetId, FACETS};
use crate::lexicon::Lexicon;
use crate::record::{Category, Decision};

use tantivy::schema::Facet;

/// Result order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    Relevance,
    /// Newest decision first (ties: by letter, then item; undated items last).
    Date,
    /// Oldest decision first (ties: by letter, then item; undated items last).
    Oldest,
}

impl Sort {
    pub fn as_str(self) -> &'static str {
        match self {
            Sort::Relevance => "relevance",
            // "date", not "newest": the JSON contract's value from before there were two.
            Sort::Date => "date",
            Sort::Oldest => "oldest",
        }
    }
}

/// What one filter value matches.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// Exactly this facet path (a drug from the lexicon, a decision, a category).
    Path(FacetId, Facet),
    /// A path as a user typed it ("MTUS/chronic pain/opioids"), each step whole or its
    /// beginning, any case: resolved against the values in the index. The spellings are
    /// tried in order until one names something (a specialty's canonical name, then as typed).
    Typed {
        facet: FacetId,
        spellings: Vec<String>,
        /// What the values are, for "no ... in the index matches".
        what: &'static str,
    },
    /// The values of a facet, at any depth, whose last step is this ("Acupuncture" names
    /// /dwc/Rehabilitation/Acupuncture): whole, else its beginning, any case.
    Leaf {
        facet: FacetId,
        /// How many steps the values have, the field's own included (/dwc/Rehabilitation/
        /// Acupuncture: 3).
        steps: usize,
        typed: String,
        what: &'static str,
    },
    /// Items citing this MTUS page (a cited range 76-80 contains 80).
    MtusPage(u32),
}

/// One value of a filter, and how "interpreted:" names it.
#[derive(Debug, Clone, PartialEq)]
pub struct FilterValue {
    pub label: String,
    pub target: Target,
}

/// Items matching any of the values; filter groups must all hold.
#[derive(Debug, Clone, PartialEq)]
pub struct FilterGroup {
    /// The flag the values came from: "medication", "class", "guideline", "mtus-page".
    pub name: &'static str,
    pub values: Vec<FilterValue>,
}

/// Restrictions on the items returned, each value checked when it was added.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filters {
    /// In the order they were added, which is the order "interpreted:" lists them in.
    pub groups: Vec<FilterGroup>,
    /// Decision date bounds, ISO `YYYY-MM-DD`, inclusive.
    pub from: Option<String>,
    pub to: Option<String>,
}

impl Filters {
    pub fn is_empty(&self) -> bool {
        *self == Filters::default()
    }

    fn push(&mut self, name: &'static str, value: FilterValue) {
        match self.groups.iter_mut().find(|g| g.name == name) {
            Some(g) => {
                if !g.values.contains(&value) {
                    g.values.push(value);
                }
            }
            None => self.groups.push(FilterGroup {
                name,
                values: vec![value],
            }),
        }
    }

    fn path(&mut self, name: &'static str, facet: &str, label: &str, steps: &[&str]) {
        let id = facets::by_name(facet);
        let path = Facet::from_path(std::iter::once(facet).chain(steps.iter().copied()));
        self.push(
            name,
            FilterValue {
                label: label.to_string(),
                target: Target::Path(id, path),
            },
        );
    }

    /// Only items with this decision (one decision: a second one is ignored, so flags given
    /// first win over words of the query).
    pub fn decision(&mut self, d: Decision) -> &mut Self {
        if self.get_decision().is_none() {
            self.path("decision", "decision", d.as_str(), &[d.as_str()]);
        }
        self
    }

    /// The decision filter in force, if any.
    pub fn get_decision(&self) -> Option<Decision> {
        let g = self.groups.iter().find(|g| g.name == "decision")?;
        g.values.first().and_then(|v| Decision::parse(&v.label))
    }

    /// Only items for this drug, brand or generic ("Norco", "hydrocodone/APAP").
    pub fn medication(&mut self, name: &str) -> Result<&mut Self> {
        let drug = check_drug(name)?;
        let (class, generic) = (drug.class.clone(), drug.generic.clone());
        self.path("medication", "medication", &generic, &[&class, &generic]);
        Ok(self)
    }

    /// Only items for drugs of this class ("opioid", "muscle relaxants").
    pub fn class(&mut self, name: &str) -> Result<&mut Self> {
        let class = check_class(name)?;
        self.path("class", "medication", &class, &[&class]);
        Ok(self)
    }

    /// Only items of this category: one of the nine broad ones ("imaging", "therapy", ...),
    /// else DWC's Request Category, whole or its beginning ("Diagnostic Testing", "DMEPOS",
    /// "rehab"), or a category and subcategory ("Rehabilitation/Acupuncture").
    pub fn category(&mut self, typed: &str) -> &mut Self {
        // DWC's own name wins where a broad word is one too ("surgery", "injection").
        let dwc = Lexicon::get()
            .treatment_names()
            .dwc_categories()
            .iter()
            .any(|c| c.eq_ignore_ascii_case(typed.trim()));
        match Category::parse(typed).filter(|_| !dwc) {
            Some(c) => self.path("category", "category", c.as_str(), &[c.as_str()]),
            None => {
                self.typed(
                    "category",
                    "dwc",
                    "DWC request category",
                    typed,
                    vec![typed.into()],
                );
            }
        }
        self
    }

    /// Only items of DWC's SubCategory ("Acupuncture", "Imaging", "Muscle Relaxant"), under
    /// whichever category it stands.
    pub fn subcategory(&mut self, typed: &str) -> &mut Self {
        self.push(
            "subcategory",
            FilterValue {
                label: typed.to_string(),
                target: Target::Leaf {
                    facet: facets::by_name("dwc"),
                    steps: 3,
                    typed: typed.to_string(),
                    what: "DWC subcategory",
                },
            },
        );
        self
    }

    /// Only items of this treatment, by its name or a synonym ("chiropractor", "ESI", "PT").
    pub fn treatment(&mut self, typed: &str) -> &mut Self {
        match Lexicon::get().treatment_names().treatment_named(typed) {
            Some(t) => {
                let t = t.to_string();
                self.path("treatment", "treatment", &t, &[&t]);
                self
            }
            None => self.typed(
                "treatment",
                "treatment",
                "treatment",
                typed,
                vec![typed.into()],
            ),
        }
    }

    /// Only items for this body region ("lumbar spine", "L-spine", "knee"), either side.
    pub fn region(&mut self, typed: &str) -> &mut Self {
        match Lexicon::get().treatment_names().region_named(typed) {
            Some(r) => {
                let r = r.to_string();
                self.path("region", "region", &r, &[&r]);
                self
            }
            None => self.typed("region", "region", "body region", typed, vec![typed.into()]),
        }
    }

    /// Only items citing this guideline: SOURCE[/DOCUMENT[/SECTION[/PAGE]]].
    pub fn guideline(&mut self, typed: &str) -> &mut Self {
        self.typed(
            "guideline",
            "guideline",
            "guideline",
            typed,
            vec![typed.into()],
        )
    }

    /// Only items decided by a reviewer of this specialty (canonical spelling tried first).
    pub fn specialty(&mut self, typed: &str) -> &mut Self {
        let canonical = Lexicon::get().canonical_specialty(typed);
        self.typed(
            "specialty",
            "specialty",
            "reviewer specialty",
            typed,
            vec![canonical, typed.to_string()],
        )
    }

    /// Only items with a value of any facet: "layout=2013-notice", "guideline=MTUS/Chronic".
    pub fn facet(&mut self, field: &str, typed: &str) -> Result<&mut Self> {
        let id = facets::find(field).ok_or_else(|| Error::UnknownFacet {
            name: field.to_string(),
            known: facets::names(),
        })?;
        let f = &FACETS[id];
        Ok(self.typed(f.name, f.name, f.name, typed, vec![typed.to_string()]))
    }

    fn typed(
        &mut self,
        name: &'static str,
        facet: &str,
        what: &'static str,
        label: &str,
        spellings: Vec<String>,
    ) -> &mut Self {
        let value = FilterValue {
            label: label.to_string(),
            target: Target::Typed {
                facet: facets::by_name(facet),
                spellings,
                what,
            },
        };
        self.push(name, value);
        self
    }

    pub fn mtus_page(&mut self, page: u32) -> &mut Self {
        self.push(
            "mtus-page",
            FilterValue {
                label: page.to_string(),
                target: Target::MtusPage(page),
            },
        );
        self
    }

    /// Decided on or after `from` and on or before `to` (ISO days, from [`parse_from`] and
    /// [`parse_to`]).
    pub fn dates(&mut self, from: Option<String>, to: Option<String>) -> Result<&mut Self> {
        if let (Some(f), Some(t)) = (&from, &to) {
            if f > t {
                return Err(Error::DateRange {
                    from: f.clone(),
                    to: t.clone(),
                });
            }
        }
        self.from = from;
        self.to = to;
        Ok(self)
    }

    /// "decision=upheld medication=... from=2016-01-01": every filter as "interpreted:" says it.
    pub fn describe(&self) -> Vec<String> {
        let mut parts: Vec<String> = self
            .groups
            .iter()
            .flat_map(|g| {
                g.values
                    .iter()
                    .map(move |v| format!("{}={}", g.name, v.label))
            })
            .collect();
        if let Some(f) = &self.from {
            parts.push(format!("from={f}"));
        }
        if let Some(t) = &self.to {
            parts.push(format!("to={t}"));
        }
        parts
    }
}

/// A drug by any of its names, or the typed error the CLI and the server report.
pub fn check_drug(name: &str) -> Result<&'static crate::lexicon::Drug> {
    Lexicon::get().drug(name).ok_or_else(|| Error::UnknownDrug {
        name: name.to_string(),
    })
}

/// A drug class as the lexicon spells it ("muscle relaxants" → "muscle relaxant").
pub fn check_class(name: &str) -> Result<String> {
    let classes = Lexicon::get().classes();
    let c = name.trim().to_lowercase();
    let singular = c.strip_suffix('s').unwrap_or(&c);
    classes
        .iter()
        .find(|k| **k == c || **k == singular)
        .map(|k| k.to_string())
        .ok_or_else(|| Error::UnknownClass {
            name: c.clone(),
            known: classes.iter().map(|k| k.to_string()).collect(),
        })
}

/// The first day of a user's date (`2016-12-01`, `2016-12`, `2016`, `12/01/2016`).
pub fn parse_from(s: &str) -> Result<String> {
    parse_user_date(s, false).ok_or_else(|| Error::BadDate {
        flag: "from",
        value: s.to_string(),
    })
}

/// The last day of a user's date (`2016-12` → `2016-12-31`).
pub fn parse_to(s: &str) -> Result<String> {
    parse_user_date(s, true).ok_or_else(|| Error::BadDate {
        flag: "to",
        value: s.to_string(),
    })
}

/// Parses a user's date: `2016-12-01`, `2016-12`, `2016` (a bound's start or end), or
/// `12/01/2016`.
pub fn parse_user_date(s: &str, end_of_period: bool) -> Option<String> {
    use crate::letter::dates::parse_date;
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
            let last = (28..=31)
                .rev()
                .find_map(|d| parse_date(&format!("{m}/{d}/{y}")))?;
            Some(if end_of_period {
                last
            } else {
                format!("{y:04}-{m:02}-01")
            })
        }
        [y, m, d] if y.len() == 4 => parse_date(&format!("{m}/{d}/{y}")),
        _ => parse_date(s),
    }
}

/// What to match: the words and the filters.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Criteria {
    /// The query as typed.
    pub query: String,
    /// Search every word as text: no drug, decision or concept recognition.
    pub literal: bool,
    pub filters: Filters,
}

/// A ranked search: what to match, and which page of hits with what around them.
#[derive(Debug, Clone)]
pub struct SearchRequest {
    pub criteria: Criteria,
    pub limit: usize,
    pub offset: usize,
    /// None: relevance when there is text to rank by, else newest first.
    pub sort: Option<Sort>,
    /// Count the facet groups over every hit.
    pub facets: bool,
    /// Find the first and last decision date over every hit.
    pub dates: bool,
    pub snippets: bool,
    pub snippet_chars: usize,
    /// Choose each hit's key and rule sentences (`crate::reasoning`): only for outputs that
    /// print them (precedent lists, JSON), as the choice costs more than the search itself
    /// on a long page.
    pub reasoning: bool,
}

impl SearchRequest {
    /// The most hits one page holds: a limit past it is clamped (a page of a million items
    /// is not a page, and an absurd `--limit` must not allocate for it).
    pub const MAX_LIMIT: usize = 10_000;

    pub fn new(criteria: Criteria) -> SearchRequest {
        SearchRequest {
            criteria,
            limit: 10,
            offset: 0,
            sort: None,
            facets: true,
            dates: false,
            snippets: true,
            snippet_chars: 240,
            reasoning: true,
        }
    }
}

/// A facet browsed as a tree over the items matching `criteria`.
#[derive(Debug, Clone)]
pub struct BrowseRequest {
    pub criteria: Criteria,
    pub facet: FacetId,
    /// Start below this typed path ("MTUS/Chronic Pain Medical Treatment Guidelines").
    pub path: Option<String>,
    /// Levels to show; None: the facet's own default.
    pub depth: Option<usize>,
    /// Values shown per level (numeric levels such as pages show every value).
    pub limit: usize,
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
    fn filters_are_checked_as_they_are_added() {
        let mut f = Filters::default();
        assert!(matches!(
            f.medication("Frobozz"),
            Err(Error::UnknownDrug { .. })
        ));
        assert!(matches!(
            f.class("wizardry"),
            Err(Error::UnknownClass { .. })
        ));
        assert!(matches!(
            f.facet("nonsense", "x"),
            Err(Error::UnknownFacet { .. })
        ));
        f.medication("Norco").unwrap().class("opioids").unwrap();
        f.decision(Decision::Upheld).decision(Decision::Overturned);
        f.mtus_page(80);
        assert_eq!(
            f.describe(),
            [
                "medication=hydrocodone/acetaminophen",
                "class=opioid",
                "decision=upheld",
                "mtus-page=80"
            ]
        );
        assert_eq!(f.get_decision(), Some(Decision::Upheld));
        assert!(matches!(
            Filters::default().dates(Some("2017-01-01".into()), Some("2016-01-01".into())),
            Err(Error::DateRange { .. })
        ));
    }
}
