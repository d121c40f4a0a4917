//! `Item` → tantivy document: the only place that knows how a record maps onto fields.

use super::facets::FACETS;
use super::schema::Fields;
use crate::lexicon::Lexicon;
use crate::record::Item;
use tantivy::{DateTime, TantivyDocument};

/// The document id of an item: "<letter_id>#<item_index>".
pub fn item_id(letter_id: &str, item_index: u32) -> String {
    format!("{letter_id}#{item_index}")
}

/// An id as typed, split the way [`item_id`] joins it: "CM16-0213037#2" → ("CM16-0213037",
/// Some("2")); a letter id alone → (it, None). The index part is not checked to be a number.
pub fn split_item_id(id: &str) -> (&str, Option<&str>) {
    match id.split_once('#') {
        Some((letter, index)) => (letter, Some(index)),
        None => (id, None),
    }
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

/// The ISO date of a day count since 1970-01-01 (Howard Hinnant's civil-from-days): the
/// inverse of [`iso_to_datetime`], for dates read back from the index.
pub fn days_to_iso(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
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

    if let Some(m) = &item.medication {
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
    for (facet, field) in FACETS.iter().zip(f.facets) {
        for path in (facet.paths)(item) {
            doc.add_facet(field, path);
        }
    }
    for p in &item.mtus_pages {
        doc.add_u64(f.mtus_pages, u64::from(*p));
    }
    if let Some(d) = item.decision_date.as_deref() {
        if let Some(dt) = iso_to_datetime(d) {
            doc.add_date(f.decision_date, dt);
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
    fn days_back_to_dates() {
        for iso in [
            "1970-01-01",
            "2000-02-29",
            "2000-03-01",
            "2016-12-09",
            "2017-02-28",
        ] {
            let days = iso_to_datetime(iso).unwrap().into_timestamp_secs() / 86_400;
            assert_eq!(days_to_iso(days), iso);
        }
        assert_eq!(days_to_iso(18_000), "2019-04-14");
    }
}
