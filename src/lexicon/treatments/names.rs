//! The names of treatments, regions and DWC categories alone, without compiling a single
//! pattern: what query understanding needs. The classifier's patterns ([`super::Treatments`])
//! cost a tenth of a second to compile; a search must not pay for them.

use super::{name_key, TreatmentsFile};
use crate::error::{Error, Result};
use std::collections::HashMap;

/// Treatment, region and DWC category names from treatments.toml.
#[derive(Debug)]
pub struct TreatmentNames {
    /// `name_key` of every rule name and canonical treatment → canonical treatment.
    treatment_by_name: HashMap<String, String>,
    /// `name_key` of every region name → region.
    region_by_name: HashMap<String, String>,
    dwc_categories: Vec<String>,
}

impl TreatmentNames {
    pub(crate) fn parse(text: &str, path: &str) -> Result<TreatmentNames> {
        let file: TreatmentsFile =
            toml::from_str(text).map_err(|e| Error::parse(path, e.to_string()))?;
        Ok(TreatmentNames::from_file(&file))
    }

    pub(super) fn from_file(file: &TreatmentsFile) -> TreatmentNames {
        let mut treatment_by_name = HashMap::new();
        for raw in &file.rule {
            if let Some(t) = &raw.treatment {
                treatment_by_name.insert(name_key(t), t.clone());
                for name in &raw.names {
                    treatment_by_name
                        .entry(name_key(name))
                        .or_insert_with(|| t.clone());
                }
            }
        }
        treatment_by_name.insert("medication".to_string(), "medication".to_string());
        let mut region_by_name = HashMap::new();
        for raw in &file.region {
            for name in std::iter::once(&raw.name).chain(&raw.names) {
                region_by_name.insert(name_key(name), raw.name.clone());
            }
        }
        TreatmentNames {
            treatment_by_name,
            region_by_name,
            dwc_categories: file.dwc.keys().cloned().collect(),
        }
    }

    /// The canonical treatment a phrase names, by the canonical name or any synonym
    /// ("chiropractor" → "chiropractic manipulation", "ESI" → "epidural steroid injection");
    /// case, spacing, '-' and '/' do not matter.
    pub fn treatment_named(&self, phrase: &str) -> Option<&str> {
        self.treatment_by_name
            .get(&name_key(phrase))
            .map(String::as_str)
    }

    /// The body region a phrase names ("L-spine" → "lumbar spine", "neck" → "cervical spine").
    pub fn region_named(&self, phrase: &str) -> Option<&str> {
        self.region_by_name
            .get(&name_key(phrase))
            .map(String::as_str)
    }

    /// DWC's Request Categories, as DWC spells them.
    pub fn dwc_categories(&self) -> &[String] {
        &self.dwc_categories
    }

    /// Every word of every treatment and region name and synonym, for spelling correction.
    pub fn words(&self) -> impl Iterator<Item = &str> {
        self.treatment_by_name
            .keys()
            .chain(self.region_by_name.keys())
            .flat_map(|k| k.split(' '))
    }
}
