//! The project model: what discovery and phase 1 learn, and what crate rules read in phase 2.
//! It holds facts, never syntax trees, so memory stays proportional to what rules need.

use crate::config::Config;
use crate::diagnostic::{Position, StaticStr};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::sync::Arc;

/// Where a dependency is declared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DepKind {
    Normal,
    Dev,
    Build,
}

/// One dependency entry of a crate's own `Cargo.toml`.
#[derive(Clone, Debug)]
pub struct Dependency {
    /// The key as written (`web` in `web = { package = "actix-web" }`).
    pub key: String,
    /// The real package name, after `package = ".."` and workspace inheritance.
    pub package: String,
    pub kind: DepKind,
    /// `cfg(..)` of a `[target.'cfg(..)'.dependencies]` table.
    pub target: Option<String>,
    /// Built only with a feature that is not on by default (`optional = true`, and the
    /// `default` feature does not turn it on).
    pub optional: bool,
    /// `optional = true`, whether or not the default feature turns it on.
    pub feature_gated: bool,
    /// `features = [..]` on the entry (the workspace's own entry is not merged in).
    pub features: Vec<String>,
    /// `default-features = false` is not written on the entry (nor, unread, on the
    /// workspace's entry it inherits).
    pub default_features: bool,
    /// Span of the key in `Cargo.toml`.
    pub start: Position,
    pub end: Position,
}

impl Dependency {
    /// Whether the service runs on it (dev- and build-dependencies do not count).
    pub fn is_runtime(&self) -> bool {
        self.kind == DepKind::Normal
    }
}

/// A text file that crate rules read (a manifest or an environment file), with its text.
#[derive(Clone, Debug)]
pub struct TextFile {
    pub path: PathBuf,
    pub text: String,
}

/// A crate's `Cargo.toml`, as far as rules care.
#[derive(Clone, Debug)]
pub struct Manifest {
    pub file: TextFile,
    pub package_name: String,
    /// Line of the `[package]` header, where findings about something missing point.
    pub package_line: u32,
    pub deps: Vec<Dependency>,
    /// `[[bin]]` tables declared.
    pub declares_bin: bool,
    /// The library is loaded by another language (`lints/src/manifest.rs`).
    pub foreign_host_only: bool,
    /// Native bindings to a C library (`lints/src/manifest.rs`).
    pub native_bindings: bool,
    /// `[lib] doctest = false`.
    pub doctest_off: bool,
    /// `[lib] test = false` and `autotests = false`.
    pub tests_off: bool,
    /// The root files of the crate's targets that `Cargo.toml` places outside `src/`
    /// (`[[bin]] path = "main.rs"`), cleaned and relative to the crate root.
    pub root_files: Vec<std::path::PathBuf>,
}

impl Manifest {
    /// Runtime dependencies on any of `packages`.
    pub fn runtime_deps_on<'a>(
        &'a self,
        packages: &'a [&str],
    ) -> impl Iterator<Item = &'a Dependency> + 'a {
        self.deps
            .iter()
            .filter(move |d| d.is_runtime() && packages.contains(&d.package.as_str()))
    }
}

/// What phase 1 keeps of one `.rs` file for the crate rules.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct FileFacts {
    pub path: PathBuf,
    /// The whole file is test code (`tests/`, `benches/`, `examples/`, `build.rs`).
    pub is_test: bool,
    /// The file parsed; facts of a file that did not are empty.
    pub parsed: bool,
    /// Places where `log`'s macros are used (so a `log` dependency is a foreign logger).
    pub log_macro_uses: Vec<Position>,
    /// Logging stacks that code outside tests starts with a call (`env_logger::init()`).
    pub logger_calls: Vec<String>,
    /// Code outside tests installs `tower_http`'s `CatchPanicLayer`.
    pub catches_panics: bool,
    /// Code outside tests opens a database in memory (`Connection::open_in_memory()`).
    pub opens_memory_db: bool,
    /// Tasks spawned per received message with nothing bounding them, for
    /// `unbounded-spawn-per-message` to judge with the crate's dependencies.
    pub unbounded_spawns: Vec<Range>,
    /// Web frameworks (as crate names) whose server code outside tests starts
    /// (`rouille::Server::new(..)`).
    pub framework_servers: Vec<String>,
    /// The file defines at least one test function.
    pub has_test_fn: bool,
    /// Router-related facts (routes, handlers, `use` items, ...); see `crate::router`.
    pub router: RouterFacts,
    /// What would make the file a config module by behaviour (outside test code).
    pub settings: SettingsFacts,
    /// Extractors (`impl FromRequest(Parts) for X`) that may panic, outside test code.
    pub extractors: Vec<ExtractorFact>,
    /// `tracing-subscriber` formatters set up outside test code.
    pub log_formats: Vec<LogFormatFact>,
    /// `impl IntoResponse` blocks and middleware functions, outside test code.
    pub responders: Vec<ResponderFact>,
    /// Types known to be errors: `impl Error for X`, `type Rejection = X`.
    pub error_types: Vec<String>,
    /// A documentation comment holds a Rust code block (a doctest).
    pub has_doctest: bool,
    /// The file compares an answer's content type with `"text/plain.."` and builds JSON
    /// (`json!`/`Json(..)`): a middleware that turns plain-text errors into JSON ones.
    pub rewrites_text_errors: TextErrorRewrite,
    /// A `match` arm on a variant named `Json` (`LogFormat::Json => ..`): the file switches
    /// log formats by configuration.
    pub json_format_arm: bool,
    /// A tool wrote the file (`crate::generated`): no rule judges it.
    pub generated: bool,
    /// The file talks with a person at its terminal: it reads it (`stdin()`, a password
    /// prompt) or lays text out on it (a blank `eprintln!()`). Its prints are for them.
    pub talks_to_terminal: bool,
    /// Structs of the file outside tests with a field `errors: Vec<..>` and a field
    /// `detail`: cargo's registry (and JSON:API's) error body, `{"errors": [{"detail": ..}]}`.
    pub error_list_shape: (bool, bool),
    /// A struct outside tests derives a template engine's `Template` (askama, rinja,
    /// sailfish): the file renders pages.
    pub renders_templates: bool,
    /// A function of the file that serves no route sets `text/html` (a helper that wraps
    /// the handlers' pages): the file's opaque answers are pages.
    pub builds_pages: bool,
    /// Functions of the file that serve no route and answer a page or a redirect
    /// (`Redirect::to(url)`, `Html(..)`), and types whose `IntoResponse` answers one
    /// (`HtmlTemplate` of askama's pattern): a handler that calls one answers it.
    pub page_helpers: Vec<String>,
    /// A media type outside tests that only a published protocol's API answers with
    /// (`application/vnd.x.restic.rest.v2`; `rules::envelope::protocols`).
    pub protocol_media_type: Option<String>,
    /// Bare settings file names that code outside tests writes (`"kellnr.toml"`), at most
    /// a few.
    pub settings_file_names: Vec<String>,
    /// Variables that code outside tests sets for a process it starts
    /// (`Command::new(..).env("JOB_ID", id)`): hand-offs between the run's own programs.
    pub handoff_env: Vec<String>,
    /// Where `env-read-outside-config` reported, with the variable read (line, name).
    pub env_read_sites: Vec<(u32, String)>,
    /// Constants that code outside tests formats values with (`now.format(DATETIME_FORMAT)`).
    pub format_constants: Vec<String>,
    /// Functions outside tests and the fields that each sets to `Some(..)` in every value it
    /// returns.
    pub fields_always_some: Vec<(String, Vec<String>)>,
    /// Paths into `prometheus` outside tests: (only its bucket helpers, anything else).
    pub prometheus_paths: (bool, bool),
    /// Paths of the functions called from command code (one-shot subcommand arms and
    /// command functions): `monitor::run`, `dbscan_list_indexes_core`.
    pub command_calls: Vec<String>,
    /// Functions called by name in the statements before the logger is installed
    /// (`launch_info();` before `init_logging()?`): they print before there is a log.
    pub pre_logger_calls: Vec<String>,
    /// Functions called by name in the statements after the logger is installed
    /// (`launch_info();` after `init_logging()?`): they print beside the log
    /// (`crate::hot_path`).
    pub post_logger_calls: Vec<String>,
    /// Blocking calls in the body of their function itself, with the function's name
    /// (`crate::command_output`).
    pub startup_sites: Vec<(u32, String)>,
    /// Where `blocking-in-async` reported: the line, the recorded async function around it
    /// (an index into `router.fns`), and whether it runs beside the requests: a `loop`/
    /// `while` repeats it, or a task runs it (`crate::hot_path`).
    pub blocking_sites: Vec<BlockingSite>,
    /// Where `print-logging` reported, and what says the print runs while the service runs
    /// (`crate::hot_path`).
    pub print_sites: Vec<PrintSite>,
    /// Calls inside a loop (as for `FnFact::loop_callees`) outside any recorded async function (`tokio::spawn(async
    /// move { loop { .. } })` in a plain function), spelled as `FnFact::callees`.
    pub repeated_calls: Vec<String>,
    /// Functions called by name from startup code (`main`'s body, a background task's
    /// set-up before its loop: `load_wal_sizes().await?;`): they run once, at start.
    pub startup_calls: Vec<String>,
    /// Paths of the functions called by a file of `src/bin/` (`connect` of `use
    /// plane::database::connect`): when that binary is a command, what only it calls is
    /// the command's (`crate::command_output`).
    pub bin_calls: Vec<String>,
    /// Where `print-logging`, `env-read-outside-config` or `hardcoded-address` reported, and the function around
    /// it (empty outside one): what a one-shot command calls is the command's
    /// (`crate::command_output`).
    pub command_sites: Vec<(u32, String)>,
    /// Decision points outside test code: `if`, loops, and each `match` arm after the
    /// first. Code with almost none forwards or defines, and is tested where it is used.
    pub branches: u32,
    /// The source lines at the ranges above, for the snippets of crate rules' findings
    /// (filled after the walk from `ranges`).
    pub lines: crate::line_index::SourceLines,
}

impl FileFacts {
    /// The facts of a file that turned out to be test code only once every file was parsed
    /// (declared by `#[cfg(test)] mod tests;` or by another test module): what phase 1
    /// recorded as code outside tests is test code's, so it is dropped, and the paths it
    /// mentions are what tests mention.
    pub fn into_test_code(self) -> FileFacts {
        let mut router = self.router;
        router.test_paths.append(&mut router.lib_paths);
        router.test_use_roots.append(&mut router.path_roots);
        let imported: Vec<String> = router
            .uses
            .iter()
            .filter_map(|u| u.target.first())
            .cloned()
            .collect();
        router.test_use_roots.extend(imported);
        FileFacts {
            path: self.path,
            is_test: true,
            parsed: self.parsed,
            has_test_fn: self.has_test_fn,
            router,
            error_types: self.error_types,
            has_doctest: self.has_doctest,
            generated: self.generated,
            lines: self.lines,
            ..FileFacts::default()
        }
    }

    /// Every range the facts point at: where a crate rule may report in this file.
    pub fn ranges(&self) -> impl Iterator<Item = Range> + '_ {
        let r = &self.router;
        let fns = r.fns.iter().flat_map(|f| {
            let params = f.params.iter().flat_map(|p| {
                let json = p
                    .axum_json
                    .iter()
                    .flat_map(|(a, b)| std::iter::once(*a).chain(*b));
                std::iter::once(p.range).chain(json)
            });
            std::iter::once(f.range)
                .chain(params)
                .chain(f.panics.iter().map(|p| p.range))
        });
        let ops = r.chains.iter().flat_map(|c| {
            std::iter::once(c.range).chain(c.ops.iter().flat_map(|op| {
                let (range, handlers) = match op {
                    RouterOp::Route {
                        range, handlers, ..
                    } => (Some(*range), handlers.as_slice()),
                    RouterOp::NestService { range, .. } => (Some(*range), &[][..]),
                    RouterOp::Routes(handlers) => (None, handlers.as_slice()),
                    RouterOp::TypedRoute(handler, _) => (None, std::slice::from_ref(handler)),
                    _ => (None, &[][..]),
                };
                range
                    .into_iter()
                    .chain(handlers.iter().filter_map(|h| match h {
                        HandlerFact::Path(_, range) => Some(*range),
                        _ => None,
                    }))
            }))
        });
        fns.chain(ops)
            .chain(r.serves.iter().map(|s| s.range))
            .chain(self.responders.iter().map(|f| f.range))
            .chain(self.log_formats.iter().map(|f| f.root))
            .chain(
                self.extractors
                    .iter()
                    .flat_map(|e| e.panics.iter().map(|p| p.range)),
            )
            .chain(self.unbounded_spawns.iter().copied())
    }
}

/// What a file does that, together, rewrites plain-text error answers into JSON.
#[derive(Clone, Copy, Debug, Default, Serialize, Deserialize)]
pub struct TextErrorRewrite {
    pub compares_text_plain: bool,
    pub builds_json: bool,
}

impl TextErrorRewrite {
    pub fn rewrites(self) -> bool {
        self.compares_text_plain && self.builds_json
    }
}

/// Code that builds HTTP answers outside a handler, and what it answers with.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ResponderFact {
    pub kind: ResponderKind,
    /// The `impl .. for X` header, or the middleware's `fn name`.
    pub range: Range,
    /// The body builds the envelope itself: an envelope type, something named
    /// `*envelope*`, a struct literal or `json!` with `status_code` and `status_txt`.
    pub enveloped: bool,
    /// Capitalised names the body mentions (`ApiError` in `ApiError::from(e).into_response()`):
    /// the body is enveloped when one of them is a type whose own answer is.
    pub mentions: Vec<String>,
    /// The first answer outside the envelope seen (`Json(..)`, a `(StatusCode, ..)` tuple).
    #[serde(with = "crate::cache::codec::opt_static_str")]
    pub answer: Option<StaticStr>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ResponderKind {
    /// `impl IntoResponse for X`, with the type's name.
    IntoResponse(String),
    /// A middleware function (`from_fn` takes a `Next`; `map_response` a `Response`).
    Middleware(String),
}

/// One `tracing-subscriber` formatter: the call that starts it (`tracing_subscriber::fmt()`,
/// `fmt::layer()`, `fmt::init()`) and what its method chain says about the output.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct LogFormatFact {
    pub root: Range,
    /// `.json()`, or `.event_format(..)` with a formatter of the team's own.
    pub json: bool,
    /// `.with_test_writer()`: output for `cargo test`, not for the log store.
    pub for_tests: bool,
    /// Text choices seen (`.pretty()`, `.compact()`, `.with_ansi(true)`), in the chain.
    #[serde(with = "crate::cache::codec::vec_static_str")]
    pub text: Vec<StaticStr>,
}

/// An extractor whose `from_request`/`from_request_parts` body panics somewhere.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ExtractorFact {
    /// The type it extracts (`AuthUser`).
    pub name: String,
    pub method: String,
    pub panics: Vec<PanicFact>,
}

/// Signs that a file builds the service's settings (`crate::walk` records them).
#[derive(Clone, Copy, Debug, Default, Serialize, Deserialize)]
pub struct SettingsFacts {
    /// `config::Config::builder()`, `figment::Figment`, `envy::from_env`/`envy::prefixed`.
    pub builder: bool,
    /// A `#[derive(Deserialize)]` struct.
    pub deserialize: bool,
    /// `std::env::var`/`var_os`/`vars`.
    pub env_read: bool,
    /// A command-line option defaults to a settings file
    /// (`#[arg(default_value = "alexandrie.toml")]`) or requires one (`#[clap(value_parser)]
    /// config_file: String`), or the program looks for one under a list of names (`["svix-bridge.yaml",
    /// "svix-bridge.yml"]`), or keeps its path in a constant named for it
    /// (`DEFAULT_CONFIG_PATH = "sample_configs/distributed.yaml"`).
    pub file_by_default: bool,
    /// `static`s that read a setting from the environment once, with its default
    /// (`static MAX_TASKS: LazyLock<usize> = LazyLock::new(|| env::var(..)..)`).
    pub env_statics: u32,
}

/// A file with this many `static` settings read from the environment is a settings module
/// (surrealdb's `cnf/mod.rs`: one `SURREAL_*` variable with its default per `static`).
const SETTINGS_STATICS: u32 = 3;

impl SettingsFacts {
    pub fn builds_settings(&self) -> bool {
        self.builder || self.deserialize && self.env_read || self.env_statics >= SETTINGS_STATICS
    }
}

/// A source range: 1-based, end exclusive.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Range {
    pub start: Position,
    pub end: Position,
}

/// What phase 1 keeps of a file for the router index (`crate::router`). Everything here is
/// recorded outside test code, except `test_paths`. Module paths are the segments of
/// inline `mod x { .. }` blocks inside the file; the file's own module comes from its path.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct RouterFacts {
    /// Module-level `use` items, flattened.
    pub uses: Vec<UseFact>,
    /// `async fn`s and handler closures (`FnFact::name` empty), with what handler rules need.
    pub fns: Vec<FnFact>,
    /// Method-call chains that build a `Router` (`Router::new().route(..)...`).
    pub chains: Vec<ChainFact>,
    /// `const`/`static` string items whose value starts with `/` (route paths).
    pub consts: Vec<ConstFact>,
    /// Types with axum-extra's `#[typed_path("/x/{id}")]`, with their path, outside tests.
    pub typed_paths: Vec<(String, String)>,
    /// `axum::serve(..)` (and `Server::bind(..).serve(..)`) calls.
    pub serves: Vec<ServeFact>,
    /// Variables on which `.with_graceful_shutdown(..)` is called.
    pub graceful_vars: Vec<String>,
    /// Last segments of the traits implemented in the file (`impl BackupHook for Db`).
    pub trait_impls: Vec<String>,
    /// Route-like string literals in test code (see `router::extract::route_like`).
    pub test_paths: Vec<String>,
    /// Route-like string literals outside test code: in a client library, the routes its
    /// functions request (`format!("{}/api/v0/history", base)`).
    pub lib_paths: Vec<String>,
    /// The crates test code imports: first segments of its `use` items and of the paths it
    /// names without one (`session::encode(..)`).
    pub test_use_roots: Vec<String>,
    /// The crates the rest of the code names by path or imports (kept for a file that turns
    /// out to be test code once its `mod` declarations are resolved).
    pub path_roots: Vec<String>,
    /// Things the walk could not follow, for `--verbose`.
    pub notes: Vec<String>,
}

impl RouterFacts {
    /// The file starts a server or registers routes (`.route`, `.nest`, utoipa's
    /// `.routes`): it serves, it does not merely use the framework's types.
    pub fn serves_or_routes(&self) -> bool {
        !self.serves.is_empty()
            || self.chains.iter().flat_map(|c| &c.ops).any(|op| {
                matches!(
                    op,
                    RouterOp::Route { .. }
                        | RouterOp::Nest { .. }
                        | RouterOp::Routes(_)
                        | RouterOp::TypedRoute(..)
                )
            })
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct UseFact {
    pub module: Vec<String>,
    /// The name brought into scope; `None` for a glob.
    pub name: Option<String>,
    /// The path as written (`crate::a::b`); for a glob, the prefix.
    pub target: Vec<String>,
}

/// A type, kept as its last path segment and its generic arguments (`Result<Json<User>, E>`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TypeFact {
    /// Last segment, or `&str`-style renderings: `&`, `()` (tuple or unit), `impl Trait`, `_`.
    pub name: String,
    pub args: Vec<TypeFact>,
}

impl TypeFact {
    /// The arguments, comma-separated, between `open` and `close`.
    fn fmt_args(
        &self,
        f: &mut std::fmt::Formatter<'_>,
        open: &str,
        close: &str,
    ) -> std::fmt::Result {
        f.write_str(open)?;
        for (i, a) in self.args.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{a}")?;
        }
        f.write_str(close)
    }
}

impl std::fmt::Display for TypeFact {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.name.as_str() {
            "()" => self.fmt_args(f, "(", ")"),
            "&" => match self.args.first() {
                Some(a) => write!(f, "&{a}"),
                None => f.write_str("&_"),
            },
            _ => {
                f.write_str(&self.name)?;
                if self.args.is_empty() {
                    Ok(())
                } else {
                    self.fmt_args(f, "<", ">")
                }
            }
        }
    }
}

/// A parameter of a recorded function or closure.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ParamFact {
    pub ty: TypeFact,
    /// Range of the whole type.
    pub range: Range,
    /// The type is axum's `Json<T>`: the range of its path (without `<T>`), and of the
    /// pattern's path when the pattern destructures it (`Json(body): Json<T>`).
    pub axum_json: Option<(Range, Option<Range>)>,
}

/// A panicking construct: `.unwrap()`, `.expect(..)`, `panic!`, `unreachable!`, `todo!`,
/// `unimplemented!`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PanicFact {
    #[serde(with = "crate::cache::codec::static_str")]
    pub what: StaticStr,
    pub range: Range,
    /// What elsewhere in the crate would make it unable to fail; `None` when nothing would.
    pub holds_if: Option<Invariant>,
}

/// A fact of the crate, outside the file, that an unwrap relies on (`walk::invariants`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Invariant {
    /// Parses text with this format constant, which the crate writes its values with
    /// (`FileFacts::format_constants`).
    WrittenInFormat(String),
    /// Takes this field of what the function returned, which it sets to `Some(..)` on every
    /// return (`FileFacts::fields_always_some`).
    SetBy { function: String, field: String },
}

/// An `async fn` (or a handler closure, with an empty name).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct FnFact {
    pub module: Vec<String>,
    pub name: String,
    /// `async fn name` / the closure's `|..|`.
    pub range: Range,
    /// The declared return type; for a closure without one, what its body evidently
    /// returns (`"ok"` is `&str`, `Json(..)` is `Json`), or `None` when unknown.
    pub ret: Option<TypeFact>,
    /// Whether `ret` was inferred from a closure body.
    pub ret_inferred: bool,
    pub params: Vec<ParamFact>,
    pub panics: Vec<PanicFact>,
    /// `#[allow(clippy::unwrap_used)]` (or `expect_used`, `panic`) on the function.
    pub panics_acknowledged: bool,
    /// The path of a `#[utoipa::path(get, path = "/x/{id}")]` attribute (with its
    /// `context_path` prefix), which `utoipa_axum::routes!(..)` registers the function at.
    pub utoipa_path: Option<String>,
    /// The body names a document's content type (`"text/html; charset=utf-8"`,
    /// `"application/gzip"`), sets `CONTENT_DISPOSITION` or wraps a value in `Html(..)`: the
    /// function answers a page or a file, whatever type it declares.
    pub serves_document: bool,
    /// `#[deprecated]`: the function is on its way out.
    pub deprecated: bool,
    /// The distinctive names (`download_model_impl`) it calls in its own body, outside
    /// loops, closures and async blocks: what runs once each time it runs, which
    /// `crate::command_output` follows from startup code.
    pub once_calls: Vec<String>,
    /// The body builds an answer by hand: `Response::builder()`, `Body::from(..)`,
    /// `StreamBody::new(..)`, a WebSocket's `.on_upgrade(..)`.
    pub builds_body: bool,
    /// The body names JSON: `Json(..)`, `Json::from`, `json!`, `.json(..)`, `X::json(..)`,
    /// `"application/json"`.
    pub names_json: bool,
    /// The functions its body calls by path (`redirect_and_snackbar` of
    /// `crate::layout::redirect_and_snackbar(..)`), by name, at most `MAX_CALLS_NOTED`: a
    /// helper that answers a page or a redirect makes the answer one.
    pub calls: Vec<String>,
    /// The functions and methods its body calls, as `crate::hot_path` follows them from
    /// the handlers (`crate::hot_path::path_callee`, `method_callee`): `name`, `Type::name`,
    /// `Self::name` (`self.name(..)`), `.name` (an awaited method of a receiver of unknown
    /// type).
    pub callees: Vec<String>,
    /// Those it calls inside a loop (a background task's work), but one over a fixed set:
    /// they run again and again.
    pub loop_callees: Vec<String>,
    /// A route attribute (`#[get("/")]`) or a request among its parameters (`HttpRequest`,
    /// `web::Json<T>`, tonic's `Request<T>`): a handler of a framework the router index does
    /// not read.
    pub takes_request: bool,
    /// A method of an `impl` block: in the call graph, never a route's handler.
    pub is_method: bool,
    /// For a method, the type of its `impl` block (`LocalDisk` of `impl DiskApi for
    /// LocalDisk`).
    pub owner: Option<String>,
}

/// A `blocking-in-async` finding as `crate::hot_path` judges it.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct BlockingSite {
    pub line: u32,
    pub function: Option<usize>,
    pub beside_requests: bool,
}

/// A `print-logging` finding as `crate::hot_path` judges it.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct PrintSite {
    pub line: u32,
    /// The recorded async function around it (an index into `router.fns`).
    pub function: Option<usize>,
    /// The name of the plain function around it, when it is not recorded.
    pub plain_fn: Option<String>,
    /// A `loop`/`while` repeats it, or a task runs it.
    pub beside_requests: bool,
    /// Its function is the program's entry, writes log events too (`warn!(..)` beside
    /// `eprintln!(..)`), installs the logger before it, starts the server or answers a
    /// route: it prints into the service's own log.
    pub beside_log: bool,
}

/// A route path, nest prefix or similar argument.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum PathArg {
    Lit(String),
    /// A `const`/`static` named by path.
    Name(Vec<String>),
    Unknown,
}

/// Where a router value comes from.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum RouterRef {
    /// A chain of the same file (index into `RouterFacts::chains`).
    Chain(usize),
    /// A local variable of the enclosing function.
    Var(String),
    /// The value returned by a function named by path.
    Call(Vec<String>),
    /// A function named by path called with a router variable (`apply_layers(app, ..)`):
    /// what the function returns when it builds a router, else that router passed
    /// through (a helper that adds middleware and hands the router back).
    Through(Vec<String>, String),
    Unknown,
}

/// A handler named in a method router.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum HandlerFact {
    /// A function by path, with the range of the path.
    Path(Vec<String>, Range),
    /// A closure or async block: index into `RouterFacts::fns`.
    Closure(usize),
    Unknown(String),
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum RouterOp {
    Route {
        path: PathArg,
        range: Range,
        handlers: Vec<HandlerFact>,
    },
    Nest {
        prefix: PathArg,
        router: RouterRef,
    },
    Merge(RouterRef),
    /// `.nest_service(prefix, svc)`: a nested router when `svc` is one, else a service
    /// answering everything under `prefix` (a route without handlers).
    NestService {
        prefix: PathArg,
        range: Range,
        service: RouterRef,
    },
    /// `utoipa_axum`'s `.routes(routes!(a, b))`: each handler's path comes from its
    /// `#[utoipa::path(..)]` attribute.
    Routes(Vec<HandlerFact>),
    /// axum-extra's `.typed_get(handler)`: the path is the `#[typed_path(..)]` of the type
    /// the handler is given (`get_file::<RepoPath>`) or of its first parameter's type,
    /// unknown when that type is another crate's.
    TypedRoute(HandlerFact, Option<String>),
    Fallback,
}

/// A chain of method calls that builds a router.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ChainFact {
    pub module: Vec<String>,
    /// The enclosing function, if any.
    pub func: Option<String>,
    /// `None` when the chain starts at `Router::new()`, else what it continues.
    pub base: Option<RouterRef>,
    /// The `Router::new()` call, or the start of the chain.
    pub range: Range,
    pub ops: Vec<RouterOp>,
    /// `let name = <chain>` / `name = <chain>`.
    pub binding: Option<String>,
    /// The chain is the tail expression of `func`.
    pub is_tail: bool,
    /// Built only in development (`if env == Env::Development { .. }`).
    pub dev_only: bool,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ConstFact {
    pub module: Vec<String>,
    pub name: String,
    pub value: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ServeFact {
    pub module: Vec<String>,
    pub func: Option<String>,
    pub range: Range,
    pub app: RouterRef,
    pub graceful: bool,
    /// `let server = axum::serve(..)`.
    pub binding: Option<String>,
}

/// A crate: its manifest, layout, configuration and the facts of its files.
#[derive(Debug)]
pub struct Crate {
    pub root: PathBuf,
    pub manifest: Manifest,
    /// A binary target: `src/main.rs`, `src/bin/*` or `[[bin]]`.
    pub has_bin: bool,
    /// A service (by role) that depends on the house web framework: the router-aware
    /// service rules can read it.
    pub is_service: bool,
    /// What the crate is, and why (docs/idioms.md "Crate roles").
    pub role: crate::crate_role::RoleDecision,
    /// The role was stated by the team, not guessed.
    pub role_stated: bool,
    /// A service of the run depends on this crate, directly or through other crates.
    pub used_by_service: bool,
    /// A command-line crate of the run depends on this crate, directly or through others.
    pub used_by_command: bool,
    /// Files of binaries that are not the crate's service (an admin command beside the
    /// server), with their own role.
    pub binary_roles: Vec<(PathBuf, crate::crate_role::RoleDecision)>,
    pub config: Arc<Config>,
    pub files: Vec<FileFacts>,
    /// `config/*.toml` next to `Cargo.toml`.
    pub env_files: Vec<TextFile>,
    /// File names under `deploy/` next to `Cargo.toml`.
    pub deploy_files: Vec<String>,
    /// A systemd unit for this crate outside `deploy/` (`systemd/atuin-server.service`).
    pub unit_elsewhere: Option<PathBuf>,
    /// A settings file next to `Cargo.toml` under another name (`config.default.toml`), or
    /// the workspace's `config/default(s).toml`.
    pub config_elsewhere: Option<PathBuf>,
    /// A `tests/` folder with at least one `.rs` file.
    pub has_tests_dir: bool,
    /// A script of a test suite outside Rust runs one of its programs out of `target/`
    /// (`api_tests/run-federation-test.sh` starting `target/lemmy_server`).
    pub run_by_test_suite: bool,
    /// Route-like literals of the libraries of the same run that the crate's tests use (a
    /// typed client crate): the routes tests reach through that client.
    pub client_paths: Vec<String>,
    /// The URL paths that shell scripts of a test suite outside Rust request
    /// (`curl "${REGISTRY_URL}/api/v1/account/register"` in `e2e/runner.sh`).
    pub suite_paths: Vec<String>,
    /// The test code of another crate of the run imports this crate
    /// (`lints/src/run_facts.rs`).
    pub tested_elsewhere: bool,
    /// A crate of the run bridges `log` records into `tracing` (`lints/src/run_facts.rs`).
    pub log_bridged: bool,
    /// A library no service of the run uses, in a run that has services
    /// (`lints/src/run_facts.rs`).
    pub embedded: bool,
    /// The crate's code, or a crate of the run it depends on, names a settings file named
    /// for the package (`"kellnr.toml"` for `kellnr`): the program's own settings file
    /// (`lints/src/run_facts.rs`).
    pub names_own_settings_file: bool,
    /// A middleware that rewrites plain-text error answers into JSON, in the crate or in a
    /// crate of the run it depends on (a shared `frontend-core`): `lints/src/run_facts.rs`.
    pub rewrites_text_errors: bool,
}

impl Crate {
    /// Rust code of its own outside tests: a crate that is only a manifest (a generated list
    /// of crates offered to users' code) uses none of its dependencies itself.
    pub fn has_code(&self) -> bool {
        self.files.iter().any(|f| !f.is_test)
    }

    /// A `tests/` folder or a test function anywhere in the crate.
    pub fn has_tests(&self) -> bool {
        self.has_tests_dir || self.files.iter().any(|f| f.has_test_fn)
    }

    pub fn name(&self) -> &str {
        &self.manifest.package_name
    }

    /// The web framework the crate always depends on (not `optional`) and serves HTTP
    /// with: its files serve or build routes, or it turns on the framework's `server`
    /// feature (warp's routes are not indexed, but `warp = { features = ["server"] }` says
    /// the same).
    pub fn serving_framework(&self) -> Option<&str> {
        use crate::rules::framework::foreign_web_framework::FRAMEWORKS;
        let serves = self.files.iter().any(|f| f.router.serves_or_routes());
        self.manifest
            .deps
            .iter()
            .filter(|d| d.is_runtime() && !d.optional && FRAMEWORKS.contains(&d.package.as_str()))
            .find(|d| serves || d.features.iter().any(|f| f == "server"))
            .map(|d| d.package.as_str())
    }
}
