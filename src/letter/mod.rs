//! Letter text → `Letter` → `Vec<Item>`: sections, header, items, citations, normalisation.
//!
//! `parse_letter` takes text; `parse_bytes` takes a file's bytes (lenient decoding,
//! rejection of what is not letter text). Neither panics on any input: a fuzz test holds
//! them to that.

pub mod citations;
pub mod dates;
pub mod header;
pub mod items;

pub mod reviewer;
pub mod summary;
pub mod text;

use crate::record::{ItemDecision, Layout, Letter, TreatmentInfo};

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

/// Parses the text of a whole file, which may hold several letters.
pub fn parse_file_text(text: &str, source: &str, stem: &str) -> Result<Parsed> {
    let letter = parse_text(text, source, stem)?;
    Ok(Parsed {
        letters: vec![letter],
        lossy: false,
        warnings: Vec::new(),
    })
}

/// Parses the text of one determination letter; the letter id falls back to `source`'s
/// file stem.
pub fn parse_letter(text: &str, source: &str) -> Result<Letter> {
    let stem = std::path::Path::new(source)
        .file_stem()
        .map_or_else(|| source.to_string(), |s| s.to_string_lossy().into_owned());
    parse_text(text, source, &stem)
}

/// Parses letter text; `stem` is the letter id when the text has no case number.
pub fn parse_text(text: &str, source: &str, stem: &str) -> Result<Letter> {
    let fail = |reason: String| Error::parse(source, reason);
    let issues = regex!(r"(?i)IMR\s+ISSUES\s*,\s*DECISIONS\s+AND\s+RATIONALES")
        .find(text)
        .ok_or_else(|| fail("no \"IMR ISSUES, DECISIONS AND RATIONALES\" section: not an IMR determination letter".into()))?;
    let how = regex!(r"(?i)HOW\s+THE\s+IMR\s+FINAL\s+DETERMINATION\s+WAS\s+MADE")
        .find(&text[..issues.start()]);
    let clinical = regex!(r"(?i)CLINICAL\s+CASE\s+SUMMARY").find(&text[..issues.start()]);

    let header_end = how
        .map(|m| m.start())
        .or(clinical.map(|m| m.start()))
        .unwrap_or(0);
    let mut header = header::parse_header(&text[..header_end]);

    let reviewer_block = match (how, clinical) {
        (Some(h), Some(c)) if c.start() > h.end() => &text[h.end()..c.start()],
        (Some(h), None) => &text[h.end()..issues.start()],
        _ => "",
    };
    let (licensure, specialty) = reviewer::parse_reviewer(reviewer_block);

    let summary_raw = clinical.map_or("", |c| &text[c.end()..issues.start()]);
    let summary = text::join_lines(text::lines(summary_raw).iter().map(|l| l.text));
    let summary = regex!(r"(?i)^the expert reviewer developed the following clinical case summary based on a review of the case file, including all medical records:\s*")
        .replace(&summary, "")
        .into_owned();
    if header.date_of_injury.is_none() {
        header.date_of_injury = summary::date_of_injury(&summary);
    }

    // Items start after "... set forth below:" when the letter says it.
    let section = &text[issues.end()..];
    let section = regex!(r"(?i)set\s+forth\s+below\s*:")
        .find(section)
        .map_or(section, |m| &section[m.end()..]);
    let lines = text::lines(section);
    let raw_items = items::parse_items(&lines).map_err(fail)?;

    let lexicon = Lexicon::get();
    let items = raw_items
        .into_iter()
        .map(|raw| {
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
        })
        .collect();

    let layout = if header.case_number.is_some() {
        Layout::Header2016
    } else {
        Layout::NoHeader2014
    };
    let letter_id = header
        .case_number
        .clone()
        .unwrap_or_else(|| stem.to_string());
    Ok(Letter {
        letter_id,
        source: source.to_string(),
        patient_age: summary::patient_age(&summary),
        patient_sex: summary::patient_sex(&summary),
        header,
        licensure,
        specialty,
        summary,
        items,
        layout,
        whole: false,
    })
}
