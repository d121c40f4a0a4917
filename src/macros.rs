//! Crate-wide macros.

/// A `&'static Regex` compiled on first use. Patterns are literals, so a failure to compile
/// is a bug caught by the first test that runs the code path.
macro_rules! regex {
    ($re:literal) => {{
        static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
        // Compiled once, not per iteration: the OnceLock makes this a lookup.
        #[allow(clippy::regex_creation_in_loops)]
        RE.get_or_init(|| regex::Regex::new($re).expect("static regex"))
    }};
}
