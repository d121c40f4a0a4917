//! `imr facets`: a facet as a tree (guideline: source → document → section → pages), with
//! counts and overturned counts over the whole index or a query's hits.

use super::engine::{Engine, Prepared};
use super::facets::{merge_counts, overturned_ord, prefix, Counted};
use crate::error::{Error, Result};
use serde::Serialize;
use std::collections::HashMap;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::fastfield::FacetReader;
use tantivy::schema::Facet;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

/// The facet fields `imr facets` browses, with the depth shown by default.
pub const BROWSABLE: [(&str, usize); 6] = [
    ("decision", 1),
    ("medication", 2),
    ("guideline", 2),
    ("specialty", 1),
    ("category", 1),
    ("decided", 2),
];

/// One level of the tree: each root with its child nodes.
type Level = Vec<(Facet, Vec<Node>)>;

/// Counts of every node of one facet field's tree (every path prefix below the field's own
/// step) over the hits, with overturned counts, in one pass: per hit, each facet ordinal's
/// ancestors are counted once (a per-node stamp of the last item counted).
struct TreeTally {
    field: String,
}

struct SegmentTree {
    reader: FacetReader,
    decision: FacetReader,
    overturned: Option<u64>,
    /// Per ordinal: the nodes it counts under (itself and its ancestors).
    nodes_of: Vec<Vec<u32>>,
    /// Per node: its encoded path.
    paths: Vec<Vec<u8>>,
    /// Per node: [count, overturned].
    counts: Vec<[u32; 2]>,
    /// Per node: the last item counted, plus one.
    stamp: Vec<u32>,
}

type TreeFruit = Vec<Counted>;

impl Collector for TreeTally {
    type Fruit = TreeFruit;
    type Child = SegmentTree;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<SegmentTree> {
        let reader = segment.facet_reader(&self.field)?;
        let decision = segment.facet_reader("decision")?;
        let overturned = overturned_ord(&decision)?;
        let mut interned: HashMap<Vec<u8>, u32> = HashMap::new();
        let mut paths: Vec<Vec<u8>> = Vec::new();
        let mut nodes_of = Vec::with_capacity(reader.num_facets());
        let mut stream = reader.facet_dict().stream()?;
        while stream.advance() {
            let key = stream.key();
            let mut nodes = Vec::new();
            let mut depth = 2;
            while let Some(p) = prefix(key, depth) {
                let id = *interned.entry(p.to_vec()).or_insert_with(|| {
                    paths.push(p.to_vec());
                    (paths.len() - 1) as u32
                });
                nodes.push(id);
                depth += 1;
            }
            nodes_of.push(nodes);
        }
        Ok(SegmentTree {
            reader,
            decision,
            overturned,
            nodes_of,
            counts: vec![[0, 0]; paths.len()],
            stamp: vec![0; paths.len()],
            paths,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<TreeFruit>) -> tantivy::Result<TreeFruit> {
        Ok(merge_counts(fruits.into_iter().flatten()))
    }
}

impl SegmentCollector for SegmentTree {
    type Fruit = TreeFruit;

    fn collect(&mut self, doc: DocId, _: Score) {
        let over = u32::from(
            self.overturned
                .is_some_and(|o| self.decision.facet_ords(doc).any(|d| d == o)),
        );
        for ord in self.reader.facet_ords(doc) {
            for &n in &self.nodes_of[ord as usize] {
                let n = n as usize;
                if self.stamp[n] != doc + 1 {
                    self.stamp[n] = doc + 1;
                    self.counts[n][0] += 1;
                    self.counts[n][1] += over;
                }
            }
        }
    }

    fn harvest(self) -> TreeFruit {
        self.paths
            .into_iter()
            .zip(self.counts)
            .filter(|(_, c)| c[0] > 0)
            .map(|(p, c)| (p, u64::from(c[0]), u64::from(c[1])))
            .collect()
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Node {
    pub value: String,
    pub path: String,
    pub count: u64,
    pub overturned: u64,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<Node>,
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
    let tally = TreeTally {
        field: field.to_string(),
    };
    let fruit = searcher
        .search(&*p.query, &tally)
        .map_err(|e| Error::tantivy("facet counts", e))?;
    // Every counted node under its parent.
    let mut children: HashMap<Facet, Vec<Node>> = HashMap::new();
    for (path, count, overturned) in fruit {
        let Ok(facet) = Facet::from_encoded(path) else {
            continue;
        };
        let Some(parent) = facet
            .to_path()
            .split_last()
            .map(|(_, up)| Facet::from_path(up.iter().copied()))
        else {
            continue;
        };
        children.entry(parent).or_default().push(Node {
            value: facet
                .to_path()
                .last()
                .map(|s| s.to_string())
                .unwrap_or_default(),
            path: facet.to_path_string(),
            count,
            overturned,
            children: Vec::new(),
        });
    }
    let level = |roots: &[Facet]| -> Result<Level> {
        Ok(roots
            .iter()
            .map(|root| {
                let mut nodes = children.get(root).cloned().unwrap_or_default();
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
                (root.clone(), nodes)
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
