//! The JSON API: the CLI's contracts (src/output/contract.rs), written by the CLI's own
//! writers, so `/api/search?q=...` is byte for byte what `imr search --format json` prints.

use super::params::Params;
use super::{blocking, Failure, Shared, JSON};
use crate::index::facets;
use crate::output::{browse::write_browse, results::write_results, show::write_items, Format};
use crate::search::BrowseRequest;
use axum::extract::{Path, RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

/// A JSON body, or the failure as JSON.
pub(super) fn answer(body: Result<Vec<u8>, Failure>) -> Response {
    match body {
        Ok(b) => ([(header::CONTENT_TYPE, JSON)], b).into_response(),
        Err(f) => f.json(),
    }
}

pub(super) fn written(
    w: impl FnOnce(&mut Vec<u8>) -> std::io::Result<()>,
) -> Result<Vec<u8>, Failure> {
    let mut out = Vec::new();
    w(&mut out).map_err(|e| Failure {
        status: 500,
        message: e.to_string(),
    })?;
    Ok(out)
}

/// `imr search --format json`.
pub async fn search(State(s): State<Arc<Shared>>, RawQuery(q): RawQuery) -> Response {
    blocking(move || {
        answer((|| {
            let p = Params::parse(q.as_deref())?;
            let req = p.search_request(10)?;
            let r = s.engine().search(&req)?;
            written(|out| write_results(out, &r, Format::Json, false, 0))
        })())
    })
    .await
}

/// `imr facets FIELD --format json`: `field` names the facet; `path`, `depth`, `limit`.
pub async fn facets(State(s): State<Arc<Shared>>, RawQuery(q): RawQuery) -> Response {
    blocking(move || {
        answer((|| {
            let p = Params::parse(q.as_deref())?;
            let field = p.get("field").ok_or_else(|| {
                Failure::usage(format!("field is required: one of {}", facets::names()))
            })?;
            let facet = facets::find(field).ok_or_else(|| crate::Error::UnknownFacet {
                name: field.to_string(),
                known: facets::names(),
            })?;
            let req = BrowseRequest {
                criteria: p.criteria()?,
                facet,
                path: p.get("path").map(str::to_string),
                depth: p
                    .get("depth")
                    .map(|_| p.number("depth", 1, 6))
                    .transpose()?,
                limit: p.number("limit", 20, 1000)?,
            };
            let b = s.engine().browse(&req)?;
            written(|out| write_browse(out, &b, Format::Json))
        })())
    })
    .await
}

/// `imr show ID --format json`: one item ("CM16-0213037#2") or a whole letter.
pub async fn show(State(s): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    blocking(move || {
        answer((|| {
            let items = s.engine().items(&id)?;
            written(|out| write_items(out, &items, id.contains('#'), Format::Json))
        })())
    })
    .await
}

/// `imr precedents --format json`.
pub async fn precedents(State(s): State<Arc<Shared>>, RawQuery(q): RawQuery) -> Response {
    blocking(move || {
        answer((|| {
            let list = super::precedents::results(&s, q.as_deref())?;
            written(|out| {
                use crate::output::precedents::{write_precedents, ListFormat};
                write_precedents(out, &list, ListFormat::Json)
            })
        })())
    })
    .await
}
