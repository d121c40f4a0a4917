//! Letter text → `Letter` → `Vec<Item>`: letters of a file, layouts, sections, header,
//! items, citations, normalisation.
//!
//! `parse_file_text` takes a file's text (split into its letters, each read in its layout:
//! `layout`, `split`); `parse_bytes` takes a file's bytes (lenient decoding, rejection of
//! what is not letter text); `parse_letter` reads one letter. None panics on any input: a
//! fuzz test holds them to that. A text that is an IMR determination is never lost: when its
//! items cannot be split it becomes one whole-letter record, with a warning.

pub mod citations;
pub mod dates;
pub mod early;
pub mod header;
pub mod items;
pub mod layout;
pub mod notice;
pub mod reviewer;
pub mod split;
pub mod summary;
pub mod text;

mod sections;

use crate::record::{
    Category, Decision, ItemDecision, Layout, Letter, LetterHeader, TreatmentInfo,
};

use crate::error::{Error, Result};
use crate::lexicon::Lexicon;

/// The letters of one file (a file may hold several), whether its bytes needed lenient
/// decoding, and what was noticed on the way.
#[derive(Debug)]
pub struct Parsed {
    /// In file order; never empty when parsing succeeded.
    pub letters: Vec<Letter>,
    /// Set when the file was not valid UTF-8 and was read as Windows-1252.
    pub lossy: bool,
    /// One line each, naming the file: things a user should know that did not stop the
    /// letters from being indexed.
    pub warnings: Vec<String>,
}

impl Parsed {
    /// Every item of every letter, in file order.
    pub fn into_items(self) -> Vec<crate::record::Item> {
        self.letters
            .into_iter()
            .flat_map(Letter::into_items)
            .collect()
    }
}

/// Parses a letter file's bytes. `source` names the file in errors and in `Letter::source`;
/// `stem` is the fallback letter id when the text has no case number.
pub fn parse_bytes(bytes: &[u8], source: &str, stem: &str) -> Result<Parsed> {
    if let Some(reason) = text::reject_reason(bytes) {
        return Err(Error::parse(source, reason));
    }
    let (text, decoding) = text::decode(bytes);
    let mut parsed = parse_file_text(&text, source, stem)?;
    parsed.lossy = decoding == text::Decoding::Windows1252;
    Ok(parsed)
}

/// Parses the text of a whole file, which may hold several letters (each header or first
/// heading after a complete letter starts the next: see `split`).
pub fn parse_file_text(text: &str, source: &str, stem: &str) -> Result<Parsed> {
    let ranges = split::letters(text);
    let mut letters = Vec::with_capacity(ranges.len());
    let mut warnings = Vec::new();
    for (k, range) in ranges.into_iter().enumerate() {
        // A letter without a case number is named after its file; the second and later
        // letters of a file get their place in it as well.
        let id = if k == 0 {
            stem.to_string()
        } else {
            format!("{stem}-{}", k + 1)
        };
        let (letter, warning) = parse_one(&text[range], source, &id)?;
        warnings.extend(warning);
        letters.push(letter);
    }
    warnings.extend(duplicates(&letters, source));
    Ok(Parsed {
        letters,
        lossy: false,
        warnings,
    })
}

/// One warning per case number that occurs more than once in the file (a letter saved
/// twice): the index keeps one copy.
fn duplicates(letters: &[Letter], source: &str) -> Vec<String> {
    let mut counts: std::collections::BTreeMap<&str, usize> = Default::default();
    for l in letters {
        *counts.entry(l.letter_id.as_str()).or_default() += 1;
    }
    counts
        .into_iter()
        .filter(|&(_, n)| n > 1)
        .map(|(id, n)| {
            format!("{source}: letter {id} is in the file {n} times; the last copy is indexed")
        })
        .collect()
}

/// Parses the text of one determination letter; the letter id falls back to `source`'s
/// file stem.
pub fn parse_letter(text: &str, source: &str) -> Result<Letter> {
    let stem = std::path::Path::new(source)
        .file_stem()
        .map_or_else(|| source.to_string(), |s| s.to_string_lossy().into_owned());
    parse_text(text, source, &stem)
}

/// Parses the text of one letter; `stem` is the letter id when the text has no case number.
/// Warnings (a cut, a whole-letter record) are dropped: `parse_file_text` keeps them.
pub fn parse_text(text: &str, source: &str, stem: &str) -> Result<Letter> {
    parse_one(text, source, stem).map(|(letter, _)| letter)
}

/// What a layout's reader found in one letter, before the lexicon is applied.
pub struct Reading {
    /// The layout the letter was read in (the detected one, or a sharper reading of it).
    pub layout: Layout,
    pub header: LetterHeader,
    pub licensure: Vec<String>,
    pub specialty: Vec<String>,
    /// The clinical case summary; empty where the layout has none that could be found.
    pub summary: String,
    /// The items, or why they could not be split.
    pub items: std::result::Result<items::Items, String>,
}

impl Reading {
    /// A reading with nothing read but the reason the items could not be split.
    pub fn unsplit(layout: Layout, reason: impl Into<String>) -> Reading {
        Reading {
            layout,
            header: LetterHeader::default(),
            licensure: Vec::new(),
            specialty: Vec::new(),
            summary: String::new(),
            items: Err(reason.into()),
        }
    }
}

/// Parses one letter in whatever layout it is in, with a warning when it was cut short or
/// is kept whole. Errs only when the text is not an IMR determination at all.
fn parse_one(text: &str, source: &str, stem: &str) -> Result<(Letter, Option<String>)> {
    let reading = match layout::detect(text) {
        Some(l @ (Layout::Header2016 | Layout::NoHeader2014)) => sections::read(text, l),
        Some(Layout::Notice2013) => notice::read(text),
        Some(Layout::Decisions2013) => early::decisions(text),
        Some(Layout::ProfessionalReview2013) => early::professional_review(text),
        Some(Layout::Unrecognised) | None if layout::is_imr(text) => unrecognised(text),
        Some(Layout::Unrecognised) | None => {
            return Err(Error::parse(
                source,
                "not an IMR determination letter (no layout's headings, no MAXIMUS or Independent Medical Review wording)",
            ))
        }
    };
    let Reading {
        layout,
        mut header,
        licensure,
        specialty,
        summary,
        items,
    } = reading;
    // Facts the summary states, where the layout's own fields did not give them. A letter
    // with no summary found is searched whole: its facts are read from all of it.
    let facts = if summary.is_empty() { text } else { &summary };
    if header.date_of_injury.is_none() {
        header.date_of_injury = summary::date_of_injury(facts);
    }
    let letter_id = header
        .case_number
        .clone()
        .unwrap_or_else(|| stem.to_string());
    let (items, whole, warning) = match items {
        Ok(items::Items { items, cut }) => {
            let warning = cut.map(|cut| {
                let n = items.len();
                let kept = if n == 1 {
                    "the complete item"
                } else {
                    "the complete items"
                };
                format!("{source}: {letter_id}: {cut}; {kept} before it ({n}) indexed")
            });
            (items.into_iter().map(enrich).collect(), false, warning)
        }
        Err(reason) => {
            let why = if layout == Layout::Unrecognised {
                "a letter in no layout imr knows".to_string()
            } else {
                format!(
                    "{} letter whose items could not be split: {reason}",
                    layout.as_str()
                )
            };
            let warning = format!(
                "{source}: {letter_id}: {why}; indexed whole, as one whole-letter document"
            );
            (vec![whole_letter(text)], true, Some(warning))
        }
    };
    let letter = Letter {
        letter_id,
        source: source.to_string(),
        patient_age: summary::patient_age(facts),
        patient_sex: summary::patient_sex(facts),
        header,
        licensure,
        specialty,
        summary,
        items,
        layout,
        whole,
    };
    Ok((letter, warning))
}

/// An IMR determination in no known layout: the facts that can be found anywhere in it.
fn unrecognised(text: &str) -> Reading {
    let (licensure, specialty) = reviewer::parse_reviewer(text);
    Reading {
        header: LetterHeader {
            case_number: header::find_case_number(text),
            decision_date: notice::dated(text),
            ..LetterHeader::default()
        },
        licensure,
        specialty,
        ..Reading::unsplit(Layout::Unrecognised, "no layout")
    }
}

/// The item name of a whole-letter record.
pub const WHOLE_LETTER: &str = "Whole letter (items not split)";

/// The one record of a letter whose items could not be split: its whole text is the
/// rationale, so every word of it is searched; the decision is unknown, so it counts as
/// neither upheld nor overturned.
fn whole_letter(text: &str) -> ItemDecision {
    ItemDecision {
        item: WHOLE_LETTER.to_string(),
        decision: Decision::Unknown,
        medication: None,
        medications: Vec::new(),
        category: Category::Other,
        treatment: TreatmentInfo::default(),
        guidelines: Vec::new(),
        maximus_guideline: String::new(),
        claims_administrator_guideline: String::new(),
        rationale: text::join_lines(text::lines(text).iter().map(|l| l.text)),
        original_request: None,
    }
}

/// An item block's text → the record: drugs, category, treatment, citations.
fn enrich(raw: items::RawItem) -> ItemDecision {
    let lexicon = Lexicon::get();
    let medications = lexicon.find_medications(&raw.item);
    let medication = medications.first().cloned();
    let category = lexicon.category(&raw.item, medication.as_ref());
    let t = lexicon.treatments().classify(&raw.item, &medications);
    let treatment = TreatmentInfo {
        treatment: t.treatment,
        dwc_category: t.dwc_category,
        dwc_subcategory: t.dwc_subcategory,
        region: t.region,
        regions: t.regions,
        laterality: t.laterality.map(|l| l.as_str().to_string()),
    };
    ItemDecision {
        guidelines: citations::parse_citations(&raw.maximus_guideline),
        item: raw.item,
        decision: raw.decision,
        medication,
        medications,
        category,
        treatment,
        maximus_guideline: raw.maximus_guideline,
        claims_administrator_guideline: raw.claims_administrator_guideline,
        rationale: raw.rationale,
        original_request: raw.original_request,
    }
}
