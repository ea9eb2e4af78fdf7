use crate::context::FileCx;
use crate::diagnostic::{Applicability, Edit, Fix};
use crate::rule::Rule;

crate::declare_rule! {
    /// ## What it does
    /// Flags blocking calls inside an `async fn`, `async` block or async closure:
    /// `std::thread::sleep`, any `std::fs::*` function (`std::fs::read`,
    /// `std::fs::File::open`, ...), `reqwest::blocking::*` and
    /// `std::net::TcpStream::connect`, however they are imported, where the code runs hot:
    /// on a request's path or in work that repeats. A finding needs that evidence
    /// (`lints/src/hot_path.rs`): the call sits in a `loop` or `while`, or its function is a
    /// handler (of an axum router; a function with a route attribute such as `#[get("/")]`
    /// or that takes a request such as `HttpRequest`, `web::Json<T>` or tonic's
    /// `Request<T>`; a method of an `impl Handler<Msg>` that runs per message), is called
    /// inside a loop (a task's `loop`, or any loop but one over a fixed set inside a spawned
    /// task, such as a schedule), or is called by such a function: by its name in the same
    /// crate (`helper()`, `Type::helper()`, `self.helper()`, `job.run()` after `let job =
    /// Job { .. }`), through its module (`disk::set(..)`) or by a distinctive name such as
    /// `rename_data` across the crates of the run. Blocking in async code that nothing hot
    /// reaches (a backend only tests build, recovery at startup, a one-shot command) stalls
    /// no request. Code inside a plain
    /// (non-async) closure is not checked, since it may run on another thread
    /// (`spawn_blocking(|| ..)`, `block_in_place`, `std::thread::spawn`, helpers such as
    /// tokio's own `asyncify`); neither is test code, nor the body of `async fn main` itself
    /// or of another function that runs once at startup or as a one-shot command (a name
    /// whose first word is `start`, `launch`, `init`, `initialize`, `setup`, `bootstrap`,
    /// `restore` or `migrate`, or whose last word is `init`, `setup` or `bootstrap` such as
    /// `db_init`, and `create_table(s)`/`create_schema`; not `new`, as often called for
    /// every request; `main`'s stand-ins such as `kanidm_main`; a function named for
    /// serving whose body binds the listener, such as `async fn serve(..)` removing a stale
    /// socket before `UnixListener::bind`, or that is handed one (`listener: TcpListener`);
    /// the async `new`, `open` or `connect` of a type named for the database, pool or
    /// server, such as `impl Database { async fn new(url) }` creating its file; an async
    /// `run`, `spawn` or `launch` that returns the running component, such as `impl Drone {
    /// async fn run(config) -> Result<Self> }`), nor the set-up of a background task: the
    /// statements of an async function that takes no arguments before the first `loop` of
    /// its body (`create_dir_all(dir)?; loop { every_day.tick().await; .. }`), and the
    /// statements (outside their loops and tasks) of the functions of the crate that such
    /// set-up or `main`'s own statements call by name (`load_registrations().await?;`
    /// before the loop), and so on down the chain, into the crates of the run they call
    /// (`download_model_if_needed` calling `model_download::download_model`, which calls
    /// `download_model_files`: names of eight characters or more, with `_`), nor a one-shot command (a function that takes
    /// parsed command arguments, a subcommand's `match` arm that starts no server), nor a
    /// migration module (`migrations.rs`, `migration/m20250109_092400_ksuids.rs`): startup
    /// work such as reading a key file runs once, before anything is served. The tasks,
    /// async blocks and loops such a function starts are checked, except a `for` loop over
    /// a fixed set (a literal array, a bounded range, a `static` such as
    /// `CACHE_DIRS.iter()`), which ends. A call that a comment within the ten lines above
    /// calls deliberate (`// We voluntarily use a non async operation: a rename is quick`:
    /// a word for blocking and one for intent) is not flagged: the author weighed it. `std::thread::sleep(d)`
    /// carries a fix, `tokio::time::sleep(d).await`: safe when the crate's own `tokio`
    /// entry turns on the `time` (or `full`) feature, unsafe otherwise.
    ///
    /// ## Why
    /// The async runtime runs many requests on a few worker threads. A blocking call
    /// holds one of them for its whole duration: every request scheduled there waits, the
    /// service's latency climbs for no visible reason, and health checks time out.
    ///
    /// ## Example
    /// ```rust
    /// async fn retry_later() {
    ///     std::thread::sleep(std::time::Duration::from_millis(100));
    /// }
    /// # async fn on_request() { retry_later().await }
    /// # #[tokio::main]
    /// # async fn main() { let _: axum::Router = axum::Router::new().route("/", axum::routing::get(on_request)); }
    /// ```
    ///
    /// ## Use instead
    /// ```rust
    /// async fn retry_later() {
    ///     tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    /// }
    ///
    /// async fn load(path: std::path::PathBuf) -> std::io::Result<Vec<u8>> {
    ///     tokio::task::spawn_blocking(move || std::fs::read(path)).await?
    /// }
    /// # #[tokio::main]
    /// # async fn main() { retry_later().await; let _ = load("x".into()).await; }
    /// ```
    pub struct BlockingInAsync {
        name: "blocking-in-async",
        group: Reliability,
        level: Deny,
        scope: NotInTests,
        summary: "a blocking call (`std::thread::sleep`, `std::fs`, `reqwest::blocking`, `TcpStream::connect`) in async code",
    }
}

/// What blocks, by resolved path; `None` when the call does not block.
fn blocking(resolved: &str) -> Option<&'static str> {
    if resolved == "std::thread::sleep" {
        Some("sleeps the worker thread")
    } else if resolved.starts_with("std::fs::") && !is_fs_builder(resolved) {
        Some("does blocking file I/O")
    } else if resolved.starts_with("reqwest::blocking::") {
        Some("makes a blocking HTTP request")
    } else if resolved == "std::net::TcpStream::connect" {
        Some("connects with a blocking socket")
    } else {
        None
    }
}

/// `std::fs` calls that only build a value and touch no file (`OpenOptions::new()`).
fn is_fs_builder(resolved: &str) -> bool {
    ["::new", "::default", "::options", "::from_mode"]
        .iter()
        .any(|s| resolved.ends_with(s))
        || resolved.starts_with("std::fs::Permissions::")
        || resolved.starts_with("std::fs::FileTimes::")
}

impl Rule for BlockingInAsync {
    fn check_call(&self, cx: &mut FileCx, call: &syn::ExprCall) {
        if !cx.in_async()
            || cx.directly_in_main()
            || cx.in_task_preamble()
            || cx.in_usage_fn()
            || cx.in_migration()
        {
            return;
        }
        let syn::Expr::Path(p) = &*call.func else {
            return;
        };
        if p.qself.is_some() {
            return;
        }
        let resolved = cx.resolve(&p.path);
        let Some(what) = blocking(&resolved) else {
            return;
        };
        let start = crate::router::extract::expr_start(&call.func);
        let close = call.paren_token.span.close();
        // A function that startup code calls runs once (`crate::command_output`), but not
        // the loops and tasks it starts.
        if cx.directly_in_fn() {
            cx.note_startup_site(start.start());
        }
        let fix = (resolved == "std::thread::sleep").then(|| {
            let (first, last) = crate::router::extract::path_span(&p.path);
            let func = crate::router::extract::range_between(first, last);
            let end = crate::router::extract::range(close).end;
            Fix {
                applicability: tokio_time(cx),
                message: "use `tokio::time::sleep(..).await`".into(),
                edits: vec![
                    Edit {
                        line: func.start.line,
                        column: func.start.column,
                        end_line: func.end.line,
                        end_column: func.end.column,
                        content: "tokio::time::sleep".into(),
                    },
                    Edit {
                        line: end.line,
                        column: end.column,
                        end_line: end.line,
                        end_column: end.column,
                        content: ".await".into(),
                    },
                ],
            }
        });
        let help = match resolved.as_str() {
            "std::thread::sleep" => {
                "use `tokio::time::sleep(d).await`, which yields the worker thread"
            }
            _ if resolved.starts_with("std::fs::") => {
                "use `tokio::fs`, or move the work into `tokio::task::spawn_blocking`"
            }
            _ if resolved.starts_with("reqwest::") => "use the async `reqwest::Client`",
            _ => "use `tokio::net::TcpStream::connect(..).await`",
        };
        cx.facts.blocking_sites.push(crate::model::BlockingSite {
            line: crate::context::position(start.start()).line,
            function: None,
            beside_requests: cx.repeat_depth > 0 || cx.in_task(),
        });
        let reported = cx
            .report_between(
                start,
                close,
                format!("`{resolved}` {what} inside async code"),
            )
            .help(help);
        if let Some(fix) = fix {
            reported.fix(fix);
        }
    }
}

/// `tokio::time::sleep` compiles only with tokio's `time` feature.
fn tokio_time(cx: &FileCx) -> Applicability {
    if cx.crate_enables("tokio", "time") || cx.crate_enables("tokio", "full") {
        Applicability::Safe
    } else {
        Applicability::Unsafe
    }
}
