use crate::rule::Rule;

crate::declare_rule! {
    /// ## What it does
    /// Reports a suppression comment that does not say why: `// paved: allow(rule)` without
    /// ` -- reason`. The suppression still works.
    ///
    /// ## Why
    /// A suppression is a decision that someone else will have to understand at 3am. The
    /// reason is what tells them whether it still holds.
    ///
    /// ## Example
    /// ```rust
    /// fn main() {
    ///     println!("usage: notes-admin <command>"); // paved: allow(print-logging)
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```rust
    /// fn main() {
    ///     println!("usage: notes-admin <command>"); // paved: allow(print-logging) -- CLI help text for operators
    /// }
    /// ```
    pub struct SuppressionWithoutReason {
        name: "suppression-without-reason",
        group: Meta,
        level: Deny,
        scope: All,
        summary: "a suppression comment without ` -- reason`",
    }
}

/// Reported by the engine once suppressions are applied.
impl Rule for SuppressionWithoutReason {}
