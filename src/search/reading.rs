//! What `imr similar` compares: the facts of an item (its treatment, drugs, body regions, DWC
//! subcategory, guideline sections) and its words, taken from an indexed item or read from
//! the text of a UR denial or a request.
//!
//! A text is read with the parser's own classifier (the drug lexicon, then the treatment
//! rules of treatments.toml) applied to the words a UR denial names its item with ("the
//! request for MRI of the left shoulder without contrast"), so what it finds are the very
//! values the index holds for the letters' items. The phrases that introduce and end an
//! item's name are data (src/lexicon/similar.toml).

use crate::lexicon::{similar_words, Lexicon};
use crate::record::{Citation, Item, Medication};

/// The facts and words of the item neighbours are compared with.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Profile {
    /// The canonical treatment ("MRI", "medication").
    pub treatment: Option<String>,
    /// The item's drugs, the primary first.
    pub medications: Vec<Medication>,
    pub dwc_category: Option<String>,
    pub dwc_subcategory: Option<String>,
    pub regions: Vec<String>,
    /// The guidelines the item's reviewer cited (an indexed item only).
    pub guidelines: Vec<Citation>,
    /// The words compared: the item's name and rationale, or the whole text.
    pub words: String,
}

impl Profile {
    /// An indexed item's facts, and its name and rationale as the words.
    pub fn of_item(item: &Item) -> Profile {
        let mut medications = item.medications.clone();
        if let Some(m) = &item.medication {
            if !medications.iter().any(|x| x.generic == m.generic) {
                medications.insert(0, m.clone());
            }
        }
        let t = &item.treatment;
        let mut regions = t.regions.clone();
        if let Some(r) = &t.region {
            if !regions.contains(r) {
                regions.insert(0, r.clone());
            }
        }
        Profile {
            treatment: t.treatment.clone(),
            medications,
            dwc_category: t.dwc_category.clone(),
            dwc_subcategory: t.dwc_subcategory.clone(),
            regions,
            guidelines: item.guidelines.clone(),
            words: format!("{}\n{}", item.item, item.rationale),
        }
    }

    /// The primary drug's generic name.
    pub fn drug(&self) -> Option<&str> {
        self.medications.first().map(|m| m.generic.as_str())
    }

    /// Whether an item shares the treatment and, where there is one, the primary drug (among
    /// any of the item's drugs): what "alike" counts. None when there is no treatment to share.
    pub fn alike(&self, item: &Item) -> Option<bool> {
        let treatment = self.treatment.as_deref()?;
        let same_treatment = item.treatment.treatment.as_deref() == Some(treatment);
        let same_drug = self.drug().is_none_or(|d| {
            item.medication
                .iter()
                .chain(&item.medications)
                .any(|m| m.generic == d)
        });
        Some(same_treatment && same_drug)
    }

    /// What weighs, as "interpreted:" says it: "treatment=MRI region=lumbar spine ...".
    pub fn describe(&self) -> Vec<String> {
        let mut parts = Vec::new();
        if let Some(t) = &self.treatment {
            parts.push(format!("treatment={t}"));
        }
        for m in &self.medications {
            parts.push(format!("medication={}", m.generic));
        }
        for r in &self.regions {
            parts.push(format!("region={r}"));
        }
        if let Some(s) = &self.dwc_subcategory {
            parts.push(format!("subcategory={s}"));
        }
        for c in &self.guidelines {
            let mut p = format!("guideline={}/{}", c.source.as_str(), c.document);
            if let Some(s) = c.sections.first() {
                p.push('/');
                p.push_str(s);
            }
            if !parts.contains(&p) {
                parts.push(p);
            }
        }
        parts
    }

    /// Whether anything but words was found.
    pub fn has_facts(&self) -> bool {
        self.treatment.is_some() || !self.medications.is_empty() || !self.regions.is_empty()
    }
}

/// A text read for the item it disputes.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    pub profile: Profile,
    /// The words the item was read from ("MRI of the left shoulder without contrast").
    pub from: Option<String>,
    /// Other items the text names, each as the words it was read from.
    pub others: Vec<String>,
}

/// One item name found in the text, classified.
struct Found {
    words: String,
    treatment: Option<String>,
    medications: Vec<Medication>,
    dwc_category: Option<String>,
    dwc_subcategory: Option<String>,
    regions: Vec<String>,
}

impl Found {
    fn key(&self) -> (Option<&str>, Option<&str>) {
        (
            self.treatment.as_deref(),
            self.medications.first().map(|m| m.generic.as_str()),
        )
    }
}

/// Reads a UR denial or a request for the item it disputes: the item named most often after
/// a request phrase ("the request for ..."), the earliest on a tie; without any, the item
/// named most often in any sentence (a bare request, "Norco 10/325mg #60", is one sentence).
pub fn read(text: &str) -> Reading {
    read_preferring(text, &[])
}

/// As [`read`], but where the text names several items, one whose treatment or drug (generic)
/// is in `prefer` wins: `--medication carisoprodol` picks the Soma of a denial of Norco and
/// Soma.
pub fn read_preferring(text: &str, prefer: &[&str]) -> Reading {
    let cfg = &similar_words().request;
    let paragraphs = paragraphs(text);
    let mut found: Vec<Found> = paragraphs
        .iter()
        .flat_map(|p| {
            // In the order written: an item named after a cue or before an "after" phrase.
            let mut named = after_cues(p, &cfg.cues, &cfg.ends, cfg.max_chars);
            named.extend(before_cues(p, &cfg.after, &cfg.begins, cfg.max_chars));
            named.sort_by_key(|(at, _)| *at);
            named.into_iter().map(|(_, w)| w)
        })
        .filter_map(|w| classify(&w))
        .collect();
    if found.is_empty() {
        found = paragraphs
            .iter()
            .flat_map(|p| sentences(p))
            .filter_map(|s| classify(&s))
            .collect();
    }
    let preferred = |f: &Found| {
        let (t, d) = f.key();
        [t, d].into_iter().flatten().any(|v| prefer.contains(&v))
    };
    // The most named key (a preferred one first); `max_by_key` keeps the last of equals, so
    // compare on (preferred, count, earliness).
    let best = (0..found.len()).max_by_key(|&i| {
        let n = found.iter().filter(|f| f.key() == found[i].key()).count();
        (preferred(&found[i]), n, std::cmp::Reverse(i))
    });
    let mut profile = Profile {
        words: text.to_string(),
        ..Profile::default()
    };
    let Some(best) = best else {
        return Reading {
            profile,
            from: None,
            others: Vec::new(),
        };
    };
    let key = found[best].key();
    // The first place the item is named without a cue in its words ("MRI of the lumbar
    // spine", not "The request for MRI of the lumbar spine", read before "is non-certified").
    let plainest = |key: (Option<&str>, Option<&str>)| {
        found
            .iter()
            .filter(|f| f.key() == key)
            .min_by_key(|f| !occurrences(&f.words.to_ascii_lowercase(), &cfg.cues).is_empty())
            .map(|f| f.words.clone())
            .unwrap_or_default()
    };
    let chosen = &found[best];
    // The region may be written where the item is named again ("MRI ... of the lumbar spine").
    let regions = if chosen.regions.is_empty() {
        found
            .iter()
            .find(|f| f.key() == key && !f.regions.is_empty())
            .map(|f| f.regions.clone())
            .unwrap_or_default()
    } else {
        chosen.regions.clone()
    };
    let mut others: Vec<(Option<&str>, Option<&str>)> = Vec::new();
    let mut other_words = Vec::new();
    for f in &found {
        if f.key() != key && !others.contains(&f.key()) {
            others.push(f.key());
            other_words.push(plainest(f.key()));
        }
    }
    profile.treatment = chosen.treatment.clone();
    profile.medications = chosen.medications.clone();
    profile.dwc_category = chosen.dwc_category.clone();
    profile.dwc_subcategory = chosen.dwc_subcategory.clone();
    profile.regions = regions;
    Reading {
        from: Some(plainest(key)),
        profile,
        others: other_words,
    }
}

/// The item name in `words`, if it names a drug or a treatment.
fn classify(words: &str) -> Option<Found> {
    let lex = Lexicon::get();
    let medications = lex.find_medications(words);
    let t = lex.treatments().classify(words, &medications);
    if medications.is_empty() && t.treatment.is_none() {
        return None;
    }
    Some(Found {
        words: words.to_string(),
        treatment: t.treatment,
        medications,
        dwc_category: t.dwc_category,
        dwc_subcategory: t.dwc_subcategory,
        regions: t.regions,
    })
}

/// The text's paragraphs (split at blank lines), each on one line: letters wrap sentences.
fn paragraphs(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur: Vec<&str> = Vec::new();
    for line in text.lines() {
        if line.trim().is_empty() {
            if !cur.is_empty() {
                out.push(cur.join(" "));
                cur.clear();
            }
        } else {
            cur.extend(line.split_whitespace());
        }
    }
    if !cur.is_empty() {
        out.push(cur.join(" "));
    }
    out
}

/// Where a sentence or clause of `p` ends after byte `from`: ". ", "; ", "? " or the end.
fn sentence_end(p: &str, from: usize) -> usize {
    let rest = &p[from..];
    [". ", "; ", "? ", "! "]
        .iter()
        .filter_map(|e| rest.find(e))
        .min()
        .map_or(p.len(), |i| from + i)
}

/// The sentences of a paragraph, without their final stop.
fn sentences(p: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut at = 0;
    while at < p.len() {
        let end = sentence_end(p, at);
        let s = p[at..end].trim().trim_end_matches('.').trim();
        if !s.is_empty() {
            out.push(s.to_string());
        }
        at = end + 1;
    }
    out
}

/// Where each of `phrases` occurs in `lower` on word boundaries: (start, end) in bytes.
fn occurrences(lower: &str, phrases: &[String]) -> Vec<(usize, usize)> {
    let bytes = lower.as_bytes();
    let mut out = Vec::new();
    for phrase in phrases {
        let mut from = 0;
        while let Some(i) = lower[from..].find(phrase.as_str()) {
            let (at, end) = (from + i, from + i + phrase.len());
            // A phrase that starts or ends with a space or a stop carries its own boundary.
            let before_ok = at == 0
                || !bytes[at - 1].is_ascii_alphanumeric()
                || phrase.starts_with(|c: char| !c.is_alphanumeric());
            let after_ok = end == lower.len()
                || !bytes[end].is_ascii_alphanumeric()
                || phrase.ends_with(|c: char| !c.is_alphanumeric());
            if before_ok && after_ok {
                out.push((at, end));
            }
            from = end;
        }
    }
    out
}

/// `p[start..end]` as an item name: trimmed of punctuation, cut at a character boundary.
fn words(p: &str, start: usize, end: usize) -> Option<String> {
    let (mut start, mut end) = (start, end);
    while !p.is_char_boundary(start) {
        start += 1;
    }
    while !p.is_char_boundary(end) {
        end -= 1;
    }
    let w = p.get(start..end)?;
    let w = w
        .trim()
        .trim_start_matches([':', '-', ','])
        .trim_end_matches(['.', ',', ':'])
        .trim();
    (!w.is_empty()).then(|| w.to_string())
}

/// The words after each cue of a paragraph, up to the first end phrase, the end of the
/// sentence or `max_chars`, with where they start.
fn after_cues(p: &str, cues: &[String], ends: &[String], max_chars: usize) -> Vec<(usize, String)> {
    // ASCII lower-casing keeps byte offsets, so positions found in `lower` cut `p`.
    let lower = p.to_ascii_lowercase();
    let mut starts: Vec<usize> = occurrences(&lower, cues)
        .into_iter()
        .map(|(_, e)| e)
        .collect();
    starts.sort_unstable();
    starts.dedup();
    starts
        .into_iter()
        .filter_map(|start| {
            let mut end = sentence_end(p, start);
            for (at, _) in occurrences(&lower[start..end], ends) {
                end = end.min(start + at);
            }
            Some((start, words(p, start, end.min(start + max_chars))?))
        })
        .collect()
}

/// The words before each "after" phrase of a paragraph ("Physical therapy was denied"), from
/// the start of the sentence or the last `begins` phrase, at most `max_chars`, with where
/// they start.
fn before_cues(
    p: &str,
    after: &[String],
    begins: &[String],
    max_chars: usize,
) -> Vec<(usize, String)> {
    let lower = p.to_ascii_lowercase();
    occurrences(&lower, after)
        .into_iter()
        .filter_map(|(end, _)| {
            let sentence = [". ", "; ", "? ", "! "]
                .iter()
                .filter_map(|e| lower[..end].rfind(e).map(|i| i + e.len()))
                .max()
                .unwrap_or(0);
            let from = sentence.max(end.saturating_sub(max_chars));
            let start = occurrences(&lower[from..end], begins)
                .into_iter()
                .map(|(_, e)| from + e)
                .max()
                .unwrap_or(from);
            Some((start, words(p, start, end)?))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_item_a_denial_names() {
        let r = read(
            "Utilization Review Determination\n\nThe patient is a 52 year old male with low \
             back pain. Current medications include Norco and Soma. Physical therapy has \
             helped.\n\nThe request for MRI of the lumbar spine without contrast is \
             non-certified. There is no documentation of red flags or progressive \
             neurologic deficit. Therefore the request for the lumbar MRI is not medically \
             necessary.",
        );
        assert_eq!(r.profile.treatment.as_deref(), Some("MRI"));
        assert_eq!(r.profile.regions, ["lumbar spine"]);
        assert!(r.profile.medications.is_empty());
        assert_eq!(
            r.from.as_deref(),
            Some("MRI of the lumbar spine without contrast")
        );
    }

    #[test]
    fn reads_a_drug_request_and_names_the_others() {
        let r = read(
            "UR non-certified the request for Norco 10/325mg #60. The request for Soma 350mg \
             #30 was modified. The request for Norco 10/325mg #60 is not medically necessary \
             as there is no urine drug screen.",
        );
        assert_eq!(r.profile.treatment.as_deref(), Some("medication"));
        assert_eq!(r.profile.drug(), Some("hydrocodone/acetaminophen"));
        assert_eq!(r.others.len(), 1, "{:?}", r.others);
        assert!(r.others[0].starts_with("Soma"));
        let soma = read_preferring(
            "The request for Norco 10/325mg #60 and the request for Soma 350mg #30 are denied.",
            &["carisoprodol"],
        );
        assert_eq!(soma.profile.drug(), Some("carisoprodol"));
        assert!(soma.others[0].starts_with("Norco"));
    }

    #[test]
    fn a_bare_request_is_its_own_item() {
        let r = read("Acupuncture 2x4 for the cervical spine");
        assert_eq!(r.profile.treatment.as_deref(), Some("acupuncture"));
        assert_eq!(r.profile.regions, ["cervical spine"]);
        let none = read("The weather was fine and nothing was asked.");
        assert!(!none.profile.has_facts() && none.from.is_none());
        assert!(read("").from.is_none());
    }

    #[test]
    fn wrapped_lines_are_one_sentence() {
        let r = read("the Utilization Review non-certified the request for\nphysical therapy\ntwice a week for the right knee due to no functional goals");
        assert_eq!(r.profile.treatment.as_deref(), Some("physical therapy"));
        assert_eq!(r.profile.regions, ["knee"]);
    }
}
