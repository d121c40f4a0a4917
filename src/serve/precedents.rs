//! The precedent list of the current search: a page to read, and downloads in the CLI's
//! formats (Markdown, Word, CSV, JSON) written by `imr precedents`' own writer.

use super::html::{badge, esc, page, segment};
use super::params::Params;
use super::{blocking, html_page, Failure, Shared};
use crate::output::precedents::{
    citation_with_reviewer, write_precedents, ListFormat, PrecedentList,
};
use axum::extract::{RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use std::fmt::Write;
use std::sync::Arc;

/// The precedent list of a search: `imr precedents`' defaults (25 entries) and its request,
/// so the JSON equals the CLI's; `group=1` groups near-identical items as `--group` does.
pub fn results(s: &Shared, raw: Option<&str>) -> Result<PrecedentList, Failure> {
    let p = Params::parse(raw)?;
    let req = PrecedentList::request(p.search_request(25)?);
    let group = p.get("group").is_some_and(|v| v != "0" && v != "false");
    Ok(PrecedentList::build(&s.engine(), req, group)?)
}

/// `/precedents?...`: the list to read, with its download links.
pub async fn view(State(s): State<Arc<Shared>>, RawQuery(q): RawQuery) -> Response {
    html_page(move || render(&s, q.as_deref())).await
}

fn render(s: &Shared, raw: Option<&str>) -> Result<String, Failure> {
    let p = Params::parse(raw)?;
    let list = results(s, raw)?;
    let r = &list.results;
    let entries = list.entries();
    let mut b = String::new();
    let _ = write!(
        b,
        "<main class=\"precedents\"><h1>Precedents: {}</h1>\
         <p class=\"summary\"><strong>{}</strong>. {}</p><nav class=\"tools\">\
         <a href=\"{}\">Back to the search</a> · Download: \
         <a href=\"{}\">Markdown</a> <a href=\"{}\">Word</a> <a href=\"{}\">CSV</a> \
         <a href=\"{}\">JSON</a></nav><ol start=\"{}\">",
        esc(if r.query.is_empty() {
            "all items"
        } else {
            &r.query
        }),
        esc(&list.summary.text),
        esc(&list.summary.counted),
        esc(&p.href("/")),
        esc(&p.href("/precedents.md")),
        esc(&p.href("/precedents.docx")),
        esc(&p.href("/precedents.csv")),
        esc(&p.href("/precedents.json")),
        r.offset + 1
    );
    for e in &entries {
        let h = e.lead();
        let _ = write!(
            b,
            "<li>{} <a href=\"/item/{}\">{}</a>",
            badge(h.item.decision),
            segment(&h.id),
            esc(&citation_with_reviewer(e))
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

async fn download(s: Arc<Shared>, raw: Option<String>, format: ListFormat) -> Response {
    let (ctype, name) = match format {
        ListFormat::Csv => ("text/csv; charset=utf-8", "precedents.csv"),
        ListFormat::Json | ListFormat::Jsonl => (super::JSON, "precedents.json"),
        ListFormat::Docx => (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "precedents.docx",
        ),
        ListFormat::Md => ("text/markdown; charset=utf-8", "precedents.md"),
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
            Err(f) if format == ListFormat::Json => f.json(),
            Err(f) => f.page(),
        }
    })
    .await
}

pub async fn markdown(State(s): State<Arc<Shared>>, RawQuery(q): RawQuery) -> Response {
    download(s, q, ListFormat::Md).await
}

pub async fn docx(State(s): State<Arc<Shared>>, RawQuery(q): RawQuery) -> Response {
    download(s, q, ListFormat::Docx).await
}

pub async fn csv(State(s): State<Arc<Shared>>, RawQuery(q): RawQuery) -> Response {
    download(s, q, ListFormat::Csv).await
}

pub async fn json(State(s): State<Arc<Shared>>, RawQuery(q): RawQuery) -> Response {
    download(s, q, ListFormat::Json).await
}
