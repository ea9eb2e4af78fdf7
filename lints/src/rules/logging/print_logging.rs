use crate::context::{FileCx, position};
use crate::diagnostic::{Applicability, Edit, Fix};
use crate::resolve::last_ident_is;
use crate::rule::Rule;

const PRINT_MACROS: &[&str] = &["println", "eprintln", "print", "eprint", "dbg"];

crate::declare_rule! {
    /// ## What it does
    /// Flags `println!`, `eprintln!`, `print!`, `eprint!` and `dbg!` outside test code,
    /// where there is evidence that the print runs while the service runs, so that its line
    /// lands in the service's log stream (`lints/src/hot_path.rs`):
    /// - its function is the program's entry (`main`, `async_main`,
    ///   `service_entrypoint`), writes log events as well (`warn!(..)`,
    ///   `tracing::info!(..)`, a crate's own `admin_error!(..)`), starts the server (binds
    ///   a listener, calls `serve`, Rocket's `launch`, `server::run()`), or answers a route
    ///   by its attribute (`#[post("/admin/ban")] fn ban_user()`);
    /// - it comes after the statement that installs the logger in its block, or its
    ///   function is called there (`init_tracing(); launch_info();`);
    /// - it sits in a `while`, a `loop` that does not end on its own, or a task (an async
    ///   block);
    /// - or its function runs hot, as `blocking-in-async` finds it: a handler, a request
    ///   guard (`from_request`), what a loop or a task calls, what a hot function calls.
    ///
    /// Without such evidence a print is someone's terminal output: an admin tool's report
    /// that its own binary calls, a plugin's default output hook, a debugging dump. Known
    /// limit: a plain function reached only through another plain one (a parser two calls
    /// below a handler), or a `Drop`, gives no evidence.
    ///
    /// Not flagged, because there the print is a command line's output or there is no log
    /// yet:
    /// - a function that is the program's command-line interface (`parse_args`,
    ///   `print_help`, `usage`, any name with the word `help` or `usage`) or its launch
    ///   banner (`welcome`, `print_banner`, `print_launch_resume`, names with `greeting`,
    ///   `splash` or `motd`: printed once for the person starting it), a command's output
    ///   helper (a name that starts with `print`, `display`, `show` or `render` and names
    ///   the form: `display_json_success`, `print_table`, `show_output`), a function that
    ///   takes parsed command arguments (a parameter whose type ends in `Arg`, `Args`, `Cmd`,
    ///   `Command`, `Subcommand`: `fn add(arg: &AddArg)`), the methods of such a type
    ///   (`impl AuthCmd`), and the arm of a one-shot subcommand: a `match` arm or `if let`
    ///   whose pattern is a variant of a command enum (`Some(Commands::Migrate) =>`,
    ///   `JwtCommands::Generate { .. } =>`, structopt's `DaemonOpt::DbScan { .. } =>`) and
    ///   whose body starts no server (nothing in it named `serve` or `listen`); and what
    ///   such command code calls: a function of the workspace with a distinctive name
    ///   (`dbscan_list_indexes_core(&config)`: eight characters or more, with `_`), or a
    ///   module of the same crate (`monitor::run()` makes `monitor.rs` command output,
    ///   `migration::run_meta()` the files of `src/migration/`), unless that module builds
    ///   a router or serves;
    /// - a service crate's command module at the top of its sources (`src/cli/`,
    ///   `src/cmd.rs`, `src/commands/`), unless it serves, builds routes or imports the
    ///   crate's `server` module; the modules it calls are command output too;
    /// - a function that sets up logging (a name with a verb such as `init`, `setup`,
    ///   `start`, `configure`, `build` and a word `logging`, `logger`, `logs`, `tracing`,
    ///   `telemetry`, `otel` or `subscriber`: `init_logging`, `start_logging_pipeline`)
    ///   and the config module (by name or by what it does, see `docs/idioms.md`): both run
    ///   before the logger exists, whose level and format come from the settings; and the
    ///   `Drop` of a logger's own type (`impl Drop for TracingPipelineGuard`), which reports
    ///   the log's shutdown when the log can no longer carry it;
    /// - the statements of a block before the one that installs the logger
    ///   (`init_tracing(&settings);`, `tracing_subscriber::fmt().json().init();`,
    ///   `tracing_subscriber::fmt::init();`, `env_logger::init();`,
    ///   `set_global_default(..)`), and the functions of the crate those statements call by
    ///   name (`launch_info();` before `let level = init_logging()?;`): a startup check that
    ///   prints its error and exits, or a launch banner, has no log to write to yet;
    /// - a block that ends the process (`eprintln!("cannot bind {addr}"); exit(201);`, a
    ///   `return` in `main` itself or in its stand-in (`async_main`, `service_entrypoint`,
    ///   which `main` only calls), or a startup function's `return 121;` or
    ///   `return ExitCode::FAILURE;`, the exit status its caller passes on, also from a
    ///   retry loop in it): it tells whoever started the program why it stops, on stderr, where the exit status
    ///   is read too; so does a function named for a dying process (`on_ungraceful_shutdown`,
    ///   `emergency_flush`, `crash_handler`), which runs when the log may be shut down.
    ///
    /// Nor prints in a library that no service of the linted tree uses, when the tree has
    /// services: another program embeds it (a PAM module loaded by `sshd`, a Python
    /// extension), and what it prints is not a service's log.
    ///
    /// Nor a progress mark, `print!`/`eprint!` of no line and no words: marks alone
    /// (`eprint!(".")`), or a count in one branch of an `if .. else` (`eprint!("{count}")`
    /// every 2,500 entries of a reindex): a terminal's progress display, not an event.
    ///
    /// Nor prints in a module file that reads its terminal (`stdin()`, `rpassword`'s,
    /// `dialoguer`'s or `inquire`'s prompts; not `main.rs` or `lib.rs`, which do much else):
    /// they are the questions and answers of a person at it, such as a `hash-password`
    /// command's password policy.
    ///
    /// Nor prints in a file that imports a crate that styles terminal output (`console`,
    /// `colored`, `owo_colors`, `termcolor`, `crossterm`, `comfy_table`, `tabled`,
    /// `indicatif`, ...): a colored diff report, a table or a progress bar is for a person
    /// at a terminal, not a log reader.
    ///
    /// Nor prints in a module file that prints a blank line (`eprintln!()`; not `main.rs`
    /// or `lib.rs`): it lays out text for a person at a terminal, a remediation guide or a
    /// report, and no log event is empty.
    ///
    /// Nor prints in a migration module (`migrations.rs`, `migration/m20250109_092400_ksuids.rs`):
    /// a one-off migration reports its progress to whoever runs the deployment.
    ///
    /// Nor prints inside an item that allows clippy's `print_stdout` or `print_stderr`
    /// (`#[expect(clippy::print_stdout)] fn print_key(..)`, `#![allow(clippy::print_stderr)]`
    /// in a function or module): the author already chose to print there, and said so.
    ///
    /// Nor `println!`/`print!` whose format string starts with `cargo:` (such as
    /// `"cargo:rerun-if-changed={}"` in a build-script helper): that is the build-script
    /// protocol, read by cargo, not a log line.
    ///
    /// Known limit: a crate's own `macro_rules! dbg` (or `println`, ...) is taken for the
    /// standard macro it shadows.
    ///
    /// `--fix --unsafe-fixes` turns `println!` into `tracing::info!` and `eprintln!` into
    /// `tracing::error!` (unsafe: the output moves from stdout or stderr into the log).
    ///
    /// ## Why
    /// The on-call engineer reads one stream: JSON lines from `tracing` on stdout, with a
    /// level, a timestamp and the request id. A bare `println!` is a line with none of them,
    /// interleaved with the JSON, that log pipelines cannot parse or filter by level;
    /// `eprintln!` goes to another stream altogether.
    ///
    /// ## Example
    /// ```rust
    /// async fn serve(listener: tokio::net::TcpListener) {
    ///     println!("listening on {:?}", listener.local_addr());
    ///     axum::serve(listener, axum::Router::new()).await.unwrap();
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```rust
    /// async fn serve(listener: tokio::net::TcpListener) {
    ///     tracing::info!(addr = ?listener.local_addr(), "listening");
    ///     axum::serve(listener, axum::Router::new()).await.unwrap();
    /// }
    /// ```
    pub struct PrintLogging {
        name: "print-logging",
        group: Logging,
        level: Deny,
        scope: NotInTestsOrConfig,
        summary: "`println!`, `eprintln!`, `print!`, `eprint!` or `dbg!` instead of the `tracing` macros",
    }
}

impl Rule for PrintLogging {
    fn check_call(&self, cx: &mut FileCx, call: &syn::ExprCall) {
        // `stdin()`, `rpassword::prompt_password(..)`: the file talks with a person at a
        // terminal (`crate::analyze` then drops its prints).
        if let syn::Expr::Path(p) = &*call.func
            && !cx.facts.talks_to_terminal
            && (p.path.segments.last().is_some_and(|s| s.ident == "stdin")
                || p.path.segments.first().is_some_and(|s| {
                    s.ident == "rpassword" || s.ident == "dialoguer" || s.ident == "inquire"
                }))
        {
            cx.facts.talks_to_terminal = true;
        }
    }

    fn check_macro(&self, cx: &mut FileCx, mac: &syn::Macro) {
        // Cheap filter first: most macros are neither a print macro nor an imported alias.
        let aliased = mac.path.segments.len() == 1 && cx.uses.imports(&mac.path.segments[0].ident);
        if !aliased && !last_ident_is(&mac.path, PRINT_MACROS) {
            return;
        }
        let resolved = cx.resolve_macro(&mac.path);
        let Some(name) = resolved
            .strip_prefix("std::")
            .filter(|n| PRINT_MACROS.contains(n))
        else {
            return;
        };
        // `eprintln!()`: a blank line lays text out for a person at a terminal; no log
        // event is empty (`crate::analyze` then drops the file's prints).
        if mac.tokens.is_empty() && matches!(name, "println" | "eprintln") {
            cx.facts.talks_to_terminal = true;
        }
        if (matches!(name, "println" | "print") && is_cargo_directive(mac))
            || (matches!(name, "print" | "eprint")
                && is_progress_mark(mac, cx.alternative_depth > 0))
            || cx.in_usage_fn()
            || cx.in_logging_setup()
            || cx.before_logger()
            || cx.in_exit_message()
            || cx.in_migration()
            || cx.prints_allowed()
            || cx.uses.imports_from_any(TERMINAL_STYLE_CRATES)
        {
            return;
        }
        let replacement = match name {
            "eprintln" | "eprint" => "tracing::error!",
            "dbg" => "tracing::debug!",
            _ => "tracing::info!",
        };
        let first = crate::resolve::path_start(&mac.path).unwrap_or(mac.bang_token.span);
        cx.note_command_site(first.start());
        cx.facts.print_sites.push(crate::model::PrintSite {
            line: position(first.start()).line,
            beside_requests: cx.repeat_depth > 0 || cx.in_async_task(),
            beside_log: cx.after_logger(),
            ..Default::default()
        });
        let reported = cx
            .report_between(first, mac.delimiter.span().close(), format!("`{name}!` writes around the structured log"))
            .help(format!("log through `tracing` instead, e.g. `{replacement}(..)`; logs go to stdout as JSON, once"));
        if let Some(fix) = fix(name, replacement, first, mac) {
            reported.fix(fix);
        }
    }
}

/// Crates that color, lay out or animate what a terminal shows: a file that imports one
/// writes for a person at a terminal (a diff report, a table, a progress bar), and a log
/// line would have no use for its styling.
const TERMINAL_STYLE_CRATES: &[&str] = &[
    "console",
    "colored",
    "owo_colors",
    "yansi",
    "ansi_term",
    "nu_ansi_term",
    "termcolor",
    "anstyle",
    "crossterm",
    "comfy_table",
    "tabled",
    "prettytable",
    "indicatif",
];

/// `println!("cargo:rerun-if-changed={}", ..)`: an instruction to cargo on stdout (build
/// scripts and their helper crates), which must stay a plain line on stdout.
fn is_cargo_directive(mac: &syn::Macro) -> bool {
    let Some(proc_macro2::TokenTree::Literal(first)) = mac.tokens.clone().into_iter().next() else {
        return false;
    };
    matches!(syn::Lit::new(first), syn::Lit::Str(lit) if lit.value().starts_with("cargo:"))
}

/// `eprint!(".")`, and `eprint!("{count}")` in a branch (`if count % 2500 == 0 { .. }
/// else if ..`): a progress mark on a terminal, no line and no words, which no log reader
/// would want as an event. A bare value printed on its own (`eprint!("{value}")`) is not.
fn is_progress_mark(mac: &syn::Macro, in_branch: bool) -> bool {
    let Some(proc_macro2::TokenTree::Literal(first)) = mac.tokens.clone().into_iter().next() else {
        return false;
    };
    let syn::Lit::Str(lit) = syn::Lit::new(first) else {
        return false;
    };
    let text = lit.value();
    let mut outside = String::new();
    let mut depth = 0;
    for c in text.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            c if depth == 0 => outside.push(c),
            _ => {}
        }
    }
    let marks_only = !outside.is_empty() && outside.chars().all(|c| c.is_ascii_punctuation());
    !text.contains('\n') && !outside.chars().any(char::is_alphabetic) && (marks_only || in_branch)
}

/// `println!(..)` -> `tracing::info!(..)`, `eprintln!(..)` -> `tracing::error!(..)`: the
/// macro path is replaced, the format string and arguments stay. Unsafe: the line moves
/// from stdout (or stderr) into the log, where it gains a level and a timestamp.
///
/// No fix for `print!`/`eprint!` (partial lines do not map onto log events), `dbg!` (it
/// returns its argument and prints the expression) or an empty `println!()` (an empty log
/// event says nothing).
fn fix(name: &str, replacement: &str, first: proc_macro2::Span, mac: &syn::Macro) -> Option<Fix> {
    if !matches!(name, "println" | "eprintln") || mac.tokens.is_empty() {
        return None;
    }
    let last = mac.path.segments.last()?.ident.span();
    let (start, end) = (position(first.start()), position(last.end()));
    Some(Fix {
        applicability: Applicability::Unsafe,
        message: format!("replace `{name}!` with `{replacement}`"),
        edits: vec![Edit {
            line: start.line,
            column: start.column,
            end_line: end.line,
            end_column: end.column,
            content: replacement.trim_end_matches('!').to_string(),
        }],
    })
}
