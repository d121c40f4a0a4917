//! `imr facets`: a facet as a tree (guideline: source → document → section → pages), with
//! counts and overturned counts over the whole index or a query's hits.

use super::engine::{Engine, Prepared};
use crate::error::{Error, Result};
use serde::Serialize;
use tantivy::collector::FacetCollector;
use tantivy::query::Query;
use tantivy::schema::Facet;

/// The facet fields `imr facets` browses, with the depth shown by default.
pub const BROWSABLE: [(&str, usize); 6] = [
    ("decision", 1),
    ("medication", 2),
    ("guideline", 2),
    ("specialty", 1),
    ("category", 1),
    ("decided", 2),
];

/// Children counts under each root: (root, [(child, count)]).
type LevelCounts = Vec<(Facet, Vec<(Facet, u64)>)>;
/// One level of the tree: each root with its child nodes.
type Level = Vec<(Facet, Vec<Node>)>;

#[derive(Debug, Clone, Serialize)]
pub struct Node {
    pub value: String,
    pub path: String,
    pub count: u64,
    pub overturned: u64,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<Node>,
}

fn counts(
    searcher: &tantivy::Searcher,
    query: &dyn Query,
    field: &str,
    roots: &[Facet],
) -> Result<LevelCounts> {
    let mut fc = FacetCollector::for_field(field);
    for r in roots {
        fc.add_facet(r.clone());
    }
    let c = searcher
        .search(query, &fc)
        .map_err(|e| Error::tantivy("facet counts", e))?;
    Ok(roots
        .iter()
        .map(|r| {
            (
                r.clone(),
                c.get(r.clone()).map(|(f, n)| (f.clone(), n)).collect(),
            )
        })
        .collect())
}

/// Browses `field` below `root` to `depth` levels; each level keeps its `limit` largest
/// values (numeric steps, like pages, are listed in numeric order).
pub fn browse(
    engine: &Engine,
    p: &Prepared,
    field: &str,
    root: Facet,
    depth: usize,
    limit: usize,
) -> Result<Vec<Node>> {
    let searcher = engine.searcher();
    let level = |roots: &[Facet]| -> Result<Level> {
        let all = counts(&searcher, &*p.query, field, roots)?;
        let over = match (&p.overturned, p.decision) {
            (Some(q), _) => Some(counts(&searcher, &**q, field, roots)?),
            _ => None,
        };
        Ok(all
            .into_iter()
            .enumerate()
            .map(|(k, (root, kids))| {
                let mut nodes: Vec<Node> = kids
                    .into_iter()
                    .map(|(f, n)| {
                        let overturned = match (&over, p.decision) {
                            (Some(o), _) => o[k].1.iter().find(|(g, _)| *g == f).map_or(0, |x| x.1),
                            (None, Some(crate::letter::Decision::Overturned)) => n,
                            _ => 0,
                        };
                        Node {
                            value: f
                                .to_path()
                                .last()
                                .map(|s| s.to_string())
                                .unwrap_or_default(),
                            path: f.to_path_string(),
                            count: n,
                            overturned,
                            children: Vec::new(),
                        }
                    })
                    .collect();
                let numeric =
                    !nodes.is_empty() && nodes.iter().all(|n| n.value.parse::<u32>().is_ok());
                if numeric && field == "guideline" {
                    nodes.sort_by_key(|n| n.value.parse::<u32>().unwrap_or(0));
                } else if field == "decided" {
                    nodes.sort_by(|a, b| b.value.cmp(&a.value));
                    nodes.truncate(limit);
                } else {
                    nodes.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
                    nodes.truncate(limit);
                }
                (root, nodes)
            })
            .collect())
    };
    let mut top = level(std::slice::from_ref(&root))?
        .pop()
        .map(|x| x.1)
        .unwrap_or_default();
    attach(&level, &mut top, depth.saturating_sub(1))?;
    Ok(top)
}

fn attach(
    level: &dyn Fn(&[Facet]) -> Result<Level>,
    nodes: &mut [Node],
    remaining: usize,
) -> Result<()> {
    if remaining == 0 || nodes.is_empty() {
        return Ok(());
    }
    let roots: Vec<Facet> = nodes
        .iter()
        .filter_map(|n| Facet::from_text(&n.path).ok())
        .collect();
    let results = level(&roots)?;
    for (node, (_, kids)) in nodes.iter_mut().zip(results) {
        node.children = kids;
        attach(level, &mut node.children, remaining - 1)?;
    }
    Ok(())
}
