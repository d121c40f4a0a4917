//! Facet counts over a result set: per decision, drug, class, guideline, specialty and
//! category, each with how many of its items were overturned.
//!
//! [`Tally`] counts them in the same pass that ranks the hits: per matching item it reads
//! the facet ordinals of five columns, maps each ordinal to the value it counts under (a
//! drug's class, a page's guideline document) through a table built once per segment and
//! cached, and adds one to the value's count and, if the item's decision is overturned, to
//! its overturned count. One pass, no second query for the overturned share.

use crate::error::Result;
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
    /// The facet path, for `--guideline` / drill-down: "/guideline/MTUS/Low Back Complaints".
    pub path: String,
    pub count: u64,
    /// Of `count`, how many were overturned.
    pub overturned: u64,
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

/// The counts of one facet, largest first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FacetGroup {
    pub name: &'static str,
    pub values: Vec<FacetValue>,
}

/// A facet group: its name, the facet field it reads, the depth of the paths it counts
/// (path steps: /medication/opioid/tramadol is 3) and how many leading steps the displayed
/// value drops.
struct GroupSpec {
    name: &'static str,
    field: &'static str,
    depth: usize,
    display_skip: usize,
}

/// The facet groups of search results, in display order.
const SPECS: [GroupSpec; 6] = [
    GroupSpec {
        name: "decision",
        field: "decision",
        depth: 2,
        display_skip: 1,
    },
    GroupSpec {
        name: "medication",
        field: "medication",
        depth: 3,
        display_skip: 2,
    },
    GroupSpec {
        name: "class",
        field: "medication",
        depth: 2,
        display_skip: 1,
    },
    GroupSpec {
        name: "guideline",
        field: "guideline",
        depth: 3,
        display_skip: 1,
    },
    GroupSpec {
        name: "specialty",
        field: "specialty",
        depth: 2,
        display_skip: 1,
    },
    GroupSpec {
        name: "category",
        field: "category",
        depth: 2,
        display_skip: 1,
    },
];

/// The facet fields read, in order; the first must be the decision (it says what is
/// overturned).
const FIELDS: [&str; 5] = [
    "decision",
    "medication",
    "guideline",
    "specialty",
    "category",
];

const NONE: u32 = u32::MAX;

/// For one segment's facet field: per group reading it, each ordinal's value index (NONE
/// when the facet is shallower than the group), and the values' encoded paths.
#[derive(Debug)]
pub struct FieldMap {
    groups: Vec<(usize, Vec<u32>, Vec<Vec<u8>>)>,
}

/// The first `depth` steps of an encoded facet path (steps are separated by 0 bytes), if it
/// has that many.
pub(crate) fn prefix(encoded: &[u8], depth: usize) -> Option<&[u8]> {
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

fn field_map(reader: &FacetReader, field: &str) -> Result<FieldMap> {
    let mut groups: Vec<(usize, Vec<u32>, Vec<Vec<u8>>)> = SPECS
        .iter()
        .enumerate()
        .filter(|(_, s)| s.field == field)
        .map(|(g, _)| (g, Vec::with_capacity(reader.num_facets()), Vec::new()))
        .collect();
    let mut stream = reader
        .facet_dict()
        .stream()
        .map_err(|e| crate::error::Error::Other(format!("facet terms: {e}")))?;
    while stream.advance() {
        let key = stream.key();
        for (g, ords, values) in &mut groups {
            let idx = match prefix(key, SPECS[*g].depth) {
                None => NONE,
                Some(p) => {
                    // Sorted terms: a value's facets are contiguous.
                    if values.last().map(Vec::as_slice) != Some(p) {
                        values.push(p.to_vec());
                    }
                    (values.len() - 1) as u32
                }
            };
            ords.push(idx);
        }
    }
    Ok(FieldMap { groups })
}

/// The ordinal of /decision/overturned in a segment's decision column, if any item has it.
pub(crate) fn overturned_ord(decision: &FacetReader) -> tantivy::Result<Option<u64>> {
    let over = Facet::from_path(["decision", "overturned"]);
    decision
        .facet_dict()
        .term_ord(over.encoded_str())
        .map_err(tantivy::TantivyError::from)
}

/// Per-segment ordinal tables, built on a segment's first use (segments never change).
pub type MapCache = Arc<Mutex<HashMap<(SegmentId, &'static str), Arc<FieldMap>>>>;

/// Counts every facet group over the hits it is given, with overturned shares.
pub struct Tally {
    cache: MapCache,
}

impl Tally {
    pub fn new(cache: MapCache) -> Tally {
        Tally { cache }
    }
}

pub struct SegmentTally {
    fields: Vec<(FacetReader, Arc<FieldMap>)>,
    /// The ordinal of /decision/overturned in this segment.
    overturned: Option<u64>,
    /// Per group, per value: [count, overturned].
    counts: Vec<Vec<[u32; 2]>>,
    /// The ordinals of the column being read, reused.
    ords: Vec<u64>,
}

/// A facet value's encoded path, its count and its overturned count.
pub(crate) type Counted = (Vec<u8>, u64, u64);

/// Per group, its values' counts.
pub type TallyFruit = Vec<Vec<Counted>>;

/// Adds up the counts of the same path from several segments.
pub(crate) fn merge_counts(values: impl IntoIterator<Item = Counted>) -> Vec<Counted> {
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
        let mut fields = Vec::with_capacity(FIELDS.len());
        let mut counts: Vec<Vec<[u32; 2]>> = (0..SPECS.len()).map(|_| Vec::new()).collect();
        let mut overturned = None;
        for field in FIELDS {
            let reader = segment.facet_reader(field)?;
            let key = (segment.segment_id(), field);
            let cached = self
                .cache
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .get(&key)
                .cloned();
            let map = match cached {
                Some(m) => m,
                None => {
                    let m = Arc::new(
                        field_map(&reader, field)
                            .map_err(|e| tantivy::TantivyError::InternalError(e.to_string()))?,
                    );
                    self.cache
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .insert(key, m.clone());
                    m
                }
            };
            for (g, _, values) in &map.groups {
                counts[*g] = vec![[0, 0]; values.len()];
            }
            if field == "decision" {
                overturned = overturned_ord(&reader)?;
            }
            fields.push((reader, map));
        }
        Ok(SegmentTally {
            fields,
            overturned,
            counts,
            ords: Vec::with_capacity(16),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<TallyFruit>) -> tantivy::Result<TallyFruit> {
        let mut per_group: Vec<Vec<Counted>> = (0..SPECS.len()).map(|_| Vec::new()).collect();
        for fruit in fruits {
            for (g, values) in fruit.into_iter().enumerate() {
                per_group[g].extend(values);
            }
        }
        Ok(per_group.into_iter().map(merge_counts).collect())
    }
}

impl SegmentCollector for SegmentTally {
    type Fruit = TallyFruit;

    fn collect(&mut self, doc: DocId, _: Score) {
        let SegmentTally {
            fields,
            overturned,
            counts,
            ords,
        } = self;
        let mut add = 0;
        for (i, (reader, map)) in fields.iter().enumerate() {
            // Each column read once, whatever the number of groups counted from it.
            ords.clear();
            ords.extend(reader.facet_ords(doc));
            if i == 0 {
                // The decision column comes first: it says whether the item was overturned.
                add = u32::from(overturned.is_some_and(|o| ords.contains(&o)));
            }
            for (g, table, _) in &map.groups {
                let counts = &mut counts[*g];
                let mut last = NONE;
                for &ord in ords.iter() {
                    let v = table[ord as usize];
                    if v != NONE && v != last {
                        let c = &mut counts[v as usize];
                        c[0] += 1;
                        c[1] += add;
                        last = v;
                    }
                }
            }
        }
    }

    fn harvest(self) -> TallyFruit {
        let SegmentTally { fields, counts, .. } = self;
        let mut out: TallyFruit = (0..SPECS.len()).map(|_| Vec::new()).collect();
        for (_, map) in &fields {
            for (g, _, values) in &map.groups {
                out[*g] = values
                    .iter()
                    .zip(&counts[*g])
                    .filter(|(_, c)| c[0] > 0)
                    .map(|(k, c)| (k.clone(), u64::from(c[0]), u64::from(c[1])))
                    .collect();
            }
        }
        out
    }
}

/// The facet groups of a tally, largest value first.
pub fn groups(fruit: TallyFruit) -> Vec<FacetGroup> {
    SPECS
        .iter()
        .zip(fruit)
        .map(|(spec, values)| {
            let mut values: Vec<FacetValue> = values
                .into_iter()
                .filter_map(|(key, count, overturned)| {
                    let facet = Facet::from_encoded(key).ok()?;
                    let value = facet.to_path()[spec.display_skip..].join("/");
                    Some(FacetValue {
                        value,
                        path: facet.to_path_string(),
                        count,
                        overturned,
                    })
                })
                .collect();
            values.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
            FacetGroup {
                name: spec.name,
                values,
            }
        })
        .collect()
}
