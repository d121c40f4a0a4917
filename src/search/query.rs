//! Query understanding: what a user types → filters, concepts and free text.
//!
//! "Norco upheld urine drug screen" → medication = hydrocodone/acetaminophen (from the drug
//! lexicon: brand, generic, abbreviations), decision = upheld (from `query_words.toml`), and
//! the concept "urine drug screen" (from the synonym table: also UDS, urine drug testing,
//! urine toxicology). Recognition is greedy, longest phrase first, over up to five words.
//! What is left is free text. Queries written in tantivy's syntax ("phrase", AND, OR, -word,
//! field:value) and `--literal` skip all of this.

use crate::lexicon::Lexicon;
use crate::record::Decision;

/// How a query was understood.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Understood {
    /// Generic names of drugs named ("hydrocodone/acetaminophen").
    pub medications: Vec<String>,
    /// Drug classes named ("opioid").
    pub classes: Vec<String>,
    pub decision: Option<Decision>,
    /// Guideline sources named (MTUS, ODG, ACOEM).
    pub sources: Vec<String>,
    /// MTUS pages named ("page 80").
    pub pages: Vec<u32>,
    /// Treatments named, canonical ("MRI", "chiropractic manipulation").
    pub treatments: Vec<String>,
    /// Body regions named, canonical ("lumbar spine").
    pub regions: Vec<String>,
    /// DWC categories named, as typed paths of the `dwc` facet ("Surgery").
    pub categories: Vec<String>,
    /// Concepts: each a group of equivalent phrases, the first canonical.
    pub concepts: Vec<Vec<String>>,
    /// Each concept as the user typed it ("uds").
    pub concept_typed: Vec<String>,
    /// Remaining words, in order.
    pub text: Vec<String>,
    /// The query is tantivy query syntax, passed through as written.
    pub syntax: Option<String>,
}

impl Understood {
    /// "medication=hydrocodone/acetaminophen decision=upheld text=\"urine drug screen\"".
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(s) = &self.syntax {
            parts.push(format!("query={s:?}"));
        }
        for m in &self.medications {
            parts.push(format!("medication={m}"));
        }
        for c in &self.classes {
            parts.push(format!("class={c}"));
        }
        if let Some(d) = self.decision {
            parts.push(format!("decision={}", d.as_str()));
        }
        for s in &self.sources {
            parts.push(format!("guideline={s}"));
        }
        for p in &self.pages {
            parts.push(format!("mtus-page={p}"));
        }
        for t in &self.treatments {
            parts.push(format!("treatment={t}"));
        }
        for r in &self.regions {
            parts.push(format!("region={r}"));
        }
        for c in &self.categories {
            parts.push(format!("category={c}"));
        }
        let mut text: Vec<String> = self.concept_typed.clone();
        text.extend(self.text.iter().cloned());
        if !text.is_empty() {
            parts.push(format!("text={:?}", text.join(" ")));
        }
        parts.join(" ")
    }

    /// Whether anything is left to rank by.
    pub fn has_text(&self) -> bool {
        self.syntax.is_some() || !self.concepts.is_empty() || !self.text.is_empty()
    }
}

/// Whether the query uses tantivy's query syntax.
pub fn is_syntax(q: &str) -> bool {
    q.contains('"')
        || q.split_whitespace().any(|w| {
            w == "AND"
                || w == "OR"
                || w == "NOT"
                || w.starts_with('-')
                || w.starts_with('+')
                || (w.contains(':')
                    && !w.ends_with(':')
                    && w.split(':').next().is_some_and(|f| {
                        !f.is_empty() && f.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                    }))
        })
        || q.contains('(') && q.contains(')') && (q.contains(" OR ") || q.contains(" AND "))
}

/// Normalises a query word: lower-case, outer punctuation dropped ('/', '-', '.' inside kept).
fn norm(word: &str) -> String {
    word.trim_matches(|c: char| !c.is_alphanumeric() && c != '#' && c != '%')
        .to_lowercase()
}

/// Understands a query. `literal` keeps every word as text.
pub fn understand(q: &str, literal: bool) -> Understood {
    let mut u = Understood::default();
    if is_syntax(q) {
        u.syntax = Some(q.trim().to_string());
        return u;
    }
    let mut raw: Vec<String> = q
        .split_whitespace()
        .map(norm)
        .filter(|w| !w.is_empty())
        .collect();
    if literal {
        u.text = raw;
        return u;
    }
    // "page 80", "p. 80", "pages 78-80": MTUS pages.
    let mut kept = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let w = raw[i].as_str();
        if matches!(w, "page" | "pages" | "p" | "pp" | "pg" | "pgs") {
            if let Some(pages) = raw.get(i + 1).and_then(|n| page_list(n)) {
                u.pages.extend(pages);
                i += 2;
                continue;
            }
        }
        kept.push(raw[i].clone());
        i += 1;
    }
    raw = kept;

    let lex = Lexicon::get();
    let classes = lex.classes();
    let w = crate::lexicon::query_words();
    let treatments = lex.treatment_names();
    // An item is a drug or a treatment, not both: where the query names a drug, the
    // treatment words in it are the reasoning ("Norco urine drug screen"), not the item.
    let names_drug = (0..raw.len()).any(|i| {
        (1..=5.min(raw.len() - i)).any(|len| {
            let phrase = raw[i..i + len].join(" ");
            let singular = phrase.strip_suffix('s').unwrap_or(&phrase).to_string();
            lex.drug(&phrase).is_some() || classes.iter().any(|c| *c == phrase || *c == singular)
        })
    });
    let mut i = 0;
    'outer: while i < raw.len() {
        // What the item is (a category, a treatment, a body region) first, longest phrase
        // first: "physical therapy" is the treatment asked for before it is a concept.
        if !names_drug {
            for len in (1..=5.min(raw.len() - i)).rev() {
                let phrase = raw[i..i + len].join(" ");
                if let Some((c, _)) = w.category.iter().find(|(_, ws)| ws.contains(&phrase)) {
                    push_unique(&mut u.categories, c.clone());
                } else if let Some(t) = treatments
                    .treatment_named(&phrase)
                    .filter(|t| *t != "medication")
                {
                    push_unique(&mut u.treatments, t.to_string());
                    // A treatment named with its region ("lumbar support", "cervical
                    // collar") asks for that region too.
                    for w in &raw[i..i + len] {
                        if let Some(r) = treatments.region_named(w) {
                            push_unique(&mut u.regions, r.to_string());
                        }
                    }
                } else if let Some(r) = treatments.region_named(&phrase) {
                    push_unique(&mut u.regions, r.to_string());
                } else {
                    continue;
                }
                i += len;
                continue 'outer;
            }
        }
        for len in (1..=5.min(raw.len() - i)).rev() {
            let phrase = raw[i..i + len].join(" ");
            let singular = phrase.strip_suffix('s').unwrap_or(&phrase);
            if let Some((d, _)) = w.decision.iter().find(|(_, ws)| ws.contains(&phrase)) {
                u.decision = Some(if d == "upheld" {
                    Decision::Upheld
                } else {
                    Decision::Overturned
                });
            } else if let Some((s, _)) = w.guideline.iter().find(|(_, ws)| ws.contains(&phrase)) {
                push_unique(&mut u.sources, s.clone());
            } else if let Some(drug) = lex.drug(&phrase) {
                push_unique(&mut u.medications, drug.generic.clone());
            } else if let Some(c) = classes.iter().find(|c| **c == phrase || **c == singular) {
                push_unique(&mut u.classes, c.to_string());
            } else if let Some(group) = lex
                .synonyms_of(&phrase)
                .filter(|_| len > 1 || is_abbreviation(&phrase))
            {
                if !u.concepts.iter().any(|g| g[0] == group[0]) {
                    u.concepts.push(group.to_vec());
                    u.concept_typed.push(phrase.clone());
                }
            } else {
                continue;
            }
            i += len;
            continue 'outer;
        }
        u.text.push(raw[i].clone());
        i += 1;
    }
    u
}

/// Single words become concepts only when they are abbreviations a synonym group spells out
/// ("uds", "esi", "pt"): an ordinary word ("screen") stays a word.
fn is_abbreviation(word: &str) -> bool {
    Lexicon::get()
        .synonyms_of(word)
        .is_some_and(|g| g.iter().any(|p| p.contains(' ')))
        && word.len() <= 5
}

fn push_unique(v: &mut Vec<String>, s: String) {
    if !v.contains(&s) {
        v.push(s);
    }
}

/// "80" → [80]; "78-80" → [78, 79, 80].
fn page_list(s: &str) -> Option<Vec<u32>> {
    let s = s.trim_end_matches([',', '.']);
    if let Some((a, b)) = s.split_once('-') {
        let (a, b): (u32, u32) = (a.parse().ok()?, b.parse().ok()?);
        (a <= b && b - a <= 200).then(|| (a..=b).collect())
    } else {
        s.parse().ok().map(|p| vec![p])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_readme_query() {
        let u = understand("Norco upheld urine drug screen", false);
        assert_eq!(u.medications, ["hydrocodone/acetaminophen"]);
        assert_eq!(u.decision, Some(Decision::Upheld));
        assert_eq!(u.concepts.len(), 1);
        assert_eq!(u.concepts[0][0], "urine drug screen");
        assert!(u.concepts[0].iter().any(|p| p == "uds"));
        assert!(u.text.is_empty());
        assert_eq!(
            u.describe(),
            "medication=hydrocodone/acetaminophen decision=upheld text=\"urine drug screen\""
        );
    }

    #[test]
    fn classes_pages_sources_and_plain_words() {
        let u = understand("opioids overturned MTUS page 80 weaning", false);
        assert_eq!(u.classes, ["opioid"]);
        assert_eq!(u.decision, Some(Decision::Overturned));
        assert_eq!(u.sources, ["MTUS"]);
        assert_eq!(u.pages, [80]);
        assert_eq!(u.text, ["weaning"]);
        let u = understand("UDS Vicodin", false);
        assert_eq!(u.medications, ["hydrocodone/acetaminophen"]);
        assert_eq!(u.concepts[0][0], "urine drug screen");
    }

    #[test]
    fn literal_and_syntax_opt_out() {
        let u = understand("Norco upheld", true);
        assert_eq!(u.text, ["norco", "upheld"]);
        assert!(u.medications.is_empty() && u.decision.is_none());
        assert_eq!(
            understand("\"urine drug\" AND norco", false)
                .syntax
                .as_deref(),
            Some("\"urine drug\" AND norco")
        );
        assert!(understand("item:mri -lumbar", false).syntax.is_some());
        assert!(understand("MRI of the lumbar spine: upheld", false)
            .syntax
            .is_none());
    }
}
