//! The record types: the contract between the parser and everything after it (lexicon,
//! index, search, output). They depend on nothing in the crate, so every module can use them
//! without an import cycle.
//!
//! `Letter` is what one determination letter says; `Item` is one disputed item flattened with
//! the letter fields a search result needs. The JSON shape of `Item` is the public `imr parse`
//! contract documented in README.md: rename nothing without bumping the schema version.

use serde::{Deserialize, Serialize};

/// Outcome of one disputed item. Letters only ever say "Upheld" or "Overturned" (or, in the
/// 2013 layouts, "is (not) medically necessary"); `Unknown` is the decision of a whole-letter
/// document, whose items could not be split: it is never counted as either outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Decision {
    /// The utilization-review denial stands: the treatment is not medically necessary.
    Upheld,
    /// The denial is reversed: the treatment is medically necessary.
    Overturned,
    /// A whole-letter document (`Item::whole`): the letter's decisions were not read.
    Unknown,
}

impl Decision {
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Upheld => "upheld",
            Decision::Overturned => "overturned",
            Decision::Unknown => "unknown",
        }
    }

    /// "upheld" or "overturned", any case (what a user can ask for; never `Unknown`).
    pub fn parse(s: &str) -> Option<Decision> {
        [Decision::Upheld, Decision::Overturned]
            .into_iter()
            .find(|d| d.as_str().eq_ignore_ascii_case(s.trim()))
    }
}

/// Which body of guidelines a citation comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum GuidelineSource {
    /// California's Medical Treatment Utilization Schedule (includes adopted ACOEM chapters).
    Mtus,
    /// Official Disability Guidelines (Work Loss Data Institute), always non-MTUS.
    Odg,
    /// ACOEM practice guidelines cited as non-MTUS (e.g. "ACOEM, 2nd Edition, (2004)").
    Acoem,
    /// Anything else: UpToDate, journal articles, URLs, FDA labels.
    Other,
}

impl GuidelineSource {
    pub fn as_str(self) -> &'static str {
        match self {
            GuidelineSource::Mtus => "MTUS",
            GuidelineSource::Odg => "ODG",
            GuidelineSource::Acoem => "ACOEM",
            GuidelineSource::Other => "Other",
        }
    }
}

/// One guideline cited in a `MAXIMUS guideline:` line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Citation {
    pub source: GuidelineSource,
    /// Canonical document name, e.g. "Chronic Pain Medical Treatment Guidelines",
    /// "Low Back Complaints", "Pain (Chronic)".
    pub document: String,
    /// Edition year where the letter gives one (2004, 2009, 2016).
    pub year: Option<u16>,
    /// Sections or topics, as written but tidied ("3.3.9 Opioids for Chronic Pain", "Opioids").
    pub sections: Vec<String>,
    /// Cited pages with ranges expanded, sorted and deduplicated; never the "of 127" page count.
    pub pages: Vec<u32>,
}

/// A medication recognised in an item, normalised through the drug lexicon.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Medication {
    /// The name as it appears in the item ("Norco", "Cyclobenzaprine").
    pub name: String,
    /// Lower-case generic, combined drugs joined by '/': "hydrocodone/acetaminophen".
    pub generic: String,
    /// Lower-case drug class: "opioid", "muscle relaxant", ...
    pub class: String,
    /// Strength as written, e.g. "10/325mg", "7.5mg", "5%".
    pub strength: Option<String>,
    /// Quantity from "#60" / "60 Flexeril", where written.
    pub quantity: Option<u32>,
}

/// Treatment category of an item; every item has exactly one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    Medication,
    Imaging,
    Injection,
    Therapy,
    Dme,
    Consultation,
    Surgery,
    Lab,
    Other,
}

impl Category {
    pub const ALL: [Category; 9] = [
        Category::Medication,
        Category::Imaging,
        Category::Injection,
        Category::Therapy,
        Category::Dme,
        Category::Consultation,
        Category::Surgery,
        Category::Lab,
        Category::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Medication => "medication",
            Category::Imaging => "imaging",
            Category::Injection => "injection",
            Category::Therapy => "therapy",
            Category::Dme => "dme",
            Category::Consultation => "consultation",
            Category::Surgery => "surgery",
            Category::Lab => "lab",
            Category::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Category> {
        Category::ALL
            .into_iter()
            .find(|c| c.as_str().eq_ignore_ascii_case(s.trim()))
    }
}

/// Which of DWC's letter templates a letter was written in, recognised by its anchors
/// (see ../shared/FORMAT.md). Every record carries it, and it is a facet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Layout {
    /// 2016 on: a header block (Case Number, Decision Date, ...) above the sections.
    #[default]
    #[serde(rename = "2016-header")]
    Header2016,
    /// 2014–15 (the seed letters): the same sections, no header block.
    #[serde(rename = "2014-no-header")]
    NoHeader2014,
    /// 2013: "Notice of Independent Medical Review Determination", items as a numbered list.
    #[serde(rename = "2013-notice")]
    Notice2013,
    /// Late 2013–2014: letterhead, then "IMR DECISION(S) AND RATIONALE(S)".
    #[serde(rename = "2013-decisions")]
    Decisions2013,
    /// The earliest 2013 letters: "MEDICAL PROFESSIONAL REVIEW", "ISSUE AT DISPUTE:".
    #[serde(rename = "2013-professional-review")]
    ProfessionalReview2013,
    /// Recognisably an IMR determination, in no layout we know.
    #[serde(rename = "unrecognised")]
    Unrecognised,
}

impl Layout {
    pub const ALL: [Layout; 6] = [
        Layout::Header2016,
        Layout::NoHeader2014,
        Layout::Notice2013,
        Layout::Decisions2013,
        Layout::ProfessionalReview2013,
        Layout::Unrecognised,
    ];

    /// The name in records, facets and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Layout::Header2016 => "2016-header",
            Layout::NoHeader2014 => "2014-no-header",
            Layout::Notice2013 => "2013-notice",
            Layout::Decisions2013 => "2013-decisions",
            Layout::ProfessionalReview2013 => "2013-professional-review",
            Layout::Unrecognised => "unrecognised",
        }
    }
}

/// Patient sex as stated in the clinical summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sex {
    Male,
    Female,
}

/// The letter-level facts, shared by all its items.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LetterHeader {
    /// "CM16-0213037" or "IMR 13-000004"; None for the seed-era letters without a header.
    pub case_number: Option<String>,
    /// ISO dates (YYYY-MM-DD).
    pub date_assigned: Option<String>,
    pub decision_date: Option<String>,
    pub date_of_injury: Option<String>,
    pub ur_denial_date: Option<String>,
    pub application_received: Option<String>,
    /// "Standard" or "Expedited".
    pub priority: Option<String>,
}

/// One parsed letter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Letter {
    /// Case number, else the file stem.
    pub letter_id: String,
    /// Where the text came from (the path as given).
    pub source: String,
    pub header: LetterHeader,
    /// States of licensure, e.g. ["California", "North Carolina"].
    pub licensure: Vec<String>,
    /// Canonical specialties, e.g. ["Preventive Medicine", "Occupational Medicine"].
    pub specialty: Vec<String>,
    pub patient_age: Option<u32>,
    pub patient_sex: Option<Sex>,
    pub summary: String,
    pub items: Vec<ItemDecision>,
    pub layout: Layout,
    /// Set when the letter's items could not be split: it is indexed as one whole-letter
    /// document (searchable by its full text) rather than dropped.
    pub whole: bool,
}

/// What one item block of a letter says, before it is flattened with its letter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemDecision {
    pub item: String,
    pub decision: Decision,
    pub medication: Option<Medication>,
    /// Every drug of the item: each ingredient of a compound; `medication` is the first.
    pub medications: Vec<Medication>,
    pub category: Category,
    pub treatment: TreatmentInfo,
    pub guidelines: Vec<Citation>,
    pub maximus_guideline: String,
    pub claims_administrator_guideline: String,
    pub rationale: String,
    /// The partial-approval preamble ("X was the original request. Y was authorized ..."),
    /// when the item is the IMR-eligible remainder of a larger request.
    pub original_request: Option<String>,
}

/// What an item is, beyond its drugs: DWC's Request Category and SubCategory (the names of
/// DWC's own decision search), a finer canonical treatment, the body region and the side.
/// Every field is None where the item does not say (see src/lexicon/treatments.toml).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TreatmentInfo {
    /// "MRI", "physical therapy", "epidural steroid injection", "medication".
    pub treatment: Option<String>,
    /// "Diagnostic Testing", "Rehabilitation", "Pharmaceuticals", ...
    pub dwc_category: Option<String>,
    /// "Imaging / Radiology", "Acupuncture", "Muscle Relaxant", "Topical Compounds", ...
    pub dwc_subcategory: Option<String>,
    /// "lumbar spine", "shoulder", "knee", ...: the first region written.
    pub region: Option<String>,
    /// Every region written, in order ("... for the lumbar and bilateral knees").
    pub regions: Vec<String>,
    /// "left", "right" or "bilateral".
    pub laterality: Option<String>,
}

/// One disputed item flattened with its letter: the `imr parse` JSON contract and what the
/// indexer consumes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item {
    pub letter_id: String,
    pub case_number: Option<String>,
    pub source: String,
    /// 1-based position of the item in its letter.
    pub item_index: u32,
    pub item: String,
    pub decision: Decision,
    pub medication: Option<Medication>,
    /// Every drug of the item (each ingredient of a compound); `medication` is the first.
    #[serde(default)]
    pub medications: Vec<Medication>,
    pub category: Category,
    /// Treatment, DWC category and subcategory, region, laterality (flattened into the JSON).
    #[serde(flatten)]
    pub treatment: TreatmentInfo,
    /// MTUS pages cited in the MAXIMUS line (union over MTUS citations), sorted.
    pub mtus_pages: Vec<u32>,
    pub guidelines: Vec<Citation>,
    pub maximus_guideline: String,
    pub claims_administrator_guideline: String,
    pub rationale: String,
    pub original_request: Option<String>,
    pub specialty: Vec<String>,
    pub licensure: Vec<String>,
    pub decision_date: Option<String>,
    pub date_assigned: Option<String>,
    pub date_of_injury: Option<String>,
    pub ur_denial_date: Option<String>,
    pub application_received: Option<String>,
    pub priority: Option<String>,
    pub patient_age: Option<u32>,
    pub patient_sex: Option<Sex>,
    pub summary: String,
    /// The letter's layout ("2016-header", "2013-notice", ...).
    #[serde(default)]
    pub layout: Layout,
    /// A whole-letter document: the letter's items could not be split.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub whole: bool,
}

impl Letter {
    /// Flattens the letter into one `Item` per disputed item, in letter order.
    pub fn into_items(self) -> Vec<Item> {
        let Letter {
            letter_id,
            source,
            header,
            licensure,
            specialty,
            patient_age,
            patient_sex,
            summary,
            items,
            layout,
            whole,
        } = self;
        items
            .into_iter()
            .enumerate()
            .map(|(i, d)| {
                let mut mtus_pages: Vec<u32> = d
                    .guidelines
                    .iter()
                    .filter(|c| c.source == GuidelineSource::Mtus)
                    .flat_map(|c| c.pages.iter().copied())
                    .collect();
                mtus_pages.sort_unstable();
                mtus_pages.dedup();
                Item {
                    letter_id: letter_id.clone(),
                    case_number: header.case_number.clone(),
                    source: source.clone(),
                    item_index: i as u32 + 1,
                    item: d.item,
                    decision: d.decision,
                    medication: d.medication,
                    medications: d.medications,
                    category: d.category,
                    treatment: d.treatment,
                    mtus_pages,
                    guidelines: d.guidelines,
                    maximus_guideline: d.maximus_guideline,
                    claims_administrator_guideline: d.claims_administrator_guideline,
                    rationale: d.rationale,
                    original_request: d.original_request,
                    specialty: specialty.clone(),
                    licensure: licensure.clone(),
                    decision_date: header.decision_date.clone(),
                    date_assigned: header.date_assigned.clone(),
                    date_of_injury: header.date_of_injury.clone(),
                    ur_denial_date: header.ur_denial_date.clone(),
                    application_received: header.application_received.clone(),
                    priority: header.priority.clone(),
                    patient_age,
                    patient_sex,
                    summary: summary.clone(),
                    layout,
                    whole,
                }
            })
            .collect()
    }
}
