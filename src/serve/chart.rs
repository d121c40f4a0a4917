//! A server-rendered SVG chart: the overturned share of the current search's items by
//! decision year (by month when they span two years or fewer), bars labelled with their
//! counts. No script: the same SVG is inlined in the page and served at `/chart.svg`.

use super::html::esc;
use super::params::Params;
use super::{blocking, Failure, Shared};
use crate::index::facets;
use crate::search::{BrowseRequest, Criteria, Engine, Node};
use axum::extract::{RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use std::fmt::Write;
use std::sync::Arc;

/// One bar: a year or a month, its items and how many were overturned.
#[derive(Debug, Clone, PartialEq)]
pub struct Period {
    pub label: String,
    pub count: u64,
    pub overturned: u64,
}

/// The decision years (newest first) and their months of the items matching `criteria`.
pub fn decided(engine: &Engine, criteria: &Criteria) -> crate::Result<Vec<Node>> {
    let b = engine.browse(&BrowseRequest {
        criteria: criteria.clone(),
        facet: facets::by_name("decided"),
        path: None,
        depth: Some(2),
        limit: 1000,
    })?;
    Ok(b.nodes)
}

/// The bars for [`decided`]'s years, oldest first: months where there are two years or
/// fewer.
pub fn periods(years: &[Node]) -> Vec<Period> {
    let years: Vec<&Node> = years.iter().rev().collect();
    let by_month = years.len() <= 2;
    let mut out = Vec::new();
    for y in years {
        if by_month && !y.children.is_empty() {
            for m in y.children.iter().rev() {
                out.push(Period {
                    label: format!("{}-{}", y.value, m.value),
                    count: m.count,
                    overturned: m.overturned,
                });
            }
        } else {
            out.push(Period {
                label: y.value.clone(),
                count: y.count,
                overturned: y.overturned,
            });
        }
    }
    out
}

/// The chart; `shares`: plot the overturned share (false under a decision filter, where it
/// is 0 or 100%: then the counts are plotted).
pub fn render(periods: &[Period], shares: bool) -> String {
    const W: f64 = 640.0;
    const H: f64 = 180.0;
    const TOP: f64 = 24.0;
    const BASE: f64 = 150.0;
    let title = if shares {
        "Overturned share by decision date"
    } else {
        "Items by decision date"
    };
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"{W}\" height=\"{H}\" \
         viewBox=\"0 0 {W} {H}\" role=\"img\" aria-label=\"{title}\"><title>{title}</title>\
         <text x=\"0\" y=\"14\" class=\"title\">{title}</text>\
         <line x1=\"0\" y1=\"{BASE}\" x2=\"{W}\" y2=\"{BASE}\" class=\"axis\"/>"
    );
    if periods.is_empty() {
        s.push_str("<text x=\"0\" y=\"80\">No decision dates among these items.</text></svg>");
        return s;
    }
    let max = periods.iter().map(|p| p.count).max().unwrap_or(1).max(1) as f64;
    // Shares are drawn against the highest one, rounded up to a tenth, so 8% and 14% differ
    // visibly; each bar is labelled with its percentage.
    let top_share = periods
        .iter()
        .map(|p| p.overturned as f64 / p.count.max(1) as f64)
        .fold(0.0_f64, f64::max);
    let top_share = ((top_share * 10.0).ceil() / 10.0).clamp(0.1, 1.0);
    let slot = (W / periods.len() as f64).min(80.0);
    let width = (slot * 0.7).max(2.0);
    let label_every = (periods.len() / 16).max(1);
    for (n, p) in periods.iter().enumerate() {
        let x = n as f64 * slot + (slot - width) / 2.0;
        let value = if shares {
            p.overturned as f64 / p.count.max(1) as f64 / top_share
        } else {
            p.count as f64 / max
        };
        let h = (BASE - TOP) * value;
        let pct = 100.0 * p.overturned as f64 / p.count.max(1) as f64;
        let tip = format!(
            "{}: {} items, {} overturned ({pct:.0}%)",
            p.label, p.count, p.overturned
        );
        let _ = write!(
            s,
            "<g><title>{}</title><rect class=\"{}\" x=\"{x:.1}\" y=\"{:.1}\" width=\"{width:.1}\" \
             height=\"{h:.1}\"/>",
            esc(&tip),
            if shares { "over" } else { "all" },
            BASE - h
        );
        let top = if shares {
            format!("{pct:.0}%")
        } else {
            p.count.to_string()
        };
        let _ = write!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" class=\"value\">{}</text>",
            x + width / 2.0,
            BASE - h - 3.0,
            esc(&top)
        );
        if n % label_every == 0 {
            let _ = write!(
                s,
                "<text x=\"{:.1}\" y=\"{:.1}\" class=\"label\">{}</text><text x=\"{:.1}\" \
                 y=\"{:.1}\" class=\"label n\">n={}</text>",
                x + width / 2.0,
                BASE + 13.0,
                esc(&p.label),
                x + width / 2.0,
                BASE + 26.0,
                p.count
            );
        }
        s.push_str("</g>");
    }
    s.push_str("</svg>");
    s
}

/// `/chart.svg?...`: the chart alone.
pub async fn svg(State(s): State<Arc<Shared>>, RawQuery(q): RawQuery) -> Response {
    blocking(move || {
        let r = Params::parse(q.as_deref()).and_then(|p| {
            let c = p.criteria()?;
            let shares = c.filters.get_decision().is_none();
            let years = decided(&s.engine(), &c)?;
            Ok::<_, Failure>(render(&periods(&years), shares))
        });
        match r {
            Ok(svg) => ([(header::CONTENT_TYPE, "image/svg+xml")], svg).into_response(),
            Err(f) => f.page(),
        }
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_show_shares_and_escape_labels() {
        let p = [
            Period {
                label: "2015".into(),
                count: 4,
                overturned: 1,
            },
            Period {
                label: "<b>".into(),
                count: 2,
                overturned: 2,
            },
        ];
        let svg = render(&p, true);
        assert!(svg.contains(">25%<") && svg.contains(">100%<"), "{svg}");
        assert!(svg.contains("&lt;b&gt;") && !svg.contains("<b>"));
        assert!(render(&[], true).contains("No decision dates"));
    }
}
