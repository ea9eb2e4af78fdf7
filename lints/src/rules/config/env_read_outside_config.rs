use crate::context::FileCx;
use crate::rule::Rule;
use std::collections::HashSet;

/// Functions of `std::env` that read the process environment.
/// (`vars`/`vars_os` enumerate the whole environment for something else to choose from,
/// a config loader's `${VAR}` interpolation or a debug dump: not a read of one setting.)
const STD_ENV_READS: &[&str] = &["var", "var_os"];
/// Crates whose every function loads or reads a `.env` file.
const DOTENV_CRATES: &[&str] = &["dotenv", "dotenvy"];
/// Last path segments worth resolving: the reads above and the names the dotenv crates export.
const CANDIDATES: &[&str] = &[
    "var",
    "var_os",
    "dotenv",
    "dotenv_override",
    "dotenv_iter",
    "from_filename",
    "from_filename_override",
    "from_filename_iter",
    "from_path",
    "from_path_override",
    "from_path_iter",
    "from_read",
    "from_read_override",
    "from_read_iter",
];

crate::declare_rule! {
    /// ## What it does
    /// Flags reads of the process environment outside the config module:
    /// `std::env::var`, `var_os`, and calls into `dotenv`/`dotenvy`
    /// (`dotenvy::dotenv()`, `dotenvy::var(..)`, ...). Enumerating the whole environment
    /// (`env::vars()`, `vars_os()`) is not flagged: the code that receives it (a config
    /// loader's `${VAR}` interpolation, a debug dump) decides what it reads. Imports are followed, so
    /// `env::var(..)` after `use std::env`, `var(..)` after `use std::env::var` and
    /// `e::var(..)` after `use std::env as e` are all seen. Test code and the config module
    /// are not checked; compile-time `env!`/`option_env!` are not reads at run time and are
    /// not flagged. Nor is a read whose variable *name* comes from configuration
    /// (`env::var(&provider.api_key_env)`, `env::var(key_name)`, `dotenvy::var(key)`):
    /// that is the config
    /// module's decision being carried out; a literal or `CONST` name is flagged.
    ///
    /// Config code is found by what it does as well as by name: a struct literal with
    /// three or more fields read from the environment (`Self { port: env::var("PORT")..,
    /// host: env::var("HOST").., .. }`) builds the settings, and a function that sets up
    /// logging or telemetry (`init_logging`, `setup_tracing`) reads the logger's own
    /// configuration (`RUST_LOG`, the OTLP endpoint), as does an option of a
    /// `tracing_subscriber` builder (`.with_ansi(env::var_os("DISABLE_COLOR").is_none())`):
    /// none is flagged.
    ///
    /// Nor is a read in a one-shot command: a subcommand's `match` arm, an early-exit branch
    /// where the program starts (`if args.create_api_key { create_api_key().await?; return
    /// Ok(()); }` in `main`, or in a stand-in for it that returns the exit status, `async fn
    /// run() -> Result<(), ExitCode>`), a function that takes parsed arguments, and the
    /// functions they call. A
    /// command's environment is its input, as it is for a command-line program.
    ///
    /// Nor is the constructor of a part's settings (`impl StorageConfig { fn
    /// from_environment() -> Self }`, `from_env`, on a type named `*Config` or `*Settings`):
    /// config code wherever its file sits. A function that sets up metrics
    /// (`init_metrics_labels`) reads its exporter's configuration as logging setup does.
    ///
    /// Nor is a builder's fallback for a value its caller did not give
    /// (`self.api_key.or_else(|| env::var("TENSORZERO_API_KEY").ok())` in a client): the
    /// caller's configuration comes first, the variable is the SDK's documented default.
    ///
    /// Nor are the variables a program reads to find its settings: the one that says where
    /// the settings file is (`CONFIG`, `KELLNR_CONFIG_FILE`, `APP_SETTINGS_PATH`, also
    /// through a constant named after it, `CONFIG_ENV`), whose file the config module then
    /// parses as it would a `--config` argument's, and the logger's own level or format
    /// (`LOG_LEVEL`, `APP_LOG_FORMAT`) read in the statements before the logger is
    /// installed, as a logging setup function would.
    ///
    /// Loading a `.env` file once where the program starts (`dotenvy::dotenv().ok();` in
    /// `main`, before the config module reads the variables) is not flagged: it reads no
    /// setting, it fills the environment the config module then reads.
    ///
    /// Two kinds of variable are not settings and are not flagged either: facts of the
    /// process that the shell or the system sets (`HOME`, `PWD`, `USER`, `SHELL`, `PATH`,
    /// `TMPDIR`, `XDG_*`, `RUST_BACKTRACE`, `RUST_LOG`, `RUST_MIN_STACK`, `COLORTERM`,
    /// jemalloc's `MALLOC_CONF`, cargo's build facts (`CARGO_MANIFEST_DIR`,
    /// `CARGO_CFG_TARGET_OS`, read by code a build script runs or a diagnostics report),
    /// what systemd hands a unit such as
    /// `NOTIFY_SOCKET` and `JOURNAL_STREAM`, the proxy variables every HTTP client honours,
    /// OpenTelemetry's `OTEL_*`, the AWS SDK's standard variables (`AWS_REGION`,
    /// `AWS_ACCESS_KEY_ID`, `AWS_BEARER_TOKEN_*`, `AWS_ENDPOINT`, ...) and Google Cloud's and
    /// Azure's (`GOOGLE_SERVICE_ACCOUNT_KEY`, `AZURE_STORAGE_ACCOUNT_KEY`), what the host says about the
    /// machine such as fly.io's `FLY_APP_NAME`, ...), and test hooks, whose name says they exist for tests
    /// (`APP_TEST_DB_URI`, `LEMMY_TEST_FAST_FEDERATION`, `X_E2E_..`, `.._MOCK_..`, `CI`):
    /// production never sets them, so there is nothing for the config module to validate.
    /// Nor a variable that a program of the run sets for a process it starts
    /// (`Command::new(worker).env(JOB_ID_ENV, id)` in the controller, `env::var(JOB_ID_ENV)`
    /// in the worker), or writes into the environment of a container it starts
    /// (`json!({"name": "JOB_ID", "value": id})` in a Kubernetes pod spec): a hand-off
    /// between the run's own programs, not an operator's setting.
    ///
    /// ## Why
    /// When a setting can be read anywhere, nobody can list what a service needs to start.
    /// The config module reads the environment once, validates it at startup, and hands
    /// typed values to the rest of the code; a `std::env::var` deep in a handler is the
    /// setting that is missing in production and only fails on the first request at 3am.
    ///
    /// ## Example
    /// ```rust
    /// fn main() {
    ///     let database_url = std::env::var("DATABASE_URL").unwrap();
    /// #   let _ = database_url;
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```rust
    /// mod config;
    ///
    /// fn main() {
    ///     let settings = config::Settings::from_env();
    /// #   let _ = settings.database_url;
    /// }
    /// ```
    ///
    /// ```rust,file=src/config.rs
    /// pub struct Settings {
    ///     pub database_url: String,
    /// }
    ///
    /// impl Settings {
    ///     pub fn from_env() -> Self {
    ///         let database_url = std::env::var("DATABASE_URL").expect("DATABASE_URL is set");
    ///         Settings { database_url }
    ///     }
    /// }
    /// ```
    ///
    /// ## Configuration
    /// `house.config_modules` (default `["config", "settings"]`) names the modules that may
    /// read the environment.
    /// A module that builds the settings counts as a config module whatever its name: one
    /// that calls `config::Config::builder()`, `figment::Figment` or `envy::from_env`/
    /// `envy::prefixed`, or that has a `#[derive(Deserialize)]` struct and reads the
    /// environment (`src/cfg.rs`). Crate roots (`src/main.rs`, `src/lib.rs`, `src/bin/*`)
    /// and files that define routes never do.
    pub struct EnvReadOutsideConfig {
        name: "env-read-outside-config",
        group: Config,
        level: Deny,
        scope: NotInTestsOrConfig,
        summary: "the environment read (`std::env::var`, `dotenvy`, ...) outside the config module",
    }
}

impl Rule for EnvReadOutsideConfig {
    /// `Command::new(worker).env("JOB_ID", id)`: a variable this program hands to a process
    /// it starts, which that process then reads (`is_handed_off`).
    fn check_method_call(&self, cx: &mut FileCx, call: &syn::ExprMethodCall) {
        const MAX_PER_FILE: usize = 64;
        if call.method != "env" || call.args.len() != 2 || cx.in_test() {
            return;
        }
        let handoff = &mut cx.facts.handoff_env;
        if let Some(name) = variable_name(&call.args[0])
            && handoff.len() < MAX_PER_FILE
            && !handoff.contains(&name)
        {
            handoff.push(name);
        }
    }

    /// `json!({"name": "JOB_ID", "value": id})`: a variable of the environment this
    /// program writes into a container it starts (a Kubernetes pod spec), which that
    /// container's program then reads (`is_handed_off`).
    fn check_macro(&self, cx: &mut FileCx, mac: &syn::Macro) {
        const MAX_PER_FILE: usize = 64;
        if cx.in_test() || !crate::resolve::last_ident_is(&mac.path, &["json"]) {
            return;
        }
        let Some(name) = container_env_name(mac.tokens.clone()) else {
            return;
        };
        let handoff = &mut cx.facts.handoff_env;
        if handoff.len() < MAX_PER_FILE && !handoff.contains(&name) {
            handoff.push(name);
        }
    }

    fn check_call(&self, cx: &mut FileCx, call: &syn::ExprCall) {
        // A one-shot command's environment is its input, as a command-line program's is.
        if cx.in_logging_setup() || cx.in_usage_fn() || cx.in_caller_fallback() {
            return;
        }
        let Some(path) = crate::resolve::callee_path(call) else {
            return;
        };
        let first = &path.segments[0];
        let last = &path.segments[path.segments.len() - 1].ident;
        let candidate = CANDIDATES.iter().any(|c| last == c);
        let aliased = path.segments.len() == 1 && cx.uses.imports(&first.ident);
        if !candidate && !aliased {
            return;
        }
        let resolved = cx.resolve(path);
        let before_logger = cx.before_logger();
        let named_elsewhere = call.args.first().is_some_and(|name| {
            is_configured_name(name)
                || variable_name(name).is_some_and(|n| {
                    is_not_a_setting(&n) || locates_settings(&n) || (before_logger && names_log(&n))
                })
        });
        let what = if let Some(name) = resolved
            .strip_prefix("std::env::")
            .filter(|n| STD_ENV_READS.contains(n))
        {
            if named_elsewhere {
                return;
            }
            format!("`std::env::{name}`")
        } else if let Some((krate, _)) = resolved
            .split_once("::")
            .filter(|(k, _)| DOTENV_CRATES.contains(k))
        {
            let loads_file = matches!(last.to_string().as_str(), "dotenv" | "dotenv_override");
            if named_elsewhere || (loads_file && cx.directly_in_main()) {
                return;
            }
            format!("`{resolved}` (the `{krate}` crate)")
        } else {
            return;
        };
        let start = crate::resolve::path_start(path).unwrap_or(first.ident.span());
        // What a one-shot command calls is the command's, and a command reads its
        // environment.
        cx.note_command_site(start.start());
        if let Some(name) = call.args.first().and_then(variable_name) {
            let line = start.start().line as u32;
            cx.facts.env_read_sites.push((line, name));
        }
        cx.report_between(
            start,
            call.paren_token.span.close(),
            format!("{what} reads the environment outside the config module"),
        )
        .help("read settings once in the config module and pass the typed values down");
    }
}

/// Variables the shell or the operating system sets for every process.
const PROCESS_FACTS: &[&str] = &[
    "HOME",
    "PWD",
    "OLDPWD",
    "USER",
    "USERNAME",
    "LOGNAME",
    "SHELL",
    "PATH",
    "TMPDIR",
    "TEMP",
    "TMP",
    "TERM",
    "LANG",
    "HOSTNAME",
    "EDITOR",
    "VISUAL",
    "PAGER",
    "COLUMNS",
    "NO_COLOR",
    "COLORTERM",
    "TERM_PROGRAM",
    "CLICOLOR",
    "CLICOLOR_FORCE",
    "FORCE_COLOR",
    // The log filter's own convention, read by `EnvFilter` too.
    "RUST_LOG",
    "RUST_LOG_STYLE",
    "RUST_BACKTRACE",
    "RUST_LIB_BACKTRACE",
    // The standard library's default stack size for the threads it spawns.
    "RUST_MIN_STACK",
    // The allocator's own settings, which jemalloc reads before `main`.
    "MALLOC_CONF",
    "_RJEM_MALLOC_CONF",
    // The shell's last command (`_`), and a CGI server's request marker.
    "_",
    "REQUEST_METHOD",
    // What systemd hands the service it starts: sockets, the journal, readiness, its
    // directories.
    "JOURNAL_STREAM",
    "SYSTEMD_EXEC_PID",
    "INVOCATION_ID",
    "NOTIFY_SOCKET",
    "WATCHDOG_USEC",
    "WATCHDOG_PID",
    "LISTEN_FDS",
    "LISTEN_PID",
    "LISTEN_FDNAMES",
    "RUNTIME_DIRECTORY",
    "STATE_DIRECTORY",
    "CACHE_DIRECTORY",
    "LOGS_DIRECTORY",
    "CONFIGURATION_DIRECTORY",
    "CREDENTIALS_DIRECTORY",
    // Conventions every HTTP and TLS client honours, set by the operator for all programs.
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "NO_PROXY",
    "SSLKEYLOGFILE",
    // The AWS SDK's standard names (a `AWS_ACCESS_KEY` of the service's own is a setting).
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_PROFILE",
    "AWS_ROLE_ARN",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_ENDPOINT",
    "AWS_ENDPOINT_URL",
    // Google Cloud's and Azure's, as `object_store`'s builders read them from the environment.
    "GOOGLE_APPLICATION_CREDENTIALS",
    "GOOGLE_SERVICE_ACCOUNT",
    "GOOGLE_SERVICE_ACCOUNT_PATH",
    "GOOGLE_SERVICE_ACCOUNT_KEY",
    "AZURE_STORAGE_ACCOUNT_NAME",
    "AZURE_STORAGE_ACCOUNT_KEY",
];
/// Words of a variable name that say it is a hook for tests.
const TEST_HOOK_WORDS: &[&str] = &["TEST", "TESTS", "TESTING", "E2E", "MOCK", "CI"];

/// The variable a read names: a literal, or a constant named after it (`CONFIG_ENV` for
/// `"CONFIG"`: a trailing `_ENV` or `_VAR` is the constant's, not the variable's).
fn variable_name(arg: &syn::Expr) -> Option<String> {
    let name = match arg {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(name),
            ..
        }) => name.value(),
        // `EnvFilter::DEFAULT_ENV`: tracing-subscriber's name for `RUST_LOG`.
        syn::Expr::Path(p)
            if p.path.segments.len() >= 2
                && p.path.segments[p.path.segments.len() - 2].ident == "EnvFilter"
                && p.path.segments[p.path.segments.len() - 1].ident == "DEFAULT_ENV" =>
        {
            "RUST_LOG".to_string()
        }
        // `const OTEL_SDK_DISABLED: &str = "OTEL_SDK_DISABLED"`: such constants are named
        // after the variable they hold.
        syn::Expr::Path(p) => match p.path.segments.last() {
            Some(last)
                if !last
                    .ident
                    .to_string()
                    .chars()
                    .any(|c| c.is_ascii_lowercase()) =>
            {
                let name = last.ident.to_string();
                match name
                    .strip_suffix("_ENV")
                    .or_else(|| name.strip_suffix("_VAR"))
                {
                    Some(stripped) if !stripped.is_empty() => stripped.to_string(),
                    _ => name,
                }
            }
            _ => return None,
        },
        _ => return None,
    };
    Some(name)
}

/// `CONFIG`, `KELLNR_CONFIG_FILE`, `APP_SETTINGS_PATH`: where the settings file is, read to
/// find what the config module then parses, as a `--config` argument would be.
fn locates_settings(name: &str) -> bool {
    let words: Vec<String> = name.split('_').map(str::to_ascii_uppercase).collect();
    let Some(at) = words
        .iter()
        .position(|w| matches!(w.as_str(), "CONFIG" | "CONF" | "SETTINGS"))
    else {
        return false;
    };
    at <= 1
        && words[at + 1..]
            .iter()
            .all(|w| matches!(w.as_str(), "FILE" | "PATH" | "DIR" | "LOCATION"))
}

/// `LOG_LEVEL`, `APP_LOG_FORMAT`: the logger's own setting, read before the logger is
/// installed (in the statements before `..init()`), as a logging setup function reads it.
fn names_log(name: &str) -> bool {
    name.split('_').any(|w| w.eq_ignore_ascii_case("LOG"))
}

/// A variable that is a fact of the process or a test hook, not a setting.
fn is_not_a_setting(name: &str) -> bool {
    PROCESS_FACTS.contains(&name.to_ascii_uppercase().as_str())
        || PLATFORM_PREFIXES.iter().any(|p| name.starts_with(p))
        || name.split('_').any(|word| TEST_HOOK_WORDS.contains(&word))
}

/// Variables that a standard or the platform defines for every program: cargo's build
/// facts, the XDG base
/// directories, OpenTelemetry's SDK settings (read by the exporter's own convention, like
/// `RUST_LOG`), the AWS SDK's own credential and endpoint variables (the SDK reads them by
/// the same names; see also `PROCESS_FACTS`), and what the host sets about the machine
/// (fly.io's `FLY_APP_NAME`, Kubernetes' service addresses, AWS Lambda's
/// `AWS_LAMBDA_FUNCTION_NAME`).
const PLATFORM_PREFIXES: &[&str] = &[
    // What cargo sets for build scripts and `cargo run` (`CARGO_MANIFEST_DIR`,
    // `CARGO_CFG_TARGET_OS`): facts of the build, not settings.
    "CARGO_",
    "XDG_",
    "OTEL_",
    "FLY_",
    "KUBERNETES_",
    "AWS_LAMBDA_",
    "AWS_BEARER_TOKEN_",
    "AWS_ENDPOINT_URL",
    "AWS_CONTAINER_",
];

/// The variable of a container's environment entry written as JSON: `{"name": "X",
/// "value": ..}` (or `"valueFrom"`), with an upper-case name.
fn container_env_name(tokens: proc_macro2::TokenStream) -> Option<String> {
    use proc_macro2::TokenTree;
    let Some(TokenTree::Group(object)) = tokens.into_iter().next() else {
        return None;
    };
    let texts: Vec<String> = object
        .stream()
        .into_iter()
        .filter_map(|t| match t {
            TokenTree::Literal(l) => Some(l.to_string()),
            _ => None,
        })
        .collect();
    let at = texts.iter().position(|t| t == "\"name\"")?;
    let has_value = texts
        .iter()
        .any(|t| t == "\"value\"" || t == "\"valueFrom\"");
    let name = texts.get(at + 1)?.trim_matches('"');
    let env_like = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
    (has_value && env_like).then(|| name.to_string())
}

/// A variable name that is a value of the program (`key_name`, `&cfg.token_env`,
/// `name.as_str()`), not a literal or a `CONST`.
fn is_configured_name(arg: &syn::Expr) -> bool {
    match arg {
        syn::Expr::Reference(r) => is_configured_name(&r.expr),
        syn::Expr::Paren(p) => is_configured_name(&p.expr),
        syn::Expr::Field(_) => true,
        syn::Expr::MethodCall(m) => {
            matches!(m.method.to_string().as_str(), "as_str" | "as_ref" | "clone")
                && is_configured_name(&m.receiver)
        }
        syn::Expr::Path(p) => p.path.segments.last().is_some_and(|s| {
            let name = s.ident.to_string();
            name.chars().any(|c| c.is_ascii_lowercase())
        }),
        _ => false,
    }
}

/// The variables that programs of the run set for the processes they start (a controller's
/// `Command::env("JOB_ID", ..)` for its workers).
pub(crate) fn handed_off<'a>(
    crates: impl Iterator<Item = &'a crate::model::Crate>,
) -> HashSet<&'a str> {
    crates
        .flat_map(|c| c.files.iter())
        .flat_map(|f| f.handoff_env.iter().map(String::as_str))
        .collect()
}

/// An `env-read-outside-config` finding on a variable that a program of the run hands to
/// the process it starts: the run's own plumbing between its programs, which no operator
/// sets, not a setting.
pub(crate) fn is_handed_off(
    krate: &crate::model::Crate,
    d: &crate::diagnostic::Diagnostic,
    handoff: &HashSet<&str>,
) -> bool {
    d.rule == crate::registry::RuleId::EnvReadOutsideConfig
        && krate.files.iter().filter(|f| f.path == d.path).any(|f| {
            f.env_read_sites
                .iter()
                .any(|(line, name)| *line == d.start.line && handoff.contains(name.as_str()))
        })
}
