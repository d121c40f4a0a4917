//! The cues the key-sentence chooser scores with, from `cues.toml` beside this file: parsed
//! once, checked by a test, matched without compiling an automaton per phrase.

use regex::{Regex, RegexBuilder};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::OnceLock;

// ---- the cues, from reasoning/cues.toml ----

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct CueFile {
    pub(super) limits: Limits,
    pub(super) splitter: Splitter,
    pub(super) key: KeyWeights,
    pub(super) rule: RuleWeights,
    pub(super) applies: Group,
    pub(super) applies_upheld: Group,
    pub(super) applies_overturned: Group,
    pub(super) rule_cues: Group,
    pub(super) boilerplate: Group,
    pub(super) outcome: OutcomeWords,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Limits {
    pub(super) max_chars: usize,
    pub(super) min_chars: usize,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Splitter {
    pub(super) abbreviations: Vec<String>,
    pub(super) before_number: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct KeyWeights {
    pub(super) applies: f32,
    pub(super) rule: f32,
    pub(super) boilerplate: f32,
    pub(super) outcome: f32,
    pub(super) first: f32,
    pub(super) position: f32,
    pub(super) short: f32,
    pub(super) long: f32,
    pub(super) quoted: f32,
    pub(super) conclusion: f32,
    pub(super) conclusion_openers: Vec<String>,
    pub(super) first_fact: f32,
    pub(super) first_fact_min: f32,
    pub(super) pair_min: f32,
    pub(super) continuation_min: f32,
    pub(super) rule_overlap: f32,
    pub(super) rule_overlap_words: f32,
    pub(super) rule_word_min: usize,
    pub(super) stop_words: Vec<String>,
    pub(super) short_pair_chars: usize,
    pub(super) short_pair_min: f32,
    pub(super) continuation_openers: Vec<String>,
    pub(super) contrast_openers: Vec<String>,
    pub(super) contrast_min: f32,
    pub(super) completion_min: f32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RuleWeights {
    pub(super) rule: f32,
    pub(super) applies: f32,
    pub(super) boilerplate: f32,
    pub(super) outcome: f32,
    pub(super) position: f32,
    pub(super) key_overlap: f32,
    pub(super) key_overlap_cap: f32,
    pub(super) min: f32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Group {
    pub(super) cap: f32,
    pub(super) cues: BTreeMap<String, f32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct OutcomeWords {
    pub(super) connectives: Vec<String>,
    pub(super) strong_verdicts: Vec<String>,
    pub(super) weak_verdicts: Vec<String>,
    pub(super) request_words: Vec<String>,
    pub(super) tails: Vec<String>,
    pub(super) reason_markers: Vec<String>,
}

/// One cue group: word-bounded, case-insensitive phrases with weights, and a cap.
pub(super) struct Cues {
    /// Each phrase as written (for `fired`), lower-case and single-spaced, and its weight.
    pub(super) phrases: Vec<(String, String, f32)>,
    pub(super) cap: f32,
}

impl Cues {
    pub(super) fn new(g: &Group) -> Cues {
        Cues {
            phrases: g
                .cues
                .iter()
                .map(|(p, w)| (p.clone(), squash(p), *w))
                .collect(),
            cap: g.cap,
        }
    }

    /// The capped sum of the weights of the phrases `found` (indices, each once); the
    /// phrases are added to `fired` in the file's order, so that an explanation reads the
    /// same every time.
    fn total(&'static self, mut found: Vec<usize>, fired: &mut Vec<&'static str>) -> f32 {
        found.sort_unstable();
        let mut sum = 0.0;
        for k in found {
            let (p, _, w) = &self.phrases[k];
            sum += w;
            fired.push(p.as_str());
        }
        sum.min(self.cap)
    }
}

/// The cue groups, in this order.
pub(super) const APPLIES: usize = 0;
pub(super) const UPHELD: usize = 1;
pub(super) const OVERTURNED: usize = 2;
pub(super) const RULE: usize = 3;
pub(super) const BOILERPLATE: usize = 4;

/// Every cue group, matched on the lower-cased, single-spaced sentence. No automaton to
/// build (a regex set of every phrase took tens of milliseconds to compile, more than a
/// search that quotes ten sentences): each phrase is filed under its first word, so a
/// sentence is read once, word by word, and only the phrases that start with one of its
/// words are compared, whatever group they are in.
pub(super) struct CueSet {
    pub(super) groups: [Cues; 5],
    /// (group, phrase) by the phrase's first word.
    by_first: HashMap<String, Vec<(usize, usize)>>,
    /// Phrases that open with no word character, compared at every position.
    unfiled: Vec<(usize, usize)>,
}

/// Which phrases of each group a sentence holds.
pub(super) type Found = [Vec<usize>; 5];

impl CueSet {
    fn new(groups: [Cues; 5]) -> CueSet {
        let mut by_first: HashMap<String, Vec<(usize, usize)>> = HashMap::new();
        let mut unfiled = Vec::new();
        for (g, cues) in groups.iter().enumerate() {
            for (k, (_, norm, _)) in cues.phrases.iter().enumerate() {
                let first: String = norm.chars().take_while(|&c| is_word(c)).collect();
                if first.is_empty() {
                    unfiled.push((g, k));
                } else {
                    by_first.entry(first).or_default().push((g, k));
                }
            }
        }
        CueSet {
            groups,
            by_first,
            unfiled,
        }
    }

    /// The phrases of every group in `text`, which is [`squash`]ed, each once.
    pub(super) fn found(&self, text: &str) -> Found {
        let mut found: Found = Default::default();
        for (at, word) in words(text) {
            for &(g, k) in self.by_first.get(word).into_iter().flatten() {
                if !found[g].contains(&k) && phrase_at(text, at, &self.groups[g].phrases[k].1) {
                    found[g].push(k);
                }
            }
        }
        for &(g, k) in &self.unfiled {
            if contains_phrase(text, &self.groups[g].phrases[k].1) {
                found[g].push(k);
            }
        }
        found
    }

    /// Whether a phrase of group `g` with a positive weight is among those `found`.
    pub(super) fn any_positive(&self, g: usize, found: &Found) -> bool {
        found[g].iter().any(|&k| self.groups[g].phrases[k].2 > 0.0)
    }

    /// Group `g`'s score of what [`CueSet::found`] found; its phrases are added to `fired`.
    pub(super) fn score(
        &'static self,
        g: usize,
        found: &mut Found,
        fired: &mut Vec<&'static str>,
    ) -> f32 {
        self.groups[g].total(std::mem::take(&mut found[g]), fired)
    }
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The words of `text` (runs of word characters) and where each starts.
fn words(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut start = None;
    let mut out = Vec::new();
    for (k, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        match (is_word(c), start) {
            (true, None) => start = Some(k),
            (false, Some(s)) => {
                out.push((s, &text[s..k]));
                start = None;
            }
            _ => {}
        }
    }
    out.into_iter()
}

/// Whether `phrase` starts at byte `at` of `text`, where a word starts, and ends at a word
/// boundary when it ends with a word character.
fn phrase_at(text: &str, at: usize, phrase: &str) -> bool {
    text[at..].starts_with(phrase)
        && !(phrase.chars().next_back().is_some_and(is_word)
            && text[at + phrase.len()..]
                .chars()
                .next()
                .is_some_and(is_word))
}

/// Lower-case, single-spaced.
pub(super) fn squash(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Whether `phrase` occurs in `text` (both squashed) as whole words where it starts or ends
/// with a word character.
pub(super) fn contains_phrase(text: &str, phrase: &str) -> bool {
    let word = |c: Option<char>| c.is_some_and(is_word);
    let (open, close) = (word(phrase.chars().next()), word(phrase.chars().last()));
    text.match_indices(phrase).any(|(at, m)| {
        (!open || !word(text[..at].chars().next_back()))
            && (!close || !word(text[at + m.len()..].chars().next()))
    })
}

pub(super) fn alternation(words: &[String]) -> String {
    let mut words: Vec<&String> = words.iter().collect();
    // Longest first, so that "based on the above" wins over "based on this".
    words.sort_by_key(|w| std::cmp::Reverse(w.len()));
    words
        .iter()
        .map(|w| {
            w.split_whitespace()
                .map(regex::escape)
                .collect::<Vec<_>>()
                .join(r"\s+")
        })
        .collect::<Vec<_>>()
        .join("|")
}

pub(super) struct Compiled {
    pub(super) file: CueFile,
    pub(super) cues: CueSet,
    pub(super) connectives: Regex,
    pub(super) verdict_at_end: Regex,
    pub(super) strong_verdict: Regex,
    pub(super) request_words: Regex,
    pub(super) reason_markers: Regex,
    pub(super) conclusion_opener: Regex,
    pub(super) continuation_opener: Regex,
    pub(super) contrast_opener: Regex,
    pub(super) abbreviations: HashSet<String>,
    pub(super) stop_words: HashSet<String>,
    pub(super) before_number: HashSet<String>,
}

impl Compiled {
    pub(super) fn new(file: CueFile) -> Result<Compiled, String> {
        let o = &file.outcome;
        let verdicts = alternation(&[o.strong_verdicts.clone(), o.weak_verdicts.clone()].concat());
        let re = |p: String| {
            RegexBuilder::new(&p)
                .unicode(false)
                .build()
                .map_err(|e| e.to_string())
        };
        Ok(Compiled {
            cues: CueSet::new([
                Cues::new(&file.applies),
                Cues::new(&file.applies_upheld),
                Cues::new(&file.applies_overturned),
                Cues::new(&file.rule_cues),
                Cues::new(&file.boilerplate),
            ]),
            connectives: re(format!(
                r"^(?:(?:{})\b[\s,:;]*)+",
                alternation(&o.connectives)
            ))?,
            // The verdict, maybe a list of them ("not medically necessary, medically
            // appropriate, or indicated"), then only tails and the final stop.
            verdict_at_end: re(format!(
                r"\b(?:(?:not|be)\s+)?(?:{v})(?:\s*,?\s*(?:and|or|nor)?\s*(?:not\s+)?(?:{v}))*(?:\s*,?\s*(?:{t}))*\s*[.!]?\s*$",
                v = verdicts,
                t = alternation(&o.tails),
            ))?,
            strong_verdict: re(format!(r"(?i)\b(?:{})\b", alternation(&o.strong_verdicts)))?,
            request_words: re(format!(r"\b(?:{})\b", alternation(&o.request_words)))?,
            reason_markers: re(format!(r"\b(?:{})\b", alternation(&o.reason_markers)))?,
            conclusion_opener: re(format!(
                r"(?i)^(?:{})\b",
                alternation(&file.key.conclusion_openers)
            ))?,
            continuation_opener: re(format!(
                r"(?i)^(?:{})\b",
                alternation(&file.key.continuation_openers)
            ))?,
            contrast_opener: re(format!(
                r"(?i)^(?:{})\b",
                alternation(&file.key.contrast_openers)
            ))?,
            abbreviations: file.splitter.abbreviations.iter().cloned().collect(),
            stop_words: file.key.stop_words.iter().cloned().collect(),
            before_number: file.splitter.before_number.iter().cloned().collect(),
            file,
        })
    }

    /// Whether the last word of `before` (the sentence so far, up to the period) is an
    /// abbreviation, given the next character `next`.
    pub(super) fn abbreviation_before(&self, before: &str, next: char) -> bool {
        let word = before
            .rsplit(char::is_whitespace)
            .next()
            .unwrap_or("")
            .trim_start_matches(['(', '"', '\'', '[', '“']);
        let word = word.to_lowercase();
        if word.chars().count() == 1 && word.chars().all(char::is_alphabetic) {
            return true;
        }
        self.abbreviations.contains(&word)
            || (self.before_number.contains(&word) && (next.is_ascii_digit() || next == '#'))
    }
}

pub(super) fn load() -> Result<Compiled, String> {
    let file: CueFile = toml::from_str(include_str!("cues.toml")).map_err(|e| e.to_string())?;
    Compiled::new(file)
}

pub(super) fn cues() -> &'static Compiled {
    static C: OnceLock<Compiled> = OnceLock::new();
    C.get_or_init(|| {
        // A tuning aid in tests only: REASONING_CUES names a cue file to try instead of the
        // compiled-in one, so that a weight can be tried without a rebuild.
        #[cfg(test)]
        if let Some(path) = std::env::var_os("REASONING_CUES") {
            let text = std::fs::read_to_string(&path).expect("REASONING_CUES is readable");
            let file: CueFile = toml::from_str(&text).expect("REASONING_CUES parses");
            return Compiled::new(file).expect("REASONING_CUES compiles");
        }
        load().expect("reasoning/cues.toml is valid (tested)")
    })
}
