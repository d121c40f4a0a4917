//! Sentences learned from real letters, compiled once into pieces so that each use can give
//! them fresh dates and the patient's pronouns, and the damage text extraction does.

use super::rng::Rng;
use crate::letter::dates;

/// A calendar day, counted from 1970-01-01.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Day(pub i32);

impl Day {
    /// Howard Hinnant's days_from_civil.
    pub fn from_ymd(y: i32, m: u32, d: u32) -> Day {
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (m as i32 + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d as i32 - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        Day(era * 146_097 + doe - 719_468)
    }

    pub fn ymd(self) -> (i32, u32, u32) {
        let z = self.0 + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        (yoe + era * 400 + i32::from(m <= 2), m, d)
    }

    pub fn plus(self, days: i32) -> Day {
        Day(self.0 + days)
    }

    pub fn iso(self) -> String {
        let (y, m, d) = self.ymd();
        format!("{y:04}-{m:02}-{d:02}")
    }

    pub fn write(self, style: DateStyle) -> String {
        const MONTHS: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        let (y, m, d) = self.ymd();
        match style {
            DateStyle::Slash => format!("{m:02}/{d:02}/{y:04}"),
            DateStyle::SlashShort => format!("{m}/{d}/{:02}", y % 100),
            DateStyle::Dash => format!("{m:02}-{d:02}-{y:04}"),
            DateStyle::DashShort => format!("{m}-{d}-{:02}", y % 100),
            DateStyle::Long => format!("{} {d}, {y}", MONTHS[m as usize - 1]),
        }
    }
}

/// How a date is written in a letter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateStyle {
    /// 10/17/2006
    Slash,
    /// 5/12/03
    SlashShort,
    /// 10-13-2016
    Dash,
    /// 5-12-03
    DashShort,
    /// May 6, 2002
    Long,
}

impl DateStyle {
    pub fn parse(name: &str) -> Option<DateStyle> {
        Some(match name {
            "slash" => DateStyle::Slash,
            "slash-short" => DateStyle::SlashShort,
            "dash" => DateStyle::Dash,
            "short" => DateStyle::DashShort,
            "long" => DateStyle::Long,
            _ => return None,
        })
    }
}

/// The patient's sex, which decides pronouns and words like "gentleman".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sex {
    Male,
    Female,
}

/// A word that depends on the patient's sex: (male form, female form).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Gendered {
    male: &'static str,
    female: &'static str,
    capital: bool,
}

const GENDERED: &[(&str, &str)] = &[
    ("he", "she"),
    ("him", "her"),
    ("his", "her"),
    ("himself", "herself"),
    ("male", "female"),
    ("man", "woman"),
    ("men", "women"),
    ("gentleman", "lady"),
    ("gentlemen", "ladies"),
];

#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Text(String),
    Date(DateStyle),
    Word(Gendered),
}

/// A learned sentence: text with holes for dates and gendered words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    pieces: Vec<Piece>,
    /// Length of the original text, for sizing.
    pub len: usize,
}

impl Sentence {
    pub fn compile(text: &str) -> Sentence {
        let mut holes: Vec<(usize, usize, Piece)> = Vec::new();
        for caps in dates::date_regex().captures_iter(text) {
            let m = caps.get(0).expect("whole match");
            // A pain score ("9-10/10") is not a date: real dates repeat their separator.
            let seps = m.as_str().matches('/').count() == 2 || m.as_str().matches('-').count() == 2;
            if caps.name("mon").is_none() && (!seps || dates::from_captures(&caps).is_none()) {
                continue;
            }
            let style = if caps.name("mon").is_some() {
                DateStyle::Long
            } else {
                let short = caps.name("y").is_some_and(|y| y.as_str().len() == 2);
                match (m.as_str().contains('/'), short) {
                    (true, false) => DateStyle::Slash,
                    (true, true) => DateStyle::SlashShort,
                    (false, false) => DateStyle::Dash,
                    (false, true) => DateStyle::DashShort,
                }
            };
            holes.push((m.start(), m.end(), Piece::Date(style)));
        }
        for m in regex!(r"(?i)\b(?:he|she|his|her|hers|him|himself|herself|male|female|man|woman|men|women|gentleman|lady|gentlemen|ladies)\b")
            .find_iter(text)
        {
            if holes.iter().any(|h| m.start() < h.1 && h.0 < m.end()) {
                continue;
            }
            let word = m.as_str();
            let lower = word.to_ascii_lowercase();
            let capital = word.starts_with(|c: char| c.is_uppercase());
            // "her" is "him" before a preposition, article or the end of a clause, else "his".
            let next = text[m.end()..]
                .split_whitespace()
                .next()
                .unwrap_or("")
                .to_ascii_lowercase();
            let pair = match lower.as_str() {
                "she" => ("he", "she"),
                "hers" => ("his", "hers"),
                "her" if next.is_empty()
                    || text[m.end()..].starts_with(['.', ',', ';', ')'])
                    || matches!(
                        next.as_str(),
                        "to" | "the" | "a" | "an" | "with" | "and" | "on" | "in" | "for" | "that" | "at" | "from"
                    ) =>
                {
                    ("him", "her")
                }
                "her" => ("his", "her"),
                "woman" => ("man", "woman"),
                "women" => ("men", "women"),
                "female" => ("male", "female"),
                "lady" => ("gentleman", "lady"),
                "ladies" => ("gentlemen", "ladies"),
                other => match GENDERED.iter().find(|(m, _)| *m == other) {
                    Some(&p) => p,
                    None => continue,
                },
            };
            holes.push((
                m.start(),
                m.end(),
                Piece::Word(Gendered {
                    male: pair.0,
                    female: pair.1,
                    capital,
                }),
            ));
        }
        holes.sort_by_key(|h| h.0);
        let mut pieces = Vec::new();
        let mut at = 0;
        for (s, e, piece) in holes {
            if s > at {
                pieces.push(Piece::Text(text[at..s].to_string()));
            }
            pieces.push(piece);
            at = e;
        }
        if at < text.len() {
            pieces.push(Piece::Text(text[at..].to_string()));
        }
        Sentence {
            pieces,
            len: text.len(),
        }
    }

    /// Appends the sentence with dates drawn from `dates` (inclusive range) and words for
    /// `sex`.
    pub fn render(&self, rng: &mut Rng, sex: Sex, dates: (Day, Day), out: &mut String) {
        for p in &self.pieces {
            match p {
                Piece::Text(t) => out.push_str(t),
                Piece::Date(style) => {
                    let span = (dates.1 .0 - dates.0 .0).max(0) as usize;
                    let day = dates.0.plus(rng.below(span + 1) as i32);
                    out.push_str(&day.write(*style));
                }
                Piece::Word(g) => {
                    let w = if sex == Sex::Male { g.male } else { g.female };
                    if g.capital {
                        let mut c = w.chars();
                        if let Some(f) = c.next() {
                            out.extend(f.to_uppercase());
                            out.push_str(c.as_str());
                        }
                    } else {
                        out.push_str(w);
                    }
                }
            }
        }
    }
}

/// Words a split or glue must never produce or destroy: what the parser reads age and sex
/// from.
pub fn sensitive(word: &str) -> bool {
    let w = word.to_ascii_lowercase();
    GENDERED.iter().any(|(m, f)| w == *m || w == *f)
        || matches!(
            w.as_str(),
            "her" | "hers" | "old" | "year" | "age" | "aged" | "injury" | "injured" | "doi"
        )
}

/// Extraction damage on one rendered sentence, as pdftotext does it: a word split in two
/// ("anta lgic"), two words glued ("ofdependence"), a redaction gap ("both  benefits").
pub fn damage(rng: &mut Rng, s: &mut String) {
    let roll = rng.unit();
    if roll < 0.035 {
        // Split a long word of letters at an inner position.
        let words: Vec<(usize, &str)> = s
            .split(' ')
            .scan(0usize, |at, w| {
                let start = *at;
                *at += w.len() + 1;
                Some((start, w))
            })
            .filter(|(_, w)| w.len() >= 8 && w.bytes().all(|b| b.is_ascii_alphabetic()))
            .collect();
        if words.is_empty() {
            return;
        }
        let (start, w) = *rng.pick(&words);
        let cut = 3 + rng.below(w.len() - 5);
        if sensitive(&w[..cut]) || sensitive(&w[cut..]) {
            return;
        }
        s.insert(start + cut, ' ');
    } else if roll < 0.06 {
        // Glue a short word to the next.
        let spaces: Vec<usize> = s
            .match_indices(' ')
            .map(|(i, _)| i)
            .filter(|&i| {
                let before = s[..i].rsplit(' ').next().unwrap_or("");
                let after = s[i + 1..].split(' ').next().unwrap_or("");
                (2..=3).contains(&before.len())
                    && before.bytes().all(|b| b.is_ascii_lowercase())
                    && after.len() >= 4
                    && after.bytes().all(|b| b.is_ascii_lowercase())
                    && !sensitive(before)
                    && !sensitive(after)
            })
            .collect();
        if let Some(&i) = spaces.get(rng.below(spaces.len().max(1))) {
            s.remove(i);
        }
    } else if roll < 0.075 {
        // A redacted word leaves two spaces.
        let spaces: Vec<usize> = s
            .match_indices(' ')
            .map(|(i, _)| i)
            .filter(|&i| {
                let after = s[i + 1..].split(' ').next().unwrap_or("");
                after.len() >= 4
                    && after.bytes().all(|b| b.is_ascii_alphabetic())
                    && after.starts_with(|c: char| c.is_ascii_uppercase())
                    && !sensitive(after)
            })
            .collect();
        if let Some(&i) = spaces.get(rng.below(spaces.len().max(1))) {
            let end = s[i + 1..].find(' ').map_or(s.len(), |e| i + 1 + e);
            s.replace_range(i + 1..end, " ");
        }
    }
}

/// Splits prose into sentences: at '.', '!' or '?' (and a closing quote) followed by a space
/// and a capital or digit, except after common abbreviations and initials.
pub fn split_sentences(text: &str) -> Vec<&str> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        if matches!(bytes[i], b'.' | b'!' | b'?') {
            let mut end = i + 1;
            while end < bytes.len() && matches!(bytes[end], b'"' | b')' | b'\'') {
                end += 1;
            }
            let next = text[end..].trim_start();
            let spaced = end < bytes.len() && bytes[end] == b' ';
            let starts_new = next
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '"');
            let word = text[start..i].rsplit([' ', '(']).next().unwrap_or("");
            let abbreviation = word.len() <= 1
                || matches!(
                    word.to_ascii_lowercase().as_str(),
                    "dr" | "mr"
                        | "mrs"
                        | "ms"
                        | "vs"
                        | "no"
                        | "st"
                        | "e.g"
                        | "i.e"
                        | "approx"
                        | "etc"
                        | "u.s"
                        | "p.r.n"
                        | "b.i.d"
                        | "t.i.d"
                        | "q.i.d"
                        | "q.d"
                );
            if spaced && starts_new && !abbreviation {
                out.push(text[start..end].trim());
                start = end;
            }
            i = end;
        } else {
            i += 1;
        }
    }
    let rest = text[start..].trim();
    if !rest.is_empty() {
        out.push(rest);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_round_trip() {
        for (y, m, d) in [(1970, 1, 1), (2016, 2, 29), (1999, 12, 31), (2024, 3, 1)] {
            assert_eq!(Day::from_ymd(y, m, d).ymd(), (y, m, d));
        }
        assert_eq!(Day::from_ymd(1970, 1, 1), Day(0));
        let day = Day::from_ymd(2003, 5, 12);
        assert_eq!(day.write(DateStyle::DashShort), "5-12-03");
        assert_eq!(day.write(DateStyle::Long), "May 12, 2003");
        assert_eq!(day.write(DateStyle::Slash), "05/12/2003");
        assert_eq!(day.iso(), "2003-05-12");
    }

    #[test]
    fn sentences_split_at_sentence_ends_only() {
        let s = split_sentences(
            "She saw Dr. Smith on 10/17/2006. Norco 10/325 mg #60 was refilled. It helped.",
        );
        assert_eq!(
            s,
            [
                "She saw Dr. Smith on 10/17/2006.",
                "Norco 10/325 mg #60 was refilled.",
                "It helped."
            ]
        );
    }

    #[test]
    fn rendering_swaps_dates_and_pronouns() {
        let s = Sentence::compile("On 11-3-16, she told her doctor that she gave her a note.");
        let mut out = String::new();
        let day = Day::from_ymd(2015, 7, 4);
        s.render(&mut Rng::new(1), Sex::Male, (day, day), &mut out);
        assert_eq!(
            out,
            "On 7-4-15, he told his doctor that he gave him a note."
        );
    }
}
