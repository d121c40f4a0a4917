//! Spelling: a query word that occurs nowhere in the index, but is one or two letters from a
//! word of the lexicon (a drug, a class, a treatment, a region), is read as that word:
//! "acupunture" → "acupuncture", "cyclobenzaprin" → "cyclobenzaprine". The search says so.

use crate::lexicon::Lexicon;
use std::collections::BTreeSet;
use std::sync::OnceLock;

/// The lexicon's words, lower-case, at least four letters.
fn vocabulary() -> &'static BTreeSet<String> {
    static V: OnceLock<BTreeSet<String>> = OnceLock::new();
    V.get_or_init(|| {
        let lex = Lexicon::get();
        let mut v = BTreeSet::new();
        let mut add = |phrase: &str| {
            for w in phrase.split(|c: char| !c.is_alphanumeric()) {
                if w.chars().count() >= 4 {
                    v.insert(w.to_lowercase());
                }
            }
        };
        for d in lex.drugs() {
            add(&d.generic);
            d.names.iter().for_each(|n| add(n));
        }
        lex.classes().into_iter().for_each(&mut add);
        lex.treatment_names().words().for_each(&mut add);
        for g in lex.synonym_groups() {
            g.iter().for_each(|p| add(p));
        }
        v
    })
}

/// Edits allowed for a word of `len` letters: none below five, one to seven, then two.
fn allowed(len: usize) -> usize {
    match len {
        0..=4 => 0,
        5..=7 => 1,
        _ => 2,
    }
}

/// Levenshtein distance, giving up past `max`.
fn distance(a: &str, b: &str, max: usize) -> Option<usize> {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        if cur.iter().min().is_some_and(|m| *m > max) {
            return None;
        }
        prev = cur;
    }
    prev.last().copied().filter(|d| *d <= max)
}

/// The lexicon word `word` is most likely a misspelling of, if any, and how many edits away:
/// the closest within the edits allowed (ties: the first in order).
pub fn correct(word: &str) -> Option<(&'static str, usize)> {
    let w = word.to_lowercase();
    let max = allowed(w.chars().count());
    if max == 0 || vocabulary().contains(&w) {
        return None;
    }
    vocabulary()
        .iter()
        .filter_map(|v| Some((distance(&w, v, max)?, v.as_str())))
        .min_by_key(|(d, _)| *d)
        .map(|(d, v)| (v, d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn misspelt_lexicon_words_are_corrected() {
        assert_eq!(correct("acupunture"), Some(("acupuncture", 1)));
        assert_eq!(correct("cyclobenzaprin"), Some(("cyclobenzaprine", 1)));
        assert_eq!(correct("chiropracter"), Some(("chiropractor", 1)));
        assert_eq!(correct("acupuncture"), None, "a known word stays");
        assert_eq!(correct("knee"), None, "short words are not guessed at");
        assert_eq!(correct("zebra"), None);
    }

    #[test]
    fn distances() {
        assert_eq!(distance("kitten", "sitting", 3), Some(3));
        assert_eq!(distance("kitten", "sitting", 2), None);
        assert_eq!(distance("same", "same", 0), Some(0));
    }
}
