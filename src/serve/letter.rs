//! The item and letter view: the whole letter as the index holds it (header facts, the
//! clinical case summary, each disputed item with its guidelines and rationale), the item
//! asked for highlighted, links to the letter's other items.

use super::html::{badge, esc, page, paragraphs, segment};
use super::{html_page, Failure, Shared};
use crate::output::results::{brief_date, guideline_text, page_ranges};
use crate::record::Item;
use axum::extract::{Path, State};
use axum::response::Response;
use std::fmt::Write;
use std::sync::Arc;

/// `/item/ID`: the item's letter, that item highlighted.
pub async fn item(State(s): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    view(s, id).await
}

/// `/letter/ID`: the whole letter.
pub async fn letter(State(s): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    view(s, id).await
}

async fn view(s: Arc<Shared>, id: String) -> Response {
    html_page(move || render(&s, &id)).await
}

fn render(s: &Shared, id: &str) -> Result<String, Failure> {
    let id = id.trim();
    let (letter_id, index) = crate::index::document::split_item_id(id);
    let index = index
        .map(|n| n.parse::<u32>())
        .transpose()
        .map_err(|_| crate::Error::NoSuchItem { id: id.to_string() })?;
    let items = s.engine().items(letter_id)?;
    if let Some(n) = index {
        if !items.iter().any(|i| i.item_index == n) {
            return Err(crate::Error::NoSuchItem { id: id.to_string() }.into());
        }
    }
    let Some(first) = items.first() else {
        return Err(crate::Error::NoSuchItem { id: id.to_string() }.into());
    };
    let name = first.case_number.as_deref().map_or_else(
        || format!("IMR letter {}", first.letter_id),
        |c| format!("IMR Case No. {c}"),
    );
    let mut b = String::new();
    b.push_str("<div class=\"layout\"><aside class=\"facts\">");
    facts(&mut b, first, &items, index);
    b.push_str("</aside><main class=\"letter\">");
    let _ = write!(b, "<h1>{}</h1>", esc(&name));
    if !first.summary.trim().is_empty() {
        let _ = write!(
            b,
            "<section class=\"case-summary\"><h2>Clinical case summary</h2>{}</section>",
            paragraphs(&first.summary)
        );
    }
    for i in &items {
        block(&mut b, i, index == Some(i.item_index));
    }
    b.push_str("</main></div>");
    Ok(page(&format!("imr: {name}"), "", &[], &b))
}

/// The header facts and the letter's items, as a side panel.
fn facts(b: &mut String, first: &Item, items: &[Item], current: Option<u32>) {
    b.push_str("<h2>Case</h2><dl>");
    let mut fact = |k: &str, v: String| {
        if !v.is_empty() {
            let _ = write!(b, "<dt>{}</dt><dd>{}</dd>", esc(k), esc(&v));
        }
    };
    let date = |d: &Option<String>| {
        d.as_deref()
            .map(|d| brief_date(Some(d)))
            .unwrap_or_default()
    };
    fact("Case number", first.case_number.clone().unwrap_or_default());
    fact("Decided", date(&first.decision_date));
    fact("Assigned", date(&first.date_assigned));
    fact("Application received", date(&first.application_received));
    fact("UR denial", date(&first.ur_denial_date));
    fact("Date of injury", date(&first.date_of_injury));
    fact("Priority", first.priority.clone().unwrap_or_default());
    fact("Reviewer specialty", first.specialty.join("; "));
    fact("Licensure", first.licensure.join("; "));
    let patient = match (first.patient_age, first.patient_sex) {
        (Some(a), Some(s)) => format!(
            "{a}, {}",
            serde_json::to_value(s)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default()
        ),
        (Some(a), None) => a.to_string(),
        _ => String::new(),
    };
    fact("Patient", patient);
    fact("Source", first.source.clone());
    let _ = write!(b, "</dl><h2>Items</h2><ol class=\"items\">");
    for i in items {
        let id = crate::index::document::item_id(&i.letter_id, i.item_index);
        let class = if current == Some(i.item_index) {
            " class=\"current\""
        } else {
            ""
        };
        let _ = write!(
            b,
            "<li{class}><a href=\"/item/{}#item-{}\">{}</a> {}</li>",
            segment(&id),
            i.item_index,
            esc(&i.item),
            badge(i.decision)
        );
    }
    let _ = write!(
        b,
        "</ol><p><a href=\"/letter/{}\">The whole letter</a> · <a href=\"/api/show/{}\">JSON</a></p>",
        segment(&first.letter_id),
        segment(&first.letter_id)
    );
}

/// One disputed item's block, with a link to the decisions like it.
fn block(b: &mut String, i: &Item, current: bool) {
    let id = crate::index::document::item_id(&i.letter_id, i.item_index);
    let _ = write!(
        b,
        "<section id=\"item-{n}\" class=\"item{}\"><h2>Item {n}: {} {}</h2>\
         <p class=\"like\"><a href=\"/similar?id={}\">Decisions like this one</a></p>",
        if current { " current" } else { "" },
        esc(&i.item),
        badge(i.decision),
        segment(&id),
        n = i.item_index
    );
    if let Some(o) = &i.original_request {
        let _ = write!(b, "<p class=\"original\">{}</p>", esc(o));
    }
    b.push_str("<dl class=\"what\">");
    let mut fact = |k: &str, v: String| {
        if !v.is_empty() {
            let _ = write!(b, "<dt>{}</dt><dd>{}</dd>", esc(k), esc(&v));
        }
    };
    let drugs: Vec<String> = i
        .medications
        .iter()
        .map(|m| format!("{} ({})", m.generic, m.class))
        .collect();
    fact("Drug", drugs.join("; "));
    let t = &i.treatment;
    fact("Treatment", t.treatment.clone().unwrap_or_default());
    let dwc = [t.dwc_category.as_deref(), t.dwc_subcategory.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" → ");
    fact("DWC category", dwc);
    fact("Region", t.regions.join("; "));
    fact("Guideline", guideline_text(i));
    fact("MTUS pages", page_ranges(&i.mtus_pages));
    b.push_str("</dl>");
    let mut text = |title: &str, body: &str| {
        if !body.trim().is_empty() {
            let _ = write!(b, "<h3>{}</h3>{}", esc(title), paragraphs(body));
        }
    };
    text(
        "Claims administrator guideline",
        &i.claims_administrator_guideline,
    );
    text("MAXIMUS guideline", &i.maximus_guideline);
    text("Decision rationale", &i.rationale);
    b.push_str("</section>");
}
