//! Code whose output is a command line's interface rather than a log: usage and help text,
//! functions that take parsed command arguments (`fn add(arg: &AddArgs)`), methods of a
//! command type (`impl AuthCmd`), the arm of a one-shot subcommand (`Commands::Migrate =>
//! ..` that does not serve). Beside them, functions that set up logging itself (nothing to
//! log through yet). `print-logging` leaves prints in both alone.

use super::Walker;
use syn::visit::Visit;

impl<'ast> Walker<'_, '_, 'ast> {
    /// Notes the function a command calls (`monitor::run()`, `dbscan_list_indexes_core(..)`):
    /// what that function prints is the command's output too (`crate::command_output`).
    pub(super) fn record_command_call(&mut self, c: &syn::ExprCall) {
        const MAX_PER_FILE: usize = 256;
        if self.cx.file_in_bin_dir && !self.cx.in_test() {
            self.record_bin_call(c);
        }
        self.record_early_call(c);
        let facts = &mut self.cx.facts;
        let in_command_fn = self.cx.usage_depth > 0;
        if !(in_command_fn || self.cx.file_is_command_module)
            || facts.command_calls.len() >= MAX_PER_FILE
        {
            return;
        }
        if let syn::Expr::Path(p) = &*c.func {
            let mut path: Vec<String> = p
                .path
                .segments
                .iter()
                .map(|s| s.ident.to_string())
                .collect();
            // Outside a command function, only the module called into counts
            // (`migration::run_meta` -> `migration::`): a command module also calls
            // `serde_json::from_str`, whose name says nothing.
            if !in_command_fn {
                if path.len() < 2 {
                    return;
                }
                path.last_mut().map(String::clear);
            }
            let path = path.join("::");
            if !facts.command_calls.contains(&path) {
                facts.command_calls.push(path);
            }
        }
    }

    /// `launch_info();` before `init_logging()?;`: a function of the crate called before
    /// the logger exists, whose prints have no log to go to; `load_wal_sizes().await?;` in
    /// startup code, which runs once (`crate::command_output`).
    fn record_early_call(&mut self, c: &syn::ExprCall) {
        const MAX_PER_FILE: usize = 32;
        let syn::Expr::Path(p) = &*c.func else { return };
        if self.cx.in_test() {
            return;
        }
        // `tokio::spawn(drain_spool(dir))` in `main` starts a task that runs beside the
        // requests, not startup work.
        let startup =
            (self.cx.directly_in_main() || self.cx.in_task_preamble()) && self.cx.spawn_depth == 0;
        let before_logger = self.cx.before_logger();
        let after_logger = self.cx.after_logger();
        if !startup && !before_logger && !after_logger {
            return;
        }
        // `load()`, or `crate::run(..)` / `my_service::run(..)` from a binary into its own
        // library (`crate::command_output` keeps the ones of the crate's own library).
        let mut segments = p.path.segments.iter();
        let name = match (segments.next(), segments.next(), segments.next()) {
            (Some(f), None, None) if f.arguments.is_none() => f.ident.to_string(),
            (Some(root), Some(f), None) if f.arguments.is_none() => {
                format!("{}::{}", root.ident, f.ident)
            }
            _ => return,
        };
        let facts = &mut self.cx.facts;
        for (noted, calls) in [
            (before_logger, &mut facts.pre_logger_calls),
            (after_logger, &mut facts.post_logger_calls),
            (startup, &mut facts.startup_calls),
        ] {
            if noted && calls.len() < MAX_PER_FILE && !calls.contains(&name) {
                calls.push(name.clone());
            }
        }
    }

    /// Notes a function that a program of `src/bin/` calls (`connect(&opts.db)` after `use
    /// plane::database::connect` is `plane::database::connect`): once the program's role is
    /// known, `crate::command_output` excuses what only a command calls.
    fn record_bin_call(&mut self, c: &syn::ExprCall) {
        const MAX_PER_FILE: usize = 256;
        let syn::Expr::Path(p) = &*c.func else {
            return;
        };
        if self.cx.facts.bin_calls.len() >= MAX_PER_FILE {
            return;
        }
        let path = self.cx.resolve(&p.path);
        let calls = &mut self.cx.facts.bin_calls;
        if !calls.contains(&path) {
            calls.push(path);
        }
    }

    /// Runs `f` with `usage_depth` raised when `is_command` holds.
    pub(super) fn as_command(&mut self, is_command: bool, f: impl FnOnce(&mut Self)) {
        self.cx.usage_depth += u32::from(is_command);
        f(self);
        self.cx.usage_depth -= u32::from(is_command);
    }

    /// In the body of `fn main` itself, or of the function named as the program's entry
    /// that `main` only calls (`async_main`, `service_entrypoint`), outside closures and
    /// async blocks: a `return` there ends the process.
    fn directly_in_fn_main(&self) -> bool {
        matches!(self.cx.main_at.last(), Some(Some((depth, _))) if *depth == self.cx.async_stack.len())
            && self
                .fns
                .last()
                .is_some_and(|(f, _)| f.is_some_and(is_program_entry))
    }

    /// Walks a block's statements; those before the statement that installs the logger
    /// (`logger_installed_at`) with `before_logger_depth` raised, those after it with
    /// `after_logger_depth`.
    /// A block that ends the process (`eprintln!(..); exit(1);`) is walked with
    /// `exit_message_depth` raised: what it prints says why the process stops.
    pub(super) fn visit_stmts(&mut self, stmts: &'ast [syn::Stmt]) {
        let exits = u32::from(stmts.last().is_some_and(|s| {
            exits_process(s)
                || (is_return(s) && self.directly_in_fn_main())
                || (self.cx.in_main_body() && returns_exit_code(s))
        }));
        self.cx.exit_message_depth += exits;
        let installed = if self.cx.hints().logger {
            logger_installed_at(stmts).or_else(|| calls_logger_fn_at(stmts, &self.logger_fns))
        } else {
            None
        };
        let before = installed.unwrap_or(0);
        let checks = self.guards.mark();
        let preamble = self.task_preamble_len(stmts);
        for (i, s) in stmts.iter().enumerate() {
            let before_logger = u32::from(i < before);
            let after_logger = u32::from(installed.is_some_and(|at| i > at));
            let in_preamble = u32::from(i < preamble);
            self.cx.before_logger_depth += before_logger;
            self.cx.after_logger_depth += after_logger;
            self.cx.task_preamble_depth += in_preamble;
            self.visit_guarded_stmt(s);
            self.cx.task_preamble_depth -= in_preamble;
            self.cx.after_logger_depth -= after_logger;
            self.cx.before_logger_depth -= before_logger;
        }
        self.guards.reset(checks);
        self.cx.exit_message_depth -= exits;
    }

    /// How many statements of an async function's own body come before its first `loop` (a
    /// background task's set-up), or 0.
    fn task_preamble_len(&self, stmts: &[syn::Stmt]) -> usize {
        let is_body = self
            .fn_bodies
            .last()
            .is_some_and(|&b| b == stmts.as_ptr() && !b.is_null());
        if !is_body {
            return 0;
        }
        stmts
            .iter()
            .position(|s| matches!(s, syn::Stmt::Expr(syn::Expr::Loop(_), _)))
            .unwrap_or(0)
    }

    /// Walks a statement; in a handler, notes what an early return checked
    /// (`crate::walk::guards`).
    fn visit_guarded_stmt(&mut self, s: &'ast syn::Stmt) {
        self.visit_stmt(s);
        if self.collector().is_some() {
            self.guards.note_stmt(s);
        }
    }

    /// Walks a function: a command function (see `is_command_fn`) or one that sets up
    /// logging (`is_logging_setup_fn`) raises its depth for the walk of `f`.
    pub(super) fn in_fn_kind(&mut self, sig: &syn::Signature, f: impl FnOnce(&mut Self)) {
        let setup = u32::from(is_logging_setup_fn(sig));
        let dying = u32::from(is_dying_fn(sig));
        self.cx.logging_setup_depth += setup;
        self.cx.exit_message_depth += dying;
        self.as_command(is_command_fn(sig), f);
        self.cx.exit_message_depth -= dying;
        self.cx.logging_setup_depth -= setup;
    }
}

/// `main`, or the function named as the program's entry that `main` only calls
/// (`async_main`, `service_entrypoint`).
pub(super) fn is_program_entry(ident: &syn::Ident) -> bool {
    let name = ident.to_string();
    name == "main"
        || name.ends_with("_main")
        || name.ends_with("entrypoint")
        || name.ends_with("entry_point")
}

/// Functions that are a program's command-line interface: usage and help, the banner it
/// greets its operator with at launch (`welcome`, `print_banner`, `print_launch_resume`),
/// output helpers (`display_json_success`, `print_table`), and functions that take parsed
/// command arguments.
pub(super) fn is_command_fn(sig: &syn::Signature) -> bool {
    let name = sig.ident.to_string();
    name.split('_').any(|w| {
        matches!(
            w,
            "usage" | "help" | "banner" | "welcome" | "greeting" | "splash" | "motd"
        )
    }) || name.contains("launch_resume")
        || is_output_formatter(&name)
        || matches!(
            name.as_str(),
            "parse_args" | "parse_arguments" | "parse_cli"
        )
        || sig.inputs.iter().any(|input| match input {
            syn::FnArg::Typed(t) => type_name(&t.ty).is_some_and(is_command_type),
            syn::FnArg::Receiver(_) => false,
        })
}

/// A command's output helper: a verb of showing and the form shown (`display_json_success`,
/// `print_table`, `show_output`, `show_config`), what a subcommand prints for its caller to
/// read.
fn is_output_formatter(name: &str) -> bool {
    let mut words = name.split('_');
    let shows = words
        .next()
        .is_some_and(|w| matches!(w, "print" | "display" | "show" | "render"));
    shows
        && words.any(|w| {
            matches!(
                w,
                "json" | "yaml" | "table" | "output" | "success" | "config"
            )
        })
}

/// `on_ungraceful_shutdown`, `emergency_flush`, `crash_handler`: code that runs as the
/// process dies, when the log may already be shut down; stderr is what is left.
fn is_dying_fn(sig: &syn::Signature) -> bool {
    sig.ident
        .to_string()
        .split('_')
        .any(|w| matches!(w, "ungraceful" | "emergency" | "crash"))
}

/// `impl Drop for TracingPipelineGuard`: the logger's own teardown, which reports on the
/// log's shutdown when the log can no longer carry it.
pub(super) fn is_logger_teardown(item: &syn::ItemImpl) -> bool {
    let drops = item
        .trait_
        .as_ref()
        .is_some_and(|(t, _)| t.segments.last().is_some_and(|s| s.ident == "Drop"));
    drops
        && type_name(&item.self_ty).is_some_and(|n| {
            let n = n.to_ascii_lowercase();
            ["tracing", "logging", "logger", "telemetry"]
                .iter()
                .any(|w| n.contains(w))
        })
}

/// Functions that set up logging or telemetry (`init_logging`, `setup_tracing`,
/// `start_telemetry`): they run before there is a log, and what they read from the
/// environment (`RUST_LOG`, the OTLP endpoint) is the logger's own configuration.
pub(super) fn is_logging_setup_fn(sig: &syn::Signature) -> bool {
    is_logging_setup_name(&sig.ident.to_string())
}

/// `init_tracing`, `setup_logging`, `new_logger`: a verb of making and a word of logging.
fn is_logging_setup_name(name: &str) -> bool {
    let words: Vec<&str> = name.split('_').collect();
    let sets_up = words.iter().any(|w| {
        matches!(
            *w,
            "init"
                | "initialize"
                | "initialise"
                | "setup"
                | "set"
                | "start"
                | "configure"
                | "install"
                | "build"
                | "enable"
                | "register"
                | "new"
                | "create"
                | "make"
        )
    });
    let logging = words.iter().any(|w| {
        matches!(
            *w,
            "logging"
                | "logger"
                | "logs"
                | "tracing"
                | "telemetry"
                | "subscriber"
                | "otel"
                | "metrics"
        )
    });
    sets_up && logging
}

/// The index of the statement of `stmts` that installs the logger: a call of a
/// logging-setup function (`init_tracing(&settings);`, `let _guard = setup_logging()?;`),
/// `tracing_subscriber::fmt()..init()`, `set_global_default(..)`, also inside a plain
/// block statement (`#[cfg(..)] { registry().with(..).init(); }`). What the statements
/// before it print has no log to go to yet.
pub(super) fn logger_installed_at(stmts: &[syn::Stmt]) -> Option<usize> {
    stmts.iter().position(installs_logger)
}

impl<'ast> Walker<'_, '_, 'ast> {
    /// Notes the functions of the file whose own statements install the logger, before the
    /// walk, so that a block calling one (`rt.block_on(start_daemon(opt, config))`) knows
    /// where its logger starts.
    pub(crate) fn collect_logger_fns(&mut self, items: &'ast [syn::Item]) {
        if !self.cx.hints().logger {
            return;
        }
        for item in items {
            if let syn::Item::Fn(f) = item
                && logger_installed_at(&f.block.stmts).is_some()
            {
                self.logger_fns.push(&f.sig.ident);
            }
        }
    }
}

/// The first statement that calls, by name and anywhere inside it, one of `logger_fns`.
fn calls_logger_fn_at(stmts: &[syn::Stmt], logger_fns: &[&syn::Ident]) -> Option<usize> {
    struct Calls<'n> {
        names: &'n [&'n syn::Ident],
        found: bool,
    }
    impl<'v> syn::visit::Visit<'v> for Calls<'_> {
        fn visit_expr_call(&mut self, c: &'v syn::ExprCall) {
            if let syn::Expr::Path(p) = &*c.func
                && let Some(name) = p.path.get_ident()
                && self.names.contains(&name)
            {
                self.found = true;
            }
            syn::visit::visit_expr_call(self, c);
        }
    }
    if logger_fns.is_empty() {
        return None;
    }
    stmts.iter().position(|s| {
        let mut calls = Calls {
            names: logger_fns,
            found: false,
        };
        syn::visit::Visit::visit_stmt(&mut calls, s);
        calls.found
    })
}

fn installs_logger(stmt: &syn::Stmt) -> bool {
    let expr = match stmt {
        syn::Stmt::Expr(e, _) => e,
        syn::Stmt::Local(l) => match &l.init {
            Some(init) => &*init.expr,
            None => return false,
        },
        _ => return false,
    };
    installs_logger_expr(expr)
}

fn installs_logger_expr(expr: &syn::Expr) -> bool {
    const RESULT_ADAPTERS: &[&str] = &[
        "is_err", "is_ok", "map_err", "expect", "unwrap", "ok", "context",
    ];
    match peel(expr) {
        syn::Expr::Block(b) => b.block.stmts.iter().any(installs_logger),
        // `if set_global_default(s).is_err() { .. }`, `if let Err(e) = ..init() { .. }`
        syn::Expr::If(i) => installs_logger_expr(&i.cond),
        syn::Expr::Let(l) => installs_logger_expr(&l.expr),
        syn::Expr::MethodCall(m) if RESULT_ADAPTERS.iter().any(|a| m.method == a) => {
            installs_logger_expr(&m.receiver)
        }
        // `init_tracing(&settings)`, `tracing::subscriber::set_global_default(s)`,
        // `tracing_subscriber::fmt::init()`, `env_logger::init()`
        syn::Expr::Call(c) => match &*c.func {
            syn::Expr::Path(p) => p.path.segments.last().is_some_and(|s| {
                let name = s.ident.to_string();
                // `tracing_subscriber::fmt::init()`, the crate's own `logging::init(..)`.
                let logger_module = || {
                    p.path.segments.iter().rev().skip(1).any(|m| {
                        let m = m.ident.to_string();
                        ["subscriber", "logger", "logging", "fmt"]
                            .iter()
                            .any(|w| m.contains(w))
                    })
                };
                is_logging_setup_name(&name)
                    || matches!(
                        name.as_str(),
                        "set_global_default" | "set_logger" | "set_boxed_logger"
                    )
                    || (matches!(name.as_str(), "init" | "try_init") && logger_module())
            }),
            _ => false,
        },
        // `tracing_subscriber::fmt().json().init()`, `registry().with(layer).try_init()`
        syn::Expr::MethodCall(m) if m.method == "init" || m.method == "try_init" => {
            let mut names = Vec::new();
            chain_names(&m.receiver, &mut names);
            names.iter().any(|n| {
                ["subscriber", "tracing", "logger", "registry", "fmt"]
                    .iter()
                    .any(|w| n.contains(w))
            })
        }
        _ => false,
    }
}

/// `return ExitCode::FAILURE;`, `return Err(e)`, `return 121`.
fn is_return(stmt: &syn::Stmt) -> bool {
    matches!(stmt, syn::Stmt::Expr(syn::Expr::Return(_), _))
}

/// `return 121;`, `return ExitCode::FAILURE;`: a startup function handing its caller the
/// process's exit status (`let code = rt::start().await; process::exit(code)`).
fn returns_exit_code(stmt: &syn::Stmt) -> bool {
    let syn::Stmt::Expr(syn::Expr::Return(r), _) = stmt else {
        return false;
    };
    match r.expr.as_deref() {
        Some(syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Int(_),
            ..
        })) => true,
        Some(syn::Expr::Path(p)) => p.path.segments.iter().any(|s| s.ident == "ExitCode"),
        _ => false,
    }
}

/// `std::process::exit(1);`, `exit(201)`: the statement ends the process.
fn exits_process(stmt: &syn::Stmt) -> bool {
    let syn::Stmt::Expr(syn::Expr::Call(c), _) = stmt else {
        return false;
    };
    let syn::Expr::Path(p) = &*c.func else {
        return false;
    };
    let mut segments = p.path.segments.iter().rev().map(|s| &s.ident);
    match (segments.next(), segments.next()) {
        (Some(last), None) => last == "exit",
        (Some(last), Some(parent)) => parent == "process" && last == "exit",
        (None, _) => false,
    }
}

/// `x?`, `x.await`: the expression inside.
fn peel(expr: &syn::Expr) -> &syn::Expr {
    match expr {
        syn::Expr::Try(t) => peel(&t.expr),
        syn::Expr::Await(a) => peel(&a.base),
        _ => expr,
    }
}

/// The names along a call chain, outermost first: `fmt().json()` gives `json`, `fmt`,
/// and each segment of a called path.
fn chain_names(expr: &syn::Expr, out: &mut Vec<String>) {
    match peel(expr) {
        syn::Expr::MethodCall(m) => {
            out.push(m.method.to_string());
            chain_names(&m.receiver, out);
        }
        syn::Expr::Call(c) => {
            if let syn::Expr::Path(p) = &*c.func {
                out.extend(p.path.segments.iter().rev().map(|s| s.ident.to_string()));
            }
        }
        _ => {}
    }
}

/// A function that returns the process's exit status (`async fn run() -> Result<(),
/// ExitCode>`): `main`'s stand-in, whatever its name.
pub(super) fn returns_exit_status(sig: &syn::Signature) -> bool {
    struct Finds(bool);
    impl<'ast> syn::visit::Visit<'ast> for Finds {
        fn visit_path_segment(&mut self, s: &'ast syn::PathSegment) {
            self.0 |= s.ident == "ExitCode";
            syn::visit::visit_path_segment(self, s);
        }
    }
    let syn::ReturnType::Type(_, ty) = &sig.output else {
        return false;
    };
    let mut finds = Finds(false);
    syn::visit::Visit::visit_type(&mut finds, ty);
    finds.0
}

/// Functions that run once while the program starts or as a one-shot command: `main` and
/// its stand-ins (`kanidm_main`, `async_main`, `service_entrypoint`), and names whose first word is `start`, `launch`, `init`, `initialize`, `setup`,
/// `bootstrap`, `restore` or `migrate` (`start_with_bind`, `launch_rocket`), and
/// `create_table(s)`/`create_schema`. Not `new`:
/// a constructor is as often called for every request.
pub(super) fn is_startup_fn(ident: &syn::Ident) -> bool {
    let name = ident.to_string();
    let first = name.split('_').next().unwrap_or("");
    let last = name.rsplit('_').next().unwrap_or("");
    name == "main"
        || name.ends_with("_main")
        // The schema, laid out once before the first request.
        || matches!(name.as_str(), "create_table" | "create_tables" | "create_schema")
        // `db_init`, `cache_setup`: the setting-up of one part.
        || matches!(
            last,
            "init" | "initialize" | "initialise" | "setup" | "bootstrap" | "entrypoint"
        )
        || name.ends_with("entry_point")
        || matches!(
            first,
            "start"
                | "launch"
                | "init"
                | "initialize"
                | "initialise"
                | "setup"
                | "bootstrap"
                | "restore"
                | "migrate"
        )
}

/// `async fn serve(..)`, `run_http_server(..)`: a function named for serving whose body
/// binds the listener (`TcpListener::bind`, `UnixListener::bind`) or that is handed one
/// (`serve_node(.., listeners: impl TcpListenerResolver)`). It runs once, before anything
/// is served, like `main`; a function named so that binds nothing (`serve(req)` under
/// hyper's `service_fn`) answers each request.
pub(super) fn starts_listener(sig: &syn::Signature, block: &syn::Block) -> bool {
    if sig.asyncness.is_none() {
        return false;
    }
    let name = sig.ident.to_string();
    if !(names_serving(&name) || name.split('_').any(|w| w == "server")) {
        return false;
    }
    let mut finder = BindFinder(false);
    finder.visit_block(block);
    finder.0 || takes_listener(sig)
}

/// `tcp_listener_resolver: impl TcpListenerResolver`, `listener: TcpListener`: the caller
/// bound the socket and hands it over (a function run per connection takes a stream).
fn takes_listener(sig: &syn::Signature) -> bool {
    use quote::ToTokens;
    sig.inputs.iter().any(|arg| {
        matches!(arg, syn::FnArg::Typed(t) if t.ty.to_token_stream().to_string().contains("Listener"))
    })
}

/// `impl Database { async fn new(url: &str) .. }`: the constructor of the program's
/// database, pool or server, made once at startup (unlike most `new`s, which any request
/// may call).
pub(super) fn opens_resource(sig: &syn::Signature, impl_self: Option<&syn::Type>) -> bool {
    let constructor = sig.ident == "new" || sig.ident == "open" || sig.ident == "connect";
    constructor
        && sig.asyncness.is_some()
        && impl_named(
            impl_self,
            &[
                "Database", "Db", "DbPool", "Pool", "Storage", "Server", "Listener",
            ],
        )
}

/// `tracing_subscriber::fmt().with_ansi(..)`, `Subscriber::builder().with_env_filter(..)`:
/// an option (`with_*`) of a chain that starts at `tracing_subscriber`'s builders.
pub(super) fn configures_subscriber(c: &syn::ExprMethodCall) -> bool {
    let mut root = &*c.receiver;
    while let syn::Expr::MethodCall(m) = root {
        root = &m.receiver;
    }
    let syn::Expr::Call(call) = root else {
        return false;
    };
    // The chain's root first: it allocates nothing, and this runs for every method call.
    matches!(&*call.func, syn::Expr::Path(p) if p.path.segments.iter().any(|s| {
        s.ident == "tracing_subscriber" || s.ident == "fmt" || s.ident == "Subscriber"
    })) && c.method.to_string().starts_with("with_")
}

/// `impl Drone { async fn run(config: DroneConfig) -> Result<Self> }`: an async `run`,
/// `spawn` or `launch` that returns the running component (`Self`, or a `Result` of it)
/// starts it once, like a server's start function.
pub(super) fn starts_component(sig: &syn::Signature) -> bool {
    let named = matches!(sig.ident.to_string().as_str(), "run" | "spawn" | "launch");
    let syn::ReturnType::Type(_, ty) = &sig.output else {
        return false;
    };
    sig.asyncness.is_some() && named && is_self_or_result_of_self(ty)
}

fn is_self_or_result_of_self(ty: &syn::Type) -> bool {
    let syn::Type::Path(p) = ty else { return false };
    let Some(last) = p.path.segments.last() else {
        return false;
    };
    last.ident == "Self"
        || (last.ident == "Result"
            && matches!(&last.arguments, syn::PathArguments::AngleBracketed(a)
                if matches!(a.args.first(), Some(syn::GenericArgument::Type(t)) if is_self_or_result_of_self(t))))
}

/// `self.api_key.or_else(|| ..)`: what a builder falls back on when its caller did not
/// give the value (an SDK reading its documented variable, `TENSORZERO_API_KEY`).
pub(super) fn falls_back_from_caller(c: &syn::ExprMethodCall) -> bool {
    (c.method == "or_else" || c.method == "unwrap_or_else")
        && matches!(&*c.receiver, syn::Expr::Field(f)
            if matches!(&*f.base, syn::Expr::Path(p) if p.path.is_ident("self")))
}

/// `impl StorageConfig { fn from_environment() -> Self }`: the settings of a part built
/// from the environment, config code wherever its file sits.
pub(super) fn builds_settings_from_env(
    sig: &syn::Signature,
    impl_self: Option<&syn::Type>,
) -> bool {
    (sig.ident == "from_env" || sig.ident == "from_environment")
        && impl_named(impl_self, &["Config", "Settings", "Configuration"])
}

/// The `impl` block's type is named with one of `ends` last (`StorageConfig`).
fn impl_named(impl_self: Option<&syn::Type>, ends: &[&str]) -> bool {
    impl_self
        .and_then(type_name)
        .is_some_and(|name| ends.iter().any(|end| name.ends_with(end)))
}

/// `[a, b]`, `0..n`, `CACHE_DIRS.iter()`, `&PATHS`: a collection written in the program
/// (a literal, a range, a `static`/`const` by its name), which a loop walks to its end.
pub(super) fn iterates_fixed_set(e: &syn::Expr) -> bool {
    match e {
        syn::Expr::Array(_) => true,
        syn::Expr::Range(r) => r.end.is_some(),
        syn::Expr::Reference(r) => iterates_fixed_set(&r.expr),
        syn::Expr::Paren(p) => iterates_fixed_set(&p.expr),
        syn::Expr::MethodCall(m) => {
            m.args.is_empty()
                && ["iter", "iter_mut", "into_iter", "keys", "values"]
                    .iter()
                    .any(|n| m.method == n)
                && iterates_fixed_set(&m.receiver)
        }
        syn::Expr::Path(_) => super::infallible::is_static_name(e),
        _ => false,
    }
}

/// `TcpListener::bind`, `tokio::net::UnixListener::bind`: a call that binds a listener.
fn binds_listener(path: &syn::Path) -> bool {
    let segments = &path.segments;
    let n = segments.len();
    n >= 2
        && segments[n - 1].ident == "bind"
        && segments[n - 2].ident.to_string().ends_with("Listener")
}

/// Finds `<..>Listener::bind(..)`.
struct BindFinder(bool);

impl<'ast> Visit<'ast> for BindFinder {
    fn visit_expr_call(&mut self, c: &'ast syn::ExprCall) {
        if let syn::Expr::Path(p) = &*c.func {
            self.0 |= binds_listener(&p.path);
        }
        if !self.0 {
            syn::visit::visit_expr_call(self, c);
        }
    }
}

/// Whether a function's body starts the server: it binds a listener
/// (`TcpListener::bind(..)`), serves (`axum::serve(..)`, `.serve(..)`, Rocket's
/// `.launch()`) or calls the crate's server module to (`server::run()`).
pub(super) fn starts_server(block: &syn::Block) -> bool {
    let mut finder = ServeFinder(false);
    finder.visit_block(block);
    finder.0
}

struct ServeFinder(bool);

impl<'ast> Visit<'ast> for ServeFinder {
    fn visit_expr_call(&mut self, c: &'ast syn::ExprCall) {
        if let syn::Expr::Path(p) = &*c.func {
            let segments = &p.path.segments;
            let n = segments.len();
            let last = &segments[n - 1].ident;
            let in_server_module = n >= 2 && segments[n - 2].ident == "server";
            self.0 |= last == "serve"
                || binds_listener(&p.path)
                || (in_server_module && (last == "run" || last == "start"));
        }
        if !self.0 {
            syn::visit::visit_expr_call(self, c);
        }
    }

    fn visit_expr_method_call(&mut self, m: &'ast syn::ExprMethodCall) {
        self.0 |= m.method == "serve" || m.method == "launch";
        if !self.0 {
            syn::visit::visit_expr_method_call(self, m);
        }
    }
}

/// A condition that holds only in development: a comparison with a path or name whose
/// last segment is `Development`, `Dev` or `Local` (`config.env() == Env::Development`),
/// `cfg!(debug_assertions)`, or a development switch (`config.dev.dev_mode`).
pub(super) fn is_development_check(cond: &syn::Expr) -> bool {
    match cond {
        syn::Expr::Binary(b) if matches!(b.op, syn::BinOp::Eq(_)) => {
            names_development(&b.left) || names_development(&b.right)
        }
        syn::Expr::Macro(m) => {
            m.mac.path.is_ident("cfg") && m.mac.tokens.to_string() == "debug_assertions"
        }
        syn::Expr::Paren(p) => is_development_check(&p.expr),
        // `config.vars.dev.dev_mode`, `settings.is_dev`, `cfg.is_development()`.
        syn::Expr::Field(f) => matches!(&f.member, syn::Member::Named(n) if names_dev_flag(n)),
        syn::Expr::Path(p) => p
            .path
            .segments
            .last()
            .is_some_and(|s| names_dev_flag(&s.ident)),
        syn::Expr::MethodCall(m) => m.args.is_empty() && names_dev_flag(&m.method),
        _ => false,
    }
}

/// `dev_mode`, `is_dev`, `is_development`, `development_mode`, `is_local`: a switch that
/// is on only on a developer's machine.
fn names_dev_flag(ident: &syn::Ident) -> bool {
    matches!(
        ident.to_string().as_str(),
        "dev_mode"
            | "is_dev"
            | "is_development"
            | "development_mode"
            | "is_dev_mode"
            | "is_local"
            | "local_mode"
    )
}

fn names_development(e: &syn::Expr) -> bool {
    matches!(e, syn::Expr::Path(p) if p.path.segments.len() >= 2
        && p.path.segments.last().is_some_and(|s| s.ident == "Development" || s.ident == "Dev" || s.ident == "Local"))
}

/// `impl AuthCmd { .. }`, `impl Runnable for ServeArgs { .. }`.
pub(super) fn is_command_impl(item: &syn::ItemImpl) -> bool {
    type_name(&item.self_ty).is_some_and(is_command_type)
}

/// A match arm of a one-shot subcommand: its pattern names a variant of a command enum
/// (`Some(Commands::Migrate)`, `JwtCommands::Generate { .. }`) and its body starts no
/// server.
pub(super) fn is_one_shot_arm(pat: &syn::Pat, body: &syn::Expr) -> bool {
    names_command_variant(pat) && !mentions_serving(|f| f.visit_expr(body))
}

/// The arms of a `match` that dispatches a program's modes: every arm is a variant of one
/// enum (or `_`), some arm starts a server and some does not (`CliResult::RunServer(s) =>
/// run_server(s).await, CliResult::ShowConfig { .. } => show_config(..)`). Whatever the
/// enum is called, its other arms are one-shot commands. Returns, per arm, whether it is
/// such a one-shot arm (all `false` for any other `match`).
pub(super) fn dispatch_arms(e: &syn::ExprMatch) -> Vec<bool> {
    let first = e.arms.first().and_then(|a| enum_of_variant(&a.pat));
    let one_enum = first.is_some_and(|first| {
        e.arms
            .iter()
            .all(|a| enum_of_variant(&a.pat) == Some(first) || matches!(a.pat, syn::Pat::Wild(_)))
    });
    if e.arms.len() < 2 || !one_enum {
        return vec![false; e.arms.len()];
    }
    let serving: Vec<bool> = e
        .arms
        .iter()
        .map(|a| variant_names_serving(&a.pat) || mentions_serving(|f| f.visit_expr(&a.body)))
        .collect();
    if !serving.contains(&true) {
        return vec![false; e.arms.len()];
    }
    serving.iter().map(|s| !s).collect()
}

/// `Mode::Run(..)`, `Mode::Show { .. }`, `Some(Mode::Show)`: the enum (`Mode`).
fn enum_of_variant(pat: &syn::Pat) -> Option<&syn::Ident> {
    let path = match pat {
        syn::Pat::Path(p) => &p.path,
        syn::Pat::TupleStruct(t) if t.path.is_ident("Some") && t.elems.len() == 1 => {
            return enum_of_variant(&t.elems[0]);
        }
        syn::Pat::TupleStruct(t) => &t.path,
        syn::Pat::Struct(s) => &s.path,
        _ => return None,
    };
    let n = path.segments.len();
    (n >= 2).then(|| &path.segments[n - 2].ident)
}

/// `Args::Serve(args)`, `Mode::Server { .. }`: the arm of the mode that serves, whatever
/// its body calls (`server::run(config)`).
fn variant_names_serving(pat: &syn::Pat) -> bool {
    let variant = match pat {
        syn::Pat::Path(p) => p.path.segments.last(),
        syn::Pat::TupleStruct(t) if t.path.is_ident("Some") && t.elems.len() == 1 => {
            return variant_names_serving(&t.elems[0]);
        }
        syn::Pat::TupleStruct(t) => t.path.segments.last(),
        syn::Pat::Struct(s) => s.path.segments.last(),
        _ => None,
    };
    variant.is_some_and(|v| matches!(v.ident.to_string().as_str(), "Serve" | "Server"))
}

/// `if let Some(Commands::Healthcheck { .. }) = args.command { .. }`: the same for the
/// block of an `if let`.
pub(super) fn is_one_shot_if(pat: &syn::Pat, then: &syn::Block) -> bool {
    names_command_variant(pat) && !mentions_serving(|f| f.visit_block(then))
}

/// `cfg.addr.is_empty()`, `!name.is_empty()`, `port.is_none()`: a condition that asks
/// whether a value was given, so one branch is the value and the other its fallback. Also
/// `bind.ip().is_loopback()`: a loopback address in its branch mirrors the one given.
pub(super) fn tests_presence(cond: &syn::Expr) -> bool {
    match cond {
        syn::Expr::Unary(u) if matches!(u.op, syn::UnOp::Not(_)) => tests_presence(&u.expr),
        syn::Expr::Paren(p) => tests_presence(&p.expr),
        syn::Expr::MethodCall(m) => {
            m.args.is_empty()
                && matches!(
                    m.method.to_string().as_str(),
                    "is_empty" | "is_none" | "is_some" | "is_loopback"
                )
        }
        _ => false,
    }
}

/// `if args.create_api_key { create_api_key().await?; return Ok(()); }` where the program
/// starts: a branch that does its one job and leaves before anything is served.
pub(super) fn is_early_exit(then: &syn::Block) -> bool {
    then.stmts.last().is_some_and(is_return) && !mentions_serving(|f| f.visit_block(then))
}

pub(super) fn type_name(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Reference(r) => type_name(&r.elem),
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

fn is_command_type(name: String) -> bool {
    // `Opts`: clap's and structopt's other convention (`TestEmailOpts`).
    [
        "Arg",
        "Args",
        "Opts",
        "Cmd",
        "Command",
        "Subcommand",
        "SubCommand",
    ]
    .iter()
    .any(|suffix| name.ends_with(suffix) && name.len() > suffix.len())
}

fn is_command_enum(name: String) -> bool {
    // `Opt`: structopt's convention (`KanidmdOpt::DbScan { .. }`).
    [
        "Opt",
        "Opts",
        "Command",
        "Commands",
        "Cmd",
        "Cmds",
        "Subcommand",
        "SubCommand",
        "Subcommands",
    ]
    .iter()
    .any(|suffix| name.ends_with(suffix))
}

fn names_command_variant(pat: &syn::Pat) -> bool {
    let path = match pat {
        syn::Pat::Path(p) => &p.path,
        syn::Pat::TupleStruct(t) if t.path.is_ident("Some") => {
            return t.elems.iter().any(names_command_variant);
        }
        syn::Pat::TupleStruct(t) => &t.path,
        syn::Pat::Struct(s) => &s.path,
        syn::Pat::Or(o) => return o.cases.iter().all(names_command_variant),
        syn::Pat::Guard(g) => return names_command_variant(&g.pat),
        syn::Pat::Paren(p) => return names_command_variant(&p.pat),
        _ => return false,
    };
    let n = path.segments.len();
    n >= 2 && is_command_enum(path.segments[n - 2].ident.to_string())
}

/// The body calls something whose name speaks of serving (`serve`, `run_server`,
/// `start_server`, `listen`).
fn mentions_serving(walk: impl FnOnce(&mut Finder)) -> bool {
    let mut finder = Finder(false);
    walk(&mut finder);
    finder.0
}

struct Finder(bool);

/// `serve`, `axum::serve`, `TcpListener`, `run_server`, `create_server_core`: a name that
/// starts a server. `vacuum_server_core` or `backup_server` act *on* the server's data.
fn names_serving(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let words: Vec<&str> = lower.split('_').collect();
    lower.contains("serve") && !lower.contains("server")
        || lower.contains("listen")
        || words.iter().any(|w| matches!(*w, "serve" | "bind"))
        || words.contains(&"server")
            && matches!(
                words[0],
                "run" | "start" | "launch" | "spawn" | "create" | "new" | "build" | "serve"
            )
        // `start_control_plane`, `start_worker`, `run_daemon`: a long-running mode.
        || matches!(words[0], "start" | "run" | "launch")
            && words[1..].iter().any(|w| {
                matches!(
                    *w,
                    "daemon" | "worker" | "node" | "control" | "controller" | "service" | "services"
                )
            })
}

impl<'ast> Visit<'ast> for Finder {
    fn visit_ident(&mut self, i: &'ast syn::Ident) {
        self.0 |= names_serving(&i.to_string());
    }

    fn visit_macro(&mut self, m: &'ast syn::Macro) {
        let text = m.tokens.to_string();
        self.0 |= text.contains("serve") || text.contains("listen");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_shot_arms() {
        let arm = |src: &str| -> syn::Arm { syn::parse_str(src).unwrap() };
        for src in [
            "Some(Commands::Migrate) => { run_migrations(); println!(\"done\"); }",
            "JwtCommands::Generate { org_id } => println!(\"{org_id}\"),",
            "Command::Monitor | Command::Check => monitor::run(),",
            "KanidmdOpt::Database { commands: DbCommands::Vacuum } => { vacuum_server_core(&config); }",
        ] {
            let a = arm(src);
            assert!(is_one_shot_arm(&a.pat, &a.body), "{src}");
        }
        for src in [
            "Some(Commands::Serve { port }) => server::run_server(port).await,",
            "KanidmdOpt::Server => create_server_core(config).await,",
            "Opt::Run => { let l = TcpListener::bind(addr).await; }",
            "Some(Commands::Start) => { println!(\"listening\"); axum::serve(l, app).await }",
            "Some(level) => println!(\"{level}\"),",
            "Level::Debug => println!(\"debug\"),",
        ] {
            let a = arm(src);
            assert!(!is_one_shot_arm(&a.pat, &a.body), "{src}");
        }
    }

    #[test]
    fn logger_installation() {
        let at = |src: &str| {
            let block: syn::Block = syn::parse_str(src).unwrap();
            logger_installed_at(&block.stmts)
        };
        assert_eq!(at("{ check(); init_tracing(&settings); run(); }"), Some(1));
        assert_eq!(at("{ let _g = setup_logging()?; }"), Some(0));
        assert_eq!(
            at("{ a(); tracing_subscriber::fmt().json().init(); }"),
            Some(1)
        );
        assert_eq!(
            at("{ a(); #[cfg(feature = \"x\")] { use y::z; registry().with(l).init(); } }"),
            Some(1)
        );
        assert_eq!(
            at("{ a(); tracing::subscriber::set_global_default(s)?; }"),
            Some(1)
        );
        assert_eq!(at("{ a(); cache.init(); b(); }"), None);
        assert_eq!(at("{ a(); let conn = pool.get().await?; }"), None);
    }

    #[test]
    fn process_exits() {
        let stmt = |src: &str| -> syn::Stmt { syn::parse_str(src).unwrap() };
        for src in [
            "std::process::exit(1);",
            "exit(201);",
            "process::exit(code);",
        ] {
            assert!(exits_process(&stmt(src)), "{src}");
        }
        for src in ["app.exit(1);", "cleanup::exit(1);", "return 101;"] {
            assert!(!exits_process(&stmt(src)), "{src}");
        }
    }

    #[test]
    fn dispatch_matches() {
        let arms = |src: &str| dispatch_arms(&syn::parse_str(src).unwrap());
        assert_eq!(
            arms(
                "match cli { CliResult::ShowConfig { options } => show_config(&options), CliResult::RunServer(s) => run_server(s).await, _ => {} }"
            ),
            [true, false, true]
        );
        // No arm serves, or the arms are not one enum's variants: not a dispatch.
        assert_eq!(
            arms("match level { Level::Debug => println!(\"d\"), Level::Info => println!(\"i\") }"),
            [false, false]
        );
        assert_eq!(
            arms("match x { Some(v) => serve(v), None => println!(\"none\") }"),
            [false, false]
        );
        assert_eq!(
            arms("match m { A::Run => serve(), B::Show => show() }"),
            [false, false]
        );
        // The serving mode named by its variant, its body calling a module's `run`.
        assert_eq!(
            arms(
                "match Args::parse() { Args::Serve(a) => server::run(a).await?, Args::Bootstrap(a) => utils::bootstrap::run(a).await? }"
            ),
            [false, true]
        );
    }

    #[test]
    fn command_functions() {
        let sig = |src: &str| -> syn::Signature { syn::parse_str(src).unwrap() };
        for src in [
            "fn print_help()",
            "fn welcome(settings: &Settings)",
            "fn print_launch_resume(opt: &Opt)",
            "fn add(arg: &AddArg)",
            "fn run(args: MigrateArgs) -> Result<()>",
        ] {
            assert!(is_command_fn(&sig(src)), "{src}");
        }
        for src in [
            "fn create_note(body: Note)",
            "fn handle(state: AppState, cmd: String)",
        ] {
            assert!(!is_command_fn(&sig(src)), "{src}");
        }
    }
}
