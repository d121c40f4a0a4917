//! `Item` → tantivy document: the only place that knows how a record maps onto fields.

use super::schema::Fields;
use crate::letter::{Citation, Item};
use crate::lexicon::Lexicon;
use tantivy::schema::Facet;
use tantivy::{DateTime, TantivyDocument};

/// The document id of an item: "<letter_id>#<item_index>".
pub fn item_id(letter_id: &str, item_index: u32) -> String {
    format!("{letter_id}#{item_index}")
}

/// Facet path step for a free-text value: trimmed, first letter upper-cased so "Physical
/// medicine treatment" and "Physical Medicine treatment" count together.
pub fn facet_step(s: &str) -> String {
    let s = s.trim();
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => "(none)".to_string(),
    }
}

/// The section step used for a citation's pages when it names no section.
pub const NO_SECTION: &str = "(no section)";

/// Facet paths for one citation: /guideline/<source>/<document>/<section>[/<page>].
pub fn guideline_facets(c: &Citation) -> Vec<Facet> {
    let base = [
        "guideline".to_string(),
        c.source.as_str().to_string(),
        facet_step(&c.document),
    ];
    let mut out = Vec::new();
    if c.sections.is_empty() {
        out.push(Facet::from_path(base.iter()));
    }
    let sections: Vec<String> = if c.sections.is_empty() {
        if c.pages.is_empty() {
            Vec::new()
        } else {
            vec![NO_SECTION.to_string()]
        }
    } else {
        c.sections.iter().map(|s| facet_step(s)).collect()
    };
    for s in &sections {
        if s != NO_SECTION {
            out.push(Facet::from_path(base.iter().chain([s])));
        }
        for p in &c.pages {
            out.push(Facet::from_path(base.iter().chain([s, &p.to_string()])));
        }
    }
    out
}

/// Days since 1970-01-01 of an ISO date (Howard Hinnant's civil-from-days inverse).
pub fn iso_to_datetime(iso: &str) -> Option<DateTime> {
    let mut parts = iso.splitn(3, '-').map(|p| p.parse::<i64>());
    let (y, m, d) = (
        parts.next()?.ok()?,
        parts.next()?.ok()?,
        parts.next()?.ok()?,
    );
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(DateTime::from_timestamp_secs(days * 86_400))
}

/// Builds the document for one item. `record` is the item's stored JSON.
///
/// The summary is the same on every item of a letter: the indexing analyzer remembers the
/// last text it analyzed (`tokenizer::Memo`), and a letter's items are added as one batch
/// to one indexing thread, so it is analyzed once per letter.
pub fn to_document(f: &Fields, item: &Item) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    doc.add_text(f.id, item_id(&item.letter_id, item.item_index));
    doc.add_text(f.letter_id, &item.letter_id);
    if let Some(c) = &item.case_number {
        doc.add_text(f.case_number, c);
    }
    doc.add_text(f.source, &item.source);
    doc.add_u64(f.item_index, u64::from(item.item_index));
    doc.add_text(f.item, &item.item);
    doc.add_text(f.text, &item.item);
    if let Some(o) = &item.original_request {
        doc.add_text(f.item, o);
        doc.add_text(f.text, o);
    }
    doc.add_text(f.text, &item.maximus_guideline);
    doc.add_text(f.text, &item.claims_administrator_guideline);
    doc.add_text(f.text, &item.rationale);
    doc.add_text(f.summary, &item.summary);

    doc.add_facet(
        f.decision,
        Facet::from_path(["decision", item.decision.as_str()]),
    );
    doc.add_facet(
        f.category,
        Facet::from_path(["category", item.category.as_str()]),
    );
    if let Some(m) = &item.medication {
        doc.add_facet(
            f.medication,
            Facet::from_path(["medication", &m.class, &m.generic]),
        );
        let mut words = format!("{} {} {}", m.name, m.generic.replace('/', " "), m.class);
        if let Some(drug) = Lexicon::get().drug(&m.generic) {
            for n in &drug.names {
                words.push(' ');
                words.push_str(n);
            }
        }
        doc.add_text(f.text, &words);
        doc.add_text(f.drug, words);
    }
    let mut facets: Vec<Facet> = item.guidelines.iter().flat_map(guideline_facets).collect();
    facets.sort();
    facets.dedup();
    for facet in facets {
        doc.add_facet(f.guideline, facet);
    }
    for s in &item.specialty {
        doc.add_facet(f.specialty, Facet::from_path(["specialty", s.as_str()]));
    }
    for p in &item.mtus_pages {
        doc.add_u64(f.mtus_pages, u64::from(*p));
    }
    if let Some(d) = item.decision_date.as_deref() {
        if let Some(dt) = iso_to_datetime(d) {
            doc.add_date(f.decision_date, dt);
        }
        if let (Some(y), Some(m)) = (d.get(..4), d.get(5..7)) {
            doc.add_facet(f.decided, Facet::from_path(["decided", y, m]));
        }
    }
    if let Some(dt) = item.date_of_injury.as_deref().and_then(iso_to_datetime) {
        doc.add_date(f.date_of_injury, dt);
    }
    if let Some(a) = item.patient_age {
        doc.add_u64(f.patient_age, u64::from(a));
    }
    doc.add_text(f.record, record_json(item));
    doc
}

/// The stored JSON of an item; the summary only on a letter's first item.
pub fn record_json(item: &Item) -> String {
    if item.item_index == 1 {
        serde_json::to_string(item)
    } else {
        let mut lean = item.clone();
        lean.summary.clear();
        serde_json::to_string(&lean)
    }
    .expect("an Item always serializes")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::letter::GuidelineSource;

    #[test]
    fn dates_to_days() {
        assert_eq!(
            iso_to_datetime("1970-01-02").unwrap().into_timestamp_secs(),
            86_400
        );
        assert_eq!(
            iso_to_datetime("2016-12-09").unwrap().into_timestamp_secs(),
            1_481_241_600
        );
        assert_eq!(
            iso_to_datetime("2000-03-01").unwrap().into_timestamp_secs(),
            951_868_800
        );
    }

    #[test]
    fn guideline_facet_paths() {
        let c = Citation {
            source: GuidelineSource::Mtus,
            document: "Chronic Pain Medical Treatment Guidelines".into(),
            year: None,
            sections: vec!["Opioids".into()],
            pages: vec![80, 81],
        };
        let paths: Vec<String> = guideline_facets(&c).iter().map(|f| f.to_string()).collect();
        assert_eq!(
            paths,
            [
                "/guideline/MTUS/Chronic Pain Medical Treatment Guidelines/Opioids",
                "/guideline/MTUS/Chronic Pain Medical Treatment Guidelines/Opioids/80",
                "/guideline/MTUS/Chronic Pain Medical Treatment Guidelines/Opioids/81",
            ]
        );
        let bare = Citation {
            sections: vec![],
            pages: vec![46],
            ..c
        };
        let paths: Vec<String> = guideline_facets(&bare)
            .iter()
            .map(|f| f.to_string())
            .collect();
        assert_eq!(
            paths,
            [
                "/guideline/MTUS/Chronic Pain Medical Treatment Guidelines",
                "/guideline/MTUS/Chronic Pain Medical Treatment Guidelines/(no section)/46",
            ]
        );
    }
}
