//! A `MAXIMUS guideline:` line → structured citations (source, document, year, sections,
//! pages).
//!
//! Two eras: 2014–15 letters cite MTUS by topic and `Page(s):`, 2016 on by document, year and
//! `Section(s):`, several MTUS documents joined by ", and", then non-MTUS citations (ODG
//! chapter and topic, ACOEM, UpToDate, URLs). Document names come from
//! `lexicon/guidelines.toml`.

use super::text::squeeze_spaces;
use crate::record::{Citation, GuidelineSource};
use regex::Regex;
use std::sync::OnceLock;

struct Matcher {
    regex: Regex,
    /// Canonical name per alias, in the regex's alternation order.
    canonical: Vec<String>,
}

impl Matcher {
    fn new(docs: &[crate::lexicon::GuidelineDocument]) -> Matcher {
        let mut pairs: Vec<(&str, &str)> = docs
            .iter()
            .flat_map(|d| d.aliases.iter().map(move |a| (a.as_str(), d.name.as_str())))
            .collect();
        // Leftmost-first alternation: longer aliases first so "Low Back Chapter" beats "Low Back".
        pairs.sort_by_key(|(a, _)| std::cmp::Reverse(a.len()));
        // Word boundaries only where the alias has a word character at that end: "Pain
        // (Chronic)" ends in ')' and is followed by ',' with no boundary between them.
        let alternation: Vec<String> = pairs
            .iter()
            .map(|(a, _)| {
                let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric());
                format!(
                    "({}{}{})",
                    if word(a.chars().next()) { r"\b" } else { "" },
                    regex::escape(a),
                    if word(a.chars().last()) { r"\b" } else { "" }
                )
            })
            .collect();
        let regex = Regex::new(&format!(r"(?i)(?:{})", alternation.join("|")))
            .expect("guideline aliases form a valid regex");
        Matcher {
            regex,
            canonical: pairs.iter().map(|(_, n)| n.to_string()).collect(),
        }
    }

    /// Every alias match: (start, end, canonical name).
    fn find_all<'a>(&'a self, text: &'a str) -> impl Iterator<Item = (usize, usize, &'a str)> + 'a {
        self.regex.captures_iter(text).map(move |caps| {
            let whole = caps.get(0).expect("whole match");
            let idx = (1..caps.len())
                .find(|&i| caps.get(i).is_some())
                .expect("one alternative matched");
            (whole.start(), whole.end(), self.canonical[idx - 1].as_str())
        })
    }
}

struct Tables {
    mtus: Matcher,
    odg: Matcher,
    multi_comma: Vec<String>,
}

fn tables() -> &'static Tables {
    static T: OnceLock<Tables> = OnceLock::new();
    T.get_or_init(|| {
        let data = crate::lexicon::guidelines();
        Tables {
            mtus: Matcher::new(&data.mtus),
            odg: Matcher::new(&data.odg),
            multi_comma: data.multi_comma_sections.clone(),
        }
    })
}

/// Structures a MAXIMUS guideline line. Boilerplate ("did not cite any medical evidence",
/// "did not base their decision on the MTUS") yields no citation.
///
/// The grammar, by structure rather than by a list of names (which only canonicalises the
/// names it knows):
///
/// ```text
/// line     := clause*                       (other sentences are boilerplate)
/// clause   := "Decision based on" body      (or, in a line that never says it, a sentence
///                                            that opens with a source's name)
/// body     := "Non-MTUS" ["Citation"] other-source
///           | "MTUS" ["Citation"] mtus-part ((", and" | ";") mtus-part)*
///           | other-source                  ("ODG ...", "ACOEM ..." named on their own)
/// mtus-part:= ["(" ] [ACOEM edition (year) ","] [year] ["Chapter" n] name [year | "(" year ")"]
///             [", Section(s):" sections | topics] ["Page(s):" pages] [")"]
/// other-source := ODG chapter, topics | ACOEM edition, chapter, topics | UpToDate | URL | any
/// ```
///
/// A name the lexicon knows becomes its canonical document; any other name is kept as
/// written, so a chapter or year the lexicon has never seen still gives a citation.
pub fn parse_citations(line: &str) -> Vec<Citation> {
    let line = squeeze_spaces(line);
    let mut out = Vec::new();
    for clause in clauses(&line) {
        out.extend(clause_citations(clause));
    }
    out
}

/// The clause bodies of a line, in order.
fn clauses(line: &str) -> Vec<&str> {
    let mut bounds: Vec<(usize, usize)> = regex!(r"(?i)\bdecision based on\b")
        .find_iter(line)
        .map(|m| (m.start(), m.end()))
        .collect();
    if bounds.is_empty() {
        // A source's name opening a sentence: a citation without "Decision based on".
        bounds = regex!(
            r"(?i)(?:^|[.;]\s+)((?:non-mtus|mtus|odg|official disability guidelines|acoem|american college of occupational)\b)"
        )
            .captures_iter(line)
            .filter_map(|c| c.get(1))
            .map(|m| (m.start(), m.start()))
            .collect();
    }
    let mut out = Vec::new();
    for (k, &(_, body)) in bounds.iter().enumerate() {
        let end = bounds.get(k + 1).map_or(line.len(), |next| next.0);
        let clause = &line[body..end];
        // A non-MTUS source opening a sentence inside an MTUS clause is a clause of its
        // own: "MTUS ..., Opioids; ODG Pain (Chronic), Opioids".
        let mut from = 0;
        if strip_prefix_ci(clause.trim_start(), "mtus").is_some() {
            for c in regex!(
                r"(?i)[.;]\s+((?:non-mtus|odg|official disability guidelines|acoem|american college of occupational)\b)"
            )
            .captures_iter(clause)
            {
                let at = c.get(1).map_or(clause.len(), |m| m.start());
                out.push(clause[from..at].trim());
                from = at;
            }
        }
        out.push(clause[from..].trim());
    }
    out
}

/// One clause body → its citations.
fn clause_citations(clause: &str) -> Vec<Citation> {
    let mut out = Vec::new();
    if let Some(rest) = strip_prefix_ci(clause, "non-mtus citation") {
        for part in regex!(r"(?i)\s*\band\s+other medical treatment guidelines\b|\bother medical treatment guidelines\b")
            .split(rest)
        {
            out.extend(non_mtus(part.trim()));
        }
    } else if let Some(rest) = strip_prefix_ci(clause, "mtus") {
        let rest = rest.trim();
        let rest = strip_prefix_ci(rest, "citation").map_or(rest, str::trim);
        out.extend(mtus(rest));
    } else if let Some(m) = regex!(
        r"(?i)^non-mtus\b:?|^(?:odg|acoem)\b|^official disability|^american college of occupational"
    )
    .find(clause)
    {
        // A source named without "Non-MTUS Citation" before it.
        let rest = if m.as_str().to_ascii_lowercase().starts_with("non-mtus") {
            &clause[m.end()..]
        } else {
            clause
        };
        out.extend(non_mtus(rest.trim()));
    }
    out
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

/// What may stand before an MTUS document's name: the parentheses, ACOEM edition and year
/// the post-2017 MTUS wraps its chapters in ("(ACOEM Practice Guidelines, 3rd Edition
/// (2011), Chapter 12 Low Back Disorders)"), a leading year ("2017 Chronic Pain
/// Guidelines"), a chapter number. Returns the clause without them and the year they gave.
fn mtus_preamble(clause: &str) -> (&str, Option<u16>) {
    let mut clause = clause.trim();
    let mut year = None;
    // Parentheses around the whole clause (less a final period).
    let bare = clause.trim_end_matches('.').trim_end();
    if bare.starts_with('(') && bare.ends_with(')') && closing_paren(bare) == Some(bare.len() - 1) {
        clause = bare[1..bare.len() - 1].trim();
    }
    if let Some(c) = regex!(
        r"(?i)^(?:acoem|american college of occupational and environmental medicine)(?:'s)?\s*(?:\(acoem\)\s*)?(?:occupational medicine\s+)?(?:practice\s+)?(?:guidelines?)?\s*,?\s*(?:\d(?:st|nd|rd|th)\s+ed(?:ition|\.)?)?\s*,?\s*(?:\(?((?:19|20)\d{2})\)?)?\s*[,:]?\s*"
    )
    .captures(clause)
    {
        year = c.get(1).and_then(|m| m.as_str().parse().ok());
        clause = &clause[c.get(0).map_or(0, |m| m.end())..];
    }
    if let Some(c) = regex!(r"^\(?((?:19|20)\d{2})\)?\b,?\s*").captures(clause) {
        year = year.or_else(|| c[1].parse().ok());
        clause = &clause[c.get(0).map_or(0, |m| m.end())..];
    }
    if let Some(m) = regex!(r"(?i)^chapter\s+\d+\s*[:.,-]?\s*").find(clause) {
        clause = &clause[m.end()..];
    }
    (clause, year)
}

/// The byte offset of the ')' that closes the '(' at the start of `s`.
fn closing_paren(s: &str) -> Option<usize> {
    let mut depth = 0i32;
    for (i, c) in s.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// A year right after a document's name: "2016", "(2018)".
fn leading_year(tail: &str) -> Option<u16> {
    regex!(r"^\s*\(?((?:19|20)\d{2})\b\)?")
        .captures(tail)
        .and_then(|c| c[1].parse().ok())
}

fn mtus(clause: &str) -> Vec<Citation> {
    let t = tables();
    let (clause, preamble_year) = mtus_preamble(clause);
    // A document name starts a citation only at the clause start or after a joiner
    // (", and", ";"): "Opioids for Chronic Pain" inside a section title is not a document.
    let mut starts: Vec<(usize, usize, &str)> = Vec::new();
    for (s, e, name) in t.mtus.find_all(clause) {
        let before = clause[..s].trim_end();
        let joined = before.is_empty()
            || before.ends_with(';')
            || before.ends_with(", and")
            || (before.ends_with(" and") && starts.is_empty());
        let after = &clause[e..];
        let shaped = regex!(
            r"(?i)^\s*(?:(?:19|20)\d{2}\b)?\s*(?:guidelines)?\s*(?:[,.;]|section|page|$|[a-z0-9(])"
        )
        .is_match(after);
        if joined && shaped {
            starts.push((s, e, name));
        }
    }
    if starts.is_empty() {
        return unknown_mtus(clause, preamble_year);
    }
    let mut out = Vec::new();
    for (k, &(_, e, name)) in starts.iter().enumerate() {
        let end = starts.get(k + 1).map_or(clause.len(), |n| n.0);
        let tail = clause[e..end].trim();
        let tail = tail
            .strip_suffix(", and")
            .or_else(|| tail.strip_suffix(" and"))
            .or_else(|| tail.strip_suffix(';'))
            .unwrap_or(tail);
        let year = leading_year(tail)
            .or_else(|| {
                regex!(r"(?i)effective\s+[a-z]+\.?\s+\d{1,2},?\s+((?:19|20)\d{2})")
                    .captures(tail)
                    .and_then(|c| c[1].parse().ok())
            })
            .or(if k == 0 { preamble_year } else { None });
        out.push(citation(
            GuidelineSource::Mtus,
            name.to_string(),
            year,
            tail,
        ));
    }
    out
}

/// MTUS documents the lexicon does not know (a chapter or guideline of a later MTUS): each
/// part (split at ";" and ", and" outside parentheses) is a name up to its first year,
/// parenthesis, comma, "Section(s)" or "Page(s)", then what a known document's tail holds.
fn unknown_mtus(clause: &str, preamble_year: Option<u16>) -> Vec<Citation> {
    let mut out = Vec::new();
    for (k, part) in split_outside_parens(clause, &[";", ", and "])
        .into_iter()
        .enumerate()
    {
        let part = part.trim().trim_end_matches('.').trim();
        let name_end = regex!(r"(?i)\s*(?:,|\(|\b(?:19|20)\d{2}\b|\bsections?\b|\bsection\(s\)|\bpages?\b|\bpage\(s\))")
            .find(part)
            .map_or(part.len(), |m| m.start());
        let name = part[..name_end].trim();
        if name.is_empty() {
            continue;
        }
        let tail = &part[name_end..];
        let year = regex!(r"\b((?:19|20)\d{2})\b")
            .captures(tail)
            .and_then(|c| c[1].parse().ok())
            .or(if k == 0 { preamble_year } else { None });
        // The year is the edition's, not a section: "(2018)" → nothing left.
        let tail = regex!(r"^\s*\(?(?:19|20)\d{2}\b\)?").replace(tail, "");
        out.push(citation(
            GuidelineSource::Mtus,
            name.to_string(),
            year,
            &tail,
        ));
    }
    out
}

/// Splits at any of `seps` where no parenthesis is open.
fn split_outside_parens<'a>(s: &'a str, seps: &[&str]) -> Vec<&'a str> {
    let mut parts = Vec::new();
    let (mut depth, mut from, mut i) = (0i32, 0usize, 0usize);
    while i < s.len() {
        let rest = &s[i..];
        if depth <= 0 {
            if let Some(sep) = seps.iter().find(|sep| {
                rest.get(..sep.len())
                    .is_some_and(|h| h.eq_ignore_ascii_case(sep))
            }) {
                parts.push(&s[from..i]);
                i += sep.len();
                from = i;
                continue;
            }
        }
        let c = rest.chars().next().unwrap_or(' ');
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ => {}
        }
        i += c.len_utf8();
    }
    parts.push(&s[from..]);
    parts
}

/// Builds a citation from the text after its document name.
fn citation(source: GuidelineSource, document: String, year: Option<u16>, tail: &str) -> Citation {
    let pages = pages(tail);
    let sections = if let Some(m) = regex!(r"(?i)section\(?s?\)?\s*:").find(tail) {
        split_sections(&tail[m.end()..])
    } else {
        // 2014–15 topics: everything before "Page(s):", less the regulation boilerplate.
        let topic = regex!(r"(?i)page\(s\)\s*:")
            .split(tail)
            .next()
            .unwrap_or("");
        let topic = regex!(r"^\s*\(?(?:19|20)\d{2}\b\)?\s*(?:guidelines)?").replace(topic, "");
        split_sections(&topic)
            .into_iter()
            .filter(|s| {
                !regex!(r"(?i)c\.c\.r\.|^mtus\b|effective|^pages?\b|^guidelines$|^\d[\d.\s-]*$")
                    .is_match(s)
            })
            .collect()
    };
    Citation {
        source,
        document,
        year,
        sections,
        pages,
    }
}

/// Splits a list of section titles: on ";" always, on ", " before a capital or a digit
/// (", therapeutic" continues a title), never inside parentheses or a known title that
/// has commas.
fn split_sections(text: &str) -> Vec<String> {
    let mut text = text.trim().to_string();
    let protected = &tables().multi_comma;
    for p in protected {
        let mut from = 0;
        while let Some(pos) = text[from..]
            .to_ascii_lowercase()
            .find(&p.to_ascii_lowercase())
        {
            let at = from + pos;
            let replaced = text[at..at + p.len()].replace(", ", "\u{1}");
            text.replace_range(at..at + p.len(), &replaced);
            from = at + replaced.len();
        }
    }
    let mut parts = Vec::new();
    let mut depth = 0i32;
    let mut cur = String::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ => {}
        }
        let split_here = depth <= 0
            && (c == ';'
                || (c == ','
                    && chars.get(i + 1) == Some(&' ')
                    && chars
                        .get(i + 2)
                        .is_some_and(|n| n.is_uppercase() || n.is_ascii_digit())));
        if split_here {
            parts.push(std::mem::take(&mut cur));
        } else {
            cur.push(c);
        }
        i += 1;
    }
    parts.push(cur);
    parts
        .into_iter()
        .map(|p| tidy_section(&p.replace('\u{1}', ", ")))
        .filter(|p| !p.is_empty())
        .collect()
}

fn tidy_section(s: &str) -> String {
    let s = regex!(r"(?i)\s*\bpages?\s+\d[\d\s,-]*$").replace(s, "");
    let s = regex!(r"(?i)\s+topic$").replace(&s, "");
    let s = s.replace('®', "");
    let s = s.trim_matches(|c: char| c.is_whitespace() || matches!(c, '.' | ',' | ':' | '/' | '-'));
    let s = if s.starts_with('(') && s.ends_with(')') && s.matches('(').count() == 1 {
        &s[1..s.len() - 1]
    } else {
        s
    };
    // Extraction glues words ("On-GoingManagement"): split a lower→upper join between two
    // words of four letters or more, which drug names like "OxyContin" are not.
    let fixed = regex!(r"([a-z]{4,})([A-Z][a-z]{3,})").replace_all(s, "$1 $2");
    squeeze_spaces(&fixed)
}

/// Page numbers cited after "Page(s):", "Pages", "Page", "pg.": ranges expanded, "of 127"
/// (the guideline's page count) dropped.
pub fn pages(text: &str) -> Vec<u32> {
    let mut out = Vec::new();
    for caps in regex!(r"(?i)\b(?:page\(s\)|pages?|pgs?)\.?\s*:?\s*(?:pages?\s*)?(\d{1,4}(?:\s*-\s*\d{1,4})?(?:\s*,\s*\d{1,4}(?:\s*-\s*\d{1,4})?)*)")
        .captures_iter(text)
    {
        for piece in caps[1].split(',') {
            let mut ends = piece.split('-').map(|n| n.trim().parse::<u32>());
            match (ends.next(), ends.next()) {
                (Some(Ok(a)), Some(Ok(b))) if b >= a && b - a <= 200 => out.extend(a..=b),
                (Some(Ok(a)), Some(Ok(b))) => out.extend([a, b]),
                (Some(Ok(a)), None) => out.push(a),
                _ => {}
            }
        }
    }
    out.retain(|&p| p > 0);
    out.sort_unstable();
    out.dedup();
    out
}

fn non_mtus(text: &str) -> Vec<Citation> {
    let text = text.trim().trim_end_matches('.').trim();
    if text.is_empty() {
        return Vec::new();
    }
    if let Some(m) = regex!(r"(?i)official disability guidelines(?:\s*\(odg\))?|\bODG\b").find(text)
    {
        return odg(&text[m.end()..]);
    }
    if regex!(r"(?i)\bACOEM\b|american college of occupational").is_match(text) {
        return vec![acoem(text)];
    }
    let (document, detail) = if regex!(r"(?i)uptodate").is_match(text) {
        (
            "UpToDate",
            regex!(r"(?i),?\s*accessed from.*$")
                .replace(text, "")
                .to_string(),
        )
    } else if regex!(r"(?i)https?://|www\.").is_match(text) {
        ("Web", text.to_string())
    } else {
        ("Other", text.to_string())
    };
    let sections: Vec<String> = if document == "Web" {
        regex!(r"(?i)(?:https?://|www\.)[^\s,;]+")
            .find_iter(&detail)
            .map(|m| m.as_str().trim_end_matches('.').to_string())
            .collect()
    } else {
        vec![tidy_section(&detail)]
    };
    vec![Citation {
        source: GuidelineSource::Other,
        document: document.to_string(),
        year: None,
        sections,
        pages: pages(text),
    }]
}

fn odg(rest: &str) -> Vec<Citation> {
    let rest = regex!(r"(?i)\(updated[^)]*\)").replace_all(rest, "");
    let year = regex!(r"\b((?:19|20)\d{2})\b")
        .captures(&rest)
        .and_then(|c| c[1].parse().ok());
    let rest = regex!(r"(?i)\b(?:19|20)\d{2}\b,?|\bweb version\b,?").replace_all(&rest, "");
    let rest = rest.trim_start_matches(|c: char| c == ',' || c.is_whitespace());
    // Several chapters: "Low back, Manipulation; Neck and Upper back, Manipulation".
    let mut out = Vec::new();
    for part in rest.split(';') {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        let (document, remainder) = match tables().odg.find_all(part).next() {
            Some((s, e, name)) => (name.to_string(), format!("{} {}", &part[..s], &part[e..])),
            None => ("General".to_string(), part.to_string()),
        };
        let remainder = regex!(r"(?i)\b(?:chapter|section)\b").replace_all(&remainder, "");
        out.push(Citation {
            source: GuidelineSource::Odg,
            document,
            year,
            sections: split_sections(&remainder),
            pages: pages(part),
        });
    }
    out
}

fn acoem(text: &str) -> Citation {
    let edition = regex!(r"(?i)\b(\d)(?:st|nd|rd|th)\s+ed(?:ition|\.)?")
        .captures(text)
        .map(|c| c[1].to_string());
    let year = regex!(r"\(((?:19|20)\d{2})\)|\b((?:19|20)\d{2})\b")
        .captures(text)
        .and_then(|c| c.get(1).or(c.get(2)))
        .and_then(|m| m.as_str().parse().ok());
    let document = match edition.as_deref() {
        Some("1") => "Practice Guidelines, 1st Edition".to_string(),
        Some("2") => "Practice Guidelines, 2nd Edition".to_string(),
        Some("3") => "Practice Guidelines, 3rd Edition".to_string(),
        Some(n) => format!("Practice Guidelines, {n}th Edition"),
        None => "Practice Guidelines".to_string(),
    };
    let detail = regex!(r"(?i)american college of occupational and environmental medicine\s*(?:\(acoem\))?|\bacoem\b:?|(?:occupational medicine )?practice guidelines|\b\d(?:st|nd|rd|th)\s+ed(?:ition|\.)?|\(?(?:19|20)\d{2}\)?|,?\s*(?:pages?|pgs?)\.?\s*\d[\d\s,-]*")
        .replace_all(text, "");
    Citation {
        source: GuidelineSource::Acoem,
        document,
        year,
        sections: split_sections(&detail),
        pages: pages(text),
    }
}

#[cfg(test)]
mod tests;
