//! Domain vocabulary compiled in from data files: drugs, categories, specialties, synonyms.
