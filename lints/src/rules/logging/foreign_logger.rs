use crate::context::position;
use crate::context::{CrateCx, FileCx};
use crate::resolve::last_ident_is;
use crate::rule::Rule;
use proc_macro2::{Span, TokenStream, TokenTree};

/// Logging stacks that are never the house one.
const FOREIGN: &[&str] = &[
    "env_logger",
    "simple_logger",
    "fern",
    "log4rs",
    "slog",
    "flexi_logger",
    "pretty_env_logger",
];
const LOG_MACROS: &[&str] = &["trace", "debug", "info", "warn", "error", "log"];
/// The stacks that a program starts with a call (`env_logger::init()`,
/// `fern::Dispatch::new()`): one that shipped code never calls only logs the tests.
/// (`slog` is passed around as a `Logger` value instead, and always counts.)
const STARTED_BY_CALL: &[&str] = &[
    "env_logger",
    "simple_logger",
    "fern",
    "log4rs",
    "flexi_logger",
    "pretty_env_logger",
];

/// Crates that build Rust for the browser: a crate that depends on one runs (also) in a
/// web page.
const BROWSER_CRATES: &[&str] = &[
    "leptos",
    "yew",
    "dioxus",
    "sycamore",
    "wasm-bindgen",
    "web-sys",
    "js-sys",
    "gloo",
    "gloo-net",
    "console_log",
    "console_error_panic_hook",
    "wasm-logger",
];

/// Noted in `FileFacts::logger_calls` where a `slog` drain writes into `log`.
const SLOG_INTO_LOG: &str = "slog_stdlog::StdLog";

crate::declare_rule! {
    /// ## What it does
    /// Flags a dependency on another logging stack: `env_logger`, `simple_logger`, `fern`,
    /// `log4rs`, `slog`, `flexi_logger`, `pretty_env_logger`, and `log` when the crate uses
    /// its macros directly. `tracing`'s `log` feature and `tracing-log` are part of the
    /// house stack and are not flagged; neither are dev-dependencies. Only the code that
    /// ships counts as using `log`'s macros: calls in test code (`tests/`, `benches/`,
    /// `examples/`, `#[cfg(test)]`) do not make a `log` dependency foreign. A crate's own
    /// `macro_rules!` that expands to `log::trace!(..)` (or `log::$level!(..)`) counts as a
    /// use. When a crate of the run depends on `tracing-log` (the service installs its
    /// `LogTracer`), or sets up `tracing-subscriber` with its default features (whose
    /// `tracing-log` feature makes `.init()` and `.try_init()` install that `LogTracer`),
    /// `log`'s macros reach the one tracing subscriber and are not flagged; the other stacks
    /// still are. Nor in a library that no service of the run uses while
    /// the run has services (a library embedded by other programs, such as a Python
    /// extension): `log` is the facade such a library logs through, its host picks the
    /// logger. Nor in a crate that is also built for the browser (it depends on `leptos`,
    /// `yew`, `dioxus`, `wasm-bindgen`, `web-sys`, `gloo-net`, `console_log`, ...): its
    /// `log` records go to the browser's console there.
    ///
    /// `slog` beside `tracing-slog`, which forwards its records into `tracing`, is a
    /// dependency's API, not a second stack: a crate such as `raft` takes a `slog::Logger`,
    /// and what it logs reaches the one subscriber. So is `slog` whose records the crate
    /// sends into `log` with `slog_stdlog::StdLog` (`Logger::root(StdLog.fuse(), o!())`)
    /// when `log` reaches the tracing subscriber (above). (`slog_stdlog::init()` goes the
    /// other way, `log` into `slog`: there `slog` is the service's stack, and is flagged.)
    ///
    /// A logger that a program starts with a call (`env_logger`, `fern`, `log4rs`, ...) counts
    /// only when code that ships calls it: one started only in tests (`#[cfg(test)]`,
    /// `setup_logging_for_tests()`) is a misplaced dev-dependency, not a second stack in
    /// production; one started only by command code (a service's `src/cli/` module, a
    /// one-shot subcommand) logs a command's run on the terminal, not the service.
    ///
    /// A crate with no Rust code of its own (a generated manifest that lists crates for
    /// users' code) is not checked: nothing here uses its dependencies.
    ///
    /// ## Why
    /// Two logging stacks write two formats, configured in two ways, and the second one
    /// rarely ends up as JSON on stdout with the request id. Every service logs through
    /// `tracing` so that every service's logs can be read and filtered the same way.
    ///
    /// ## Example
    /// ```toml
    /// [package]
    /// name = "notes"
    /// version = "0.1.0"
    /// edition = "2024"
    ///
    /// [dependencies]
    /// axum = "0.8"
    /// env_logger = "0.11"
    /// ```
    ///
    /// ```rust
    /// pub fn init_logging() {
    ///     env_logger::init();
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```toml
    /// [package]
    /// name = "notes"
    /// version = "0.1.0"
    /// edition = "2024"
    ///
    /// [dependencies]
    /// axum = "0.8"
    /// tracing = "0.1"
    /// tracing-subscriber = { version = "0.3", features = ["json"] }
    /// ```
    pub struct ForeignLogger {
        name: "foreign-logger",
        group: Logging,
        level: Deny,
        scope: Crate,
        summary: "a dependency on a logging stack other than `tracing`",
        roles: [Service, Worker, Library, Client],
    }
}

impl Rule for ForeignLogger {
    fn check_macro(&self, cx: &mut FileCx, mac: &syn::Macro) {
        // Tests and benches may log however they like; `log` in `[dependencies]` is then
        // there for someone else (`tracing`'s `log` feature, a dependency's needs).
        if cx.in_test() {
            return;
        }
        if mac.path.is_ident("macro_rules") {
            // A crate's own wrappers (`macro_rules! trace { .. log::trace!(..) .. }`).
            if let Some(at) = log_call_in(mac.tokens.clone()) {
                cx.facts.log_macro_uses.push(position(at.start()));
            }
            return;
        }
        if !last_ident_is(&mac.path, LOG_MACROS) {
            return;
        }
        let resolved = cx.resolve_macro(&mac.path);
        let via_macro_use = mac.path.segments.len() == 1
            && cx.uses.macro_use_crates.iter().any(|c| c == "log")
            && !cx.uses.imports(&mac.path.segments[0].ident);
        if resolved.starts_with("log::") || via_macro_use {
            cx.facts
                .log_macro_uses
                .push(position(mac.path.segments[0].ident.span().start()));
        }
    }

    fn check_call(&self, cx: &mut FileCx, call: &syn::ExprCall) {
        // A command's own logger (`src/cli/`, a one-shot subcommand's arm) logs that
        // command's run on the terminal, not the service's.
        if cx.in_test() || cx.in_usage_fn() || cx.file_is_command_module {
            return;
        }
        let syn::Expr::Path(p) = &*call.func else {
            return;
        };
        let Some(first) = p.path.segments.first() else {
            return;
        };
        // `env_logger::init()`; a stack brought in by a `use` (`use flexi_logger::*;`) is
        // read from the file's imports in `check_crate`.
        let called = STARTED_BY_CALL.iter().find(|c| first.ident == c).copied();
        if let Some(stack) = called
            && !cx.facts.logger_calls.iter().any(|c| c == stack)
        {
            cx.facts.logger_calls.push(stack.to_string());
        }
    }

    fn check_method_call(&self, cx: &mut FileCx, call: &syn::ExprMethodCall) {
        // `slog_stdlog::StdLog.fuse()`: a `slog` drain that writes into `log` (for a
        // dependency such as `raft` that takes a `slog::Logger`).
        if (call.method == "fuse" || call.method == "ignore_res")
            && !cx.in_test()
            && matches!(&*call.receiver, syn::Expr::Path(p)
                if p.path.segments.last().is_some_and(|s| s.ident == "StdLog"))
            && !cx.facts.logger_calls.iter().any(|c| c == SLOG_INTO_LOG)
        {
            cx.facts.logger_calls.push(SLOG_INTO_LOG.to_string());
        }
    }

    fn check_crate(&self, cx: &mut CrateCx) {
        let krate = cx.krate;
        if !krate.has_code() {
            return;
        }
        // Called by path outside tests, or imported outside test files and test modules.
        let called = |stack: &str| {
            krate.files.iter().any(|f| {
                f.logger_calls.iter().any(|c| c == stack)
                    || (!f.is_test
                        && f.router.uses.iter().any(|u| {
                            u.target.first().is_some_and(|root| root == stack)
                                && !u.module.iter().any(|m| m == "tests" || m == "test")
                        }))
            })
        };
        // `slog` forwarded into `tracing`: by `tracing-slog`, or by `slog-stdlog`'s `StdLog`
        // drain into `log`, when `log` reaches the tracing subscriber.
        let slog_into_log = || {
            krate.log_bridged
                && krate
                    .files
                    .iter()
                    .any(|f| f.logger_calls.iter().any(|c| c == SLOG_INTO_LOG))
        };
        let slog_bridged = krate
            .manifest
            .runtime_deps_on(&["tracing-slog"])
            .next()
            .is_some()
            || slog_into_log();
        for dep in krate.manifest.runtime_deps_on(FOREIGN) {
            if dep.package == "slog" && slog_bridged {
                continue;
            }
            // Calls are seen by the crate's own name: a renamed stack always counts.
            let renamed = dep.key != dep.package;
            if STARTED_BY_CALL.contains(&dep.package.as_str()) && !renamed && !called(&dep.package)
            {
                continue;
            }
            cx.report_dependency(dep, format!("`{}` is a second logging stack", dep.package))
                .help("log through `tracing` with `tracing-subscriber`'s JSON formatter on stdout");
        }
        // A library no service of the run uses is embedded by others (a Python extension,
        // an SDK): `log` is the facade such a library is expected to log through. So is a
        // crate built for the browser too (a Leptos frontend, a client on `gloo-net`): there
        // `log` goes to the browser's console.
        let logs_elsewhere = krate.log_bridged
            || krate.embedded
            || krate
                .manifest
                .runtime_deps_on(BROWSER_CRATES)
                .next()
                .is_some();
        let uses_log_macros =
            !logs_elsewhere && krate.files.iter().any(|f| !f.log_macro_uses.is_empty());
        if uses_log_macros {
            for dep in krate.manifest.runtime_deps_on(&["log"]) {
                cx.report_dependency(dep, "`log` macros are used directly instead of `tracing`")
                    .help("replace `log::info!` and friends with `tracing::info!`; `tracing` can still collect other crates' `log` records");
            }
        }
    }
}

/// Where a `macro_rules!` body calls `log::<macro>!` or `log::$level!`: a `log` path (not
/// `$crate::log`, `crate::log`, ...) followed by `::`, a log macro name or a metavariable,
/// and `!`.
fn log_call_in(tokens: TokenStream) -> Option<Span> {
    let tts: Vec<TokenTree> = tokens.into_iter().collect();
    let punct =
        |i: usize, c: char| matches!(tts.get(i), Some(TokenTree::Punct(p)) if p.as_char() == c);
    for (i, tt) in tts.iter().enumerate() {
        match tt {
            TokenTree::Group(g) => {
                if let Some(at) = log_call_in(g.stream()) {
                    return Some(at);
                }
            }
            TokenTree::Ident(id) if id == "log" => {
                // `x::log` is someone else's module (`$crate::log`, `tracing::log`).
                let qualified = i >= 2
                    && punct(i - 1, ':')
                    && punct(i - 2, ':')
                    && matches!(tts.get(i.wrapping_sub(3)), Some(TokenTree::Ident(_)));
                if qualified || !punct(i + 1, ':') || !punct(i + 2, ':') {
                    continue;
                }
                let (name_ok, bang) = match tts.get(i + 3) {
                    Some(TokenTree::Ident(m)) => (LOG_MACROS.iter().any(|n| m == n), i + 4),
                    Some(TokenTree::Punct(p)) if p.as_char() == '$' => {
                        (matches!(tts.get(i + 4), Some(TokenTree::Ident(_))), i + 5)
                    }
                    _ => (false, 0),
                };
                if name_ok && punct(bang, '!') {
                    return Some(id.span());
                }
            }
            _ => {}
        }
    }
    None
}
