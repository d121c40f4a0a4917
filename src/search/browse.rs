//! `imr facets`: one facet as a tree (guideline: source → document → section → pages), with
//! counts and overturned counts over the whole index or a query's hits, built from the
//! [`Tally`](super::tally::Tally) of that facet.

use super::tally::Counted;
use crate::index::facets::{FacetField, Order};
use serde::Serialize;
use std::collections::HashMap;
use tantivy::schema::Facet;

/// One value of the tree, with its counts and the levels below it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Node {
    pub value: String,
    pub path: String,
    pub count: u64,
    pub overturned: u64,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<Node>,
}

impl Node {
    /// Percent of `count` overturned.
    pub fn overturned_pct(&self) -> f64 {
        if self.count == 0 {
            0.0
        } else {
            100.0 * self.overturned as f64 / self.count as f64
        }
    }
}

/// The tree below `root`, `depth` levels deep, from the counted nodes of `facet`. Each level
/// keeps its `limit` largest values; a level of numbers (pages) lists every value in numeric
/// order; a facet ordered [`Order::Newest`] lists its newest values first.
pub fn tree(
    facet: &FacetField,
    counted: Vec<Counted>,
    root: &Facet,
    depth: usize,
    limit: usize,
) -> Vec<Node> {
    // Every counted node under its parent.
    let mut children: HashMap<Facet, Vec<Node>> = HashMap::new();
    for (path, count, overturned) in counted {
        let Ok(f) = Facet::from_encoded(path) else {
            continue;
        };
        let steps = f.to_path();
        let Some((last, up)) = steps.split_last() else {
            continue;
        };
        children
            .entry(Facet::from_path(up.iter().copied()))
            .or_default()
            .push(Node {
                value: last.to_string(),
                path: f.to_path_string(),
                count,
                overturned,
                children: Vec::new(),
            });
    }
    level(facet.order, &mut children, root, depth, limit)
}

fn level(
    order: Order,
    children: &mut HashMap<Facet, Vec<Node>>,
    parent: &Facet,
    depth: usize,
    limit: usize,
) -> Vec<Node> {
    if depth == 0 {
        return Vec::new();
    }
    let mut nodes = children.remove(parent).unwrap_or_default();
    let numeric = !nodes.is_empty() && nodes.iter().all(|n| n.value.parse::<u32>().is_ok());
    match order {
        Order::Newest => {
            nodes.sort_by(|a, b| b.value.cmp(&a.value));
            nodes.truncate(limit);
        }
        Order::Count if numeric => {
            nodes.sort_by_key(|n| n.value.parse::<u32>().unwrap_or(0));
        }
        Order::Count => {
            nodes.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
            nodes.truncate(limit);
        }
    }
    for n in &mut nodes {
        if let Ok(f) = Facet::from_text(&n.path) {
            n.children = level(order, children, &f, depth - 1, limit);
        }
    }
    nodes
}
