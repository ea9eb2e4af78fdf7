use crate::context::position;
use crate::context::{CrateCx, FileCx};
use crate::resolve::last_ident_is;
use crate::rule::Rule;

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

crate::declare_rule! {
    /// ## What it does
    /// Flags a dependency on another logging stack: `env_logger`, `simple_logger`, `fern`,
    /// `log4rs`, `slog`, `flexi_logger`, `pretty_env_logger`, and `log` when the crate uses
    /// its macros directly. `tracing`'s `log` feature and `tracing-log` are part of the
    /// house stack and are not flagged; neither are dev-dependencies.
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
    /// env_logger = "0.11"
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
    /// tracing = "0.1"
    /// tracing-subscriber = { version = "0.3", features = ["json"] }
    /// ```
    pub struct ForeignLogger {
        name: "foreign-logger",
        group: Logging,
        level: Deny,
        scope: Crate,
        summary: "a dependency on a logging stack other than `tracing`",
    }
}

impl Rule for ForeignLogger {
    fn check_macro(&self, cx: &mut FileCx, mac: &syn::Macro) {
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

    fn check_crate(&self, cx: &mut CrateCx) {
        let krate = cx.krate;
        for dep in krate.manifest.runtime_deps_on(FOREIGN) {
            cx.report_dependency(dep, format!("`{}` is a second logging stack", dep.package))
                .help("log through `tracing` with `tracing-subscriber`'s JSON formatter on stdout");
        }
        let uses_log_macros = krate.files.iter().any(|f| !f.log_macro_uses.is_empty());
        if uses_log_macros {
            for dep in krate.manifest.runtime_deps_on(&["log"]) {
                cx.report_dependency(dep, "`log` macros are used directly instead of `tracing`")
                    .help("replace `log::info!` and friends with `tracing::info!`; `tracing` can still collect other crates' `log` records");
            }
        }
    }
}
