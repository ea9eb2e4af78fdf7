use crate::context::FileCx;
use crate::rule::Rule;

/// Settings that say *how many*.
const CAPACITY_SETTINGS: &[&str] = &[
    "worker_threads",
    "max_blocking_threads",
    "max_connections",
    "min_connections",
    "max_size",
    "min_idle",
    "pool_size",
    "concurrency_limit",
    "buffer_size",
];

/// `.worker_threads(1)`, `.max_connections(1)`, `.min_connections(0)`: a runtime of one
/// thread (a helper's private runtime, an embedded client's), a pool of one connection
/// (SQLite's single writer, a connection held for a lock) or a pool that keeps no idle
/// connection (`min_idle(Some(0))`) is a design, not a capacity anyone tunes.
fn single_thread(call: &syn::ExprMethodCall) -> bool {
    let design = match call.method.to_string().as_str() {
        "worker_threads" | "max_connections" | "max_size" | "pool_size" => "1",
        "min_connections" | "min_idle" => "0",
        _ => return false,
    };
    let mut arg = &call.args[0];
    // `min_idle(Some(0))`.
    if let syn::Expr::Call(c) = arg
        && matches!(&*c.func, syn::Expr::Path(p) if p.path.is_ident("Some"))
        && c.args.len() == 1
    {
        arg = &c.args[0];
    }
    matches!(arg, syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Int(i), .. }) if i.base10_digits() == design)
}

/// An integer written in the code: `8`, `64 * 1024`, `Some(4)`, `16 as usize`, `(2)`.
fn integer_literal(expr: &syn::Expr) -> bool {
    match expr {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Int(_),
            ..
        }) => true,
        syn::Expr::Paren(p) => integer_literal(&p.expr),
        syn::Expr::Group(g) => integer_literal(&g.expr),
        syn::Expr::Cast(c) => integer_literal(&c.expr),
        syn::Expr::Binary(b) => integer_literal(&b.left) && integer_literal(&b.right),
        syn::Expr::Call(c) => {
            c.args.len() == 1
                && matches!(&*c.func, syn::Expr::Path(p) if p.path.is_ident("Some"))
                && integer_literal(&c.args[0])
        }
        _ => false,
    }
}

fn report(cx: &mut FileCx, setting: &syn::Ident, value: &syn::Expr) {
    // A one-off migration sizes its own pool for the one run it makes; a function that
    // returns a setting's default (`impl Default for Policy`) is where defaults live.
    if cx.in_migration() || cx.in_fallback() {
        return;
    }
    let first = first_span(value);
    let last = last_span(value);
    cx.note_command_site(first.start());
    cx.report_between(
        first,
        last,
        format!("`{setting}` is set to a number written in the code"),
    )
    .help(format!(
        "read `{setting}` from configuration, so each environment and machine size can set its own"
    ));
}

fn first_span(expr: &syn::Expr) -> proc_macro2::Span {
    match expr {
        syn::Expr::Lit(l) => l.lit.span(),
        syn::Expr::Paren(p) => p.paren_token.span.open(),
        syn::Expr::Group(g) => first_span(&g.expr),
        syn::Expr::Cast(c) => first_span(&c.expr),
        syn::Expr::Binary(b) => first_span(&b.left),
        syn::Expr::Call(c) => match &*c.func {
            syn::Expr::Path(p) => p.path.segments[0].ident.span(),
            _ => c.paren_token.span.open(),
        },
        _ => proc_macro2::Span::call_site(),
    }
}

fn last_span(expr: &syn::Expr) -> proc_macro2::Span {
    match expr {
        syn::Expr::Lit(l) => l.lit.span(),
        syn::Expr::Paren(p) => p.paren_token.span.close(),
        syn::Expr::Group(g) => last_span(&g.expr),
        syn::Expr::Cast(c) => match &*c.ty {
            syn::Type::Path(p) => p
                .path
                .segments
                .last()
                .map_or(c.as_token.span, |s| s.ident.span()),
            _ => c.as_token.span,
        },
        syn::Expr::Binary(b) => last_span(&b.right),
        syn::Expr::Call(c) => c.paren_token.span.close(),
        _ => proc_macro2::Span::call_site(),
    }
}

crate::declare_rule! {
    /// ## What it does
    /// Flags an integer written in the code as a *how many* setting: the argument of a
    /// method named `worker_threads`, `max_blocking_threads`, `max_connections`,
    /// `min_connections`, `max_size`, `min_idle`, `pool_size`, `concurrency_limit` or
    /// `buffer_size`, or a struct field of one of these names. `8`, `64 * 1024`, `Some(4)`
    /// and `16 as usize` all count; a value read from a variable or a config field does not,
    /// nor `.worker_threads(1)`, `.max_connections(1)` or `.min_connections(0)` (a runtime
    /// of one thread, a pool of one connection such as SQLite's single writer, a pool that
    /// keeps no idle connection, is a design, not a capacity).
    /// Test code, the config module (where defaults may live), a function that returns a
    /// setting's default (`impl Default for BackpressurePolicy`, `fn default_pool_size()`),
    /// the fallback branch of a value the program was given, and migration modules
    /// (`migration/`, `migrations.rs`: a one-off run sizes its own pool) are not checked, nor
    /// a function of the crate's library that only its command programs call (`connect` of
    /// `use ledger::database::connect` in `src/bin/db-cli.rs`, imported by no other file:
    /// the admin program's pool, not the service's). The
    /// attribute form `#[tokio::main(worker_threads = 4)]` is not seen yet.
    ///
    /// ## Why
    /// Pool sizes and thread counts are what the on-call engineer turns when the database
    /// runs out of connections or a box with 64 cores uses 4 of them. In configuration that
    /// is a config change and a restart; in code it is a build and a deploy in the middle of
    /// an incident.
    ///
    /// ## Example
    /// ```rust
    /// fn main() {
    ///     let runtime = tokio::runtime::Builder::new_multi_thread()
    ///         .worker_threads(8)
    ///         .enable_all()
    ///         .build()
    ///         .unwrap();
    /// #   let _ = runtime;
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```rust
    /// mod config;
    ///
    /// fn main() {
    ///     let settings = config::Settings::load();
    ///     let runtime = tokio::runtime::Builder::new_multi_thread()
    ///         .worker_threads(settings.worker_threads)
    ///         .enable_all()
    ///         .build()
    ///         .unwrap();
    /// #   let _ = runtime;
    /// }
    /// ```
    ///
    /// ```rust,file=src/config.rs
    /// pub struct Settings {
    ///     pub worker_threads: usize,
    /// }
    ///
    /// impl Settings {
    ///     pub fn load() -> Self {
    ///         Settings { worker_threads: 4 }
    ///     }
    /// }
    /// ```
    ///
    /// ## Configuration
    /// `house.config_modules` (default `["config", "settings"]`) names the modules where
    /// these numbers may appear as defaults.
    /// A module that builds the settings counts as a config module whatever its name: one
    /// that calls `config::Config::builder()`, `figment::Figment` or `envy::from_env`/
    /// `envy::prefixed`, or that has a `#[derive(Deserialize)]` struct and reads the
    /// environment (`src/cfg.rs`). Crate roots (`src/main.rs`, `src/lib.rs`, `src/bin/*`)
    /// and files that define routes never do.
    pub struct HardcodedCapacity {
        name: "hardcoded-capacity",
        group: Config,
        level: Warn,
        scope: NotInTestsOrConfig,
        summary: "a number written in the code for a *how many* setting (`worker_threads`, `max_connections`, `pool_size`, ...)",
    }
}

impl Rule for HardcodedCapacity {
    fn check_method_call(&self, cx: &mut FileCx, call: &syn::ExprMethodCall) {
        if call.args.len() != 1
            || !CAPACITY_SETTINGS.iter().any(|s| call.method == s)
            || !integer_literal(&call.args[0])
            || single_thread(call)
        {
            return;
        }
        report(cx, &call.method, &call.args[0]);
    }

    fn check_field_value(&self, cx: &mut FileCx, field: &syn::FieldValue) {
        let syn::Member::Named(name) = &field.member else {
            return;
        };
        if !CAPACITY_SETTINGS.iter().any(|s| name == s) || !integer_literal(&field.expr) {
            return;
        }
        report(cx, name, &field.expr);
    }
}
