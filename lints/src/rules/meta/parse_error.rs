use crate::rule::Rule;

crate::declare_rule! {
    /// ## What it does
    /// Reports a file that paved cannot read: a `.rs` file that `syn` cannot parse or that
    /// is not UTF-8, or a `Cargo.toml` or `config/*.toml` that is not valid TOML. The run
    /// goes on with the other files.
    ///
    /// Not reported in test code (see `docs/idioms.md`, including data folders such as
    /// `assets/` and `fixtures/`): compile-fail cases, a test crate that must fail to build
    /// and a syntax highlighter's samples are invalid Rust on purpose.
    ///
    /// ## Why
    /// A file paved cannot parse is a file none of the other rules looked at. Saying so is
    /// better than a silent pass that looks like a clean one.
    ///
    /// ## Example
    /// ```rust
    /// fn main() {
    ///     let x = ;
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```rust
    /// fn main() {
    ///     let x = 1;
    /// }
    /// ```
    pub struct ParseError {
        name: "parse-error",
        group: Meta,
        level: Deny,
        scope: All,
        summary: "a file that cannot be parsed (Rust or TOML); the run goes on with the others",
    }
}

/// Reported by the engine where a file fails to read or parse.
impl Rule for ParseError {}
