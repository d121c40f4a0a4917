//! The reasoning of a decision rationale: the key sentence that applies the guideline to this
//! patient's facts, and the rule sentence that states the guideline, for precedent lists.
//!
//! Every sentence is scored on cue phrases kept as data in `reasoning/cues.toml` (what applies to
//! the patient, what states a guideline, what is template text), its position and its length;
//! the best-scoring sentence that is not a bare outcome ("Therefore, the request for X is not
//! medically necessary.") is the key, joined by an adjacent sentence when that one applies
//! too. The scores are returned with the choice so that a caller or a test can say why a
//! sentence won. Pure functions of the text; the cues and their regexes are built once.

use std::collections::HashSet;
use std::ops::Range;

/// What a rationale's reasoning is: the key sentence (one or two adjacent sentences, at most
/// `max_chars`, cut at a clause with "…" when longer) and, when the rationale states one,
/// the rule sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct Reasoning {
    /// The reasoning applied to this patient, as quoted.
    pub key_sentence: String,
    /// Byte range in the rationale of the quoted key text (the part kept when it was cut).
    pub key_range: Range<usize>,
    /// The guideline sentence the reviewer applied, as quoted.
    pub rule_sentence: Option<String>,
    /// Byte range in the rationale of the quoted rule text.
    pub rule_range: Option<Range<usize>>,
    /// The scores of the sentence that won as key (the higher-scoring one of a pair).
    pub key: SentenceScore,
    /// The scores of the sentence that won as rule.
    pub rule: Option<SentenceScore>,
}

/// How one sentence of a rationale scored, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct SentenceScore {
    /// Position of the sentence in the rationale (0-based).
    pub index: usize,
    /// Byte range of the sentence in the rationale.
    pub range: Range<usize>,
    /// Cue score for applying the guideline to the patient (capped), decision cues included.
    pub applies: f32,
    /// Cue score for stating a guideline (capped).
    pub rule: f32,
    /// Cue score for template text (capped).
    pub boilerplate: f32,
    /// The sentence states the outcome (a verdict such as "medically necessary").
    pub outcome: bool,
    /// The sentence states the outcome and nothing else: never quoted.
    pub bare_outcome: bool,
    /// A cue of the item's decision that adds to `applies` was found (in an upheld decision,
    /// what the records lack: "no", "not", "lack of").
    pub lacking: bool,
    /// The sentence lies inside a quotation (of a guideline).
    pub quoted: bool,
    /// Bonus for the words it shares with the sentences that state a guideline.
    pub rule_words: f32,
    /// Total as a key sentence.
    pub as_key: f32,
    /// Total as a rule sentence.
    pub as_rule: f32,
    /// The cue phrases found, in the order of the groups (applies, decision, rule,
    /// boilerplate).
    pub cues: Vec<&'static str>,
    /// The sentence's values of [`KEY_FEATURES`].
    pub features: [f32; KEY_FEATURE_COUNT],
}

/// Chooses the key and rule sentences of `rationale`; `overturned` is the item's decision
/// (some cues weigh differently when the records support the request). None when no
/// sentence is anything but a bare outcome.
pub fn choose(rationale: &str, overturned: bool) -> Option<Reasoning> {
    choose_with(rationale, overturned, &key_weights())
}

/// [`choose`] with the key weights given.
fn choose_with(
    rationale: &str,
    overturned: bool,
    weights: &[f32; KEY_FEATURE_COUNT],
) -> Option<Reasoning> {
    let c = cues();
    let scores = score_sentences_with(rationale, overturned, weights);
    let best = scores
        .iter()
        .filter(|s| !s.bare_outcome)
        .fold(None::<&SentenceScore>, |b, s| match b {
            Some(b) if b.as_key >= s.as_key => Some(b),
            _ => Some(s),
        })?;
    let mut range = best.range.clone();
    if let Some(other) = partner(&scores, best, rationale, overturned) {
        range = range.start.min(other.range.start)..range.end.max(other.range.end);
    }
    let (key_sentence, key_range) = quote(
        rationale,
        range.clone(),
        c.file.limits.max_chars,
        Prefer::Applies,
    );
    // The rule the key applies: of the sentences that state one, the best, counting the
    // words it shares with the key.
    let key_words = content_words(&rationale[range.clone()]);
    let r = &c.file.rule;
    let rule = scores
        .iter()
        .filter(|s| !s.bare_outcome && (s.range.end <= range.start || s.range.start >= range.end))
        .filter(|s| s.as_rule >= r.min)
        .map(|s| {
            let shared = content_words(&rationale[s.range.clone()])
                .intersection(&key_words)
                .count();
            (
                s,
                s.as_rule + (r.key_overlap * shared as f32).min(r.key_overlap_cap),
            )
        })
        .fold(None::<(&SentenceScore, f32)>, |b, s| match b {
            Some(b) if b.1 >= s.1 => Some(b),
            _ => Some(s),
        })
        .map(|(s, _)| s);
    let (rule_sentence, rule_range) = match rule {
        Some(r) => {
            let (t, q) = quote(
                rationale,
                r.range.clone(),
                c.file.limits.max_chars,
                Prefer::Rule,
            );
            (Some(t), Some(q))
        }
        None => (None, None),
    };
    Some(Reasoning {
        key_sentence,
        key_range,
        rule_sentence,
        rule_range,
        key: best.clone(),
        rule: rule.cloned(),
    })
}

/// The neighbour that joins the key sentence: one that applies to the patient as strongly,
/// a following one that continues the reason ("Moreover, ..."), a preceding finding that a
/// key opening with a contrast ("However, ...") answers, or a short one that applies when
/// both are short. Never one that states or opens the conclusion, quotes the guideline or
/// is template text ("There were no exceptional factors ..."), never past `max_chars`
/// together.
fn partner<'a>(
    scores: &'a [SentenceScore],
    best: &SentenceScore,
    rationale: &str,
    overturned: bool,
) -> Option<&'a SentenceScore> {
    let c = cues();
    let k = &c.file.key;
    let i = best.index;
    [i.checked_sub(1), Some(i + 1)]
        .into_iter()
        .flatten()
        .filter_map(|j| scores.get(j))
        .filter(|s| !s.bare_outcome && !s.outcome && !s.quoted && s.boilerplate <= 0.0)
        .filter(|s| !c.conclusion_opener.is_match(&rationale[s.range.clone()]))
        .filter(|s| {
            let r = s.range.start.min(best.range.start)..s.range.end.max(best.range.end);
            let n = chars(&rationale[r]);
            let follows = s.index == i + 1;
            let continues = c.continuation_opener.is_match(&rationale[s.range.clone()]);
            // "However, it is not clear why a repeat x-ray is needed" answers the finding
            // before it.
            let answers = !follows && c.contrast_opener.is_match(&rationale[best.range.clone()]);
            // "The documentation indicates the patient has been approved for an initial 6
            // visits. Additional visits would not be indicated until ...": a finding that
            // lacks nothing, completed by what the next sentence says is lacking.
            let completes = follows
                && !overturned
                && !best.lacking
                && s.lacking
                && s.applies >= k.completion_min
                && s.applies > s.rule;
            n <= c.file.limits.max_chars
                && (s.applies >= k.pair_min
                    || completes
                    || (follows && continues && s.applies >= k.continuation_min)
                    || (answers && s.applies > s.rule && s.applies >= k.contrast_min)
                    || (n <= k.short_pair_chars && s.applies >= k.short_pair_min))
        })
        .fold(None::<&SentenceScore>, |b, s| match b {
            Some(b) if b.as_key >= s.as_key => Some(b),
            _ => Some(s),
        })
}

/// What a sentence is scored on as a key sentence, in this order; each has a weight of that
/// name in `[key]` of `reasoning/cues.toml`, and a sentence's `as_key` is the weighted sum.
pub const KEY_FEATURES: [&str; KEY_FEATURE_COUNT] = [
    "applies",
    "rule",
    "boilerplate",
    "outcome",
    "quoted",
    "conclusion",
    "first",
    "position",
    "short",
    "long",
    "rule_overlap",
    "first_fact",
];
/// How many features a key sentence is scored on.
pub const KEY_FEATURE_COUNT: usize = 12;
/// Where the two features set after every sentence is scored stand in [`KEY_FEATURES`]; the
/// ten before them are set as each sentence is scored, in order.
const RULE_OVERLAP: usize = 10;
const FIRST_FACT: usize = 11;

/// The weights of [`KEY_FEATURES`], from `reasoning/cues.toml`.
fn key_weights() -> [f32; KEY_FEATURE_COUNT] {
    let k = &cues().file.key;
    [
        k.applies,
        k.rule,
        k.boilerplate,
        k.outcome,
        k.quoted,
        k.conclusion,
        k.first,
        k.position,
        k.short,
        k.long,
        k.rule_overlap,
        k.first_fact,
    ]
}

/// Scores every sentence of `rationale` as key and as rule (see `reasoning/cues.toml`).
pub fn score_sentences(rationale: &str, overturned: bool) -> Vec<SentenceScore> {
    score_sentences_with(rationale, overturned, &key_weights())
}

/// [`score_sentences`] with the key weights given (the fitting tool tries its own).
fn score_sentences_with(
    rationale: &str,
    overturned: bool,
    weights: &[f32; KEY_FEATURE_COUNT],
) -> Vec<SentenceScore> {
    let c = cues();
    let (k, r) = (&c.file.key, &c.file.rule);
    let ranges = sentences(rationale);
    let quotes = quotations(rationale);
    let last = ranges.len().saturating_sub(1).max(1) as f32;
    let mut scores: Vec<SentenceScore> = ranges
        .into_iter()
        .enumerate()
        .map(|(index, range)| {
            let text = &rationale[range.clone()];
            let mut cues = Vec::new();
            let decision = if overturned { OVERTURNED } else { UPHELD };
            let squashed = squash(text);
            let found = &mut c.cues.found(&squashed);
            let lacking = c.cues.any_positive(decision, found);
            let applies =
                c.cues.score(APPLIES, found, &mut cues) + c.cues.score(decision, found, &mut cues);
            let rule = c.cues.score(RULE, found, &mut cues);
            let boilerplate = c.cues.score(BOILERPLATE, found, &mut cues);
            let outcome = c.strong_verdict.is_match(text);
            let quoted = in_quotation(&quotes, range.start);
            let n = chars(text);
            let flag = |on: bool| if on { 1.0 } else { 0.0 };
            let mut features = [0.0; KEY_FEATURE_COUNT];
            features[..RULE_OVERLAP].copy_from_slice(&[
                applies,
                rule,
                boilerplate,
                flag(outcome),
                flag(quoted),
                flag(c.conclusion_opener.is_match(text)),
                flag(index == 0),
                index as f32 / last,
                flag(n < c.file.limits.min_chars),
                flag(n > c.file.limits.max_chars),
            ]);
            let as_rule = r.rule * rule
                + r.applies * applies
                + r.boilerplate * boilerplate
                + if outcome { r.outcome } else { 0.0 }
                + r.position * index as f32 / last;
            SentenceScore {
                index,
                range,
                applies,
                rule,
                boilerplate,
                outcome,
                bare_outcome: bare_outcome_squashed(&squashed),
                lacking,
                quoted,
                rule_words: 0.0,
                as_key: 0.0,
                as_rule,
                cues,
                features,
            }
        })
        .collect();
    // The sentence that applies the rule shares its words: those of every sentence that
    // states a guideline (the rule is often spread over several), counted for sentences
    // about the patient only.
    let rules: Vec<usize> = scores
        .iter()
        .filter(|s| !s.bare_outcome && s.as_rule >= r.min)
        .map(|s| s.index)
        .collect();
    if !rules.is_empty() {
        let mut words = HashSet::new();
        for &i in &rules {
            words.extend(content_words(&rationale[scores[i].range.clone()]));
        }
        for s in scores
            .iter_mut()
            .filter(|s| !rules.contains(&s.index) && s.applies > s.rule)
        {
            let shared = content_words(&rationale[s.range.clone()])
                .intersection(&words)
                .count();
            s.features[RULE_OVERLAP] = (shared as f32).min(k.rule_overlap_words);
        }
    }
    // The reviewer's first reason, once the guideline has been stated.
    if let Some(s) = scores
        .iter_mut()
        .find(|s| s.applies >= k.first_fact_min && !s.quoted && !s.bare_outcome)
    {
        s.features[FIRST_FACT] = 1.0;
    }
    for s in &mut scores {
        s.rule_words = weights[RULE_OVERLAP] * s.features[RULE_OVERLAP];
        s.as_key = s.features.iter().zip(weights).map(|(f, w)| f * w).sum();
    }
    scores
}

/// The content words of `text`, lower-case, cut to their first six letters so that
/// "antidepressants" meets "antidepressant" and "failure" meets "failures".
fn content_words(text: &str) -> HashSet<String> {
    let c = cues();
    text.split(|ch: char| !ch.is_alphabetic())
        .filter(|w| w.chars().count() >= c.file.key.rule_word_min)
        .map(str::to_lowercase)
        .filter(|w| !c.stop_words.contains(w))
        .map(|w| w.chars().take(6).collect())
        .collect()
}

/// The quotations of `text`, as byte ranges from the opening mark to the closing one.
/// A straight double quote opens when it follows the start, a space or an opening bracket
/// and precedes a non-space, and closes otherwise; curly quotes say which they are. Marks
/// pair as a stack, so that a quotation inside a quoted guideline ("... the use of
/// "passive care" is not recommended ...") does not end it. Extracted text leaves marks
/// unpaired: a closing mark with nothing open is dropped (where its quotation began is
/// unknown), and an opening mark never closed runs only to the next mark, not to the end
/// of the rationale, where the reviewer's own sentences are.
fn quotations(text: &str) -> Vec<Range<usize>> {
    let mut marks = Vec::new();
    let mut prev: Option<char> = None;
    let mut it = text.char_indices().peekable();
    while let Some((at, ch)) = it.next() {
        let next = it.peek().map(|&(_, n)| n);
        let opens = match ch {
            '“' => Some(true),
            '”' => Some(false),
            '"' => Some(
                prev.is_none_or(|p| p.is_whitespace() || "([{:/".contains(p))
                    && next.is_some_and(|n| !n.is_whitespace()),
            ),
            _ => None,
        };
        if let Some(opens) = opens {
            marks.push((at, ch.len_utf8(), opens));
        }
        prev = Some(ch);
    }
    let mut out = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    for (k, &(at, len, opens)) in marks.iter().enumerate() {
        if opens {
            open.push(k);
        } else if let Some(o) = open.pop() {
            out.push(marks[o].0..at + len);
        }
    }
    for o in open {
        let end = marks.get(o + 1).map_or(text.len(), |m| m.0);
        out.push(marks[o].0..end);
    }
    out
}

/// Whether a sentence starting at byte `at` lies inside one of `quotations` (one that opens
/// with the sentence counts).
fn in_quotation(quotations: &[Range<usize>], at: usize) -> bool {
    quotations.iter().any(|q| q.start <= at && at < q.end)
}

/// Whether `sentence` states the outcome and nothing else: after any opening connectives
/// ("Therefore,", "Given the above,"), a subject and a closing verdict ("is not medically
/// necessary", "is not supported at this time") with no reason in between ("because",
/// "given the lack of", "as there is no"). A weak verdict ("supported", "indicated") only
/// counts when said of the request, so "Long-term use is not recommended." is not one.
pub fn is_bare_outcome(sentence: &str) -> bool {
    bare_outcome_squashed(&squash(sentence))
}

/// [`is_bare_outcome`] of a sentence already [`squash`]ed.
fn bare_outcome_squashed(s: &str) -> bool {
    let c = cues();
    let rest = match c.connectives.find(s) {
        Some(m) => &s[m.end()..],
        None => s,
    };
    let Some(verdict) = c.verdict_at_end.find(rest) else {
        return false;
    };
    let subject = &rest[..verdict.start()];
    if c.reason_markers.is_match(subject) {
        return false;
    }
    c.strong_verdict.is_match(verdict.as_str()) || c.request_words.is_match(subject)
}

fn chars(s: &str) -> usize {
    s.chars().count()
}

/// Which clauses of an over-long sentence to keep.
#[derive(Clone, Copy)]
enum Prefer {
    /// The clauses that apply to the patient ("..., here, however, the provider failed ...").
    Applies,
    /// The clauses that state the guideline, from the start.
    Rule,
}

/// The text of `range` as quoted: whitespace runs made single spaces, and when longer than
/// `max` characters, cut to the run of whole clauses (split at ", ", "; ", ": ") that fits
/// and scores best, with "…" where text was left out. Returns the text and the byte range of
/// the part kept.
fn quote(
    rationale: &str,
    range: Range<usize>,
    max: usize,
    prefer: Prefer,
) -> (String, Range<usize>) {
    let text = &rationale[range.clone()];
    if chars(text) <= max {
        return (normalize(text), range);
    }
    let c = cues();
    // Clause ends: just after a delimiter followed by a space.
    let mut bounds = vec![0];
    for (k, ch) in text.char_indices() {
        if matches!(ch, ',' | ';' | ':') && text[k + 1..].starts_with(' ') {
            bounds.push(k + 1);
        }
    }
    bounds.push(text.len());
    let room = max.saturating_sub(2);
    let mut best: Option<(f32, usize, Range<usize>)> = None;
    for a in 0..bounds.len() - 1 {
        for z in a + 1..bounds.len() {
            let w = bounds[a]..bounds[z];
            let piece = &text[w.clone()];
            let n = chars(piece.trim());
            if n > room {
                break;
            }
            let mut sink = Vec::new();
            let score = match prefer {
                Prefer::Applies => {
                    let found = &mut c.cues.found(&squash(piece));
                    c.cues.score(APPLIES, found, &mut sink)
                        - 0.5 * c.cues.score(RULE, found, &mut sink)
                }
                Prefer::Rule => -(a as f32),
            };
            let better = match &best {
                None => true,
                Some((s, len, _)) => score > *s || (score == *s && n > *len),
            };
            if better {
                best = Some((score, n, w));
            }
        }
    }
    let w = match best {
        Some((_, _, w)) => w,
        // No clause fits: cut at the last space that does.
        None => {
            let cut = text
                .char_indices()
                .take(room)
                .filter(|&(_, ch)| ch == ' ')
                .map(|(k, _)| k)
                .last()
                .unwrap_or(text.len());
            0..cut
        }
    };
    let piece = &text[w.clone()];
    let kept = piece.trim().trim_end_matches([',', ';', ':']);
    let start = w.start + (piece.len() - piece.trim_start().len());
    let end = start + kept.len();
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    out.push_str(&normalize(kept));
    if end < text.len() {
        out.push('…');
    }
    (out, range.start + start..range.start + end)
}

fn normalize(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

mod cues;
mod split;
use cues::{cues, squash, APPLIES, BOILERPLATE, OVERTURNED, RULE, UPHELD};
pub use split::sentences;

#[cfg(test)]
mod fit;
#[cfg(test)]
mod readers;
#[cfg(test)]
mod tests;
