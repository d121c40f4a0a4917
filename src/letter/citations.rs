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
pub fn parse_citations(line: &str) -> Vec<Citation> {
    let line = squeeze_spaces(line);
    let clause_starts: Vec<usize> = regex!(r"(?i)\bdecision based on\b")
        .find_iter(&line)
        .map(|m| m.end())
        .collect();
    let mut out = Vec::new();
    for (k, &start) in clause_starts.iter().enumerate() {
        let end = clause_starts
            .get(k + 1)
            .map_or(line.len(), |&next| next - "decision based on".len());
        let clause = line[start..end].trim();
        if let Some(rest) = strip_prefix_ci(clause, "non-mtus citation") {
            for part in regex!(r"(?i)\s*\band\s+other medical treatment guidelines\b|\bother medical treatment guidelines\b")
                .split(rest)
            {
                out.extend(non_mtus(part.trim()));
            }
        } else if let Some(rest) = strip_prefix_ci(clause, "mtus") {
            out.extend(mtus(rest.trim()));
        }
    }
    out
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

fn mtus(clause: &str) -> Vec<Citation> {
    let t = tables();
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
        // An MTUS document we do not know: keep what it says rather than drop it.
        let (doc, rest) = clause
            .split_once(", Section")
            .map_or((clause, ""), |(d, r)| (d, r));
        let doc = doc.trim().trim_end_matches('.');
        if doc.is_empty() {
            return Vec::new();
        }
        let year = regex!(r"\b((?:19|20)\d{2})\b")
            .captures(doc)
            .and_then(|c| c[1].parse().ok());
        let name = regex!(r"\s*\b(?:19|20)\d{2}\b")
            .replace_all(doc, "")
            .trim()
            .to_string();
        return vec![citation(GuidelineSource::Mtus, name, year, rest)];
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
        let year = regex!(r"^\s*((?:19|20)\d{2})\b")
            .captures(tail)
            .or_else(|| {
                regex!(r"(?i)effective\s+[a-z]+\.?\s+\d{1,2},?\s+((?:19|20)\d{2})").captures(tail)
            })
            .and_then(|c| c[1].parse().ok());
        out.push(citation(
            GuidelineSource::Mtus,
            name.to_string(),
            year,
            tail,
        ));
    }
    out
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
        let topic = regex!(r"^\s*(?:19|20)\d{2}\b\s*(?:guidelines)?").replace(topic, "");
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
    let detail = regex!(r"(?i)american college of occupational and environmental medicine\s*(?:\(acoem\))?|\bacoem\b:?|occupational medicine practice guidelines|\b\d(?:st|nd|rd|th)\s+ed(?:ition|\.)?|\(?(?:19|20)\d{2}\)?|,?\s*(?:pages?|pgs?)\.?\s*\d[\d\s,-]*")
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
mod tests {
    use super::*;
    use GuidelineSource::*;

    fn c(
        source: GuidelineSource,
        doc: &str,
        year: Option<u16>,
        sections: &[&str],
        pages: &[u32],
    ) -> Citation {
        Citation {
            source,
            document: doc.into(),
            year,
            sections: sections.iter().map(|s| s.to_string()).collect(),
            pages: pages.to_vec(),
        }
    }
    const CP: &str = "Chronic Pain Medical Treatment Guidelines";

    #[test]
    fn seed_era_pages() {
        assert_eq!(
            parse_citations("Decision based on MTUS Chronic Pain Treatment Guidelines 8 C.C.R. 9792.20 - 9792.26; MTUS (Effective July 18, 2009 Page(s): Page 74-78, 88, 91 of 12."),
            vec![c(Mtus, CP, Some(2009), &[], &[74, 75, 76, 77, 78, 88, 91])]
        );
        assert_eq!(
            parse_citations("Decision based on MTUS Chronic Pain Treatment Guidelines Opioids, On-GoingManagement, Pages 78-80, Opioids for Chronic Pain, Pages 80-82 Page(s): Pages."),
            vec![c(Mtus, CP, None, &["Opioids", "On-Going Management", "Opioids for Chronic Pain"], &[78, 79, 80, 81, 82])]
        );
        assert_eq!(
            parse_citations("Decision based on MTUS Chronic Pain Treatment Guidelines When to Continue Opioids topic Page(s): 80."),
            vec![c(Mtus, CP, None, &["When to Continue Opioids"], &[80])]
        );
        assert_eq!(
            parse_citations("Decision based on MTUS Chronic Pain Treatment Guidelines C.C.R. 9792.20 - 792.26; MTUS (Effective July 18, 2009) Page(s): Page 63-64 of 127.."),
            vec![c(Mtus, CP, Some(2009), &[], &[63, 64])]
        );
    }

    #[test]
    fn several_mtus_documents_joined_by_and() {
        assert_eq!(
            parse_citations("Decision based on MTUS Neck and Upper Back Complaints 2004, Section(s): Special Studies, and Forearm, Wrist, and Hand Complaints 2004, Section(s): Special Studies."),
            vec![
                c(Mtus, "Neck and Upper Back Complaints", Some(2004), &["Special Studies"], &[]),
                c(Mtus, "Forearm, Wrist, and Hand Complaints", Some(2004), &["Special Studies"], &[]),
            ]
        );
        assert_eq!(
            parse_citations("Decision based on MTUS Chronic Pain Medical Treatment 2016, Section(s): Compound drugs, and Opioid Treatment 2016, Section(s): 3.3 Opioids for Chronic Pain and Chronic Opioid Treatment: Initiating and Monitoring Chronic Opioid Treatment."),
            vec![
                c(Mtus, CP, Some(2016), &["Compound drugs"], &[]),
                c(Mtus, "Opioids Treatment Guidelines", Some(2016), &["3.3 Opioids for Chronic Pain and Chronic Opioid Treatment: Initiating and Monitoring Chronic Opioid Treatment"], &[]),
            ]
        );
    }

    #[test]
    fn protected_and_lowercase_continued_sections() {
        assert_eq!(
            parse_citations("Decision based on MTUS Chronic Pain Medical Treatment 2016, Section(s): NSAIDs, GI symptoms & cardiovascular risk, Proton Pump Inhibitors (PPIs)."),
            vec![c(Mtus, CP, Some(2016), &["NSAIDs, GI symptoms & cardiovascular risk", "Proton Pump Inhibitors (PPIs)"], &[])]
        );
        assert_eq!(
            parse_citations("Decision based on MTUS Chronic Pain Medical Treatment 2016, Section(s): TENS, chronic pain (transcutaneous electrical nerve stimulation)."),
            vec![c(Mtus, CP, Some(2016), &["TENS, chronic pain (transcutaneous electrical nerve stimulation)"], &[])]
        );
    }

    #[test]
    fn mtus_then_odg_and_acoem() {
        assert_eq!(
            parse_citations("Decision based on MTUS Low Back Complaints 2004, Section(s): Summary, and Chronic Pain Medical Treatment 2016, Section(s): Facet blocks. Decision based on Non-MTUS Citation ACOEM Occupational Medicine Practice Guidelines, 3rd ed., Low Back Disorders, pg. 607."),
            vec![
                c(Mtus, "Low Back Complaints", Some(2004), &["Summary"], &[]),
                c(Mtus, CP, Some(2016), &["Facet blocks"], &[]),
                c(Acoem, "Practice Guidelines, 3rd Edition", None, &["Low Back Disorders"], &[607]),
            ]
        );
        assert_eq!(
            parse_citations("The Expert Reviewer did not base their decision on the MTUS. Decision based on Non-MTUS Citation American College of Occupational and Environmental Medicine (ACOEM), 2nd Edition, (2004) Chapter 7, Independent Medical Examinations and Consultations, Page 127."),
            vec![c(Acoem, "Practice Guidelines, 2nd Edition", Some(2004), &["Chapter 7", "Independent Medical Examinations and Consultations"], &[127])]
        );
    }

    #[test]
    fn odg_chapters_and_topics() {
        assert_eq!(
            parse_citations("The Expert Reviewer did not base their decision on the MTUS. Decision based on Non-MTUS Citation Official Disability Guidelines (ODG) Pain (Chronic), Zolpidem (Ambien)."),
            vec![c(Odg, "Pain (Chronic)", None, &["Zolpidem (Ambien)"], &[])]
        );
        assert_eq!(
            parse_citations("Decision based on Non-MTUS Citation Official Disability Guidelines (ODG) Pain Section/Voltaren® Gel (diclofenac) Topic."),
            vec![c(Odg, "Pain (Chronic)", None, &["Voltaren Gel (diclofenac)"], &[])]
        );
        assert_eq!(
            parse_citations("Decision based on Non-MTUS Citation Official Disability Guidelines (ODG) Low back, Manipulation; Neck and Upper back, Manipulation."),
            vec![
                c(Odg, "Low Back", None, &["Manipulation"], &[]),
                c(Odg, "Neck and Upper Back", None, &["Manipulation"], &[]),
            ]
        );
        assert_eq!(
            parse_citations("Decision based on Non-MTUS Citation Official Disability Guidelines (ODG) MRI shoulder."),
            vec![c(Odg, "Shoulder", None, &["MRI"], &[])]
        );
        assert_eq!(
            parse_citations("Decision based on Non-MTUS Citation Official Disability Guidelines (ODG) Hips and Pelvis (Acute and Chronic), MRI (magnetic resonance imaging) and Other Medical Treatment Guidelines ACOEM Hip and Groin Disorders, Diagnostic Testing, MRI."),
            vec![
                c(Odg, "Hip and Pelvis", None, &["MRI (magnetic resonance imaging)"], &[]),
                c(Acoem, "Practice Guidelines", None, &["Hip and Groin Disorders", "Diagnostic Testing", "MRI"], &[]),
            ]
        );
    }

    #[test]
    fn other_sources_and_boilerplate() {
        assert_eq!(
            parse_citations(
                "The Expert Reviewer did not cite any medical evidence for its decision."
            ),
            vec![]
        );
        assert_eq!(
            parse_citations("The Expert Reviewer based their decision on recommendation(s) outside of the MTUS Guidelines. Decision based on Non-MTUS Citation Sildenafil: Drug information, accessed from UpToDate.com on 12/17/2016."),
            vec![c(Other, "UpToDate", None, &["Sildenafil: Drug information"], &[])]
        );
        let web = parse_citations("Decision based on Non-MTUS Citation http://www.example.net/a-b, https://x.example.com/c-d.");
        assert_eq!(web[0].document, "Web");
        assert_eq!(
            web[0].sections,
            vec!["http://www.example.net/a-b", "https://x.example.com/c-d"]
        );
    }

    #[test]
    fn page_lists() {
        assert_eq!(pages("Page(s): 74-94."), (74..=94).collect::<Vec<_>>());
        assert_eq!(pages("Page(s): Page 24."), vec![24]);
        assert_eq!(pages("Page(s): Pages."), Vec::<u32>::new());
        assert_eq!(pages("8 C.C.R. 9792.20 - 9792.26"), Vec::<u32>::new());
    }
}
