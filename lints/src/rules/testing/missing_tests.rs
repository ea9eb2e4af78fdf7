use crate::context::{CrateCx, FileCx};
use crate::model::Crate;
use crate::role::Role;
use crate::rule::Rule;
use proc_macro2::{Delimiter, TokenStream, TokenTree};

crate::declare_rule! {
    /// ## What it does
    /// Flags a crate with no test at all: no `#[test]`/`#[tokio::test]` function (or any
    /// attribute ending in `test`) in any of its files and no `.rs` file under `tests/`.
    /// Test functions written inside a macro in test code count too (a `macro_rules!` in a
    /// `#[cfg(test)]` module that stamps out one `#[test]` per case, `proptest! { #[test]
    /// .. }`). The finding points at the `[package]` line.
    ///
    /// A library (or client library) is not flagged when its documentation holds a doctest
    /// (a code block that `cargo test` runs: no info string, `rust`, `should_panic`, unless
    /// `[lib] doctest = false`), when it is only a `cdylib`/`staticlib` (a Python or Node
    /// extension, a PAM module: tested from the language that loads it), or one with its
    /// Rust tests off (`crate-type = ["lib", "cdylib"]` and `test = false`), when it is
    /// native bindings to a C library (`links = ".."`, `bindgen` as a build dependency, a
    /// `..-sys` or `..-ffi` package: the C library's suite and the safe wrapper above test
    /// it), or when its code
    /// outside tests has fewer than six decision points (`if`, `for`, `while`, each `match`
    /// arm after the first): such a crate forwards to another or defines types, and is tested
    /// where it is used; nor when the test code of another crate of the run imports it
    /// (`use gotrue_entity::..` in the workspace's end-to-end `tests/`, a path such as
    /// `crates_io_session::encode(..)` there, or a `use` in a test kit
    /// that other crates use only as a dev-dependency), or when it is an
    /// optional dependency of a crate with tests (a database backend that `tokenserver-db`'s
    /// `mysql` feature turns on, run by that crate's suite per feature): it is tested where
    /// it is used. A service or worker is flagged: it is what gets deployed; except the
    /// binary of a service whose server lives in a library of the run (`tuwunel` around
    /// `tuwunel_router`), or that builds no route paved can see (a dropshot server whose
    /// endpoint libraries describe it), when such a library has tests: they are the
    /// service's tests; nor a service whose program a test suite outside Rust starts out of
    /// cargo's `target/` folder (a shell or Python script in a folder named for tests, such as
    /// `api_tests/run-federation-test.sh` running `target/lemmy_server` for a TypeScript
    /// API suite): that suite tests it end to end; nor a service whose routes such a
    /// suite's scripts request (`curl -X POST "${REGISTRY_URL}/api/v1/account/register"` in
    /// `e2e/runner.sh`, `f"http://localhost:{self.port}/grants"` in a `test_runner/`
    /// fixture, whatever starts it).
    /// Nor is a crate whose manifest turns every test off (`[lib] test = false` together
    /// with `[package] autotests = false`): that is a decision on record, like an
    /// acknowledged `unwrap`. `test = false` alone is often only a build-time saving, and
    /// is flagged.
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
        roles: [Service, Worker, Library],
    }
}

impl Rule for MissingTests {
    fn check_macro(&self, cx: &mut FileCx, mac: &syn::Macro) {
        // `syn` leaves macro bodies as tokens, so the walk does not see the test functions
        // a macro in test code defines.
        if !cx.facts.has_test_fn && cx.in_test() && has_test_attribute(mac.tokens.clone()) {
            cx.facts.has_test_fn = true;
        }
    }

    fn check_crate(&self, cx: &mut CrateCx) {
        let krate = cx.krate;
        if krate.has_tests()
            || krate.files.iter().all(|f| !f.parsed)
            || krate.manifest.tests_off
            || (krate.role.role == Role::Service
                && (krate.tested_elsewhere
                    || krate.run_by_test_suite
                    || routes_requested_by_suite(cx)))
            || (is_library(krate) && library_needs_no_test(krate))
        {
            return;
        }
        cx.report_package("this crate has no test at all")
            .help("add a `#[test]`/`#[tokio::test]` function or a file under `tests/`; a generated service starts with tests for its endpoints");
    }
}

/// Whether `tokens` hold a test attribute: `#[test]`, `#[tokio::test(..)]`, any attribute
/// path ending in `test` (not `cfg(test)`, which marks test code without being a test).
fn has_test_attribute(tokens: TokenStream) -> bool {
    let mut after_pound = false;
    for tt in tokens {
        match tt {
            TokenTree::Group(g) if after_pound && g.delimiter() == Delimiter::Bracket => {
                if is_test_path(g.stream()) {
                    return true;
                }
                after_pound = false;
            }
            TokenTree::Group(g) => {
                if has_test_attribute(g.stream()) {
                    return true;
                }
                after_pound = false;
            }
            TokenTree::Punct(p) => after_pound = p.as_char() == '#',
            _ => after_pound = false,
        }
    }
    false
}

/// `test`, `tokio::test`, `tokio::test(flavor = ..)`: a path whose last segment ends in `test`.
fn is_test_path(attr: TokenStream) -> bool {
    let mut last = None;
    for tt in attr {
        match tt {
            TokenTree::Ident(i) => last = Some(i),
            TokenTree::Punct(p) if p.as_char() == ':' => {}
            _ => break,
        }
    }
    last.is_some_and(|i| i.to_string().ends_with("test"))
}

/// A route of the service is requested by a script of a suite outside Rust (`curl
/// "$URL/api/v1/account/register"`). (Another crate's tests that mention a path may test
/// their own code: a shared kit's tests request `/ping` of a router of their own.)
fn routes_requested_by_suite(cx: &mut CrateCx) -> bool {
    let requested = &cx.krate.suite_paths;
    !requested.is_empty()
        && cx
            .router()
            .routes
            .iter()
            .filter_map(|r| r.path.as_deref())
            .any(|route| {
                requested
                    .iter()
                    .any(|t| super::untested_route::mentions(route, t))
            })
}

/// Fewer decision points than this in a library's code: it forwards or defines.
const MIN_LIBRARY_BRANCHES: u32 = 6;

fn is_library(krate: &Crate) -> bool {
    matches!(krate.role.role, Role::Library | Role::Client)
}

/// A library tested by its doctests or by another crate's tests, loaded by another
/// language (tested from there), native bindings to a C library, or with almost no decisions of its own (tested where it
/// is used).
fn library_needs_no_test(krate: &Crate) -> bool {
    (!krate.manifest.doctest_off && krate.files.iter().any(|f| f.has_doctest))
        || krate.tested_elsewhere
        || krate.manifest.foreign_host_only
        || krate.manifest.native_bindings
        || krate.files.iter().map(|f| f.branches).sum::<u32>() < MIN_LIBRARY_BRANCHES
}
