//! A word matched in any of a few fields, scored by its best field: what tantivy's
//! `DisjunctionMaxQuery` computes, with the same scores, but seeking lazily.
//!
//! tantivy builds a disjunction as a buffered union, which on every seek past its window
//! scores the next 4,096 documents of each field ahead of time. A query's every word must
//! match in the item's text or its letter's summary, so each word is such a disjunction
//! inside an intersection that seeks from one candidate to the next: for a word found in
//! nearly every item ("pain") the union scored thousands of items per candidate
//! (a quarter of `gabapentin neuropathic pain overturned`). Here a seek moves each field's
//! scorer to the target and nothing more.

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, Term, TERMINATED};

/// Matches what any of its queries matches; scores `max + tie_breaker * (sum - max)` over
/// the queries matching the document, as `DisjunctionMaxQuery` does.
#[derive(Debug)]
pub struct FieldsMax {
    queries: Vec<Box<dyn Query>>,
    tie_breaker: Score,
    /// Sum the matching queries' scores instead (what a union of SHOULD clauses computes).
    sum: bool,
}

impl Clone for FieldsMax {
    fn clone(&self) -> Self {
        FieldsMax {
            queries: self.queries.iter().map(|q| q.box_clone()).collect(),
            tie_breaker: self.tie_breaker,
            sum: self.sum,
        }
    }
}

impl FieldsMax {
    pub fn new(queries: Vec<Box<dyn Query>>, tie_breaker: Score) -> FieldsMax {
        FieldsMax {
            queries,
            tie_breaker,
            sum: false,
        }
    }

    /// The optional clauses of a query, as one: matches what any matches, scores the sum of
    /// those matching (in order, as tantivy's union of SHOULD clauses sums them), seeking
    /// lazily.
    pub fn sum(queries: Vec<Box<dyn Query>>) -> FieldsMax {
        FieldsMax {
            queries,
            tie_breaker: 1.0,
            sum: true,
        }
    }
}

impl Query for FieldsMax {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(FieldsMaxWeight {
            weights: self
                .queries
                .iter()
                .map(|q| q.weight(enable_scoring))
                .collect::<tantivy::Result<_>>()?,
            tie_breaker: self.tie_breaker,
            sum: self.sum,
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for q in &self.queries {
            q.query_terms(visitor);
        }
    }
}

struct FieldsMaxWeight {
    weights: Vec<Box<dyn Weight>>,
    tie_breaker: Score,
    sum: bool,
}

impl Weight for FieldsMaxWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let scorers: Vec<Box<dyn Scorer>> = self
            .weights
            .iter()
            .map(|w| w.scorer(reader, boost))
            .collect::<tantivy::Result<_>>()?;
        let doc = scorers.iter().map(|s| s.doc()).min().unwrap_or(TERMINATED);
        Ok(Box::new(FieldsMaxScorer {
            scorers,
            doc,
            tie_breaker: self.tie_breaker,
            sum: self.sum,
        }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) != doc {
            return Err(tantivy::TantivyError::InvalidArgument(format!(
                "document {doc} does not match"
            )));
        }
        let mut e = Explanation::new("best field, plus the others times the tie breaker", {
            scorer.score()
        });
        for w in &self.weights {
            if let Ok(sub) = w.explain(reader, doc) {
                e.add_detail(sub);
            }
        }
        Ok(e)
    }
}

struct FieldsMaxScorer {
    scorers: Vec<Box<dyn Scorer>>,
    doc: DocId,
    tie_breaker: Score,
    sum: bool,
}

impl FieldsMaxScorer {
    fn settle(&mut self) -> DocId {
        self.doc = self
            .scorers
            .iter()
            .map(|s| s.doc())
            .min()
            .unwrap_or(TERMINATED);
        self.doc
    }
}

impl DocSet for FieldsMaxScorer {
    fn advance(&mut self) -> DocId {
        let doc = self.doc;
        for s in &mut self.scorers {
            if s.doc() == doc {
                s.advance();
            }
        }
        self.settle()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        for s in &mut self.scorers {
            if s.doc() < target {
                s.seek(target);
            }
        }
        self.settle()
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.scorers
            .iter()
            .map(|s| s.size_hint())
            .max()
            .unwrap_or(0)
    }
}

impl Scorer for FieldsMaxScorer {
    fn score(&mut self) -> Score {
        // In the order of the fields, as the union sums them: the same float result.
        let (mut max, mut sum) = (0.0 as Score, 0.0 as Score);
        let doc = self.doc;
        for s in &mut self.scorers {
            if s.doc() == doc {
                let v = s.score();
                max = Score::max(v, max);
                sum += v;
            }
        }
        if self.sum {
            sum
        } else {
            max + (sum - max) * self.tie_breaker
        }
    }
}
