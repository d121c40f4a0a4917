//! The facets: the one list that names each facet field, the shape of its paths, how deep
//! search results count it, how `imr facets` shows it, and how an item's paths are made.
//!
//! Everything else iterates over [`FACETS`]: the schema adds one facet field per entry, the
//! document builder asks each entry for an item's paths, the search tally counts each entry's
//! groups, `imr facets` browses any entry, and `--where FIELD=PATH` filters on any entry.
//! Adding a facet is one entry here (and a schema version bump, since the index changes).

use crate::record::{Citation, Item};
use tantivy::schema::Facet;

/// How `imr facets` orders the values of one level of a tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// Largest count first; a level whose values are all numbers (pages) in numeric order,
    /// every value shown.
    Count,
    /// Newest first (values are years, months, dates).
    Newest,
}

/// A tally shown beside search results: the paths of one depth of a facet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Group {
    /// The group's name in results ("class").
    pub name: &'static str,
    /// Path steps counted, the field's own step included: /medication/opioid is 2.
    pub depth: usize,
    /// Path steps dropped from the displayed value: 2 shows /medication/opioid/tramadol as
    /// "tramadol".
    pub display_from: usize,
}

/// One facet field.
#[derive(Debug, Clone, Copy)]
pub struct FacetField {
    /// The schema field and its paths' first step: "guideline".
    pub name: &'static str,
    /// The tree below the field, for help text: "source → document → section → pages".
    pub shape: &'static str,
    /// Other names `imr facets` and `--where` accept.
    pub aliases: &'static [&'static str],
    /// Levels `imr facets` shows unless told otherwise.
    pub browse_depth: usize,
    pub order: Order,
    /// What every search counts beside its hits, in display order (none: browse only).
    pub groups: &'static [Group],
    /// The item's paths in this field.
    pub paths: fn(&Item) -> Vec<Facet>,
}

/// Index of a facet in [`FACETS`].
pub type FacetId = usize;

/// Every facet field, in the order search results list their groups.
pub const FACETS: [FacetField; 11] = [
    FacetField {
        name: "decision",
        shape: "upheld | overturned | unknown (a whole-letter document)",
        aliases: &[],
        browse_depth: 1,
        order: Order::Count,
        groups: &[Group {
            name: "decision",
            depth: 2,
            display_from: 1,
        }],
        paths: |i| vec![Facet::from_path(["decision", i.decision.as_str()])],
    },
    FacetField {
        name: "medication",
        shape: "drug class → drug (generic)",
        aliases: &["class", "drug"],
        browse_depth: 2,
        order: Order::Count,
        groups: &[
            Group {
                name: "medication",
                depth: 3,
                display_from: 2,
            },
            Group {
                name: "class",
                depth: 2,
                display_from: 1,
            },
        ],
        // Every drug of the item: a compound counts under each of its ingredients.
        paths: |i| {
            let mut out: Vec<Facet> = i
                .medications
                .iter()
                .chain(i.medication.iter())
                .map(|m| Facet::from_path(["medication", &m.class, &m.generic]))
                .collect();
            out.sort();
            out.dedup();
            out
        },
    },
    FacetField {
        name: "guideline",
        shape: "source → document → section → pages",
        aliases: &[],
        browse_depth: 2,
        order: Order::Count,
        groups: &[Group {
            name: "guideline",
            depth: 3,
            display_from: 1,
        }],
        paths: |i| {
            let mut out: Vec<Facet> = i.guidelines.iter().flat_map(guideline_facets).collect();
            out.sort();
            out.dedup();
            out
        },
    },
    FacetField {
        name: "specialty",
        shape: "the reviewer's board specialties",
        aliases: &["reviewer"],
        browse_depth: 1,
        order: Order::Count,
        groups: &[Group {
            name: "specialty",
            depth: 2,
            display_from: 1,
        }],
        paths: |i| {
            i.specialty
                .iter()
                .map(|s| Facet::from_path(["specialty", s.as_str()]))
                .collect()
        },
    },
    FacetField {
        name: "category",
        shape: "treatment category",
        aliases: &[],
        browse_depth: 1,
        order: Order::Count,
        groups: &[Group {
            name: "category",
            depth: 2,
            display_from: 1,
        }],
        // A whole-letter document is no item of any category.
        paths: |i| {
            if i.whole {
                Vec::new()
            } else {
                vec![Facet::from_path(["category", i.category.as_str()])]
            }
        },
    },
    FacetField {
        name: "dwc",
        shape: "DWC's Request Category → SubCategory (as DWC's decision search names them)",
        aliases: &["subcategory", "request"],
        browse_depth: 2,
        order: Order::Count,
        groups: &[
            Group {
                name: "dwc_category",
                depth: 2,
                display_from: 1,
            },
            Group {
                name: "dwc_subcategory",
                depth: 3,
                display_from: 1,
            },
        ],
        paths: |i| {
            let t = &i.treatment;
            match (&t.dwc_category, &t.dwc_subcategory) {
                (Some(c), Some(s)) => vec![Facet::from_path(["dwc", c.as_str(), s.as_str()])],
                (Some(c), None) => vec![Facet::from_path(["dwc", c.as_str()])],
                _ => Vec::new(),
            }
        },
    },
    FacetField {
        name: "treatment",
        shape: "the treatment requested (MRI, physical therapy, epidural steroid injection...)",
        aliases: &[],
        browse_depth: 1,
        order: Order::Count,
        groups: &[Group {
            name: "treatment",
            depth: 2,
            display_from: 1,
        }],
        paths: |i| {
            i.treatment
                .treatment
                .iter()
                .map(|t| Facet::from_path(["treatment", t.as_str()]))
                .collect()
        },
    },
    FacetField {
        name: "region",
        shape: "body region → side (left, right, bilateral)",
        aliases: &["body"],
        browse_depth: 2,
        order: Order::Count,
        groups: &[Group {
            name: "region",
            depth: 2,
            display_from: 1,
        }],
        // Every region the item names ("the lumbar spine and bilateral knees"), each with the
        // side where one is written.
        paths: |i| {
            let t = &i.treatment;
            t.regions
                .iter()
                .chain(t.region.iter().filter(|r| !t.regions.contains(r)))
                .map(|r| match &t.laterality {
                    Some(l) => Facet::from_path(["region", r.as_str(), l.as_str()]),
                    None => Facet::from_path(["region", r.as_str()]),
                })
                .collect()
        },
    },
    FacetField {
        name: "priority",
        shape: "Standard | Expedited review",
        aliases: &["review"],
        browse_depth: 1,
        order: Order::Count,
        groups: &[Group {
            name: "priority",
            depth: 2,
            display_from: 1,
        }],
        paths: |i| {
            i.priority
                .iter()
                .map(|p| Facet::from_path(["priority", p.as_str()]))
                .collect()
        },
    },
    FacetField {
        name: "layout",
        shape: "the letter's template: 2016-header, 2014-no-header, 2013-notice, 2013-decisions, 2013-professional-review, unrecognised",
        aliases: &["template"],
        browse_depth: 1,
        order: Order::Count,
        // Browse and filter only: which template a letter was written in says nothing about
        // the items a search finds.
        groups: &[],
        paths: |i| vec![Facet::from_path(["layout", i.layout.as_str()])],
    },
    FacetField {
        name: "decided",
        shape: "decision year → month",
        aliases: &["date", "year", "month"],
        browse_depth: 2,
        order: Order::Newest,
        groups: &[],
        paths: |i| {
            let d = i.decision_date.as_deref().unwrap_or("");
            match (d.get(..4), d.get(5..7)) {
                (Some(y), Some(m)) => vec![Facet::from_path(["decided", y, m])],
                _ => Vec::new(),
            }
        },
    },
];

/// The facet a user names ("guideline", "class", "Drug"), by name or alias, any case.
pub fn find(name: &str) -> Option<FacetId> {
    let name = name.trim().to_lowercase();
    FACETS
        .iter()
        .position(|f| f.name == name || f.aliases.contains(&name.as_str()))
}

/// The facet of a schema field name.
pub fn by_name(name: &str) -> FacetId {
    FACETS
        .iter()
        .position(|f| f.name == name)
        .unwrap_or_else(|| unreachable!("no facet {name}: FACETS names every facet the code uses"))
}

/// Every name `imr facets` accepts, for help and errors: "decision, medication (class, drug), ...".
pub fn names() -> String {
    FACETS
        .iter()
        .map(|f| {
            if f.aliases.is_empty() {
                f.name.to_string()
            } else {
                format!("{} ({})", f.name, f.aliases.join(", "))
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Facet path step for a free-text value: trimmed, first letter upper-cased so "Physical
/// medicine treatment" and "Physical Medicine treatment" count together.
pub fn facet_step(s: &str) -> String {
    let s = s.trim();
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => "(none)".to_string(),
    }
}

/// The section step used for a citation's pages when it names no section.
pub const NO_SECTION: &str = "(no section)";

/// Facet paths for one citation: /guideline/<source>/<document>/<section>[/<page>].
pub fn guideline_facets(c: &Citation) -> Vec<Facet> {
    let base = [
        "guideline".to_string(),
        c.source.as_str().to_string(),
        facet_step(&c.document),
    ];
    let mut out = Vec::new();
    if c.sections.is_empty() {
        out.push(Facet::from_path(base.iter()));
    }
    let sections: Vec<String> = if c.sections.is_empty() {
        if c.pages.is_empty() {
            Vec::new()
        } else {
            vec![NO_SECTION.to_string()]
        }
    } else {
        c.sections.iter().map(|s| facet_step(s)).collect()
    };
    for s in &sections {
        if s != NO_SECTION {
            out.push(Facet::from_path(base.iter().chain([s])));
        }
        for p in &c.pages {
            out.push(Facet::from_path(base.iter().chain([s, &p.to_string()])));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::GuidelineSource;

    #[test]
    fn names_and_aliases_are_unique_and_lower_case() {
        let mut all: Vec<&str> = FACETS
            .iter()
            .flat_map(|f| std::iter::once(f.name).chain(f.aliases.iter().copied()))
            .collect();
        assert!(all.iter().all(|n| *n == n.to_lowercase()));
        let n = all.len();
        all.sort();
        all.dedup();
        assert_eq!(all.len(), n, "a name or alias names two facets");
        assert_eq!(find("Class"), Some(by_name("medication")));
        assert_eq!(find("nonsense"), None);
    }

    #[test]
    fn groups_count_below_the_field_step() {
        for f in &FACETS {
            for g in f.groups {
                assert!(g.depth >= 2 && g.display_from >= 1 && g.display_from < g.depth);
            }
            assert!(f.browse_depth >= 1);
        }
    }

    #[test]
    fn guideline_facet_paths() {
        let c = Citation {
            source: GuidelineSource::Mtus,
            document: "Chronic Pain Medical Treatment Guidelines".into(),
            year: None,
            sections: vec!["Opioids".into()],
            pages: vec![80, 81],
        };
        let paths: Vec<String> = guideline_facets(&c).iter().map(|f| f.to_string()).collect();
        assert_eq!(
            paths,
            [
                "/guideline/MTUS/Chronic Pain Medical Treatment Guidelines/Opioids",
                "/guideline/MTUS/Chronic Pain Medical Treatment Guidelines/Opioids/80",
                "/guideline/MTUS/Chronic Pain Medical Treatment Guidelines/Opioids/81",
            ]
        );
        let bare = Citation {
            sections: vec![],
            pages: vec![46],
            ..c
        };
        let paths: Vec<String> = guideline_facets(&bare)
            .iter()
            .map(|f| f.to_string())
            .collect();
        assert_eq!(
            paths,
            [
                "/guideline/MTUS/Chronic Pain Medical Treatment Guidelines",
                "/guideline/MTUS/Chronic Pain Medical Treatment Guidelines/(no section)/46",
            ]
        );
    }
}
