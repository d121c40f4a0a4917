//! The precedent list of the current search: a page to read, and downloads in the CLI's
//! formats (Markdown, CSV, JSON) written by `imr precedents`' own writer.

use super::html::{badge, esc, page, segment};
use super::params::Params;
use super::{blocking, Failure, Html, Shared};
use crate::output::precedents::write_precedents;
use crate::output::results::citation_line;
use crate::output::Format;
use crate::search::SearchResults;
use axum::extract::{RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use std::fmt::Write;
use std::sync::Arc;

/// The search behind a precedent list: `imr precedents`' defaults (25, no facet counts).
pub fn results(s: &Shared, raw: Option<&str>) -> Result<SearchResults, Failure> {
    let p = Params::parse(raw)?;
    let req = crate::search::SearchRequest {
        facets: false,
        ..p.search_request(25)?
    };
    Ok(s.engine().search(&req)?)
}

/// `/precedents?...`: the list to read, with its download links.
pub async fn view(State(s): State<Arc<Shared>>, RawQuery(q): RawQuery) -> Response {
    blocking(move || match render(&s, q.as_deref()) {
        Ok(h) => Html(h).into_response(),
        Err(f) => f.page(),
    })
    .await
}

fn render(s: &Shared, raw: Option<&str>) -> Result<String, Failure> {
    let p = Params::parse(raw)?;
    let r = results(s, raw)?;
    let mut b = String::new();
    let _ = write!(
        b,
        "<main class=\"precedents\"><h1>Precedents: {}</h1>\
         <p class=\"summary\">{} of {} matching items ({})</p><nav class=\"tools\">\
         <a href=\"{}\">Back to the search</a> · Download: \
         <a href=\"{}\">Markdown</a> <a href=\"{}\">CSV</a> <a href=\"{}\">JSON</a></nav><ol start=\"{}\">",
        esc(if r.query.is_empty() { "all items" } else { &r.query }),
        r.hits.len(),
        r.total,
        esc(&r.interpreted),
        esc(&p.href("/")),
        esc(&p.href("/precedents.md")),
        esc(&p.href("/precedents.csv")),
        esc(&p.href("/precedents.json")),
        r.offset + 1
    );
    for h in &r.hits {
        let _ = write!(
            b,
            "<li>{} <a href=\"/item/{}\">{}</a>",
            badge(h.item.decision),
            segment(&h.id),
            esc(&citation_line(h))
        );
        if let Some(rule) = &h.rule_sentence {
            let _ = write!(
                b,
                "<blockquote class=\"rule\">Rule: “{}”</blockquote>",
                rule.html()
            );
        }
        let _ = write!(
            b,
            "<blockquote>“{}”</blockquote></li>",
            h.key_sentence.html()
        );
    }
    b.push_str("</ol></main>");
    Ok(page("imr: precedents", p.query(), &p.kept_by_form(), &b))
}

async fn download(s: Arc<Shared>, raw: Option<String>, format: Format) -> Response {
    let (ctype, name) = match format {
        Format::Csv => ("text/csv; charset=utf-8", "precedents.csv"),
        Format::Json => (super::JSON, "precedents.json"),
        _ => ("text/markdown; charset=utf-8", "precedents.md"),
    };
    blocking(move || {
        let body = results(&s, raw.as_deref()).and_then(|r| {
            let mut out = Vec::new();
            write_precedents(&mut out, &r, format).map_err(|e| Failure {
                status: 500,
                message: e.to_string(),
            })?;
            Ok(out)
        });
        match body {
            Ok(b) => (
                [
                    (header::CONTENT_TYPE, ctype.to_string()),
                    (
                        header::CONTENT_DISPOSITION,
                        format!("attachment; filename=\"{name}\""),
                    ),
                ],
                b,
            )
                .into_response(),
            Err(f) if format == Format::Json => f.json(),
            Err(f) => f.page(),
        }
    })
    .await
}

pub async fn markdown(State(s): State<Arc<Shared>>, RawQuery(q): RawQuery) -> Response {
    download(s, q, Format::Md).await
}

pub async fn csv(State(s): State<Arc<Shared>>, RawQuery(q): RawQuery) -> Response {
    download(s, q, Format::Csv).await
}

pub async fn json(State(s): State<Arc<Shared>>, RawQuery(q): RawQuery) -> Response {
    download(s, q, Format::Json).await
}
