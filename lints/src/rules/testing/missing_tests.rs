use crate::rule::Rule;

crate::declare_rule! {
    /// ## What it does
    /// TODO: no test at all: no `#[test]`/`#[tokio::test]` function and no file under `tests/`
    pub struct MissingTests {
        name: "missing-tests",
        group: Testing,
        level: Deny,
        scope: Crate,
        summary: "no test at all: no `#[test]`/`#[tokio::test]` function and no file under `tests/`",
    }
}

impl Rule for MissingTests {}
