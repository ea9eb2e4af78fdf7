use crate::rule::Rule;

crate::declare_rule! {
    /// ## What it does
    /// Reports a suppression comment that suppressed nothing: the rule it names did not
    /// flag the line it covers (or the file, for `allow-file`), the rule name is unknown, or
    /// the comment cannot be read. A suppression in test code for a rule that ignores test
    /// code is unused too. Rules that are turned off in `paved.toml` are not reported.
    ///
    /// Suppression comments are read from the comments of the file, found by lexing it:
    /// `// paved: ..` and `/* paved: .. */` (alone above a line, or on it) count; the same
    /// text inside a string, raw string or char literal is data, and inside a doc comment
    /// (`///`, `//!`, `/** */`) documentation, so neither is a suppression nor reported
    /// here. In TOML, `# paved: ..` counts outside strings only.
    ///
    /// ## Why
    /// Stale suppressions hide the next real finding on that line and teach readers that
    /// the idiom does not matter there.
    ///
    /// ## Example
    /// ```rust
    /// fn main() {
    ///     tracing::info!("starting"); // paved: allow(print-logging) -- startup banner
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```rust
    /// fn main() {
    ///     tracing::info!("starting");
    /// }
    /// ```
    pub struct UnusedSuppression {
        name: "unused-suppression",
        group: Meta,
        level: Warn,
        scope: All,
        summary: "a suppression comment that suppressed nothing (or names an unknown rule)",
    }
}

/// Reported by the engine once suppressions are applied.
impl Rule for UnusedSuppression {}
