//! The sentences of a rationale: where a sentence ends, with the abbreviations, initials,
//! decimals and glued sentences ("screening.The") of extracted letter text.

use super::cues::{cues, Compiled};
use std::ops::Range;

/// Sentence ranges of `text`, trimmed. A sentence ends at ".", "?" or "!" (with any closing
/// quotes or brackets) followed by whitespace and a capital, a digit, a quote or a bracket,
/// except after an abbreviation ("Dr.", "e.g.", "vs.", "No. 5", "pp. 76") or a single letter
/// (an initial); also at a period glued to the next sentence by extraction ("screening.The"),
/// which a decimal ("7.5mg") or an abbreviation ("Q.D.") never is.
pub fn sentences(text: &str) -> Vec<Range<usize>> {
    let c = cues();
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < b.len() {
        if !matches!(b[i], b'.' | b'?' | b'!') {
            i += 1;
            continue;
        }
        let mut end = i + 1;
        while end < b.len() && matches!(b[end], b'"' | b'\'' | b')' | b']' | b'.' | b'?' | b'!') {
            end += 1;
        }
        // A closing curly quote is three bytes.
        if text[end..].starts_with('”') {
            end += '”'.len_utf8();
        }
        let rest = &text[end..];
        let after = rest.trim_start();
        let gap = rest.len() - after.len();
        let mut next = after.chars();
        let split = match next.next() {
            None => false,
            Some(n) if gap > 0 => {
                (n.is_uppercase() || n.is_ascii_digit() || "\"'(“[".contains(n))
                    && !c.abbreviation_before(&text[start..i], n)
            }
            Some(n) => {
                b[i] == b'.'
                    && end == i + 1
                    && n.is_uppercase()
                    && next.next().is_some_and(|m| m.is_lowercase())
                    && glued_word(&text[start..i], c)
            }
        };
        if split {
            push_trimmed(&mut out, text, start..end);
            start = end + gap;
        }
        i = end;
    }
    push_trimmed(&mut out, text, start..text.len());
    out
}

/// A period with no space after it ends a sentence when the word before it is a plain
/// lower-case word or a number of two or more characters ("screening.The", "2005.The"),
/// not a piece of an abbreviation ("e.g.The", "Q.D.Then") or a decimal.
fn glued_word(before: &str, c: &Compiled) -> bool {
    let word: String = before
        .chars()
        .rev()
        .take_while(|ch| ch.is_ascii_alphanumeric())
        .collect();
    let preceded_by_dot = before[..before.len() - word.len()].ends_with('.');
    let plain = word.chars().all(|ch| ch.is_ascii_lowercase())
        || word.chars().all(|ch| ch.is_ascii_digit());
    word.len() >= 2
        && plain
        && !preceded_by_dot
        && !c
            .abbreviations
            .contains(&word.chars().rev().collect::<String>())
}

fn push_trimmed(out: &mut Vec<Range<usize>>, text: &str, r: Range<usize>) {
    let s = &text[r.clone()];
    let lead = s.len() - s.trim_start().len();
    let trail = s.len() - s.trim_end().len();
    if r.start + lead < r.end - trail {
        out.push(r.start + lead..r.end - trail);
    }
}
