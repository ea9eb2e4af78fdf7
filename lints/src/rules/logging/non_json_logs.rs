use crate::context::{CrateCx, FileCx};
use crate::model::{LogFormatFact, Range};
use crate::router::extract::{expr_start, range_between};
use crate::rule::Rule;

/// Calls that start a `tracing-subscriber` formatter, by resolved path.
const ROOTS: &[&str] = &[
    "tracing_subscriber::fmt",
    "tracing_subscriber::fmt::layer",
    "tracing_subscriber::fmt::init",
    "tracing_subscriber::fmt::try_init",
    "tracing_subscriber::fmt::Subscriber::builder",
    "tracing_subscriber::fmt::Subscriber::new",
    "tracing_subscriber::fmt::Subscriber::default",
    "tracing_subscriber::fmt::SubscriberBuilder::default",
    "tracing_subscriber::fmt::Layer::new",
    "tracing_subscriber::fmt::Layer::default",
    "tracing_subscriber::FmtSubscriber::builder",
    "tracing_subscriber::FmtSubscriber::new",
    "tracing_subscriber::FmtSubscriber::default",
];

/// Crates whose formatters write JSON: they count as the JSON side of a log-format switch.
const JSON_CRATES: &[&str] = &[
    "json_subscriber::",
    "tracing_bunyan_formatter::",
    "tracing_stackdriver::",
];

crate::declare_rule! {
    /// ## What it does
    /// Flags a service that sets up `tracing-subscriber`'s formatter without JSON output:
    /// `tracing_subscriber::fmt().init()`, `tracing_subscriber::fmt::init()`,
    /// `fmt::layer()` or `FmtSubscriber::new()` whose method chain has no `.json()`, and
    /// chains that choose text: `.pretty()`, `.compact()`, `.with_ansi(true)`. The finding
    /// points at the call that starts the formatter.
    ///
    /// Fine: `.json()` anywhere in the chain (`fmt().json().init()`,
    /// `fmt::layer().json().flatten_event(true)`), and `.event_format(..)` with a formatter
    /// of the team's own (the generated service's JSON-lines formatter) unless it is
    /// `format().pretty()`/`format().compact()`. Formatters set up in test code, or with
    /// `.with_test_writer()`, are not looked at: a test may print however it likes. Nor is a
    /// text formatter in a file that also sets up a JSON one (`.json()`, or the JSON
    /// formatters of `json-subscriber`, `tracing-bunyan-formatter` or
    /// `tracing-stackdriver`): that is a log-format switch
    /// (`match cfg.log_format { Text => .., Json => .. }`), and which one production uses
    /// is configuration. A `match` with an arm on a variant named `Json`
    /// (`LogFormat::Json => init_json_logging(..)`) is such a switch too, wherever the
    /// JSON side is set up.
    ///
    /// Not seen: a formatter set up in another crate of the workspace (a shared telemetry
    /// library). A chain split over variables is followed only by name: `let fmt_layer =
    /// fmt::layer(); .. fmt_layer.json()` is a JSON format in that file when the variable
    /// is named like a formatter (`layer`, `fmt`, `format`, `subscriber`, `builder`).
    ///
    /// Applies to crates whose role (docs/idioms.md "Crate roles") is `service` or `worker`:
    /// a command-line tool writes for a terminal.
    ///
    /// ## Why
    /// Every service logs one JSON object per line on stdout, so journald, the log shipper
    /// and the on-call engineer's `jq` read every service the same way: fields stay fields,
    /// a multi-line error stays one event, and nobody writes a regex for a colourised
    /// timestamp. Text logs with ANSI colours are made for a terminal, not for a log store.
    ///
    /// ## Example
    /// ```rust
    /// fn main() {
    ///     tracing_subscriber::fmt().pretty().with_ansi(true).init();
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```rust
    /// fn main() {
    ///     tracing_subscriber::fmt()
    ///         .json()
    ///         .with_current_span(false)
    ///         .init();
    /// }
    /// ```
    pub struct NonJsonLogs {
        name: "non-json-logs",
        group: Logging,
        level: Deny,
        scope: Service,
        summary: "a service sets up `tracing-subscriber`'s formatter without JSON output",
    }
}

impl Rule for NonJsonLogs {
    fn check_match(&self, cx: &mut FileCx, expr: &syn::ExprMatch) {
        if !cx.facts.json_format_arm {
            cx.facts.json_format_arm = expr.arms.iter().any(|arm| names_json_variant(&arm.pat));
        }
    }

    fn check_call(&self, cx: &mut FileCx, call: &syn::ExprCall) {
        if cx.in_test() {
            return;
        }
        let Some(resolved) = root_path(cx, call) else {
            return;
        };
        let at = root_range(call);
        let json_crate = JSON_CRATES.iter().any(|c| resolved.starts_with(c));
        let fact = fact_at(cx, at);
        if json_crate {
            fact.json = true;
        } else if resolved.ends_with("::init") || resolved.ends_with("::try_init") {
            fact.text.push("the default text format");
        }
    }

    fn check_method_call(&self, cx: &mut FileCx, call: &syn::ExprMethodCall) {
        // Compared without allocating: this runs for every method call.
        let m = &call.method;
        let choice = if m == "json" || m == "with_test_writer" {
            None
        } else if m == "pretty" {
            Some(".pretty()")
        } else if m == "compact" {
            Some(".compact()")
        } else if m == "with_ansi" && is_true(call.args.first()) {
            Some(".with_ansi(true)")
        } else if m == "event_format" {
            call.args.first().and_then(text_format)
        } else {
            return;
        };
        if cx.in_test() {
            return;
        }
        let Some(root) = chain_root(&call.receiver) else {
            // `let layer = fmt::layer(); .. layer.json()`: the chain goes on from a variable
            // that names a formatter; the file has a JSON format.
            if m == "json" && call.args.is_empty() && names_formatter(&call.receiver) {
                let at = range_between(call.method.span(), call.paren_token.span.close());
                fact_at(cx, at).json = true;
            }
            return;
        };
        if root_path(cx, root).is_none() {
            return;
        }
        let fact = fact_at(cx, root_range(root));
        match choice {
            Some(text) => fact.text.push(text),
            None if call.method == "with_test_writer" => fact.for_tests = true,
            None => fact.json = true,
        }
    }

    fn check_crate(&self, cx: &mut CrateCx) {
        let krate = cx.krate;
        let mut found = Vec::new();
        for (file, facts) in krate.files.iter().enumerate() {
            // A text format next to a JSON one is a log-format switch: each environment
            // picks its own, and production's is configuration, not code.
            if facts.json_format_arm || facts.log_formats.iter().any(|f| f.json) {
                continue;
            }
            for f in facts.log_formats.iter().filter(|f| !f.for_tests) {
                let why = if f.text.is_empty() {
                    "no `.json()`".to_string()
                } else {
                    f.text
                        .iter()
                        .rev()
                        .map(|t| {
                            if t.starts_with('.') {
                                format!("`{t}`")
                            } else {
                                t.to_string()
                            }
                        })
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                found.push((
                    file,
                    f.root,
                    format!("the log formatter writes text, not JSON lines ({why})"),
                ));
            }
        }
        for (file, range, message) in found {
            cx.report_in_file(file, range, message).help(
                "add `.json()` to the formatter's chain (or use the house JSON formatter), so every log line is one JSON object on stdout",
            );
        }
    }
}

/// The resolved path of a call that starts a formatter.
fn root_path(cx: &FileCx, call: &syn::ExprCall) -> Option<String> {
    let path = crate::resolve::callee_path(call)?;
    let segments = &path.segments;
    let last = &segments[segments.len() - 1].ident;
    let prev = segments.len().checked_sub(2).map(|i| &segments[i].ident);
    let candidate = if last == "new" || last == "default" || last == "builder" {
        prev.is_some_and(|p| {
            p == "Subscriber"
                || p == "FmtSubscriber"
                || p == "Layer"
                || p == "SubscriberBuilder"
                || p == "BunyanFormattingLayer"
        })
    } else {
        last == "fmt" || last == "layer" || last == "init" || last == "try_init"
    };
    if !candidate {
        return None;
    }
    let resolved = cx.resolve(path);
    (ROOTS.contains(&resolved.as_str()) || JSON_CRATES.iter().any(|c| resolved.starts_with(c)))
        .then_some(resolved)
}

fn root_range(call: &syn::ExprCall) -> Range {
    range_between(expr_start(&call.func), call.paren_token.span.close())
}

/// The fact of the formatter starting at `root`, created on first sight (the walk meets the
/// outer calls of a chain before its root).
fn fact_at<'f>(cx: &'f mut FileCx, root: Range) -> &'f mut LogFormatFact {
    let formats = &mut cx.facts.log_formats;
    let i = match formats.iter().position(|f| f.root == root) {
        Some(i) => i,
        None => {
            formats.push(LogFormatFact {
                root,
                json: false,
                for_tests: false,
                text: Vec::new(),
            });
            formats.len() - 1
        }
    };
    &mut formats[i]
}

/// The call a method chain starts with (`tracing_subscriber::fmt()` in
/// `tracing_subscriber::fmt().pretty().init()`).
fn chain_root(mut e: &syn::Expr) -> Option<&syn::ExprCall> {
    loop {
        match e {
            syn::Expr::MethodCall(m) => e = &m.receiver,
            syn::Expr::Paren(p) => e = &p.expr,
            syn::Expr::Call(c) => return Some(c),
            _ => return None,
        }
    }
}

/// `.event_format(format().pretty())`: a text format passed by value; anything else is a
/// formatter of the team's own, or `format().json()`.
fn text_format(arg: &syn::Expr) -> Option<&'static str> {
    let mut e = arg;
    let mut text = None;
    while let syn::Expr::MethodCall(m) = e {
        if m.method == "json" {
            return None;
        }
        if m.method == "pretty" {
            text = Some(".event_format(format().pretty())");
        } else if m.method == "compact" {
            text = text.or(Some(".event_format(format().compact())"));
        }
        e = &m.receiver;
    }
    text
}

/// A variable named like a formatter (`fmt_layer`, `stdout_format`, `builder`), where a
/// chain split over `let`s goes on.
fn names_formatter(e: &syn::Expr) -> bool {
    let mut e = e;
    while let syn::Expr::MethodCall(m) = e {
        e = &m.receiver;
    }
    let syn::Expr::Path(p) = e else { return false };
    let Some(ident) = p.path.get_ident() else {
        return false;
    };
    let name = ident.to_string().to_ascii_lowercase();
    ["layer", "fmt", "format", "subscriber", "builder"]
        .iter()
        .any(|w| name.contains(w))
}

fn is_true(arg: Option<&syn::Expr>) -> bool {
    matches!(
        arg,
        Some(syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Bool(b),
            ..
        })) if b.value
    )
}
/// A pattern naming a variant `Json` (`LogFormat::Json`, `Format::Json | Format::Ndjson`).
fn names_json_variant(pat: &syn::Pat) -> bool {
    match pat {
        syn::Pat::Path(p) => p.path.segments.last().is_some_and(|s| s.ident == "Json"),
        syn::Pat::TupleStruct(t) => t.path.segments.last().is_some_and(|s| s.ident == "Json"),
        syn::Pat::Struct(s) => s.path.segments.last().is_some_and(|s| s.ident == "Json"),
        syn::Pat::Or(o) => o.cases.iter().any(names_json_variant),
        // `(LogFormat::Json, _) =>` when the format is matched with something else.
        syn::Pat::Tuple(t) => t.elems.iter().any(names_json_variant),
        syn::Pat::Paren(p) => names_json_variant(&p.pat),
        syn::Pat::Guard(g) => names_json_variant(&g.pat),
        _ => false,
    }
}
