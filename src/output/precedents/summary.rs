//! The tally at the top of a precedent list: "43 decisions (Dec. 9, 2016 – Feb. 28, 2017):
//! 39 upheld (90.7%), 4 overturned (9.3%); by guideline: ...; by reviewer specialty: ...".
//!
//! Every number is the engine's own count over the whole result set (the facet tally and
//! the date span the search collects beside its hits), not a recount of the entries
//! printed: a list of 25 out of 43 matching items says 43.

use crate::output::results::brief_date;
use crate::search::{FacetValue, SearchResults};
use serde::Serialize;

/// How many values of a breakdown the one-line text names; the JSON and CSV give them all.
const NAMED: usize = 5;

/// The tally of a result set, as the JSON `summary` object.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// The one-line tally, as the Markdown and Word lists print it.
    pub text: String,
    /// What the counts cover, in words.
    pub counted: String,
    /// Every matching item (each item is one decision).
    pub decisions: usize,
    pub upheld: u64,
    pub overturned: u64,
    /// First and last decision date, `YYYY-MM-DD`; null when no item is dated.
    pub first_decided: Option<String>,
    pub last_decided: Option<String>,
    /// Items whose letter states no decision date.
    pub undated: u64,
    /// Items per guideline (source and document) cited, with how many were overturned; an
    /// item citing two counts under each.
    pub by_guideline: Vec<FacetValue>,
    /// Items per reviewer specialty, likewise.
    pub by_specialty: Vec<FacetValue>,
}

impl Summary {
    /// The tally of `r`, whose search counted facets and dates; `listed` entries are shown.
    pub fn new(r: &SearchResults, listed: usize) -> Summary {
        let group = |name: &str| -> Vec<FacetValue> {
            r.facets
                .iter()
                .find(|g| g.name == name)
                .map(|g| g.values.clone())
                .unwrap_or_default()
        };
        let decision = group("decision");
        let count_of = |d: &str| {
            decision
                .iter()
                .find(|v| v.value == d)
                .map_or(0, |v| v.count)
        };
        let (upheld, overturned) = (count_of("upheld"), count_of("overturned"));
        let dates = r.dates.clone().unwrap_or_default();
        let by_guideline: Vec<FacetValue> = group("guideline")
            .into_iter()
            .map(|mut v| {
                // "MTUS/Chronic Pain Medical Treatment Guidelines" as a brief names it.
                v.value = v.value.replacen('/', " ", 1);
                v
            })
            .collect();
        let by_specialty = group("specialty");
        let mut s = Summary {
            text: String::new(),
            counted: counted(r, listed),
            decisions: r.total,
            upheld,
            overturned,
            first_decided: dates.first,
            last_decided: dates.last,
            undated: dates.undated,
            by_guideline,
            by_specialty,
        };
        s.text = s.line();
        s
    }

    /// "43 decisions (Dec. 9, 2016 – Feb. 28, 2017): 39 upheld (90.7%), 4 overturned (9.3%)".
    pub fn headline(&self) -> String {
        let n = self.decisions;
        let mut s = format!("{n} decision{}", if n == 1 { "" } else { "s" });
        if n == 0 {
            return s;
        }
        s.push_str(&format!(" ({})", self.span()));
        let share = |k: u64| 100.0 * k as f64 / n as f64;
        s.push_str(&format!(
            ": {} upheld ({:.1}%), {} overturned ({:.1}%)",
            self.upheld,
            share(self.upheld),
            self.overturned,
            share(self.overturned)
        ));
        s
    }

    /// "Dec. 9, 2016 – Feb. 28, 2017", with the undated items counted where there are any.
    pub fn span(&self) -> String {
        let dated = match (&self.first_decided, &self.last_decided) {
            (Some(a), Some(b)) if a == b => brief_date(Some(a)),
            (Some(a), Some(b)) => format!("{} – {}", brief_date(Some(a)), brief_date(Some(b))),
            _ => return "dates not stated".to_string(),
        };
        match self.undated {
            0 => dated,
            u => format!("{dated}; {u} undated"),
        }
    }

    /// "by guideline: MTUS Chronic Pain Medical Treatment Guidelines 20 (3 overturned), ..."
    pub fn breakdowns(&self) -> Vec<String> {
        [
            ("by guideline", &self.by_guideline),
            ("by reviewer specialty", &self.by_specialty),
        ]
        .into_iter()
        .filter(|(_, values)| !values.is_empty())
        .map(|(label, values)| format!("{label}: {}", named(values)))
        .collect()
    }

    fn line(&self) -> String {
        let mut parts = vec![self.headline()];
        if self.decisions > 0 {
            parts.extend(self.breakdowns());
        }
        parts.join("; ") + "."
    }
}

/// The first values of a breakdown with their counts, and how many more there are.
fn named(values: &[FacetValue]) -> String {
    let mut parts: Vec<String> = values
        .iter()
        .take(NAMED)
        .map(|v| match v.overturned {
            0 => format!("{} {}", v.value, v.count),
            o => format!("{} {} ({o} overturned)", v.value, v.count),
        })
        .collect();
    if values.len() > NAMED {
        parts.push(format!("{} more", values.len() - NAMED));
    }
    parts.join(", ")
}

/// "Counts cover all 43 items matching medication=... (the list shows 25, by relevance);
/// an item citing two guidelines, or decided by a reviewer of two specialties, counts under
/// each."
fn counted(r: &SearchResults, listed: usize) -> String {
    let what = if r.interpreted.is_empty() {
        "in the index".to_string()
    } else {
        format!("matching {}", r.interpreted)
    };
    let order = match r.sort {
        crate::search::Sort::Relevance => "by relevance",
        crate::search::Sort::Date => "newest first",
        crate::search::Sort::Oldest => "oldest first",
    };
    let loosened = match &r.note {
        Some(note) => format!(" ({note})"),
        None => String::new(),
    };
    format!(
        "Counts cover all {} item{} {what}{loosened}, not only the {listed} listed ({order}); \
         an item citing two guidelines, or decided by a reviewer of two specialties, counts \
         under each.",
        r.total,
        if r.total == 1 { "" } else { "s" },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(v: &str, count: u64, overturned: u64) -> FacetValue {
        FacetValue {
            value: v.into(),
            count,
            overturned,
            path: String::new(),
        }
    }

    #[test]
    fn the_line_reads_as_the_issue_asks() {
        let s = Summary {
            text: String::new(),
            counted: String::new(),
            decisions: 43,
            upheld: 39,
            overturned: 4,
            first_decided: Some("2016-12-09".into()),
            last_decided: Some("2017-02-28".into()),
            undated: 0,
            by_guideline: vec![value(
                "MTUS Chronic Pain Medical Treatment Guidelines",
                30,
                3,
            )],
            by_specialty: (1..=7)
                .map(|i| value(&format!("S{i}"), 10 - i, 0))
                .collect(),
        };
        assert_eq!(
            s.line(),
            "43 decisions (Dec. 9, 2016 – Feb. 28, 2017): 39 upheld (90.7%), 4 overturned (9.3%); \
             by guideline: MTUS Chronic Pain Medical Treatment Guidelines 30 (3 overturned); \
             by reviewer specialty: S1 9, S2 8, S3 7, S4 6, S5 5, 2 more."
        );
        let none = Summary {
            decisions: 0,
            upheld: 0,
            overturned: 0,
            first_decided: None,
            last_decided: None,
            by_guideline: vec![],
            by_specialty: vec![],
            ..s.clone()
        };
        assert_eq!(none.line(), "0 decisions.");
        let undated = Summary {
            first_decided: None,
            last_decided: None,
            undated: 43,
            ..s
        };
        assert!(undated
            .headline()
            .starts_with("43 decisions (dates not stated): "));
    }
}
