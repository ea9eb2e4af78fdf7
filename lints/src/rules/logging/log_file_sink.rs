use crate::context::FileCx;
use crate::resolve::last_ident_is;
use crate::rule::Rule;

/// `tracing_appender::rolling`'s constructors.
const ROLLING_FNS: &[&str] = &["daily", "hourly", "minutely", "never"];
/// Functions that open or write a file given its path first.
const FILE_OPENERS: &[&str] = &["create", "open", "create_new", "write", "append"];

/// The path literal an argument is: `"app.log"`, `&"app.log"`, `Path::new("app.log")`,
/// `PathBuf::from("app.log")`.
fn path_literal(expr: &syn::Expr) -> Option<&syn::LitStr> {
    match expr {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(s),
            ..
        }) => Some(s),
        syn::Expr::Reference(r) => path_literal(&r.expr),
        syn::Expr::Paren(p) => path_literal(&p.expr),
        syn::Expr::Call(c) if c.args.len() == 1 => match &*c.func {
            syn::Expr::Path(p)
                if last_ident_is(&p.path, &["new", "from"]) && p.path.segments.len() >= 2 =>
            {
                let ty = &p.path.segments[p.path.segments.len() - 2].ident;
                if ty == "Path" || ty == "PathBuf" {
                    path_literal(&c.args[0])
                } else {
                    None
                }
            }
            _ => None,
        },
        _ => None,
    }
}

fn is_log_file(lit: &syn::LitStr) -> bool {
    let v = lit.value();
    v.len() > 4
        && v.get(v.len() - 4..)
            .is_some_and(|ext| ext.eq_ignore_ascii_case(".log"))
}

/// Where a method call chain starts (`OpenOptions` in `OpenOptions::new().append(true).open(..)`).
fn chain_start(expr: &syn::Expr) -> proc_macro2::Span {
    match expr {
        syn::Expr::MethodCall(m) => chain_start(&m.receiver),
        syn::Expr::Call(c) => chain_start(&c.func),
        syn::Expr::Field(f) => chain_start(&f.base),
        syn::Expr::Paren(p) => p.paren_token.span.open(),
        syn::Expr::Reference(r) => r.and_token.span,
        syn::Expr::Try(t) => chain_start(&t.expr),
        syn::Expr::Await(a) => chain_start(&a.base),
        syn::Expr::Path(p) => {
            crate::resolve::path_start(&p.path).unwrap_or_else(proc_macro2::Span::call_site)
        }
        _ => proc_macro2::Span::call_site(),
    }
}

const HELP: &str = "log to stdout only, through `tracing-subscriber`'s JSON formatter; the process manager collects and rotates it";

crate::declare_rule! {
    /// ## What it does
    /// Flags a service writing its own log files: any use of `tracing_appender::rolling`
    /// (`rolling::daily(..)`, `RollingFileAppender::new(..)`, `RollingFileAppender::builder()`,
    /// imports and renames followed), and a file opened or written with a path literal ending
    /// in `.log` (`File::create("app.log")`, `File::open`, `File::create_new`,
    /// `OpenOptions::new().append(true).open("app.log")`, `fs::write("app.log", ..)`, also
    /// through `Path::new(..)`/`PathBuf::from(..)`). `tracing_appender::non_blocking` around
    /// stdout is fine. Test code is not checked, nor an audit module (`audit.rs`,
    /// `audit_log/`): an audit trail is a record kept for compliance, with its own
    /// retention, not the service's log stream. Nor a sink in one branch of an `if .. else`
    /// (`if cfg.log.file_dir.is_empty() { stdout } else { rolling::daily(..) }`), or added by
    /// an `if` on a setting named for a file (`if self.file_enabled { .. }`): logs reach
    /// stdout unless an operator asks for a file.
    ///
    /// ## Why
    /// Logs go to stdout, once, as JSON: the process manager and the log pipeline collect,
    /// rotate and ship them. A log file on the box is one that fills the disk, that nobody
    /// ships, and that the on-call engineer has to find with `ssh` at 3am instead of in the
    /// log search.
    ///
    /// ## Example
    /// ```rust
    /// fn main() {
    ///     let appender = tracing_appender::rolling::daily("/var/log/notes", "notes.log");
    ///     tracing_subscriber::fmt().json().with_writer(appender).init();
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```rust
    /// fn main() {
    ///     tracing_subscriber::fmt().json().with_writer(std::io::stdout).init();
    /// }
    /// ```
    pub struct LogFileSink {
        name: "log-file-sink",
        group: Logging,
        level: Deny,
        scope: NotInTests,
        summary: "the service writes its own log files instead of logging to stdout",
    }
}

impl Rule for LogFileSink {
    fn check_call(&self, cx: &mut FileCx, call: &syn::ExprCall) {
        if is_audit_module(cx.path) || cx.in_alternative() {
            return;
        }
        let Some(path) = crate::resolve::callee_path(call) else {
            return;
        };
        let first = &path.segments[0];
        let n = path.segments.len();
        let last = &path.segments[n - 1].ident;
        let start = crate::resolve::path_start(path).unwrap_or(first.ident.span());

        // `tracing_appender::rolling::*`, however it was imported.
        let rolling_candidate = first.ident == "tracing_appender"
            || path
                .segments
                .iter()
                .any(|s| s.ident == "rolling" || s.ident == "RollingFileAppender")
            || ROLLING_FNS.iter().any(|f| last == f)
            || (n == 1 || first.ident == "Builder") && cx.uses.imports(&first.ident);
        if rolling_candidate {
            let resolved = cx.resolve(path);
            if resolved.starts_with("tracing_appender::rolling") {
                cx.report_between(
                    start,
                    call.paren_token.span.close(),
                    format!("`{resolved}` writes log files to disk"),
                )
                .help(HELP);
                return;
            }
        }

        // `File::create("app.log")`, `fs::write("app.log", ..)`.
        if !FILE_OPENERS.iter().any(|f| last == f) || call.args.is_empty() {
            return;
        }
        let Some(lit) = path_literal(&call.args[0]) else {
            return;
        };
        let owner_ok = if n >= 2 {
            let owner = &path.segments[n - 2].ident;
            owner == "File" || owner == "fs" || owner == "OpenOptions"
        } else {
            let resolved = cx.resolve(path);
            resolved.ends_with("fs::write")
                || resolved.ends_with("File::create")
                || resolved.ends_with("File::open")
        };
        if owner_ok && is_log_file(lit) {
            cx.report_between(
                start,
                call.paren_token.span.close(),
                format!("the service writes its own log file `{}`", lit.value()),
            )
            .help(HELP);
        }
    }

    fn check_method_call(&self, cx: &mut FileCx, call: &syn::ExprMethodCall) {
        if call.method != "open" || call.args.len() != 1 || is_audit_module(cx.path) {
            return;
        }
        let Some(lit) = path_literal(&call.args[0]) else {
            return;
        };
        if is_log_file(lit) {
            cx.report_between(
                chain_start(&call.receiver),
                call.paren_token.span.close(),
                format!("the service writes its own log file `{}`", lit.value()),
            )
            .help(HELP);
        }
    }
}

/// `audit.rs`, `audit/`, `audit_log.rs`: an audit trail is a record kept for compliance,
/// with its own retention, not the service's log stream.
fn is_audit_module(path: &std::path::Path) -> bool {
    path.components()
        .filter_map(|c| c.as_os_str().to_str())
        .skip_while(|c| *c != "src")
        .any(|c| {
            c.trim_end_matches(".rs")
                .split(['_', '-'])
                .any(|w| w == "audit")
        })
}
