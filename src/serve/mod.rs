//! `imr serve`: the search engine as a local web page and JSON API (axum on tokio).
//!
//! Read-only: every route is a GET over the open index; the only files read are the
//! index's (assets are compiled in). Engine calls block, so they run on tokio's blocking
//! pool. After `imr index` commits, the next request sees the new letters: the engine is
//! reopened when the index's `meta.json` changes ([`state`]).

mod api;
mod chart;
mod html;
mod letter;
mod pages;
mod params;
mod precedents;
mod similar;
mod state;

use axum::http::header::{self, HeaderValue};
use axum::http::{Request, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::io::{self, Write};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

pub use state::Shared;

/// Only the page's own stylesheet and images; no script at all, no framing, forms submit
/// only here.
pub const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self'; \
                       form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

const STYLE: &str = include_str!("assets/style.css");

/// A request that could not be answered: 400 for the user's mistake (with the same one-line
/// message the CLI prints), 404 for an unknown page or id, 500 for a failure of ours.
#[derive(Debug)]
pub struct Failure {
    pub status: u16,
    pub message: String,
}

impl Failure {
    pub fn usage(message: String) -> Failure {
        Failure {
            status: 400,
            message,
        }
    }

    fn status(&self) -> StatusCode {
        StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    /// The failure as a page.
    pub fn page(&self) -> Response {
        let body = format!(
            "<main class=\"failure\"><h1>{}</h1><p class=\"error\">{}</p>\
             <p><a href=\"/\">Start again</a></p></main>",
            self.status().as_u16(),
            html::esc(&self.message)
        );
        (
            self.status(),
            Html(html::page("imr: error", "", &[], &body)),
        )
            .into_response()
    }

    /// The failure as JSON: `{"error": "..."}`.
    pub fn json(&self) -> Response {
        let body = serde_json::json!({ "error": self.message }).to_string() + "\n";
        (self.status(), [(header::CONTENT_TYPE, JSON)], body).into_response()
    }
}

impl From<crate::Error> for Failure {
    fn from(e: crate::Error) -> Failure {
        let status = if e.is_usage() {
            400
        } else if matches!(e, crate::Error::NoSuchItem { .. }) {
            404
        } else {
            500
        };
        Failure {
            status,
            message: e.to_string(),
        }
    }
}

pub const JSON: &str = "application/json";

/// An HTML body with its content type.
pub struct Html(pub String);

impl IntoResponse for Html {
    fn into_response(self) -> Response {
        ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], self.0).into_response()
    }
}

/// Where and how to serve.
#[derive(Debug, Clone)]
pub struct Options {
    pub index: PathBuf,
    pub addr: SocketAddr,
}

/// Serves until the process is stopped. `ready` is called once with the bound address
/// (`--port 0` picks a free port), before the first request is accepted.
pub fn run(shared: Shared, opts: &Options, ready: impl FnOnce(SocketAddr)) -> io::Result<()> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_io()
        .thread_name("imr-serve")
        .build()?;
    let shared = Arc::new(shared);
    let loopback = opts.addr.ip().is_loopback();
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(opts.addr)
            .await
            .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", opts.addr)))?;
        let bound = listener.local_addr()?;
        ready(bound);
        let app = router(shared, loopback);
        axum::serve(listener, app).await
    })
}

/// Every route, with the safety headers on every answer.
pub fn router(shared: Arc<Shared>, loopback: bool) -> Router {
    Router::new()
        .route("/", get(pages::search))
        .route("/item/{id}", get(letter::item))
        .route("/letter/{id}", get(letter::letter))
        .route("/precedents", get(precedents::view))
        .route("/precedents.md", get(precedents::markdown))
        .route("/precedents.docx", get(precedents::docx))
        .route("/precedents.csv", get(precedents::csv))
        .route("/precedents.json", get(precedents::json))
        .route("/chart.svg", get(chart::svg))
        .route("/api/search", get(api::search))
        .route("/api/facets", get(api::facets))
        .route("/api/show/{id}", get(api::show))
        .route("/api/precedents", get(api::precedents))
        .route("/similar", get(similar::view).post(similar::from_text))
        .route(
            "/api/similar",
            get(similar::api_item).post(similar::api_text),
        )
        .route("/assets/style.css", get(style))
        .fallback(not_found)
        .with_state(shared)
        .layer(axum::middleware::from_fn(move |req, next| {
            guard(req, next, loopback)
        }))
}

async fn style() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=3600"),
        ],
        STYLE,
    )
        .into_response()
}

async fn not_found(req: Request<axum::body::Body>) -> Response {
    let f = Failure {
        status: 404,
        message: "no such page".into(),
    };
    if req.uri().path().starts_with("/api/") {
        f.json()
    } else {
        f.page()
    }
}

/// Whether a Host header names this machine: a page served on loopback answers only to
/// loopback names, so a web site cannot read it through a DNS name rebound to 127.0.0.1.
fn local_host(host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => host.rsplit_once(':').map_or(host, |(h, _)| h),
    };
    name.eq_ignore_ascii_case("localhost")
        || name
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Refuses foreign Host names on loopback; adds the safety headers to every answer.
async fn guard(
    req: Request<axum::body::Body>,
    next: axum::middleware::Next,
    loopback: bool,
) -> Response {
    let foreign = loopback
        && req
            .headers()
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .is_some_and(|h| !local_host(h));
    let mut res = if foreign {
        Failure {
            status: 403,
            message: "this server answers only to localhost".into(),
        }
        .page()
    } else {
        next.run(req).await
    };
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    res
}

/// Renders an HTML page off the async threads: the page, or the failure's own page.
pub async fn html_page<F>(render: F) -> Response
where
    F: FnOnce() -> Result<String, Failure> + Send + 'static,
{
    blocking(move || match render() {
        Ok(h) => Html(h).into_response(),
        Err(f) => f.page(),
    })
    .await
}

/// Runs blocking engine work off the async threads; a panic in it is a 500, not a crash.
pub async fn blocking<F>(f: F) -> Response
where
    F: FnOnce() -> Response + Send + 'static,
{
    match tokio::task::spawn_blocking(f).await {
        Ok(r) => r,
        Err(_) => Failure {
            status: 500,
            message: "internal error while answering this request".into(),
        }
        .page(),
    }
}

/// Prints the address to stdout (flushed: tests and scripts read it from a pipe).
pub fn announce(addr: SocketAddr, index: &std::path::Path) {
    let mut out = io::stdout().lock();
    let _ = writeln!(
        out,
        "imr: serving {} on http://{addr}/ (read-only; Ctrl-C stops it)",
        index.display()
    );
    let _ = out.flush();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_host_names() {
        for h in [
            "localhost:7878",
            "127.0.0.1:7878",
            "[::1]:7878",
            "LOCALHOST",
        ] {
            assert!(local_host(h), "{h}");
        }
        for h in ["evil.example:7878", "10.0.0.2", "[fe80::1]:1"] {
            assert!(!local_host(h), "{h}");
        }
    }
}
