//! Facet counts over a result set, with how many of each value's items were overturned,
//! counted in the same pass that ranks the hits.
//!
//! [`Tally`] counts every node of the trees of the facets it is given, down to a depth per
//! facet: per matching item it reads each facet column once, and each ordinal counts under
//! the nodes it lies below (a drug under its class and itself; a page under its source,
//! document and section), through a table built once per segment and cached. An item counts
//! once per node, however many of its paths lie below it. Search results read the nodes of
//! their groups' depths ([`groups`]); `imr facets` builds its tree from them
//! (`browse::tree`).

use super::dense::{DenseCache, DenseTally};
use crate::error::{Error, Result};
use crate::index::facets::{FacetId, FACETS};
use serde::Serialize;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::fastfield::FacetReader;
use tantivy::index::SegmentId;
use tantivy::schema::Facet;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

/// One facet value and its counts within the result set.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FacetValue {
    /// Display value: "hydrocodone/acetaminophen", "MTUS/Low Back Complaints".
    pub value: String,
    pub count: u64,
    /// Of `count`, how many were overturned.
    pub overturned: u64,
    /// The facet path, for `--guideline` / drill-down: "/guideline/MTUS/Low Back Complaints".
    pub path: String,
}

impl FacetValue {
    pub fn overturn_rate(&self) -> f64 {
        if self.count == 0 {
            0.0
        } else {
            self.overturned as f64 / self.count as f64
        }
    }
}

/// The counts of one facet group, largest first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FacetGroup {
    pub name: &'static str,
    pub values: Vec<FacetValue>,
}

/// A node's encoded path, its count and its overturned count.
pub type Counted = (Vec<u8>, u64, u64);

/// Per facet asked for (in the order asked), the counts of its nodes.
pub type TallyFruit = Vec<Vec<Counted>>;

/// The first `depth` steps of an encoded facet path (steps are separated by 0 bytes), if it
/// has that many.
fn prefix(encoded: &[u8], depth: usize) -> Option<&[u8]> {
    let mut seen = 0;
    for (i, &b) in encoded.iter().enumerate() {
        if b == 0 {
            seen += 1;
            if seen == depth {
                return Some(&encoded[..i]);
            }
        }
    }
    (seen + 1 == depth && !encoded.is_empty()).then_some(encoded)
}

/// How many steps an encoded path has.
pub fn depth_of(encoded: &[u8]) -> usize {
    encoded.iter().filter(|&&b| b == 0).count() + 1
}

/// For one segment's facet column: the nodes each ordinal counts under (itself and its
/// ancestors below the field's own step, down to the depth asked), as one flat array.
#[derive(Debug)]
pub struct NodeMap {
    /// `nodes[starts[ord]..starts[ord + 1]]` are ordinal `ord`'s nodes.
    starts: Vec<u32>,
    nodes: Vec<u32>,
    /// Per node: its encoded path.
    paths: Vec<Vec<u8>>,
}

impl NodeMap {
    fn build(reader: &FacetReader, max_depth: usize) -> Result<NodeMap> {
        let mut interned: HashMap<Vec<u8>, u32> = HashMap::new();
        let mut paths: Vec<Vec<u8>> = Vec::new();
        let mut starts = Vec::with_capacity(reader.num_facets() + 1);
        let mut nodes = Vec::new();
        let mut stream = reader
            .facet_dict()
            .stream()
            .map_err(|e| Error::tantivy("facet terms", e.into()))?;
        starts.push(0);
        while stream.advance() {
            let key = stream.key();
            for depth in 2..=max_depth {
                let Some(p) = prefix(key, depth) else {
                    break;
                };
                let id = *interned.entry(p.to_vec()).or_insert_with(|| {
                    paths.push(p.to_vec());
                    (paths.len() - 1) as u32
                });
                nodes.push(id);
            }
            starts.push(nodes.len() as u32);
        }
        Ok(NodeMap {
            starts,
            nodes,
            paths,
        })
    }

    /// How many nodes.
    pub fn len(&self) -> usize {
        self.paths.len()
    }

    pub fn is_empty(&self) -> bool {
        self.paths.is_empty()
    }

    /// Per node: its encoded path.
    pub fn paths(&self) -> &[Vec<u8>] {
        &self.paths
    }

    pub(super) fn of(&self, ord: u64) -> &[u32] {
        let ord = ord as usize;
        match (self.starts.get(ord), self.starts.get(ord + 1)) {
            (Some(&a), Some(&b)) => &self.nodes[a as usize..b as usize],
            _ => &[],
        }
    }
}

/// Per-segment node tables, built on a segment's first use (segments never change).
pub type MapCache = Arc<Mutex<HashMap<(SegmentId, FacetId, usize), Arc<NodeMap>>>>;

/// Counts the nodes of some facets' trees over the hits it is given, with overturned counts.
pub struct Tally {
    /// Each facet counted, with the deepest path step counted.
    facets: Vec<(FacetId, usize)>,
    cache: MapCache,
    /// Segments whose counts come from in-memory arrays (`dense`), when this tally counts
    /// what they were built for.
    dense: Option<DenseCache>,
}

impl Tally {
    pub fn new(facets: Vec<(FacetId, usize)>, cache: MapCache) -> Tally {
        Tally {
            facets,
            cache,
            dense: None,
        }
    }

    /// What a search counts beside its hits: every facet that has groups, to its deepest;
    /// from `dense`'s arrays for the segments it holds.
    pub fn for_search(cache: MapCache, dense: Option<DenseCache>) -> Tally {
        let facets = FACETS
            .iter()
            .enumerate()
            .filter_map(|(id, f)| Some((id, f.groups.iter().map(|g| g.depth).max()?)))
            .collect();
        Tally {
            dense,
            ..Tally::new(facets, cache)
        }
    }

    /// The facets counted, each with its deepest step.
    pub fn facets(&self) -> &[(FacetId, usize)] {
        &self.facets
    }

    pub(super) fn map(
        &self,
        segment: &SegmentReader,
        facet: FacetId,
        depth: usize,
    ) -> tantivy::Result<(FacetReader, Arc<NodeMap>)> {
        let reader = segment.facet_reader(FACETS[facet].name)?;
        let key = (segment.segment_id(), facet, depth);
        let lock = || self.cache.lock().unwrap_or_else(|p| p.into_inner());
        let cached = lock().get(&key).cloned();
        let map = match cached {
            Some(m) => m,
            None => {
                let m = Arc::new(
                    NodeMap::build(&reader, depth)
                        .map_err(|e| tantivy::TantivyError::InternalError(e.to_string()))?,
                );
                lock().insert(key, m.clone());
                m
            }
        };
        Ok((reader, map))
    }
}

/// One segment's counting: from the facet columns, or from the engine's arrays.
pub enum SegmentTally {
    Columns(ColumnTally),
    Dense(DenseTally),
}

pub struct ColumnTally {
    /// Per facet counted: its column, its node table, and per node [count, overturned].
    columns: Vec<(FacetReader, Arc<NodeMap>, Vec<[u32; 2]>)>,
    /// Per facet counted: per node, the last item counted plus one.
    stamps: Vec<Vec<u32>>,
    /// The decision column and the ordinal of /decision/overturned in this segment.
    decision: FacetReader,
    overturned: Option<u64>,
    /// Which of `columns` is the decision column, if it is counted: then it is read once.
    decision_column: Option<usize>,
    /// The decision ordinals of the item being counted, reused.
    ords: Vec<u64>,
}

/// The ordinal of /decision/overturned in a segment's decision column, if any item has it.
pub(super) fn overturned_ord(decision: &FacetReader) -> tantivy::Result<Option<u64>> {
    let over = Facet::from_path(["decision", "overturned"]);
    decision
        .facet_dict()
        .term_ord(over.encoded_str())
        .map_err(tantivy::TantivyError::from)
}

/// Adds up the counts of the same path from several segments.
fn merge_counts(values: impl IntoIterator<Item = Counted>) -> Vec<Counted> {
    let mut merged: HashMap<Vec<u8>, (u64, u64)> = HashMap::new();
    for (path, n, o) in values {
        let e = merged.entry(path).or_insert((0, 0));
        e.0 += n;
        e.1 += o;
    }
    merged.into_iter().map(|(k, (n, o))| (k, n, o)).collect()
}

impl Collector for Tally {
    type Fruit = TallyFruit;
    type Child = SegmentTally;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<SegmentTally> {
        if let Some(d) = self.dense.as_ref().and_then(|c| c.get(segment)) {
            return Ok(SegmentTally::Dense(DenseTally::new(d, segment)));
        }
        let decision = segment.facet_reader("decision")?;
        let overturned = overturned_ord(&decision)?;
        let mut columns = Vec::with_capacity(self.facets.len());
        let mut stamps = Vec::with_capacity(self.facets.len());
        for &(facet, depth) in &self.facets {
            let (reader, map) = self.map(segment, facet, depth)?;
            let n = map.paths.len();
            columns.push((reader, map, vec![[0, 0]; n]));
            stamps.push(vec![0; n]);
        }
        let decision_id = crate::index::facets::by_name("decision");
        Ok(SegmentTally::Columns(ColumnTally {
            columns,
            stamps,
            decision,
            overturned,
            decision_column: self.facets.iter().position(|(f, _)| *f == decision_id),
            ords: Vec::with_capacity(2),
        }))
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<TallyFruit>) -> tantivy::Result<TallyFruit> {
        let mut per_facet: Vec<Vec<Counted>> = vec![Vec::new(); self.facets.len()];
        for fruit in fruits {
            for (i, values) in fruit.into_iter().enumerate() {
                per_facet[i].extend(values);
            }
        }
        Ok(per_facet.into_iter().map(merge_counts).collect())
    }
}

impl SegmentCollector for SegmentTally {
    type Fruit = TallyFruit;

    fn collect(&mut self, doc: DocId, _: Score) {
        match self {
            SegmentTally::Columns(c) => c.collect(doc),
            SegmentTally::Dense(d) => d.collect(doc),
        }
    }

    fn harvest(self) -> TallyFruit {
        match self {
            SegmentTally::Columns(c) => c.harvest(),
            SegmentTally::Dense(d) => d.harvest(),
        }
    }
}

impl ColumnTally {
    fn collect(&mut self, doc: DocId) {
        let ColumnTally {
            columns,
            stamps,
            decision,
            overturned,
            decision_column,
            ords,
        } = self;
        // The decision is read once: it says whether the item was overturned, and is counted
        // itself when asked for.
        ords.clear();
        ords.extend(decision.facet_ords(doc));
        let add = u32::from(overturned.is_some_and(|o| ords.contains(&o)));
        for (i, ((reader, map, counts), stamp)) in columns.iter_mut().zip(stamps).enumerate() {
            let mut count = |ord: u64| {
                for &n in map.of(ord) {
                    let n = n as usize;
                    if stamp[n] != doc + 1 {
                        stamp[n] = doc + 1;
                        counts[n][0] += 1;
                        counts[n][1] += add;
                    }
                }
            };
            if Some(i) == *decision_column {
                ords.iter().for_each(|&o| count(o));
            } else {
                reader.facet_ords(doc).for_each(count);
            }
        }
    }

    fn harvest(self) -> TallyFruit {
        self.columns
            .into_iter()
            .map(|(_, map, counts)| {
                map.paths
                    .iter()
                    .zip(counts)
                    .filter(|(_, c)| c[0] > 0)
                    .map(|(p, c)| (p.clone(), u64::from(c[0]), u64::from(c[1])))
                    .collect()
            })
            .collect()
    }
}

/// The facet groups of a search's tally (from [`Tally::for_search`]), largest value first.
pub fn groups(fruit: TallyFruit) -> Vec<FacetGroup> {
    let counted = FACETS.iter().filter(|f| !f.groups.is_empty());
    let mut out = Vec::new();
    for (facet, nodes) in counted.zip(fruit) {
        for g in facet.groups {
            let mut values: Vec<FacetValue> = nodes
                .iter()
                .filter(|(key, _, _)| depth_of(key) == g.depth)
                .filter_map(|(key, count, overturned)| {
                    let facet = Facet::from_encoded(key.clone()).ok()?;
                    Some(FacetValue {
                        value: facet.to_path()[g.display_from..].join("/"),
                        path: facet.to_path_string(),
                        count: *count,
                        overturned: *overturned,
                    })
                })
                .collect();
            values.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
            out.push(FacetGroup {
                name: g.name,
                values,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_and_depths_of_encoded_paths() {
        let f = Facet::from_path(["medication", "opioid", "tramadol"]);
        let key = f.encoded_str().as_bytes();
        assert_eq!(depth_of(key), 3);
        assert_eq!(
            prefix(key, 2),
            Some(
                Facet::from_path(["medication", "opioid"])
                    .encoded_str()
                    .as_bytes()
            )
        );
        assert_eq!(prefix(key, 3), Some(key));
        assert_eq!(prefix(key, 4), None);
    }
}
