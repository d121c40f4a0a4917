//! Facts stated in the clinical case summary: patient age, sex, date of injury.

use super::dates;
use crate::record::Sex;
use regex::Regex;

/// "43 year old", "67 year-old", "51-year-old", "age 62".
pub fn patient_age(summary: &str) -> Option<u32> {
    regex!(
        r"(?i)\b(\d{1,3})[\s-]*(?:year|yr)s?[\s-]*old\b|\bage(?:d)?\s*(?:of\s*)?:?\s*(\d{1,3})\b"
    )
    .captures(summary)
    .and_then(|c| c.get(1).or(c.get(2)))
    .and_then(|m| m.as_str().parse().ok())
    .filter(|&a| (14..=100).contains(&a))
}

/// The patient's sex: a word that says it ("male", "woman", "gentleman") wins; failing
/// that, the pronouns when they clearly agree (seed letters say "a 43 year old who ... She
/// states"). Both together ("female ... His diagnoses") go with the word.
pub fn patient_sex(summary: &str) -> Option<Sex> {
    if let Some(c) = regex!(r"(?i)\b(male|female|man|woman|gentleman|lady|gentlemen|men|women)\b")
        .captures(summary)
    {
        return match c[1].to_ascii_lowercase().as_str() {
            "female" | "woman" | "women" | "lady" => Some(Sex::Female),
            _ => Some(Sex::Male),
        };
    }
    let count = |re: &Regex| re.find_iter(summary).count();
    let she = count(regex!(r"(?i)\b(?:she|her|hers|herself)\b"));
    let he = count(regex!(r"(?i)\b(?:he|him|his|himself)\b"));
    if she >= 2 && she >= 3 * he {
        Some(Sex::Female)
    } else if he >= 2 && he >= 3 * she {
        Some(Sex::Male)
    } else {
        None
    }
}

/// The date of injury as the summary states it ("injury dated 10/17/2006", "injured on
/// October 27, 1993", "industrial injury of May 6, 2002", "date of injury 08/04/2012").
pub fn date_of_injury(summary: &str) -> Option<String> {
    // "The injured worker ..." names the patient, not the injury: look at every mention
    // until one is followed closely by a date.
    regex!(r"(?i)\b(?:date of injury|doi|injur(?:y|ies|ed))\b(?:\s+workers?\b)?")
        .find_iter(summary)
        .filter(|m| {
            !m.as_str().to_ascii_lowercase().ends_with("worker")
                && !m.as_str().to_ascii_lowercase().ends_with("workers")
        })
        .find_map(|m| {
            let window_end = summary[m.end()..]
                .char_indices()
                .nth(60)
                .map_or(summary.len(), |(i, _)| m.end() + i);
            let caps = dates::date_regex().captures(&summary[m.end()..window_end])?;
            dates::from_captures(&caps)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn age_forms() {
        assert_eq!(patient_age("this 47 year old gentleman"), Some(47));
        assert_eq!(patient_age("a 67 year-old female"), Some(67));
        assert_eq!(patient_age("a 51-year-old male"), Some(51));
        assert_eq!(patient_age("no age here, 10 years ago"), None);
    }

    #[test]
    fn sex_forms() {
        assert_eq!(
            patient_sex("a 67 year-old female ... His diagnoses"),
            Some(Sex::Female)
        );
        assert_eq!(patient_sex("this 47 year old gentleman"), Some(Sex::Male));
        assert_eq!(
            patient_sex("43 year old who ... She states she was lifting"),
            Some(Sex::Female)
        );
        assert_eq!(patient_sex("The applicant reported pain."), None);
    }

    #[test]
    fn injury_dates() {
        assert_eq!(
            date_of_injury("sustained an industrial injury dated 10/17/2006. She").as_deref(),
            Some("2006-10-17")
        );
        assert_eq!(
            date_of_injury("was reportedly injured on October 27, 1993.").as_deref(),
            Some("1993-10-27")
        );
        assert_eq!(
            date_of_injury("an injury on 5-12-03 resulting").as_deref(),
            Some("2003-05-12")
        );
        assert_eq!(
            date_of_injury("an industrial injury of May 6, 2002.In a").as_deref(),
            Some("2002-05-06")
        );
        assert_eq!(
            date_of_injury("female with date of injury 08/04/2012.").as_deref(),
            Some("2012-08-04")
        );
    }
}
