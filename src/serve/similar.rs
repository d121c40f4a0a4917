//! Decisions like this one, in the browser: `/similar?id=ID` for an indexed item (linked from
//! every item on the letter page), and a form to paste the text of a UR denial or a request
//! (`POST /similar`), the odds among the closest decided items and over every item alike
//! printed first, as `imr similar` prints them. `/api/similar` answers as `imr similar
//! --format json`: `GET ?id=` for an item, `POST` with the text as the body.

use super::html::{esc, page};
use super::pages::hits;
use super::params::Params;
use super::{blocking, html_page, Failure, Shared};
use crate::output::similar::{base_line, odds_line, subject_lines, write_similar};
use crate::output::Format;
use crate::search::{Similar, SimilarRequest, SimilarTo, MAX_TEXT};
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use std::fmt::Write;
use std::sync::Arc;

/// The request for `to` with the filters, limit and offset of `p` (20 neighbours by
/// default on a page, 10 from the API, as the CLI).
fn request(p: &Params, to: SimilarTo, limit: usize) -> Result<SimilarRequest, Failure> {
    let paging = p.search_request(limit)?;
    Ok(SimilarRequest {
        filters: p.criteria()?.filters,
        limit: paging.limit,
        offset: paging.offset,
        ..SimilarRequest::new(to)
    })
}

/// The text of a form's or a request's body, or why it is refused (an empty text is the
/// engine's to refuse, as for `imr similar --text`).
fn body_text(body: &[u8], form: bool) -> Result<String, Failure> {
    if body.len() > MAX_TEXT {
        return Err(Failure::usage(format!(
            "the text is over {} MB: paste the UR denial or the request alone",
            MAX_TEXT >> 20
        )));
    }
    let text = if form {
        form_urlencoded::parse(body)
            .find(|(k, _)| k == "text")
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default()
    } else {
        String::from_utf8_lossy(body).into_owned()
    };
    Ok(text)
}

/// `GET /api/similar?id=ID`: `imr similar ID --format json`.
pub async fn api_item(State(s): State<Arc<Shared>>, RawQuery(q): RawQuery) -> Response {
    blocking(move || {
        super::api::answer((|| {
            let p = Params::parse(q.as_deref())?;
            let id = p.get("id").ok_or_else(|| {
                Failure::usage(
                    "id is required: an item id such as CM16-0213037#2 (or POST the text of a UR denial)"
                        .into(),
                )
            })?;
            let req = request(&p, SimilarTo::Item(id.to_string()), 10)?;
            json(&s, &req)
        })())
    })
    .await
}

/// `POST /api/similar` with the text of a UR denial as the body: `imr similar --text FILE
/// --format json`.
pub async fn api_text(
    State(s): State<Arc<Shared>>,
    RawQuery(q): RawQuery,
    body: Bytes,
) -> Response {
    blocking(move || {
        super::api::answer((|| {
            let p = Params::parse(q.as_deref())?;
            let text = body_text(&body, false)?;
            let to = SimilarTo::Text {
                text,
                name: "the request's body".into(),
            };
            json(&s, &request(&p, to, 10)?)
        })())
    })
    .await
}

fn json(s: &Shared, req: &SimilarRequest) -> Result<Vec<u8>, Failure> {
    let r = s.engine().similar(req)?;
    super::api::written(|out| write_similar(out, &r, Format::Json, false))
}

/// `GET /similar?id=ID`: the page; with no id, the form alone.
pub async fn view(State(s): State<Arc<Shared>>, RawQuery(q): RawQuery) -> Response {
    html_page(move || {
        let p = Params::parse(q.as_deref())?;
        match p.get("id") {
            Some(id) => {
                let req = request(&p, SimilarTo::Item(id.to_string()), 20)?;
                Ok(render(&p, &s.engine().similar(&req)?, ""))
            }
            None => Ok(page(
                "imr: decisions like this one",
                "",
                &[],
                &format!(
                    "<main class=\"similar\"><h1>Decisions like this one</h1>{}</main>",
                    form("")
                ),
            )),
        }
    })
    .await
}

/// `POST /similar` (the form): the page for the text pasted.
pub async fn from_text(
    State(s): State<Arc<Shared>>,
    RawQuery(q): RawQuery,
    body: Bytes,
) -> Response {
    html_page(move || {
        let p = Params::parse(q.as_deref())?;
        let text = body_text(&body, true)?;
        let to = SimilarTo::Text {
            text: text.clone(),
            name: "the text pasted".into(),
        };
        let req = request(&p, to, 20)?;
        Ok(render(&p, &s.engine().similar(&req)?, &text))
    })
    .await
}

/// The form to paste a UR denial into, holding `text`.
fn form(text: &str) -> String {
    format!(
        "<form class=\"compare\" method=\"post\" action=\"/similar\">\
         <label for=\"text\">Paste the UR denial, or the request you are about to take to IMR: \
         the decided items most like it, and how often the closest were overturned.</label>\
         <textarea id=\"text\" name=\"text\" rows=\"8\" maxlength=\"{MAX_TEXT}\" \
         placeholder=\"The request for Norco 10/325mg #60 is non-certified ...\">{}</textarea>\
         <button type=\"submit\">Compare</button></form>",
        esc(text)
    )
}

fn render(p: &Params, s: &Similar, text: &str) -> String {
    let mut b = String::from("<main class=\"similar\"><h1>Decisions like this one</h1>");
    for line in subject_lines(s) {
        let _ = write!(b, "<p class=\"subject\">{}</p>", esc(&line));
    }
    b.push_str("<ul class=\"odds\">");
    for line in s
        .odds
        .iter()
        .map(|o| odds_line(o, s))
        .chain(s.base.iter().map(|r| base_line(r, s)))
    {
        let _ = write!(b, "<li><strong>{}</strong></li>", esc(&line));
    }
    b.push_str("</ul>");
    if let Some(note) = &s.results.note {
        let _ = write!(b, "<p class=\"note\">{}</p>", esc(note));
    }
    let _ = write!(
        b,
        "<p class=\"summary\">compared: {}</p>",
        esc(&s.results.interpreted)
    );
    hits(&mut b, &s.results);
    if s.of.is_some() {
        b.push_str("<h2>Compare a UR denial instead</h2>");
    }
    b.push_str(&form(text));
    b.push_str("</main>");
    page("imr: decisions like this one", "", &p.kept_by_form(), &b)
}
