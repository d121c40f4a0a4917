//! The "HOW THE IMR FINAL DETERMINATION WAS MADE" block → licensure states and specialties.
//!
//! 2016 letters list credentials ("State(s) of Licensure: California,North Carolina",
//! "Certification(s)/Specialty: ..."); older ones say it in prose ("is Board Certified in
//! Physical Medicine and Rehabilitation, has a subspecialty in Pain Medicine and is licensed
//! to practice in California").

use super::text::squeeze_spaces;
use crate::lexicon::Lexicon;

/// (licensure, specialties) from the reviewer block, joined into one paragraph.
pub fn parse_reviewer(block: &str) -> (Vec<String>, Vec<String>) {
    let block = squeeze_spaces(block);
    let lexicon = Lexicon::get();
    let mut licensure = Vec::new();
    if let Some(c) = regex!(r"(?i)state\(s\) of licensure\s*:\s*(.*?)(?:\s+certification\(s\)|$)")
        .captures(&block)
    {
        licensure = split_list(&c[1]);
    } else if let Some(c) = regex!(r"(?i)licensed to practice in\s+(.*?)\.").captures(&block) {
        licensure = split_list(&c[1].replace(" and ", ","));
    }
    let specialty =
        if let Some(c) = regex!(r"(?i)certification\(s\)/specialty\s*:\s*(.*)$").captures(&block) {
            lexicon.specialties(&c[1])
        } else if let Some(c) =
            regex!(r"(?i)board certified in\s+(.*?)\s+(?:and is licensed|and is|is licensed)")
                .captures(&block)
        {
            let prose =
                regex!(r"(?i),?\s*(?:and\s+)?has a subspecialty in\s+").replace_all(&c[1], ", ");
            lexicon.specialties(&prose)
        } else {
            Vec::new()
        };
    (licensure, specialty)
}

fn split_list(s: &str) -> Vec<String> {
    s.split(',')
        .map(|p| p.trim().trim_end_matches('.').trim())
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect()
}
