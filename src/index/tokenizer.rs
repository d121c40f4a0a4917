//! The `imr_en` tokenizer: words and drug strengths.
//!
//! "Norco 10/325mg #60" → `Norco`, `10/325`, `mg`, `60`. Digits joined by '/', '.' or ','
//! stay one token so a strength matches exactly ("7.5", "10/325"); a unit is split from its
//! number so "10/325mg" and "10/325 mg" index alike; letters then digits stay together
//! ("L5", "S1": spinal levels mean something). Lower-casing, stop words and stemming are
//! filters after it (see `schema.rs`).

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use tantivy::tokenizer::{TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer};

#[derive(Clone, Default)]
pub struct ImrTokenizer {
    token: Token,
}

pub struct ImrTokenStream<'a> {
    text: &'a str,
    pos: usize,
    token: &'a mut Token,
}

impl Tokenizer for ImrTokenizer {
    type TokenStream<'a> = ImrTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> ImrTokenStream<'a> {
        self.token.reset();
        ImrTokenStream {
            text,
            pos: 0,
            token: &mut self.token,
        }
    }
}

impl ImrTokenStream<'_> {
    fn char_at(&self, at: usize) -> Option<char> {
        self.text[at..].chars().next()
    }

    /// End of a number starting at `at`: digits, with '/', '.' or ',' between digits.
    fn number_end(&self, mut at: usize) -> usize {
        let bytes = self.text.as_bytes();
        loop {
            while at < bytes.len() && bytes[at].is_ascii_digit() {
                at += 1;
            }
            let joins = at + 1 < bytes.len()
                && matches!(bytes[at], b'/' | b'.' | b',')
                && bytes[at + 1].is_ascii_digit();
            if !joins {
                return at;
            }
            at += 1;
        }
    }

    fn word_end(&self, at: usize) -> usize {
        self.text[at..]
            .char_indices()
            .find(|(_, c)| !c.is_alphanumeric())
            .map_or(self.text.len(), |(i, _)| at + i)
    }
}

impl TokenStream for ImrTokenStream<'_> {
    fn advance(&mut self) -> bool {
        self.token.text.clear();
        while let Some(c) = self.char_at(self.pos) {
            if !c.is_alphanumeric() {
                self.pos += c.len_utf8();
                continue;
            }
            let start = self.pos;
            let end = if c.is_ascii_digit() {
                self.number_end(start)
            } else {
                self.word_end(start)
            };
            self.pos = end;
            self.token.position = self.token.position.wrapping_add(1);
            self.token.offset_from = start;
            self.token.offset_to = end;
            self.token.text.push_str(&self.text[start..end]);
            return true;
        }
        false
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

/// The concept token indexed wherever a phrasing of a synonym group occurs: `@` and the
/// group's canonical phrase ("@urine drug screen"). The tokenizer never makes a token with
/// '@' or a space, so these cannot collide with words.
pub fn concept_token(canonical: &str) -> String {
    format!("@{canonical}")
}

/// Synonym groups as analyzed token sequences, for recognising them while indexing.
#[derive(Debug, Default)]
pub struct Concepts {
    /// First token → (the following tokens, the concept token).
    by_first: HashMap<String, Vec<(Vec<String>, String)>>,
    longest: usize,
    /// Changes whenever a phrasing or its analysis does: kept in the index's version file.
    pub fingerprint: u64,
}

impl Concepts {
    /// `groups`: canonical phrase first, then its variants. `base` is the analyzer the
    /// text is indexed with, without concept recognition.
    pub fn new(groups: &[Vec<String>], base: &mut TextAnalyzer) -> Concepts {
        let mut c = Concepts::default();
        // FNV-1a over every phrasing's analyzed tokens: stable across runs and platforms.
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        let mut feed = |bytes: &[u8]| {
            for &b in bytes {
                hash ^= u64::from(b);
                hash = hash.wrapping_mul(0x0100_0000_01b3);
            }
        };
        for group in groups {
            let Some(canonical) = group.first() else {
                continue;
            };
            let token = concept_token(canonical);
            feed(token.as_bytes());
            for phrase in group {
                let mut stream = base.token_stream(phrase);
                let mut words = Vec::new();
                while stream.advance() {
                    words.push(stream.token().text.clone());
                }
                let Some((first, rest)) = words.split_first() else {
                    continue;
                };
                for w in &words {
                    feed(w.as_bytes());
                    feed(&[0]);
                }
                feed(&[1]);
                let entry = c.by_first.entry(first.clone()).or_default();
                if !entry.iter().any(|(r, t)| r == rest && *t == token) {
                    entry.push((rest.to_vec(), token.clone()));
                }
                c.longest = c.longest.max(words.len());
            }
        }
        c.fingerprint = hash;
        c
    }
}

/// A token filter (last in the chain) that adds a concept token, at the position of the
/// phrase's first word, after every phrasing of a synonym group it sees: "urine drug
/// screening", "UDS" and "urine toxicology" all index `@urine drug screen`, so a concept
/// query is one term lookup instead of a union of phrase matches.
#[derive(Clone)]
pub struct ConceptFilter(pub Arc<Concepts>);

impl TokenFilter for ConceptFilter {
    type Tokenizer<T: Tokenizer> = ConceptTokenizer<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> ConceptTokenizer<T> {
        ConceptTokenizer {
            inner,
            concepts: self.0,
        }
    }
}

#[derive(Clone)]
pub struct ConceptTokenizer<T> {
    inner: T,
    concepts: Arc<Concepts>,
}

impl<T: Tokenizer> Tokenizer for ConceptTokenizer<T> {
    type TokenStream<'a> = ConceptStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        ConceptStream {
            inner: self.inner.token_stream(text),
            concepts: &self.concepts,
            ahead: VecDeque::new(),
            pending: VecDeque::new(),
            current: Token::default(),
            spare: Vec::new(),
            exhausted: false,
        }
    }
}

pub struct ConceptStream<'a, S> {
    inner: S,
    concepts: &'a Concepts,
    /// Tokens read from `inner` but not yet emitted (the lookahead).
    ahead: VecDeque<Token>,
    /// Concept tokens to emit before the next word.
    pending: VecDeque<Token>,
    current: Token,
    /// Emitted word tokens, reused for the lookahead.
    spare: Vec<Token>,
    exhausted: bool,
}

impl<S: TokenStream> TokenStream for ConceptStream<'_, S> {
    fn advance(&mut self) -> bool {
        if let Some(t) = self.pending.pop_front() {
            self.current = t;
            return true;
        }
        while !self.exhausted && self.ahead.len() < self.concepts.longest.max(1) {
            if self.inner.advance() {
                // Copy into a recycled token: the inner stream keeps its own (its position
                // counter lives there).
                let from = self.inner.token();
                let mut t = self.spare.pop().unwrap_or_default();
                t.text.clear();
                t.text.push_str(&from.text);
                t.offset_from = from.offset_from;
                t.offset_to = from.offset_to;
                t.position = from.position;
                t.position_length = from.position_length;
                self.ahead.push_back(t);
            } else {
                self.exhausted = true;
            }
        }
        let Some(word) = self.ahead.pop_front() else {
            return false;
        };
        if let Some(candidates) = self.concepts.by_first.get(&word.text) {
            for (rest, concept) in candidates {
                let matches = rest.len() <= self.ahead.len()
                    && rest.iter().zip(&self.ahead).all(|(r, t)| *r == t.text);
                if !matches || self.pending.iter().any(|p| p.text == *concept) {
                    continue;
                }
                let last = rest.len().checked_sub(1).map_or(&word, |i| &self.ahead[i]);
                self.pending.push_back(Token {
                    offset_from: word.offset_from,
                    offset_to: last.offset_to,
                    position: word.position,
                    text: concept.clone(),
                    position_length: rest.len() + 1,
                });
            }
        }
        self.spare.push(std::mem::replace(&mut self.current, word));
        true
    }

    fn token(&self) -> &Token {
        &self.current
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.current
    }
}

/// The English Snowball stemmer (tantivy's own), with a cache of the words it has stemmed:
/// letters use a small vocabulary over and over, and a lookup costs a fraction of stemming.
#[derive(Clone, Copy, Default)]
pub struct CachedStemmer;

/// Words cached per analyzer before the cache is cleared and refilled.
const STEM_CACHE_WORDS: usize = 100_000;

impl TokenFilter for CachedStemmer {
    type Tokenizer<T: Tokenizer> = CachedStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> CachedStemmerFilter<T> {
        CachedStemmerFilter {
            inner,
            cache: HashMap::new(),
        }
    }
}

#[derive(Clone)]
pub struct CachedStemmerFilter<T> {
    inner: T,
    cache: HashMap<String, String>,
}

impl<T: Tokenizer> Tokenizer for CachedStemmerFilter<T> {
    type TokenStream<'a> = CachedStemmerStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        CachedStemmerStream {
            tail: self.inner.token_stream(text),
            cache: &mut self.cache,
            stemmer: frostem::Stemmer::new(frostem::Algorithm::English),
        }
    }
}

pub struct CachedStemmerStream<'a, S> {
    tail: S,
    cache: &'a mut HashMap<String, String>,
    stemmer: frostem::Stemmer,
}

impl<S: TokenStream> TokenStream for CachedStemmerStream<'_, S> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        if let Some(stem) = self.cache.get(&token.text) {
            token.text.clear();
            token.text.push_str(stem);
            return true;
        }
        let stem = self.stemmer.stem(&token.text).into_owned();
        if self.cache.len() >= STEM_CACHE_WORDS {
            self.cache.clear();
        }
        self.cache
            .insert(std::mem::replace(&mut token.text, stem.clone()), stem);
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

/// An analyzer that remembers the last text it analyzed and replays its tokens when given
/// the same text again. A letter's summary is indexed on each of its items, one after
/// another on one indexing thread: it is analyzed once per letter, not once per item.
#[derive(Clone)]
pub struct Memo {
    inner: TextAnalyzer,
    last: String,
    tokens: Vec<Token>,
    len: usize,
}

impl Memo {
    pub fn new(inner: TextAnalyzer) -> Memo {
        Memo {
            inner,
            last: String::new(),
            tokens: Vec::new(),
            len: 0,
        }
    }
}

impl Tokenizer for Memo {
    type TokenStream<'a> = Replay<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Replay<'a> {
        if self.last != text || self.len == 0 {
            self.last.clear();
            self.last.push_str(text);
            self.len = 0;
            let mut stream = self.inner.token_stream(text);
            while stream.advance() {
                let t = stream.token();
                match self.tokens.get_mut(self.len) {
                    Some(slot) => slot.clone_from(t),
                    None => self.tokens.push(t.clone()),
                }
                self.len += 1;
            }
        }
        Replay {
            tokens: &self.tokens[..self.len],
            next: 0,
            current: Token::default(),
        }
    }
}

pub struct Replay<'a> {
    tokens: &'a [Token],
    next: usize,
    current: Token,
}

impl TokenStream for Replay<'_> {
    fn advance(&mut self) -> bool {
        match self.tokens.get(self.next) {
            Some(t) => {
                self.current.clone_from(t);
                self.next += 1;
                true
            }
            None => false,
        }
    }

    fn token(&self) -> &Token {
        &self.current
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.current
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Vec<String> {
        let mut t = ImrTokenizer::default();
        let mut s = t.token_stream(text);
        let mut out = Vec::new();
        while s.advance() {
            out.push(s.token().text.clone());
        }
        out
    }

    #[test]
    fn strengths_and_quantities() {
        assert_eq!(
            tokens("Norco 10/325mg #60"),
            ["Norco", "10/325", "mg", "60"]
        );
        assert_eq!(
            tokens("Norco 10/325 mg # 60"),
            ["Norco", "10/325", "mg", "60"]
        );
        assert_eq!(
            tokens("Cyclobenzaprine 7.5mg"),
            ["Cyclobenzaprine", "7.5", "mg"]
        );
        assert_eq!(tokens("Capsaicin 0.025%."), ["Capsaicin", "0.025"]);
        assert_eq!(tokens("L4-5, L5-S1."), ["L4", "5", "L5", "S1"]);
        assert_eq!(
            tokens("not medically necessary."),
            ["not", "medically", "necessary"]
        );
        assert_eq!(
            tokens("positive.Prior résumé"),
            ["positive", "Prior", "résumé"]
        );
    }

    #[test]
    fn offsets_point_into_the_text() {
        let mut t = ImrTokenizer::default();
        let mut s = t.token_stream("a 10/325mg");
        assert!(s.advance());
        assert!(s.advance());
        assert_eq!((s.token().offset_from, s.token().offset_to), (2, 8));
        assert_eq!(s.token().position, 1);
    }

    fn concept_analyzer() -> TextAnalyzer {
        let groups = vec![
            vec![
                "urine drug screen".to_string(),
                "uds".to_string(),
                "urine drug screening".to_string(),
                "drug screen".to_string(),
            ],
            vec!["physical therapy".to_string(), "pt".to_string()],
        ];
        let base = || {
            TextAnalyzer::builder(ImrTokenizer::default())
                .filter(tantivy::tokenizer::LowerCaser)
                .filter(tantivy::tokenizer::Stemmer::default())
                .build()
        };
        let concepts = Arc::new(Concepts::new(&groups, &mut base()));
        TextAnalyzer::builder(ImrTokenizer::default())
            .filter(tantivy::tokenizer::LowerCaser)
            .filter(tantivy::tokenizer::Stemmer::default())
            .filter(ConceptFilter(concepts))
            .build()
    }

    fn analyzed(a: &mut TextAnalyzer, text: &str) -> Vec<(usize, String)> {
        let mut s = a.token_stream(text);
        let mut out = Vec::new();
        while s.advance() {
            out.push((s.token().position, s.token().text.clone()));
        }
        out
    }

    #[test]
    fn concept_tokens_follow_every_phrasing() {
        let mut a = concept_analyzer();
        let toks = analyzed(&mut a, "Urine drug screening was consistent; UDS and PT.");
        let concepts: Vec<(usize, &str)> = toks
            .iter()
            .filter(|(_, t)| t.starts_with('@'))
            .map(|(p, t)| (*p, t.as_str()))
            .collect();
        // "urine drug screening" at 0 (once, though "drug screen" matches inside it at 1),
        // "UDS" at 5, "PT" at 7.
        assert_eq!(
            concepts,
            [
                (0, "@urine drug screen"),
                (1, "@urine drug screen"),
                (5, "@urine drug screen"),
                (7, "@physical therapy"),
            ]
        );
        // The words themselves are all still there, at their own positions.
        let words: Vec<&str> = toks
            .iter()
            .filter(|(_, t)| !t.starts_with('@'))
            .map(|(_, t)| t.as_str())
            .collect();
        assert_eq!(
            words,
            ["urin", "drug", "screen", "was", "consist", "ud", "and", "pt"]
        );
        // Positions never go backwards (tantivy's postings need that per term).
        assert!(toks.windows(2).all(|w| w[0].0 <= w[1].0));
        // Half a phrase is no concept.
        let toks = analyzed(&mut a, "urine sample; physical exam");
        assert!(toks.iter().all(|(_, t)| !t.starts_with('@')), "{toks:?}");
    }

    #[test]
    fn concept_fingerprint_follows_the_table() {
        let mut base = TextAnalyzer::builder(ImrTokenizer::default())
            .filter(tantivy::tokenizer::LowerCaser)
            .build();
        let a = Concepts::new(&[vec!["x ray".to_string()]], &mut base);
        let b = Concepts::new(&[vec!["x ray".to_string()]], &mut base);
        let c = Concepts::new(&[vec!["x ray".to_string(), "xr".to_string()]], &mut base);
        assert_eq!(a.fingerprint, b.fingerprint);
        assert_ne!(a.fingerprint, c.fingerprint);
    }

    #[test]
    fn memo_replays_the_same_tokens() {
        let mut memo = TextAnalyzer::from(Memo::new(concept_analyzer()));
        let mut plain = concept_analyzer();
        for text in [
            "UDS was negative.",
            "UDS was negative.",
            "Physical therapy x 6.",
            "",
            "UDS was negative.",
        ] {
            assert_eq!(
                analyzed(&mut memo, text),
                analyzed(&mut plain, text),
                "{text}"
            );
        }
    }
}
