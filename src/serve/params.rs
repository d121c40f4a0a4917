//! Request parameters: the URL's query string → checked [`Criteria`] and paging, through
//! the same checks the CLI's flags go through, and back into links that add or drop one
//! parameter (the page keeps all its state in the URL).
//!
//! Filters are applied in the CLI's flag order (decision, medication, class, ...), whatever
//! their order in the URL, so `/api/search` and `imr search --format json` describe the same
//! request with the same "interpreted" line.

use super::Failure;
use crate::index::facets::{self, FACETS};
use crate::record::Decision;
use crate::search::request::{parse_from, parse_to};
use crate::search::{Criteria, Filters, SearchRequest, Sort};

/// Longest query accepted, in characters.
pub const MAX_QUERY: usize = 500;
/// Longest value of any other parameter, in characters.
const MAX_VALUE: usize = 300;
/// Most parameters one request may carry.
const MAX_PARAMS: usize = 40;
/// Most hits one page or API answer holds (the CLI allows more; a web page need not).
pub const MAX_LIMIT: usize = 100;
/// Deepest offset served: paging further than this is not browsing.
pub const MAX_OFFSET: usize = 10_000;

/// Filter parameters, in the order the CLI applies its flags.
pub const FILTER_KEYS: [&str; 13] = [
    "decision",
    "medication",
    "class",
    "category",
    "subcategory",
    "treatment",
    "region",
    "guideline",
    "mtus_page",
    "specialty",
    "where",
    "from",
    "to",
];

const OTHER_KEYS: [&str; 11] = [
    "q", "literal", "sort", "page", "limit", "offset", "field", "path", "depth", "id", "group",
];

/// The parameters of one request, in URL order, empty values dropped (a form's blank
/// select sends `decision=`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Params {
    pairs: Vec<(String, String)>,
}

fn bad(message: String) -> Failure {
    Failure::usage(message)
}

impl Params {
    pub fn parse(raw: Option<&str>) -> Result<Params, Failure> {
        let mut pairs = Vec::new();
        for (k, v) in form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
            if !FILTER_KEYS.contains(&k.as_ref()) && !OTHER_KEYS.contains(&k.as_ref()) {
                return Err(bad(format!(
                    "unknown parameter {:?}: use q, {}, sort, page, limit or offset",
                    k.chars().take(40).collect::<String>(),
                    FILTER_KEYS.join(", ")
                )));
            }
            let max = if k == "q" { MAX_QUERY } else { MAX_VALUE };
            if v.chars().count() > max {
                return Err(bad(format!("{k} is longer than {max} characters")));
            }
            let v = v.trim();
            if !v.is_empty() {
                pairs.push((k.into_owned(), v.to_string()));
            }
            if pairs.len() > MAX_PARAMS {
                return Err(bad(format!("more than {MAX_PARAMS} parameters")));
            }
        }
        Ok(Params { pairs })
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    pub fn all<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.pairs
            .iter()
            .filter(move |(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    pub fn has(&self, key: &str, value: &str) -> bool {
        self.all(key).any(|v| v == value)
    }

    /// The filter parameters, in URL order.
    pub fn filters(&self) -> impl Iterator<Item = &(String, String)> {
        self.pairs
            .iter()
            .filter(|(k, _)| FILTER_KEYS.contains(&k.as_str()))
    }

    pub fn query(&self) -> &str {
        self.get("q").unwrap_or("")
    }

    /// A copy with `key=value` added (once) and the page reset.
    pub fn with(&self, key: &str, value: &str) -> Params {
        let mut p = self.without_key("page");
        if !p.has(key, value) {
            p.pairs.push((key.to_string(), value.to_string()));
        }
        p
    }

    /// A copy without `key=value`, the page reset.
    pub fn without(&self, key: &str, value: &str) -> Params {
        let mut p = self.without_key("page");
        p.pairs.retain(|(k, v)| !(k == key && v == value));
        p
    }

    /// A copy without any value of `key`.
    pub fn without_key(&self, key: &str) -> Params {
        let mut p = self.clone();
        p.pairs.retain(|(k, _)| k != key);
        p
    }

    /// A copy with `key` set to exactly `value` (None: removed).
    pub fn set(&self, key: &str, value: Option<&str>) -> Params {
        let mut p = self.without_key(key);
        if let Some(v) = value.filter(|v| !v.is_empty()) {
            p.pairs.push((key.to_string(), v.to_string()));
        }
        p
    }

    /// `path?a=b&...`, not yet HTML-escaped.
    pub fn href(&self, path: &str) -> String {
        if self.pairs.is_empty() {
            return path.to_string();
        }
        let mut s = form_urlencoded::Serializer::new(String::new());
        for (k, v) in &self.pairs {
            s.append_pair(k, v);
        }
        format!("{path}?{}", s.finish())
    }

    /// The parameters a new search from the page's form keeps: the filters and the order.
    pub fn kept_by_form(&self) -> Vec<(String, String)> {
        self.pairs
            .iter()
            .filter(|(k, _)| FILTER_KEYS.contains(&k.as_str()) || k == "sort" || k == "literal")
            .cloned()
            .collect()
    }

    /// The words and the checked filters, as the CLI builds them from its flags.
    pub fn criteria(&self) -> Result<Criteria, Failure> {
        let mut f = Filters::default();
        if let Some(d) = self.get("decision") {
            let d = Decision::parse(d)
                .ok_or_else(|| bad(format!("decision {d:?}: use upheld or overturned")))?;
            f.decision(d);
        }
        for m in self.all("medication") {
            f.medication(m)?;
        }
        for c in self.all("class") {
            f.class(c)?;
        }
        for c in self.all("category") {
            f.category(c);
        }
        for c in self.all("subcategory") {
            f.subcategory(c);
        }
        for t in self.all("treatment") {
            f.treatment(t);
        }
        for r in self.all("region") {
            f.region(r);
        }
        for g in self.all("guideline") {
            f.guideline(g);
        }
        for p in self.all("mtus_page") {
            let n = p
                .parse::<u32>()
                .map_err(|_| bad(format!("mtus_page {p:?} is not a page number")))?;
            f.mtus_page(n);
        }
        for s in self.all("specialty") {
            f.specialty(s);
        }
        for w in self.all("where") {
            let (field, path) = w.split_once('=').unwrap_or((w, ""));
            let id = facets::find(field).ok_or_else(|| crate::Error::UnknownFacet {
                name: field.to_string(),
                known: facets::names(),
            })?;
            if path.trim().is_empty() {
                return Err(bad(format!("where {w:?}: use FIELD=PATH")));
            }
            f.facet(FACETS[id].name, path.trim())?;
        }
        let from = self.get("from").map(parse_from).transpose()?;
        let to = self.get("to").map(parse_to).transpose()?;
        f.dates(from, to)?;
        Ok(Criteria {
            query: self.query().to_string(),
            literal: self
                .get("literal")
                .is_some_and(|v| v != "0" && v != "false"),
            filters: f,
        })
    }

    pub fn sort(&self) -> Result<Option<Sort>, Failure> {
        match self.get("sort") {
            None => Ok(None),
            Some("relevance") => Ok(Some(Sort::Relevance)),
            Some("date" | "newest") => Ok(Some(Sort::Date)),
            Some("oldest") => Ok(Some(Sort::Oldest)),
            Some(s) => Err(bad(format!("sort {s:?}: use relevance, newest or oldest"))),
        }
    }

    /// A number parameter within `0..=max`, else `default`.
    pub fn number(&self, key: &str, default: usize, max: usize) -> Result<usize, Failure> {
        let Some(v) = self.get(key) else {
            return Ok(default);
        };
        let n: usize = v
            .parse()
            .map_err(|_| bad(format!("{key} {v:?} is not a number")))?;
        if n > max {
            return Err(bad(format!("{key} {n} is past the most allowed, {max}")));
        }
        Ok(n)
    }

    /// A search request from `limit` (clamped to [`MAX_LIMIT`]) and `offset`, or `page`
    /// (1-based, `limit` per page).
    pub fn search_request(&self, default_limit: usize) -> Result<SearchRequest, Failure> {
        let limit = self
            .number("limit", default_limit, usize::MAX)?
            .min(MAX_LIMIT);
        let offset = match self.get("page") {
            Some(_) => {
                let page = self.number("page", 1, MAX_OFFSET / limit.max(1) + 1)?;
                page.saturating_sub(1) * limit
            }
            None => self.number("offset", 0, MAX_OFFSET)?,
        };
        Ok(SearchRequest {
            limit,
            offset,
            sort: self.sort()?,
            ..SearchRequest::new(self.criteria()?)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_round_trip_and_edit() {
        let p = Params::parse(Some("q=Norco+upheld&decision=&treatment=MRI&page=2")).unwrap();
        assert_eq!(p.query(), "Norco upheld");
        assert_eq!(p.get("decision"), None);
        assert_eq!(
            p.with("region", "knee").href("/"),
            "/?q=Norco+upheld&treatment=MRI&region=knee"
        );
        assert_eq!(p.without("treatment", "MRI").href("/"), "/?q=Norco+upheld");
    }

    #[test]
    fn bad_parameters_are_usage_errors() {
        for raw in [
            "nonsense=1",
            "decision=maybe",
            "medication=Frobozz",
            "sort=random",
            "mtus_page=eighty",
            "where=nonsense=1",
            "from=yesterday",
            "offset=999999",
        ] {
            let r = Params::parse(Some(raw)).and_then(|p| p.search_request(10));
            let e = r.expect_err(raw);
            assert_eq!(e.status, 400, "{raw}: {}", e.message);
        }
        let long = format!("q={}", "a".repeat(MAX_QUERY + 1));
        assert!(Params::parse(Some(&long)).is_err());
        let p = Params::parse(Some("limit=100000")).unwrap();
        assert_eq!(p.search_request(10).unwrap().limit, MAX_LIMIT);
    }
}
