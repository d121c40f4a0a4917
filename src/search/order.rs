//! Date orders that give the same list every time: newest (or oldest) decision first, ties
//! broken by letter (case number, else file stem) and then item number, undated items last.
//!
//! tantivy's own fast-field order breaks ties by where documents landed in the index, which
//! two indexing threads do not fix, so a precedent list by date could shuffle between two
//! indexes of the same letters. [`DateOrder`] keeps, per segment, the best `offset + limit`
//! items by (date, letter ordinal, item): within a segment a string column's ordinals sort
//! as its strings do, so no string is read while collecting. The segments' runs are then
//! merged by the strings themselves, reading a letter id only where two segments' items
//! tie on the date (at most the page plus one per segment). It also notes the first
//! and last decision date of every item it sees, which is the date span of the whole result
//! set (not just the page): [`DateSpan`].

use serde::Serialize;
use std::collections::BinaryHeap;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DateTime, DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

/// The decision dates of a result set: the first and last, and how many items have none.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DateSpan {
    /// `YYYY-MM-DD`, None when no item is dated.
    pub first: Option<String>,
    pub last: Option<String>,
    pub undated: u64,
}

/// Sort key within one segment: undated last, then the date (negated for newest first),
/// then the letter's ordinal in this segment's column, then the item number.
type SegKey = (bool, i64, u64, u64);

/// Collects the page `offset..offset + limit` of a result set in date order, and its
/// [`DateSpan`].
pub struct DateOrder {
    pub newest_first: bool,
    /// How many items to keep: the page's end (`offset + limit`).
    pub keep: usize,
}

/// What one segment kept, best first by its own key, with the column that names its
/// letters, and its span.
pub struct Kept {
    items: Vec<(SegKey, DocAddress)>,
    letters: Option<StrColumn>,
    /// Days since 1970 of the first and last dates seen, and the undated count.
    span: (Option<i64>, Option<i64>, u64),
}

pub struct SegmentDateOrder {
    segment: SegmentOrdinal,
    newest_first: bool,
    keep: usize,
    dates: Column<DateTime>,
    letters: Option<StrColumn>,
    items: Column<u64>,
    /// The best `keep` so far, worst on top.
    heap: BinaryHeap<(SegKey, DocId)>,
    span: (Option<i64>, Option<i64>, u64),
}

impl Collector for DateOrder {
    type Fruit = (Vec<DocAddress>, DateSpan);
    type Child = SegmentDateOrder;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentDateOrder> {
        let ff = reader.fast_fields();
        Ok(SegmentDateOrder {
            segment,
            newest_first: self.newest_first,
            keep: self.keep,
            dates: ff.date("decision_date")?,
            letters: ff.str("letter_id")?,
            items: ff.u64("item_index")?,
            heap: BinaryHeap::with_capacity(self.keep.min(10_000) + 1),
            span: (None, None, 0),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Kept>) -> tantivy::Result<Self::Fruit> {
        let (mut first, mut last, mut undated) = (None::<i64>, None::<i64>, 0);
        for k in &fruits {
            first = min_some(first, k.span.0);
            last = max_some(last, k.span.1);
            undated += k.span.2;
        }
        let span = DateSpan {
            first: first.map(crate::index::document::days_to_iso),
            last: last.map(crate::index::document::days_to_iso),
            undated,
        };
        Ok((merge(fruits, self.keep), span))
    }
}

fn min_some(a: Option<i64>, b: Option<i64>) -> Option<i64> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, y) => x.or(y),
    }
}

fn max_some(a: Option<i64>, b: Option<i64>) -> Option<i64> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.max(y)),
        (x, y) => x.or(y),
    }
}

impl SegmentCollector for SegmentDateOrder {
    type Fruit = Kept;

    fn collect(&mut self, doc: DocId, _: Score) {
        let day = self
            .dates
            .first(doc)
            .map(|d| d.into_timestamp_secs().div_euclid(86_400));
        match day {
            Some(d) => {
                self.span.0 = min_some(self.span.0, Some(d));
                self.span.1 = max_some(self.span.1, Some(d));
            }
            None => self.span.2 += 1,
        }
        if self.keep == 0 {
            return;
        }
        let signed = day.map_or(0, |d| if self.newest_first { -d } else { d });
        // Most hits of a large set are later than the worst kept one by date alone: their
        // letter and item columns are not read.
        let full = self.heap.len() >= self.keep;
        if full
            && self
                .heap
                .peek()
                .is_some_and(|((u, s, _, _), _)| (day.is_none(), signed) > (*u, *s))
        {
            return;
        }
        let letter = self
            .letters
            .as_ref()
            .and_then(|c| c.term_ords(doc).next())
            .unwrap_or(0);
        let item = self.items.first(doc).unwrap_or(0);
        let key = (day.is_none(), signed, letter, item);
        if !full {
            self.heap.push((key, doc));
        } else if self.heap.peek().is_some_and(|(worst, _)| key < *worst) {
            self.heap.pop();
            self.heap.push((key, doc));
        }
    }

    fn harvest(self) -> Kept {
        let segment = self.segment;
        Kept {
            items: self
                .heap
                .into_sorted_vec()
                .into_iter()
                .map(|(key, doc)| (key, DocAddress::new(segment, doc)))
                .collect(),
            letters: self.letters,
            span: self.span,
        }
    }
}

/// One segment's kept items in its own order, read from the front as the segments merge;
/// a letter id is read from the column only when it is needed to break a tie of dates
/// across segments, and at most once.
struct Run {
    items: std::vec::IntoIter<(SegKey, DocAddress)>,
    letters: Option<StrColumn>,
    head: Option<(SegKey, DocAddress)>,
    /// The head's letter id, once read.
    name: Option<String>,
}

impl Run {
    fn new(kept: Kept) -> Run {
        let mut items = kept.items.into_iter();
        let head = items.next();
        Run {
            items,
            letters: kept.letters,
            head,
            name: None,
        }
    }

    fn advance(&mut self) {
        self.head = self.items.next();
        self.name = None;
    }

    /// Reads the head's letter id into `name`, once.
    fn name(&mut self) {
        if self.name.is_none() {
            let mut name = String::new();
            // An unreadable id sorts as empty: the order is still total and the item is
            // still listed; a damaged column is reported when the item itself is loaded.
            let ok = match (&self.letters, &self.head) {
                (Some(c), Some(((_, _, ord, _), _))) => {
                    c.ord_to_str(*ord, &mut name).unwrap_or(false)
                }
                _ => false,
            };
            if !ok {
                name.clear();
            }
            self.name = Some(name);
        }
    }
}

/// Whether run `a`'s head comes before run `b`'s: by date, then letter id, then item.
fn before(runs: &mut [Run], a: usize, b: usize) -> bool {
    let (ka, kb) = match (runs[a].head, runs[b].head) {
        (Some((ka, _)), Some((kb, _))) => (ka, kb),
        (x, _) => return x.is_some(),
    };
    if (ka.0, ka.1) != (kb.0, kb.1) {
        return (ka.0, ka.1) < (kb.0, kb.1);
    }
    runs[a].name();
    runs[b].name();
    let (na, nb) = (runs[a].name.as_deref(), runs[b].name.as_deref());
    (na, ka.3) < (nb, kb.3)
}

/// The first `keep` items of the segments' kept runs, in the order of whole strings.
fn merge(fruits: Vec<Kept>, keep: usize) -> Vec<DocAddress> {
    let mut runs: Vec<Run> = fruits.into_iter().map(Run::new).collect();
    let mut out = Vec::with_capacity(keep.min(10_000));
    while out.len() < keep {
        let mut best: Option<usize> = None;
        for i in 0..runs.len() {
            if runs[i].head.is_some() && best.is_none_or(|b| before(&mut runs, i, b)) {
                best = Some(i);
            }
        }
        let Some(b) = best else { break };
        if let Some((_, addr)) = runs[b].head {
            out.push(addr);
        }
        runs[b].advance();
    }
    out
}
