//! Where the walk is: test code (`#[test]`, `#[cfg(test)]`), the config module, async
//! context, and the calls whose closures may block without harm.

use super::Walker;

impl Walker<'_, '_, '_> {
    /// Runs `f` with the test/config/async context adjusted for an item's attributes.
    pub(super) fn scoped(
        &mut self,
        attrs: &[syn::Attribute],
        is_async: Option<bool>,
        config_mod: bool,
        f: impl FnOnce(&mut Self),
    ) {
        let test = attrs.iter().any(is_test_attribute);
        let prints = super::handlers::allows_clippy(attrs, &["print_stdout", "print_stderr"]);
        self.cx.test_depth += test as u32;
        self.cx.prints_allowed_depth += prints as u32;
        self.cx.config_depth += config_mod as u32;
        if let Some(a) = is_async {
            self.cx.async_stack.push(a);
        }
        f(self);
        if is_async.is_some() {
            self.cx.async_stack.pop();
        }
        self.cx.config_depth -= config_mod as u32;
        self.cx.test_depth -= test as u32;
        self.cx.prints_allowed_depth -= prints as u32;
    }
}

/// A function named as a constructor for tests (`new_test`, `new_test_event`,
/// `connect_test`, `config_for_tests`, `setup_for_testing`, `client_for_test_with_bucket`), kept outside `#[cfg(test)]`
/// so other crates' tests can call it. Not `test_connection`: a name that starts with
/// `test` may check something in production.
pub(crate) fn is_test_helper_name(ident: &syn::Ident) -> bool {
    let name = ident.to_string();
    name == "new_test"
        || name.starts_with("new_test_")
        || (name.ends_with("_test") && !name.starts_with("test_"))
        || names_tests_as_purpose(&name)
        || names_dev_data(&name)
}

/// `config_for_tests`, `s3_client_for_test_with_bucket_name`, `setup_in_tests`: a name that
/// says tests are what it is for.
fn names_tests_as_purpose(name: &str) -> bool {
    let words: Vec<&str> = name.split('_').collect();
    words
        .windows(2)
        .any(|w| matches!(w[0], "for" | "in") && matches!(w[1], "test" | "tests" | "testing"))
}

/// `migrate_dev_data`, `db_migrate_dev`, `dummy_data`, `insert_fixtures`: the sample data
/// a developer's instance is seeded with, not what production runs on. So are the
/// examples a type gives of itself for its API documentation (`fn samples() -> [Self; 3]`,
/// `examples`). Not a function named just `test`: a `test` handler checks a connection.
pub(crate) fn names_dev_data(name: &str) -> bool {
    if matches!(name, "samples" | "examples") {
        return true;
    }
    let words: Vec<&str> = name.split('_').collect();
    let has = |w: &str| words.contains(&w);
    has("dummy")
        || has("fixtures")
        || has("dev")
            && ["data", "migrate", "migration", "seed"]
                .iter()
                .any(|w| has(w))
}

/// `#[test]`, `#[tokio::test]`, any attribute path ending in `test`, or `#[cfg(test)]`.
pub(crate) fn is_test_attribute(attr: &syn::Attribute) -> bool {
    let path = attr.path();
    if path.is_ident("cfg") {
        return match &attr.meta {
            syn::Meta::List(list) => tokens_mention_test(list.tokens.clone()),
            _ => false,
        };
    }
    path.segments
        .last()
        .is_some_and(|s| s.ident.to_string().ends_with("test"))
}

/// The outer attributes of a statement (those of its expression for an expression
/// statement; the kinds a `#[cfg(..)]` is put on).
pub(super) fn stmt_attrs(s: &syn::Stmt) -> &[syn::Attribute] {
    use syn::Expr;
    match s {
        syn::Stmt::Local(l) => &l.attrs,
        syn::Stmt::Macro(m) => &m.attrs,
        syn::Stmt::Item(_) => &[],
        syn::Stmt::Expr(e, _) => match e {
            Expr::Call(c) => &c.attrs,
            Expr::MethodCall(m) => &m.attrs,
            Expr::Macro(m) => &m.attrs,
            Expr::Assign(a) => &a.attrs,
            Expr::Await(a) => &a.attrs,
            Expr::Try(t) => &t.attrs,
            Expr::Block(b) => &b.attrs,
            Expr::If(i) => &i.attrs,
            Expr::Match(m) => &m.attrs,
            Expr::ForLoop(f) => &f.attrs,
            Expr::While(w) => &w.attrs,
            Expr::Loop(l) => &l.attrs,
            Expr::Unsafe(u) => &u.attrs,
            _ => &[],
        },
    }
}

/// `cfg!(test)`, `cfg!(any(test, feature = "test-util"))`: a condition that a release
/// build compiles to `false`, so its `then` branch is test code as `#[cfg(test)]` is.
/// Also `cfg!(feature = "e2e_tests") && ..`: the conjunction is `false` with it.
pub(super) fn is_test_cfg_check(cond: &syn::Expr) -> bool {
    match cond {
        syn::Expr::Macro(m) => {
            m.mac.path.is_ident("cfg") && tokens_mention_test(m.mac.tokens.clone())
        }
        syn::Expr::Paren(p) => is_test_cfg_check(&p.expr),
        _ => is_test_gated_conjunction(cond),
    }
}

/// `cfg!(not(test))`: its `else` branch is what only a test build runs.
pub(super) fn is_not_test_cfg_check(cond: &syn::Expr) -> bool {
    match cond {
        syn::Expr::Macro(m) if m.mac.path.is_ident("cfg") => {
            let mut tokens = m.mac.tokens.clone().into_iter();
            matches!(tokens.next(), Some(proc_macro2::TokenTree::Ident(i)) if i == "not")
                && matches!(tokens.next(), Some(proc_macro2::TokenTree::Group(g))
                    if g.stream().to_string() == "test")
                && tokens.next().is_none()
        }
        syn::Expr::Paren(p) => is_not_test_cfg_check(&p.expr),
        _ => false,
    }
}

/// `cfg!(test) && ..`: a conjunction whose first operand is a test `cfg!`, so the rest is
/// evaluated only in test builds.
pub(super) fn is_test_gated_conjunction(cond: &syn::Expr) -> bool {
    match cond {
        syn::Expr::Binary(b) if matches!(b.op, syn::BinOp::And(_)) => is_test_cfg_check(&b.left),
        _ => false,
    }
}

/// A feature that exists for tests or a developer's debugging (`cfg(feature = "test-utils")`,
/// `"staging"` fault injection, `"mock"`, a `"debug-mailer"` that prints mail instead of
/// sending it, `"profiling"` endpoints): code behind it never ships in a release build.
fn names_test_feature(literal: &str) -> bool {
    literal.trim_matches('"').split(['-', '_']).any(|w| {
        matches!(
            w,
            "test"
                | "tests"
                | "testing"
                | "mock"
                | "mocks"
                | "e2e"
                | "staging"
                | "chaos"
                | "debug"
                | "profiling"
                // Benchmark harnesses (`#[cfg(feature = "divan")] mod benches`).
                | "bench"
                | "benches"
                | "benchmark"
                | "benchmarks"
                | "divan"
                | "criterion"
        )
    })
}

/// Whether a `cfg(..)` predicate requires `test` (`test`, `all(test, ..)`), a debug build
/// (`debug_assertions`) or a feature for tests (`feature = "testing"`), ignoring `not(..)`.
fn tokens_mention_test(tokens: proc_macro2::TokenStream) -> bool {
    let mut iter = tokens.into_iter().peekable();
    while let Some(tt) = iter.next() {
        match tt {
            proc_macro2::TokenTree::Ident(i) if i == "not" => {
                iter.next();
            }
            // Debug builds only: a release build, the one that ships, leaves it out.
            proc_macro2::TokenTree::Ident(i) if i == "test" || i == "debug_assertions" => {
                return true;
            }
            proc_macro2::TokenTree::Literal(l) if names_test_feature(&l.to_string()) => {
                return true;
            }
            proc_macro2::TokenTree::Group(g) if tokens_mention_test(g.stream()) => return true,
            _ => {}
        }
    }
    false
}

/// `spawn_blocking`, `block_in_place`, or `std::thread::spawn`: their closures may block.
pub(super) fn is_blocking_escape(path: &syn::Path) -> bool {
    crate::resolve::last_ident_is(path, &["spawn_blocking", "block_in_place"])
        || (crate::resolve::last_ident_is(path, &["spawn"])
            && path.segments.len() >= 2
            && path.segments[path.segments.len() - 2].ident == "thread")
}
