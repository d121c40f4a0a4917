//! The JSON contracts other tools depend on, as typed structs: `imr search --format json`,
//! `imr precedents --format json`, `imr facets --format json`, `imr similar --format json`. README.md documents them;
//! fields are only ever added, never renamed or removed. The web server's `/api/...`
//! answers serialize these same structs, so both speak one contract.

use super::precedents::group::Entry;
use super::precedents::summary::Summary;
use super::precedents::PrecedentList;
use super::results::guideline_text;
use crate::record::{Citation, Decision, Medication};
use crate::search::{Browse, FacetGroup, Hit, Node, Odds, SearchResults, Similar, Snippet};
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

/// One hit of `imr search --format json` (and one line of `--format jsonl`).
#[derive(Debug, Serialize)]
pub struct HitJson<'a> {
    pub id: &'a str,
    pub letter_id: &'a str,
    pub case_number: Option<&'a str>,
    pub item_index: u32,
    pub item: &'a str,
    pub decision: Decision,
    pub medication: Option<&'a Medication>,
    pub category: crate::record::Category,
    /// Every drug (each ingredient of a compound).
    pub medications: &'a [Medication],
    /// Treatment, DWC category and subcategory, region(s), laterality.
    #[serde(flatten)]
    pub treatment: &'a crate::record::TreatmentInfo,
    pub mtus_pages: &'a [u32],
    pub guidelines: &'a [Citation],
    pub specialty: &'a [String],
    pub decision_date: Option<&'a str>,
    pub score: f64,
    /// HTML-safe, matches in `<b>`.
    pub snippet: Option<String>,
    pub snippet_field: Option<&'static str>,
    pub key_sentence: &'a str,
    pub source: &'a str,
    /// The guideline rule the key sentence applies, where the rationale states one.
    pub rule_sentence: Option<&'a str>,
    /// A whole-letter record (its items could not be split); absent otherwise.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub whole: bool,
}

impl<'a> HitJson<'a> {
    pub fn new(h: &'a Hit) -> HitJson<'a> {
        let i = &h.item;
        HitJson {
            id: &h.id,
            letter_id: &i.letter_id,
            case_number: i.case_number.as_deref(),
            item_index: i.item_index,
            item: &i.item,
            decision: i.decision,
            medication: i.medication.as_ref(),
            category: i.category,
            medications: &i.medications,
            treatment: &i.treatment,
            mtus_pages: &i.mtus_pages,
            guidelines: &i.guidelines,
            specialty: &i.specialty,
            decision_date: i.decision_date.as_deref(),
            score: f64::from(h.score),
            snippet: h.snippet.as_ref().map(Snippet::html),
            snippet_field: h.snippet.as_ref().map(|s| s.field),
            key_sentence: &h.key_sentence.text,
            source: &i.source,
            rule_sentence: h.rule_sentence.as_ref().map(|s| s.text.as_str()),
            whole: i.whole,
        }
    }
}

/// Facet groups as one object: group name → its values, in display order.
#[derive(Debug)]
pub struct FacetsJson<'a>(pub &'a [FacetGroup]);

impl Serialize for FacetsJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for g in self.0 {
            m.serialize_entry(g.name, &g.values)?;
        }
        m.end()
    }
}

/// `imr search --format json`.
#[derive(Debug, Serialize)]
pub struct SearchJson<'a> {
    pub query: &'a str,
    pub interpreted: &'a str,
    pub total: usize,
    pub offset: usize,
    pub sort: &'static str,
    pub relaxed: bool,
    pub note: Option<&'a str>,
    pub hits: Vec<HitJson<'a>>,
    pub facets: FacetsJson<'a>,
}

impl<'a> SearchJson<'a> {
    pub fn new(r: &'a SearchResults) -> SearchJson<'a> {
        SearchJson {
            query: &r.query,
            interpreted: &r.interpreted,
            total: r.total,
            offset: r.offset,
            sort: r.sort.as_str(),
            relaxed: r.relaxed,
            note: r.note.as_deref(),
            hits: r.hits.iter().map(HitJson::new).collect(),
            facets: FacetsJson(&r.facets),
        }
    }
}

/// One entry of `imr precedents --format json`. With `--group` an entry may stand for
/// several near-identical items of one letter: its fields are the first item's, `items`
/// lists every item it stands for, and `citation` names them all. `citation` is the line
/// every format prints, the reviewer's specialty included.
#[derive(Debug, Serialize)]
pub struct PrecedentJson<'a> {
    pub no: usize,
    pub id: &'a str,
    pub case_number: Option<&'a str>,
    pub letter_id: &'a str,
    pub decision_date: Option<&'a str>,
    pub item: &'a str,
    pub decision: Decision,
    pub guideline: String,
    pub citation: String,
    pub key_sentence: &'a str,
    pub rule_sentence: Option<&'a str>,
    /// The reviewer's specialties, and the file the letter was read from.
    pub specialty: &'a [String],
    pub source: &'a str,
    /// Every item the entry stands for (one, unless grouped).
    pub items: Vec<EntryItemJson<'a>>,
}

/// One item of a precedent entry.
#[derive(Debug, Serialize)]
pub struct EntryItemJson<'a> {
    pub id: &'a str,
    pub item_index: u32,
    pub item: &'a str,
}

impl<'a> PrecedentJson<'a> {
    pub fn new(no: usize, e: &Entry<'a>) -> PrecedentJson<'a> {
        let h = e.lead();
        let i = &h.item;
        PrecedentJson {
            no,
            id: &h.id,
            case_number: i.case_number.as_deref(),
            letter_id: &i.letter_id,
            decision_date: i.decision_date.as_deref(),
            item: &i.item,
            decision: i.decision,
            guideline: guideline_text(i),
            citation: crate::output::precedents::citation_with_reviewer(e),
            key_sentence: &h.key_sentence.text,
            rule_sentence: h.rule_sentence.as_ref().map(|s| s.text.as_str()),
            specialty: &i.specialty,
            source: &i.source,
            items: e
                .hits
                .iter()
                .map(|h| EntryItemJson {
                    id: &h.id,
                    item_index: h.item.item_index,
                    item: &h.item.item,
                })
                .collect(),
        }
    }
}

/// `imr precedents --format json`.
#[derive(Debug, Serialize)]
pub struct PrecedentsJson<'a> {
    pub query: &'a str,
    pub interpreted: &'a str,
    pub total: usize,
    pub precedents: Vec<PrecedentJson<'a>>,
    /// `relevance`, `date` (newest first) or `oldest`.
    pub sort: &'static str,
    pub grouped: bool,
    /// The tally of every matching item, not only the entries listed.
    pub summary: &'a Summary,
}

impl<'a> PrecedentsJson<'a> {
    pub fn new(list: &'a PrecedentList, precedents: Vec<PrecedentJson<'a>>) -> Self {
        let r = &list.results;
        PrecedentsJson {
            query: &r.query,
            interpreted: &r.interpreted,
            total: r.total,
            precedents,
            sort: r.sort.as_str(),
            grouped: list.group,
            summary: &list.summary,
        }
    }
}

/// `imr facets --format json`.
#[derive(Debug, Serialize)]
pub struct BrowseJson<'a> {
    pub field: &'static str,
    pub root: String,
    pub query: &'a str,
    pub interpreted: &'a str,
    pub total: usize,
    pub values: &'a [Node],
}

impl<'a> BrowseJson<'a> {
    pub fn new(b: &'a Browse) -> BrowseJson<'a> {
        BrowseJson {
            field: crate::index::facets::FACETS[b.facet].name,
            root: b.root.to_path_string(),
            query: &b.query,
            interpreted: &b.interpreted,
            total: b.total,
            values: &b.nodes,
        }
    }
}

/// The decisions among the closest items, in `imr similar --format json`.
#[derive(Debug, Serialize)]
pub struct OddsJson {
    /// The closest 20 or 50.
    pub window: usize,
    /// Items counted: fewer than `window` when fewer were there to compare.
    pub compared: usize,
    pub overturned: usize,
    pub upheld: usize,
    /// `overturned / compared`, null when nothing was compared.
    pub overturned_share: Option<f64>,
    /// How many share the treatment (and the drug, where there is one); null when no
    /// treatment was recognised.
    pub alike: Option<usize>,
}

impl OddsJson {
    pub fn new(o: &Odds) -> OddsJson {
        OddsJson {
            window: o.window,
            compared: o.compared,
            overturned: o.overturned,
            upheld: o.upheld(),
            overturned_share: o.share(),
            alike: o.alike,
        }
    }
}

/// What `imr similar` compared with: an indexed item, or what a text was read as.
#[derive(Debug, Serialize)]
pub struct SimilarToJson<'a> {
    /// The item's id, null for a text.
    pub id: Option<String>,
    /// The item's name, or the words of the text its item was read from (null when the
    /// text names no treatment or drug).
    pub item: Option<&'a str>,
    /// The item's decision (null for a text: that is the question).
    pub decision: Option<Decision>,
    pub treatment: Option<&'a str>,
    /// The generic names of its drugs, the primary first.
    pub medications: Vec<&'a str>,
    pub regions: &'a [String],
    pub dwc_subcategory: Option<&'a str>,
    /// The reasoning's words compared, most distinctive first.
    pub words: &'a [String],
    /// Other items the text names, not compared (a text only).
    pub others: &'a [String],
}

/// `imr similar --format json`: what was compared, the odds among the closest items, then
/// the neighbours as `imr search --format json` gives hits.
#[derive(Debug, Serialize)]
pub struct SimilarJson<'a> {
    pub similar_to: SimilarToJson<'a>,
    pub odds: Vec<OddsJson>,
    /// Every item of the same treatment (and drug), under the same filters: null when no
    /// treatment was recognised.
    pub base_rate: Option<BaseRateJson>,
    #[serde(flatten)]
    pub results: SearchJson<'a>,
}

/// [`crate::search::BaseRate`] with its share.
#[derive(Debug, Serialize)]
pub struct BaseRateJson {
    pub items: usize,
    pub overturned: usize,
    pub upheld: usize,
    /// `overturned / items`, null when no item is alike.
    pub overturned_share: Option<f64>,
}

impl<'a> SimilarJson<'a> {
    pub fn new(s: &'a Similar) -> SimilarJson<'a> {
        let p = &s.profile;
        SimilarJson {
            similar_to: SimilarToJson {
                id: s
                    .of
                    .as_ref()
                    .map(|i| crate::index::document::item_id(&i.letter_id, i.item_index)),
                item: s
                    .of
                    .as_ref()
                    .map(|i| i.item.as_str())
                    .or(s.read_from.as_deref()),
                decision: s.of.as_ref().map(|i| i.decision),
                treatment: p.treatment.as_deref(),
                medications: p.medications.iter().map(|m| m.generic.as_str()).collect(),
                regions: &p.regions,
                dwc_subcategory: p.dwc_subcategory.as_deref(),
                words: &s.words,
                others: &s.others,
            },
            odds: s.odds.iter().map(OddsJson::new).collect(),
            base_rate: s.base.map(|b| BaseRateJson {
                items: b.items,
                overturned: b.overturned,
                upheld: b.upheld(),
                overturned_share: b.share(),
            }),
            results: SearchJson::new(&s.results),
        }
    }
}
