use crate::context::CrateCx;
use crate::rule::Rule;

crate::declare_rule! {
    /// ## What it does
    /// Flags a crate with no test at all: no `#[test]`/`#[tokio::test]` function (or any
    /// attribute ending in `test`) in any of its files and no `.rs` file under `tests/`.
    /// The finding points at the `[package]` line.
    ///
    /// ## Why
    /// The engineer who changes a service at 3am is rarely the one who wrote it. Tests are
    /// how they learn what it must keep doing, and how they know their fix broke nothing
    /// else. A crate with none gives them nothing to run.
    ///
    /// ## Example
    /// ```rust
    /// fn add(a: u32, b: u32) -> u32 {
    ///     a + b
    /// }
    /// # fn main() { let _ = add(1, 2); }
    /// ```
    ///
    /// ## Use instead
    /// ```rust
    /// fn add(a: u32, b: u32) -> u32 {
    ///     a + b
    /// }
    /// # fn main() { let _ = add(1, 2); }
    ///
    /// #[cfg(test)]
    /// mod tests {
    ///     #[test]
    ///     fn adds() {
    ///         assert_eq!(super::add(1, 2), 3);
    ///     }
    /// }
    /// ```
    pub struct MissingTests {
        name: "missing-tests",
        group: Testing,
        level: Deny,
        scope: Crate,
        summary: "no test at all: no `#[test]`/`#[tokio::test]` function and no file under `tests/`",
    }
}

impl Rule for MissingTests {
    fn check_crate(&self, cx: &mut CrateCx) {
        let krate = cx.krate;
        if krate.has_tests_dir
            || krate.files.iter().any(|f| f.has_test_fn)
            || krate.files.iter().all(|f| !f.parsed)
        {
            return;
        }
        cx.report_package("this crate has no test at all")
            .help("add a `#[test]`/`#[tokio::test]` function or a file under `tests/`; a generated service starts with tests for its endpoints");
    }
}
