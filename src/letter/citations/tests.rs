//! Citation lines of every era, and the post-2017 lines the grammar must read.

use super::*;
use GuidelineSource::*;

fn c(
    source: GuidelineSource,
    doc: &str,
    year: Option<u16>,
    sections: &[&str],
    pages: &[u32],
) -> Citation {
    Citation {
        source,
        document: doc.into(),
        year,
        sections: sections.iter().map(|s| s.to_string()).collect(),
        pages: pages.to_vec(),
    }
}
const CP: &str = "Chronic Pain Medical Treatment Guidelines";

#[test]
fn seed_era_pages() {
    assert_eq!(
        parse_citations("Decision based on MTUS Chronic Pain Treatment Guidelines 8 C.C.R. 9792.20 - 9792.26; MTUS (Effective July 18, 2009 Page(s): Page 74-78, 88, 91 of 12."),
        vec![c(Mtus, CP, Some(2009), &[], &[74, 75, 76, 77, 78, 88, 91])]
    );
    assert_eq!(
        parse_citations("Decision based on MTUS Chronic Pain Treatment Guidelines Opioids, On-GoingManagement, Pages 78-80, Opioids for Chronic Pain, Pages 80-82 Page(s): Pages."),
        vec![c(Mtus, CP, None, &["Opioids", "On-Going Management", "Opioids for Chronic Pain"], &[78, 79, 80, 81, 82])]
    );
    assert_eq!(
        parse_citations("Decision based on MTUS Chronic Pain Treatment Guidelines When to Continue Opioids topic Page(s): 80."),
        vec![c(Mtus, CP, None, &["When to Continue Opioids"], &[80])]
    );
    assert_eq!(
        parse_citations("Decision based on MTUS Chronic Pain Treatment Guidelines C.C.R. 9792.20 - 792.26; MTUS (Effective July 18, 2009) Page(s): Page 63-64 of 127.."),
        vec![c(Mtus, CP, Some(2009), &[], &[63, 64])]
    );
}

#[test]
fn several_mtus_documents_joined_by_and() {
    assert_eq!(
        parse_citations("Decision based on MTUS Neck and Upper Back Complaints 2004, Section(s): Special Studies, and Forearm, Wrist, and Hand Complaints 2004, Section(s): Special Studies."),
        vec![
            c(Mtus, "Neck and Upper Back Complaints", Some(2004), &["Special Studies"], &[]),
            c(Mtus, "Forearm, Wrist, and Hand Complaints", Some(2004), &["Special Studies"], &[]),
        ]
    );
    assert_eq!(
        parse_citations("Decision based on MTUS Chronic Pain Medical Treatment 2016, Section(s): Compound drugs, and Opioid Treatment 2016, Section(s): 3.3 Opioids for Chronic Pain and Chronic Opioid Treatment: Initiating and Monitoring Chronic Opioid Treatment."),
        vec![
            c(Mtus, CP, Some(2016), &["Compound drugs"], &[]),
            c(Mtus, "Opioids Treatment Guidelines", Some(2016), &["3.3 Opioids for Chronic Pain and Chronic Opioid Treatment: Initiating and Monitoring Chronic Opioid Treatment"], &[]),
        ]
    );
}

#[test]
fn protected_and_lowercase_continued_sections() {
    assert_eq!(
        parse_citations("Decision based on MTUS Chronic Pain Medical Treatment 2016, Section(s): NSAIDs, GI symptoms & cardiovascular risk, Proton Pump Inhibitors (PPIs)."),
        vec![c(Mtus, CP, Some(2016), &["NSAIDs, GI symptoms & cardiovascular risk", "Proton Pump Inhibitors (PPIs)"], &[])]
    );
    assert_eq!(
        parse_citations("Decision based on MTUS Chronic Pain Medical Treatment 2016, Section(s): TENS, chronic pain (transcutaneous electrical nerve stimulation)."),
        vec![c(Mtus, CP, Some(2016), &["TENS, chronic pain (transcutaneous electrical nerve stimulation)"], &[])]
    );
}

#[test]
fn mtus_then_odg_and_acoem() {
    assert_eq!(
        parse_citations("Decision based on MTUS Low Back Complaints 2004, Section(s): Summary, and Chronic Pain Medical Treatment 2016, Section(s): Facet blocks. Decision based on Non-MTUS Citation ACOEM Occupational Medicine Practice Guidelines, 3rd ed., Low Back Disorders, pg. 607."),
        vec![
            c(Mtus, "Low Back Complaints", Some(2004), &["Summary"], &[]),
            c(Mtus, CP, Some(2016), &["Facet blocks"], &[]),
            c(Acoem, "Practice Guidelines, 3rd Edition", None, &["Low Back Disorders"], &[607]),
        ]
    );
    assert_eq!(
        parse_citations("The Expert Reviewer did not base their decision on the MTUS. Decision based on Non-MTUS Citation American College of Occupational and Environmental Medicine (ACOEM), 2nd Edition, (2004) Chapter 7, Independent Medical Examinations and Consultations, Page 127."),
        vec![c(Acoem, "Practice Guidelines, 2nd Edition", Some(2004), &["Chapter 7", "Independent Medical Examinations and Consultations"], &[127])]
    );
}

#[test]
fn odg_chapters_and_topics() {
    assert_eq!(
        parse_citations("The Expert Reviewer did not base their decision on the MTUS. Decision based on Non-MTUS Citation Official Disability Guidelines (ODG) Pain (Chronic), Zolpidem (Ambien)."),
        vec![c(Odg, "Pain (Chronic)", None, &["Zolpidem (Ambien)"], &[])]
    );
    assert_eq!(
        parse_citations("Decision based on Non-MTUS Citation Official Disability Guidelines (ODG) Pain Section/Voltaren® Gel (diclofenac) Topic."),
        vec![c(Odg, "Pain (Chronic)", None, &["Voltaren Gel (diclofenac)"], &[])]
    );
    assert_eq!(
        parse_citations("Decision based on Non-MTUS Citation Official Disability Guidelines (ODG) Low back, Manipulation; Neck and Upper back, Manipulation."),
        vec![
            c(Odg, "Low Back", None, &["Manipulation"], &[]),
            c(Odg, "Neck and Upper Back", None, &["Manipulation"], &[]),
        ]
    );
    assert_eq!(
        parse_citations("Decision based on Non-MTUS Citation Official Disability Guidelines (ODG) MRI shoulder."),
        vec![c(Odg, "Shoulder", None, &["MRI"], &[])]
    );
    assert_eq!(
        parse_citations("Decision based on Non-MTUS Citation Official Disability Guidelines (ODG) Hips and Pelvis (Acute and Chronic), MRI (magnetic resonance imaging) and Other Medical Treatment Guidelines ACOEM Hip and Groin Disorders, Diagnostic Testing, MRI."),
        vec![
            c(Odg, "Hip and Pelvis", None, &["MRI (magnetic resonance imaging)"], &[]),
            c(Acoem, "Practice Guidelines", None, &["Hip and Groin Disorders", "Diagnostic Testing", "MRI"], &[]),
        ]
    );
}

#[test]
fn other_sources_and_boilerplate() {
    assert_eq!(
        parse_citations("The Expert Reviewer did not cite any medical evidence for its decision."),
        vec![]
    );
    assert_eq!(
        parse_citations("The Expert Reviewer based their decision on recommendation(s) outside of the MTUS Guidelines. Decision based on Non-MTUS Citation Sildenafil: Drug information, accessed from UpToDate.com on 12/17/2016."),
        vec![c(Other, "UpToDate", None, &["Sildenafil: Drug information"], &[])]
    );
    let web = parse_citations("Decision based on Non-MTUS Citation http://www.example.net/a-b, https://x.example.com/c-d.");
    assert_eq!(web[0].document, "Web");
    assert_eq!(
        web[0].sections,
        vec!["http://www.example.net/a-b", "https://x.example.com/c-d"]
    );
}

/// Lines in the post-2017 style (MTUS rebuilt on ACOEM's guidelines, the formulary):
/// no closed list of names, with or without "Decision based on".
#[test]
fn later_mtus_acoem_chapters_formulary_and_odg() {
    let acoem_chapter =
        "MTUS (ACOEM Practice Guidelines, 3rd Edition (2011), Chapter 12 Low Back Disorders)";
    let expected = vec![c(Mtus, "Low Back Complaints", Some(2011), &[], &[])];
    assert_eq!(parse_citations(acoem_chapter), expected);
    assert_eq!(
        parse_citations(&format!("Decision based on {acoem_chapter}.")),
        expected
    );
    // A chapter the lexicon has never seen is kept as written, with its sections.
    assert_eq!(
        parse_citations("Decision based on MTUS (ACOEM Practice Guidelines, 3rd Edition (2011), Chapter 10 Hip and Groin Disorders, Diagnostic Testing, MRI)."),
        vec![c(Mtus, "Hip and Groin Disorders", Some(2011), &["Diagnostic Testing", "MRI"], &[])]
    );
    assert_eq!(
        parse_citations("MTUS 2017 Chronic Pain Guidelines, Opioids"),
        vec![c(Mtus, CP, Some(2017), &["Opioids"], &[])]
    );
    assert_eq!(
        parse_citations("Decision based on MTUS Drug Formulary (2018)."),
        vec![c(Mtus, "Drug Formulary", Some(2018), &[], &[])]
    );
    assert_eq!(
        parse_citations("ODG Pain (Chronic), Opioids"),
        vec![c(Odg, "Pain (Chronic)", None, &["Opioids"], &[])]
    );
    // Several sources in one line, each opening a sentence; boilerplate yields nothing.
    assert_eq!(
        parse_citations("The Expert Reviewer based their decision on the MTUS. MTUS 2019 Opioids Guideline, Initiating Opioids; ODG Pain (Chronic), Opioids. ACOEM Practice Guidelines, 3rd Edition (2011), Chapter 12 Low Back Disorders"),
        vec![
            c(Mtus, "Opioids Guideline", Some(2019), &["Initiating Opioids"], &[]),
            c(Odg, "Pain (Chronic)", None, &["Opioids"], &[]),
            c(Acoem, "Practice Guidelines, 3rd Edition", Some(2011), &["Chapter 12 Low Back Disorders"], &[]),
        ]
    );
    // "Decision based on" before a source named without "Non-MTUS Citation".
    assert_eq!(
        parse_citations("Decision based on MTUS Chronic Pain Medical Treatment Guidelines (2017), Section(s): Opioids, specific drug list. Decision based on ODG Formulary, Tramadol (Ultram)."),
        vec![
            c(Mtus, CP, Some(2017), &["Opioids, specific drug list"], &[]),
            c(Odg, "Drug Formulary", None, &["Tramadol (Ultram)"], &[]),
        ]
    );
    // Unknown documents joined as MTUS joins its parts: each kept, each with its year.
    assert_eq!(
        parse_citations("Decision based on MTUS Workplace Mental Health Guideline 2018, Section(s): Cognitive Behavioral Therapy; Interstitial Lung Disease Guideline 2017, Section(s): Spirometry."),
        vec![
            c(Mtus, "Workplace Mental Health Guideline", Some(2018), &["Cognitive Behavioral Therapy"], &[]),
            c(Mtus, "Interstitial Lung Disease Guideline", Some(2017), &["Spirometry"], &[]),
        ]
    );
}

#[test]
fn page_lists() {
    assert_eq!(pages("Page(s): 74-94."), (74..=94).collect::<Vec<_>>());
    assert_eq!(pages("Page(s): Page 24."), vec![24]);
    assert_eq!(pages("Page(s): Pages."), Vec::<u32>::new());
    assert_eq!(pages("8 C.C.R. 9792.20 - 9792.26"), Vec::<u32>::new());
}
