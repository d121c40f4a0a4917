//! Dates as letters write them (`10/17/2006`, `5-12-03`, `May 6, 2002`) → ISO `YYYY-MM-DD`.

use regex::Regex;
use std::sync::OnceLock;

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// A date pattern matching every written form the letters use, for searching inside prose.
pub fn date_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?ix)
            \b(?P<m>\d{1,2})\s*[/-]\s*(?P<d>\d{1,2})\s*[/-]\s*(?P<y>\d{4}|\d{2})\b
            | \b(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?
                 |sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?\s+(?P<md>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<my>\d{4})\b",
        )
        .expect("static date regex")
    })
}

/// Parses one date as written; None if it is not a real calendar date.
pub fn parse_date(s: &str) -> Option<String> {
    let caps = date_regex().captures(s.trim())?;
    from_captures(&caps)
}

/// The ISO form of a `date_regex` match.
pub fn from_captures(caps: &regex::Captures<'_>) -> Option<String> {
    let (y, m, d) = if let Some(mon) = caps.name("mon") {
        let mon = mon.as_str().to_ascii_lowercase();
        let m = MONTHS.iter().position(|full| full.starts_with(&mon[..3]))? as u32 + 1;
        (
            caps["my"].parse::<u32>().ok()?,
            m,
            caps["md"].parse::<u32>().ok()?,
        )
    } else {
        let y: u32 = caps["y"].parse().ok()?;
        // Two-digit years: injuries go back to the 1970s, letters run from 2013.
        let y = match (caps["y"].len(), y) {
            (2, y) if y <= 40 => 2000 + y,
            (2, y) => 1900 + y,
            (_, y) => y,
        };
        (y, caps["m"].parse().ok()?, caps["d"].parse().ok()?)
    };
    valid(y, m, d).then(|| format!("{y:04}-{m:02}-{d:02}"))
}

fn valid(y: u32, m: u32, d: u32) -> bool {
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400) => 29,
        2 => 28,
        _ => return false,
    };
    (1900..=2100).contains(&y) && (1..=days).contains(&d)
}

#[cfg(test)]
mod tests {
    use super::parse_date;

    #[test]
    fn written_forms() {
        assert_eq!(parse_date("10/17/2006").as_deref(), Some("2006-10-17"));
        assert_eq!(parse_date("5-12-03").as_deref(), Some("2003-05-12"));
        assert_eq!(parse_date("10-13-16").as_deref(), Some("2016-10-13"));
        assert_eq!(parse_date("7-20-93").as_deref(), Some("1993-07-20"));
        assert_eq!(parse_date("May 6, 2002").as_deref(), Some("2002-05-06"));
        assert_eq!(
            parse_date("October 27, 1993").as_deref(),
            Some("1993-10-27")
        );
        assert_eq!(parse_date("Sept. 3rd 2015").as_deref(), Some("2015-09-03"));
        assert_eq!(parse_date("02/30/2016"), None);
        assert_eq!(parse_date("13/01/2016"), None);
        assert_eq!(parse_date("Standard"), None);
    }
}
