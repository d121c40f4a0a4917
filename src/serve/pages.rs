//! The search page: the query box, how the query was understood (chips that each remove
//! one filter), the facet sidebar (each value a link that narrows), the chart, the results
//! with their badges, citation lines and snippets, paging and order. State lives in the URL.

use super::chart;
use super::html::{badge, bar, esc, page, segment, share};
use super::params::Params;
use super::{html_page, Failure, Shared};
use crate::index::facets;
use crate::output::results::citation_line;
use crate::search::query::{understand, Understood};
use crate::search::{BrowseRequest, FacetGroup, Node, SearchRequest, SearchResults, Sort};
use axum::extract::{RawQuery, State};
use axum::response::Response;
use std::fmt::Write;
use std::sync::Arc;
use tantivy::schema::Facet;

/// Hits per page unless `limit` says otherwise.
const PER_PAGE: usize = 10;
/// Values shown per facet group (and per nested level).
const GROUP_VALUES: usize = 10;
const NESTED_VALUES: usize = 6;

pub async fn search(State(s): State<Arc<Shared>>, RawQuery(q): RawQuery) -> Response {
    html_page(move || render(&s, q.as_deref())).await
}

fn render(s: &Shared, raw: Option<&str>) -> Result<String, Failure> {
    let p = Params::parse(raw)?;
    // The page shows snippets, not the key sentences of a precedent list.
    let req = SearchRequest {
        reasoning: false,
        ..p.search_request(PER_PAGE)?
    };
    let engine = s.engine();
    let r = engine.search(&req)?;
    let years = chart::decided(&engine, &req.criteria)?;
    let guidelines = engine
        .browse(&BrowseRequest {
            criteria: req.criteria.clone(),
            facet: facets::by_name("guideline"),
            path: None,
            depth: Some(3),
            limit: GROUP_VALUES,
        })?
        .nodes;
    let mut b = String::with_capacity(32 * 1024);
    b.push_str("<div class=\"layout\"><aside class=\"facets\">");
    sidebar(&mut b, &p, &r.facets, &guidelines, &years);
    b.push_str("</aside><main>");
    summary(&mut b, &p, &r);
    chips(&mut b, &p, &r);
    if let Some(note) = &r.note {
        let _ = write!(b, "<p class=\"note\">Note: {}</p>", esc(note));
    }
    let _ = write!(
        b,
        "<nav class=\"tools\"><a href=\"{}\">Precedent list</a> · Download: \
         <a href=\"{}\">Markdown</a> <a href=\"{}\">CSV</a> <a href=\"{}\">JSON</a> · \
         <a href=\"{}\">API</a></nav>",
        esc(&p.href("/precedents")),
        esc(&p.href("/precedents.md")),
        esc(&p.href("/precedents.csv")),
        esc(&p.href("/precedents.json")),
        esc(&p.href("/api/search")),
    );
    let shares = req.criteria.filters.get_decision().is_none();
    if r.total > 0 {
        let _ = write!(
            b,
            "<figure class=\"chart\">{}</figure>",
            chart::render(&chart::periods(&years), shares)
        );
    }
    hits(&mut b, &r);
    pager(&mut b, &p, &r, req.limit);
    b.push_str("</main></div>");
    let title = if r.query.is_empty() {
        "imr: IMR decisions".to_string()
    } else {
        format!("imr: {}", r.query)
    };
    Ok(page(&title, p.query(), &p.kept_by_form(), &b))
}

fn summary(b: &mut String, p: &Params, r: &SearchResults) {
    let shown = if r.hits.is_empty() {
        String::new()
    } else {
        format!(", showing {}–{}", r.offset + 1, r.offset + r.hits.len())
    };
    let (other, word) = match r.sort {
        Sort::Relevance => ("date", "newest first"),
        Sort::Date | Sort::Oldest => ("relevance", "by relevance"),
    };
    let _ = write!(
        b,
        "<p class=\"summary\"><strong>{} item{}</strong>{shown}, {} · <a href=\"{}\">show {word}</a>",
        r.total,
        if r.total == 1 { "" } else { "s" },
        match r.sort {
            Sort::Relevance => "by relevance",
            Sort::Date => "newest first",
            Sort::Oldest => "oldest first",
        },
        esc(&p.set("sort", Some(other)).without_key("page").href("/"))
    );
    b.push_str("</p>");
}

/// How the query was understood, one chip per recognised thing, each a link without it.
fn chips(b: &mut String, p: &Params, r: &SearchResults) {
    let mut chips: Vec<(String, Option<String>)> = Vec::new();
    let q = p.query();
    let u = &r.understood;
    let without = |rest: Option<String>| rest.map(|q| p.set("q", Some(&q)).href("/"));
    if let Some(syntax) = &u.syntax {
        chips.push((
            format!("query: {syntax}"),
            Some(p.without_key("q").href("/")),
        ));
    }
    let mut word_chip = |label: String, test: &dyn Fn(&Understood) -> bool| {
        chips.push((label, without(drop_words(q, test))));
    };
    for m in &u.medications {
        word_chip(format!("drug: {m}"), &|x| x.medications.contains(m));
    }
    for c in &u.classes {
        word_chip(format!("class: {c}"), &|x| x.classes.contains(c));
    }
    if let Some(d) = u.decision {
        word_chip(format!("decision: {}", d.as_str()), &|x| {
            x.decision == Some(d)
        });
    }
    for g in &u.sources {
        word_chip(format!("guideline: {g}"), &|x| x.sources.contains(g));
    }
    for n in &u.pages {
        word_chip(format!("MTUS page: {n}"), &|x| x.pages.contains(n));
    }
    for t in &u.treatments {
        word_chip(format!("treatment: {t}"), &|x| x.treatments.contains(t));
    }
    for g in &u.regions {
        word_chip(format!("region: {g}"), &|x| x.regions.contains(g));
    }
    for c in &u.categories {
        word_chip(format!("category: {c}"), &|x| x.categories.contains(c));
    }
    for c in &u.concept_typed {
        word_chip(format!("words: {c}"), &|x| x.concept_typed.contains(c));
    }
    for w in &u.text {
        word_chip(format!("words: {w}"), &|x| x.text.contains(w));
    }
    for (k, v) in p.filters() {
        let label = match (k.as_str(), v.split_once('=')) {
            ("where", Some((f, path))) => format!("{f}: {path}"),
            _ => format!("{}: {v}", k.replace('_', " ")),
        };
        chips.push((label, Some(p.without(k, v).href("/"))));
    }
    if chips.is_empty() {
        return;
    }
    b.push_str("<ul class=\"chips\" aria-label=\"How the search was understood\">");
    for (label, href) in chips {
        match href {
            Some(h) => {
                let _ = write!(
                    b,
                    "<li><a class=\"chip\" href=\"{}\" title=\"remove\">{} <span \
                     aria-hidden=\"true\">×</span></a></li>",
                    esc(&h),
                    esc(&label)
                );
            }
            None => {
                let _ = write!(b, "<li><span class=\"chip\">{}</span></li>", esc(&label));
            }
        }
    }
    b.push_str("</ul>");
}

/// The query without the fewest consecutive words (up to five) that made `test` true, if
/// taking them out makes it false.
fn drop_words(q: &str, test: &dyn Fn(&Understood) -> bool) -> Option<String> {
    let words: Vec<&str> = q.split_whitespace().collect();
    for n in 1..=words.len().min(5) {
        for start in 0..=words.len() - n {
            if !test(&understand(&words[start..start + n].join(" "), false)) {
                continue;
            }
            let rest: Vec<&str> = words[..start]
                .iter()
                .chain(&words[start + n..])
                .copied()
                .collect();
            let rest = rest.join(" ");
            if !test(&understand(&rest, false)) {
                return Some(rest);
            }
        }
    }
    None
}

/// One value of the sidebar: what it adds to the URL, its counts, the values below it.
struct Entry {
    label: String,
    adds: Vec<(&'static str, String)>,
    count: u64,
    overturned: u64,
    children: Vec<Entry>,
}

fn steps(path: &str) -> Vec<String> {
    Facet::from_text(path)
        .map(|f| f.to_path().iter().map(|s| s.to_string()).collect())
        .unwrap_or_default()
}

fn values<'a>(groups: &'a [FacetGroup], name: &str) -> &'a [crate::search::FacetValue] {
    groups
        .iter()
        .find(|g| g.name == name)
        .map_or(&[], |g| g.values.as_slice())
}

/// Flat entries of a facet group, each adding `key=value`.
fn flat(groups: &[FacetGroup], name: &str, key: &'static str) -> Vec<Entry> {
    values(groups, name)
        .iter()
        .map(|v| Entry {
            label: v.value.clone(),
            adds: vec![(key, v.value.clone())],
            count: v.count,
            overturned: v.overturned,
            children: Vec::new(),
        })
        .collect()
}

/// Entries of a two-level group: parents from `top`, children from `below` under them.
fn nested(
    groups: &[FacetGroup],
    top: (&str, &'static str),
    below: (&str, &'static str),
    with_parent: bool,
) -> Vec<Entry> {
    let mut out = flat(groups, top.0, top.1);
    for v in values(groups, below.0) {
        let s = steps(&v.path);
        let (Some(parent), Some(leaf)) = (s.get(1), s.get(2)) else {
            continue;
        };
        if let Some(e) = out.iter_mut().find(|e| &e.label == parent) {
            let mut adds = Vec::new();
            if with_parent {
                adds.push((top.1, parent.clone()));
            }
            adds.push((below.1, leaf.clone()));
            e.children.push(Entry {
                label: leaf.clone(),
                adds,
                count: v.count,
                overturned: v.overturned,
                children: Vec::new(),
            });
        }
    }
    out
}

/// Guideline source → document → section from the browsed tree; a step holding '/' cannot
/// be typed as a path, so its value is shown without a link.
fn guideline_entries(nodes: &[Node], prefix: &str) -> Vec<Entry> {
    nodes
        .iter()
        .map(|n| {
            let path = if prefix.is_empty() {
                n.value.clone()
            } else {
                format!("{prefix}/{}", n.value)
            };
            let linkable = !n.value.contains('/');
            Entry {
                label: n.value.clone(),
                adds: if linkable {
                    vec![("guideline", path.clone())]
                } else {
                    Vec::new()
                },
                count: n.count,
                overturned: n.overturned,
                children: if linkable {
                    guideline_entries(&n.children, &path)
                } else {
                    Vec::new()
                },
            }
        })
        .collect()
}

fn sidebar(b: &mut String, p: &Params, groups: &[FacetGroup], guidelines: &[Node], years: &[Node]) {
    let year_entries: Vec<Entry> = years
        .iter()
        .map(|y| Entry {
            label: y.value.clone(),
            adds: vec![("where", format!("decided={}", y.value))],
            count: y.count,
            overturned: y.overturned,
            children: Vec::new(),
        })
        .collect();
    let sections: [(&str, Vec<Entry>); 8] = [
        ("Decision", flat(groups, "decision", "decision")),
        (
            "DWC category",
            nested(
                groups,
                ("dwc_category", "category"),
                ("dwc_subcategory", "subcategory"),
                true,
            ),
        ),
        ("Treatment", flat(groups, "treatment", "treatment")),
        ("Body region", flat(groups, "region", "region")),
        (
            "Drug class",
            nested(
                groups,
                ("class", "class"),
                ("medication", "medication"),
                false,
            ),
        ),
        ("Guideline", guideline_entries(guidelines, "")),
        ("Reviewer specialty", flat(groups, "specialty", "specialty")),
        ("Decision year", year_entries),
    ];
    for (title, entries) in sections {
        if entries.is_empty() {
            continue;
        }
        let max = entries.iter().map(|e| e.count).max().unwrap_or(1);
        let _ = write!(b, "<section class=\"facet\"><h2>{}</h2>", esc(title));
        list(b, p, &entries, max, GROUP_VALUES);
        b.push_str("</section>");
    }
}

fn list(b: &mut String, p: &Params, entries: &[Entry], max: u64, shown: usize) {
    b.push_str("<ul>");
    for e in entries.iter().take(shown) {
        let on = !e.adds.is_empty() && e.adds.iter().all(|(k, v)| p.has(k, v));
        let href = if on {
            e.adds.last().map(|(k, v)| p.without(k, v).href("/"))
        } else if e.adds.is_empty() {
            None
        } else {
            Some(
                e.adds
                    .iter()
                    .fold(p.clone(), |q, (k, v)| q.with(k, v))
                    .href("/"),
            )
        };
        let label = match href {
            Some(h) => format!(
                "<a{} href=\"{}\">{}</a>",
                if on {
                    " class=\"on\" title=\"remove\""
                } else {
                    ""
                },
                esc(&h),
                esc(&e.label)
            ),
            None => esc(&e.label),
        };
        let _ = write!(
            b,
            "<li><span class=\"v\">{label}</span> <span class=\"n\">{}</span>{}<span \
             class=\"ot\">{}</span>",
            e.count,
            bar(e.count, e.overturned, max),
            share(e.count, e.overturned)
        );
        if !e.children.is_empty() {
            list(b, p, &e.children, max, NESTED_VALUES);
        }
        b.push_str("</li>");
    }
    b.push_str("</ul>");
}

/// The hits of a search (or of `/similar`) as a numbered list.
pub(super) fn hits(b: &mut String, r: &SearchResults) {
    if r.hits.is_empty() {
        b.push_str("<p class=\"empty\">No item matches. Remove a filter above.</p>");
        return;
    }
    let _ = write!(b, "<ol class=\"hits\" start=\"{}\">", r.offset + 1);
    for h in &r.hits {
        let i = &h.item;
        let _ = write!(
            b,
            "<li class=\"hit\">{} <a class=\"item\" href=\"/item/{}#item-{}\">{}</a>\
             <div class=\"cite\">{}</div>",
            badge(i.decision),
            segment(&h.id),
            i.item_index,
            esc(&i.item),
            esc(&citation_line(h))
        );
        if let Some(snip) = &h.snippet {
            // Snippet::html escapes the text itself and adds only <b> around matches.
            let _ = write!(b, "<p class=\"snippet\">{}</p>", snip.html());
        }
        let mut meta: Vec<String> = Vec::new();
        if let Some(m) = &i.medication {
            meta.push(format!("{} ({})", m.generic, m.class));
        }
        meta.extend(i.treatment.treatment.clone());
        meta.extend(i.treatment.region.clone());
        if !i.specialty.is_empty() {
            meta.push(i.specialty.join("; "));
        }
        let _ = write!(
            b,
            "<div class=\"meta\">{} · <a href=\"/letter/{}\">letter</a></div></li>",
            esc(&meta.join(" · ")),
            segment(&i.letter_id)
        );
    }
    b.push_str("</ol>");
}

fn pager(b: &mut String, p: &Params, r: &SearchResults, limit: usize) {
    let limit = limit.max(1);
    let page = r.offset / limit + 1;
    let pages = r
        .total
        .div_ceil(limit)
        .min(super::params::MAX_OFFSET / limit + 1);
    if pages <= 1 {
        return;
    }
    b.push_str("<nav class=\"pager\">");
    let link = |n: usize| p.set("page", Some(&n.to_string())).href("/");
    if page > 1 {
        let _ = write!(
            b,
            "<a rel=\"prev\" href=\"{}\">← Previous</a> ",
            esc(&link(page - 1))
        );
    }
    let _ = write!(b, "<span>Page {page} of {pages}</span>");
    if page < pages {
        let _ = write!(
            b,
            " <a rel=\"next\" href=\"{}\">Next →</a>",
            esc(&link(page + 1))
        );
    }
    b.push_str("</nav>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chip_drops_the_words_that_made_it() {
        let drug = |x: &Understood| x.medications.iter().any(|m| m.starts_with("hydrocodone"));
        assert_eq!(
            drop_words("Norco upheld urine drug screen", &drug).as_deref(),
            Some("upheld urine drug screen")
        );
        let upheld = |x: &Understood| x.decision.is_some();
        assert_eq!(
            drop_words("Norco upheld urine drug screen", &upheld).as_deref(),
            Some("Norco urine drug screen")
        );
    }
}
