//! What a rule sees while it runs: `FileCx` during the walk of one file, `CrateCx` for a crate.

use crate::config::{Config, House, LevelSetting};
use crate::diagnostic::{Diagnostic, Fix, Level, Position};
use crate::model::{Crate, Dependency, FileFacts};
use crate::registry::RuleId;
use crate::resolve::UseMap;
use crate::router::RouterIndex;
use crate::rule::RuleMeta;
use std::path::Path;

/// A finding just reported; setting help or a fix is a no-op when the report was dropped
/// (rule allowed, or out of scope).
pub struct Reported<'a>(Option<&'a mut Diagnostic>);

impl Reported<'_> {
    pub fn help(mut self, help: impl Into<String>) -> Self {
        if let Some(d) = self.0.as_deref_mut() {
            d.help = Some(help.into());
        }
        self
    }

    pub fn fix(mut self, fix: Fix) -> Self {
        if let Some(d) = self.0.as_deref_mut() {
            d.fix = Some(fix);
        }
        self
    }
}

pub fn position(lc: proc_macro2::LineColumn) -> Position {
    Position::new(lc.line as u32, lc.column as u32 + 1)
}

/// A file whose module, or a module around it, sets up logging or telemetry:
/// `logging.rs`, `telemetry.rs`, `otel/mod.rs`, `src/tracing/on_disk.rs`.
fn is_logging_module(path: &Path) -> bool {
    let is_logging = |name: &str| {
        matches!(
            name,
            "logging" | "telemetry" | "tracing" | "otel" | "observability"
        )
    };
    is_logging(crate::paths::module_name(path))
        || path
            .parent()
            .into_iter()
            .flat_map(Path::components)
            .rev()
            .map_while(|c| c.as_os_str().to_str().filter(|c| *c != "src"))
            .any(is_logging)
}

/// A file of a command module at the top of a crate's sources (`src/cli/basic/cli.rs`,
/// `src/cmd.rs`; see `binary_roles::command_modules`): the calls it makes are a command's.
fn is_command_module(path: &Path) -> bool {
    // The component after the last `src`, without collecting the path.
    let mut after = None;
    for c in path.iter().rev() {
        if c == "src" {
            return after
                .and_then(|a: &std::ffi::OsStr| a.to_str())
                .is_some_and(crate::binary_roles::is_src_command_module);
        }
        after = Some(c);
    }
    false
}

/// `src/bin/x.rs` or `src/bin/x/..`: a binary of its own, beside the crate's `main.rs`.
fn in_bin_dir(path: &Path) -> bool {
    let mut after_src = None;
    let mut previous = None;
    for c in path.iter() {
        if previous == Some(std::ffi::OsStr::new("src")) {
            after_src = Some(c);
        }
        previous = Some(c);
    }
    after_src.is_some_and(|c| c == "bin") && previous != after_src
}

/// A file whose path names tests (`src/tests/util.rs`, `src/foo/tests.rs`): it may be test
/// code declared from a test module, known only once every file is parsed.
fn named_for_tests(path: &Path) -> bool {
    path.components().any(|c| {
        let name = c.as_os_str().to_str().unwrap_or("");
        let stem = name.strip_suffix(".rs").unwrap_or(name);
        matches!(stem, "tests" | "test" | "testing" | "it")
    })
}

/// A database or data migration (`src/migration/m20250109_092400_ksuids.rs`,
/// `src/media/migrations.rs`): it runs once per deployment, at startup or as a command.
fn is_migration_module(path: &Path) -> bool {
    let is_migration = |name: &str| {
        let name = name.strip_suffix(".rs").unwrap_or(name);
        matches!(name, "migration" | "migrations" | "migrate")
            || name.strip_prefix('m').is_some_and(|rest| {
                rest.len() > 8 && rest.as_bytes()[..8].iter().all(u8::is_ascii_digit)
            })
    };
    path.iter()
        .rev()
        .filter_map(|c| c.to_str())
        .take_while(|c| *c != "src")
        .any(is_migration)
}

/// What a plain search of a file's text says it may hold (see `FileCx::hints`).
#[derive(Clone, Copy)]
pub(crate) struct TextHints {
    /// A regular expression's class or escape, or an `image` field.
    pub samples: bool,
    /// An environment read.
    pub env_reads: bool,
    /// A logger could be installed (`init_tracing`, `set_global_default`, `fmt().init()`):
    /// every such name or path spells one of these words.
    pub logger: bool,
}

/// Context of the single walk over one parsed file.
pub struct FileCx<'a> {
    pub path: &'a Path,
    pub text: &'a str,
    pub house: &'a House,
    pub uses: UseMap,
    pub facts: FileFacts,
    pub diagnostics: Vec<Diagnostic>,
    levels: &'a [Level],
    /// See `FileRole::features`.
    features: &'a [String],
    /// The rule whose hooks are running: `report` files findings under it, so a rule
    /// cannot report under another's name.
    current: &'static RuleMeta,
    file_is_test: bool,
    file_is_config: bool,
    /// See `is_command_module`.
    pub(crate) file_is_command_module: bool,
    /// See `is_migration_module`.
    file_is_migration: bool,
    /// The file is a program of `src/bin/` (`src/bin/db-cli.rs`, `src/bin/tool/main.rs`).
    pub(crate) file_in_bin_dir: bool,
    /// See `named_for_tests`.
    pub(crate) file_named_for_tests: bool,
    pub(crate) test_depth: u32,
    pub(crate) config_depth: u32,
    /// Whether each enclosing function, closure or block is async.
    pub(crate) async_stack: Vec<bool>,
    /// Depth of functions that are a program's command-line interface (`parse_args`,
    /// `print_help`): what they print is output, not logging.
    pub(crate) usage_depth: u32,
    /// Depth of `if` expressions with an `else` around the walk (`walk/mod.rs`).
    pub(crate) alternative_depth: u32,
    /// Depth of those whose condition asks whether a value was given (`x.is_empty()`), and
    /// of functions that return a setting's default (`fn default_listen()`).
    pub(crate) fallback_depth: u32,
    /// Depth of `self.field.or_else(|| ..)` arguments (`walk/commands.rs`).
    pub(crate) caller_fallback_depth: u32,
    /// Per enclosing function: for a startup function (`main`, `start_*`, `launch_*`, ...;
    /// see `walk/commands.rs`), the async and loop depth of its own body.
    pub(crate) main_at: Vec<Option<(usize, u32)>>,
    /// For each enclosing function, the async depth and loop depth of its own body.
    pub(crate) fn_at: Vec<(usize, u32)>,
    /// Loops around the current position.
    pub(crate) loop_depth: u32,
    /// `loop`s that do not break on their own and `while`s around the current position (not
    /// `for`, which ends with its collection): what they hold runs again and again.
    pub(crate) repeat_depth: u32,
    /// Depth of the arguments of a call that spawns a task (`tokio::spawn(worker(rx))`).
    pub(crate) spawn_depth: u32,
    /// Inside the branch of an `if` that runs only in development (`walk/commands.rs`).
    pub(crate) dev_only_depth: u32,
    /// Inside a fenced code block of the doc comments walked so far.
    pub(crate) doc_fence_open: bool,
    /// The text holds a code fence anywhere (asked once, when a doc comment is met).
    pub(crate) has_fences: Option<bool>,
    /// The text could hold sample data or settings read from the environment (asked
    /// once, at the first literal group): most files cannot, and skip those checks.
    pub(crate) text_hints: Option<TextHints>,
    /// Depth of literal groups that hold sample data (see `walk/samples.rs`).
    pub(crate) sample_depth: u32,
    /// Depth of functions that set up logging or telemetry (`walk/commands.rs`).
    pub(crate) logging_setup_depth: u32,
    /// Depth of statements that run before the logger is installed (`walk/commands.rs`).
    pub(crate) before_logger_depth: u32,
    pub(crate) after_logger_depth: u32,
    /// Depth of statements that set a background task up before its endless `loop`
    /// (`walk/commands.rs`).
    pub(crate) task_preamble_depth: u32,
    /// Depth of blocks that end the process (`eprintln!(..); exit(1);`).
    pub(crate) exit_message_depth: u32,
    /// Depth of items that allow clippy's `print_stdout`/`print_stderr` (`walk/scope.rs`).
    pub(crate) prints_allowed_depth: u32,
    /// State rules keep while this file is walked, one value per type (see `state`).
    states: Vec<Box<dyn std::any::Any>>,
}

impl<'a> FileCx<'a> {
    pub(crate) fn new(
        path: &'a Path,
        text: &'a str,
        house: &'a House,
        levels: &'a [Level],
        is_test: bool,
        is_config: bool,
        features: &'a [String],
    ) -> Self {
        FileCx {
            features,
            path,
            text,
            house,
            uses: UseMap::default(),
            facts: FileFacts {
                path: path.to_path_buf(),
                is_test,
                parsed: true,
                ..FileFacts::default()
            },
            diagnostics: Vec::new(),
            levels,
            current: RuleId::ALL[0].meta(),
            file_is_test: is_test,
            file_is_config: is_config,
            file_is_command_module: is_command_module(path),
            file_in_bin_dir: in_bin_dir(path),
            file_is_migration: is_migration_module(path),
            file_named_for_tests: named_for_tests(path),
            test_depth: 0,
            config_depth: 0,
            async_stack: Vec::new(),
            usage_depth: 0,
            alternative_depth: 0,
            fallback_depth: 0,
            caller_fallback_depth: 0,
            main_at: Vec::new(),
            fn_at: Vec::new(),
            loop_depth: 0,
            repeat_depth: 0,
            spawn_depth: 0,
            dev_only_depth: 0,
            doc_fence_open: false,
            has_fences: None,
            text_hints: None,
            sample_depth: 0,
            logging_setup_depth: 0,
            before_logger_depth: 0,
            after_logger_depth: 0,
            task_preamble_depth: 0,
            exit_message_depth: 0,
            prints_allowed_depth: 0,
            states: Vec::new(),
        }
    }

    /// A rule's own state for this file, created empty on first use: what a hook on a
    /// node tells the hooks of the nodes inside it (`hardcoded_address` marks literals
    /// that are compared, not configured). It lives exactly as long as the file's walk.
    pub fn state<T: Default + 'static>(&mut self) -> &mut T {
        let i = match self.states.iter().position(|s| s.is::<T>()) {
            Some(i) => i,
            None => {
                self.states.push(Box::new(T::default()));
                self.states.len() - 1
            }
        };
        self.states[i]
            .downcast_mut()
            .expect("the slot at i holds a T")
    }

    /// Whether the file's crate turns on `feature` of `package` in its own `Cargo.toml`
    /// (`tokio = { features = ["time"] }`); features a workspace entry or another
    /// dependency turns on are not known, so a fix that needs one is offered as unsafe.
    pub fn crate_enables(&self, package: &str, feature: &str) -> bool {
        self.features
            .iter()
            .any(|f| f.split_once('/') == Some((package, feature)))
    }

    /// Inside test code (a test file, `#[cfg(test)]` item or test function).
    pub fn in_test(&self) -> bool {
        self.file_is_test || self.test_depth > 0
    }

    /// Inside the config module (`house.config_modules`).
    pub fn in_config_module(&self) -> bool {
        self.file_is_config || self.config_depth > 0
    }

    /// In one branch of an `if .. else`, or of an `if` on a file setting (`if
    /// self.file_enabled { .. }`): code that runs only when the condition (often a setting)
    /// picks it.
    pub fn in_alternative(&self) -> bool {
        self.alternative_depth > 0
    }

    /// In a branch of `if value.is_empty() { fallback } else { value }` (or `is_none`,
    /// `is_some`): one side is the fallback of a value the program was given. So is the
    /// body of a function that returns a setting's default (`fn default_listen()`,
    /// `Default::default`).
    pub fn in_fallback(&self) -> bool {
        self.fallback_depth > 0
    }

    /// Notes a finding about to be reported at `start` that a one-shot command's calls may
    /// excuse; the walk names the function around it (`crate::command_output`).
    pub(crate) fn note_command_site(&mut self, start: proc_macro2::LineColumn) {
        self.facts
            .command_sites
            .push((position(start).line, String::new()));
    }

    /// Notes a blocking call about to be reported at `start`, in the body of its function
    /// itself: a function that startup code calls runs it once (`crate::command_output`).
    pub(crate) fn note_startup_site(&mut self, start: proc_macro2::LineColumn) {
        self.facts
            .startup_sites
            .push((position(start).line, String::new()));
    }

    /// In a migration module (`migrations.rs`, `migration/m20250109_092400_ksuids.rs`):
    /// code that runs once per deployment, like startup code.
    pub fn in_migration(&self) -> bool {
        self.file_is_migration
    }

    /// Directly in the body of `main` or another startup function, not in a closure, async
    /// block or loop inside it: code that runs once, before anything is served.
    pub fn directly_in_main(&self) -> bool {
        self.main_at.last().copied().flatten() == Some((self.async_stack.len(), self.loop_depth))
    }

    /// In the body of the enclosing function itself: not in a loop, closure or async block
    /// of it, which may run many times or for long.
    pub fn directly_in_fn(&self) -> bool {
        self.fn_at.last() == Some(&(self.async_stack.len(), self.loop_depth))
    }

    /// In the body of `main` or another startup function, loops included, but not in a
    /// closure or async block: a `return` here leaves the startup function.
    pub fn in_main_body(&self) -> bool {
        self.main_at
            .last()
            .copied()
            .flatten()
            .is_some_and(|(depth, _)| depth == self.async_stack.len())
    }

    /// What a plain search of the text says the file may hold, computed once.
    pub(crate) fn hints(&mut self) -> TextHints {
        let text = self.text;
        *self.text_hints.get_or_insert_with(|| TextHints {
            samples: ["]{", "]+", "]*", "\\d", "\\w", "\\s", "image"]
                .iter()
                .any(|m| text.contains(m)),
            env_reads: text.contains("var(") || text.contains("var_os("),
            logger: ["log", "tracing", "subscriber", "telemetry", "otel"]
                .iter()
                .any(|m| text.contains(m)),
        })
    }

    /// Inside a function that sets up logging or telemetry: it runs before there is a log,
    /// and the environment it reads (`RUST_LOG`, the OTLP endpoint) configures the logger.
    pub fn in_logging_setup(&self) -> bool {
        self.logging_setup_depth > 0 || is_logging_module(self.path)
    }

    /// In the set-up of a background task: a statement of an async function's body before
    /// the endless `loop` the task then runs (`create_dir_all(..)?; loop { tick().await; .. }`).
    pub fn in_task_preamble(&self) -> bool {
        self.task_preamble_depth > 0
    }

    /// In a statement that runs before the same block installs the logger
    /// (`init_tracing(..)` further down): there is no log to write to yet.
    pub fn before_logger(&self) -> bool {
        self.before_logger_depth > 0
    }

    /// In a statement after the one of its block that installs the logger
    /// (`init_tracing(..)` further up): the log is there to write to.
    pub fn after_logger(&self) -> bool {
        self.after_logger_depth > 0
    }

    /// In a block that ends the process (`std::process::exit(1)` last): what it prints is
    /// the reason the process stops, for whoever started it.
    pub fn in_exit_message(&self) -> bool {
        self.exit_message_depth > 0
    }

    /// Inside an item that allows clippy's `print_stdout` or `print_stderr`
    /// (`#[expect(clippy::print_stdout)]`, `#![allow(clippy::print_stderr)]`): its author
    /// chose to print there.
    pub fn prints_allowed(&self) -> bool {
        self.prints_allowed_depth > 0
    }

    /// In the fallback a builder uses when its caller did not give the value
    /// (`self.api_key.or_else(|| ..)`).
    pub fn in_caller_fallback(&self) -> bool {
        self.caller_fallback_depth > 0
    }

    /// In the branch of `if` that runs only in development (`if config.dev_mode { .. }`).
    pub fn in_dev_only(&self) -> bool {
        self.dev_only_depth > 0
    }

    /// Inside a group of literals that holds sample data: a row of a pattern table (a
    /// regular expression beside its test values) or a local container's specification.
    pub fn in_sample_data(&self) -> bool {
        self.sample_depth > 0
    }

    /// Inside code whose output is a command line's interface (see `walk/commands.rs`):
    /// usage and help, command-argument functions and types, one-shot subcommand arms, and
    /// functions that set up logging.
    pub fn in_usage_fn(&self) -> bool {
        self.usage_depth > 0
    }

    /// Directly inside an `async fn`, `async` block or async closure: not inside a plain
    /// closure (which may run on another thread), so `.await` could be written here.
    /// Inside an async block or closure of the function around (a task it spawns, most
    /// often), rather than in the function's own body.
    pub fn in_task(&self) -> bool {
        self.fn_at
            .last()
            .is_none_or(|(depth, _)| self.async_stack.len() > *depth)
    }

    /// Inside an async block or closure of the function around (a task), not a plain
    /// closure of it (a `ctrlc` handler, an iterator's `map`).
    pub fn in_async_task(&self) -> bool {
        let depth = self.fn_at.last().map_or(0, |(depth, _)| *depth);
        self.async_stack
            .iter()
            .skip(depth)
            .any(|is_async| *is_async)
    }

    pub fn in_async(&self) -> bool {
        self.async_stack.last().copied().unwrap_or(false)
    }

    /// The full path `path` stands for in this file (see `UseMap::resolve`).
    pub fn resolve(&self, path: &syn::Path) -> String {
        self.uses.resolve(path, false)
    }

    pub fn resolve_macro(&self, path: &syn::Path) -> String {
        self.uses.resolve(path, true)
    }

    /// Selects `rule` for the hooks about to run; false when it is off here.
    #[inline]
    pub(crate) fn enter(&mut self, rule: &'static RuleMeta) -> bool {
        self.current = rule;
        self.levels[rule.id] != Level::Allow
            && rule.scope.applies(self.in_test(), self.in_config_module())
    }

    /// Reports a finding of the running rule covering `span`.
    pub fn report(&mut self, span: proc_macro2::Span, message: impl Into<String>) -> Reported<'_> {
        self.report_between(span, span, message)
    }

    /// Reports a finding from the start of `first` to the end of `last`.
    pub fn report_between(
        &mut self,
        first: proc_macro2::Span,
        last: proc_macro2::Span,
        message: impl Into<String>,
    ) -> Reported<'_> {
        let level = self.levels[self.current.id];
        if level == Level::Allow {
            return Reported(None);
        }
        let start = position(first.start());
        let end = position(last.end());
        let d = Diagnostic::new(
            self.current,
            level,
            self.path,
            start,
            end,
            message.into(),
            self.text,
        );
        self.diagnostics.push(d);
        Reported(self.diagnostics.last_mut())
    }
}

/// Context of the crate rules for one crate.
pub struct CrateCx<'a> {
    pub krate: &'a Crate,
    pub diagnostics: Vec<Diagnostic>,
    cli: &'a [LevelSetting],
    /// The rule whose `check_crate` is running (see `FileCx::current`).
    current: &'static RuleMeta,
    router: std::cell::OnceCell<RouterIndex>,
}

impl<'a> CrateCx<'a> {
    pub(crate) fn new(krate: &'a Crate, cli: &'a [LevelSetting]) -> Self {
        CrateCx {
            krate,
            diagnostics: Vec::new(),
            cli,
            current: RuleId::ALL[0].meta(),
            router: std::cell::OnceCell::new(),
        }
    }

    /// The crate's router index, built on first use from the facts of its files.
    pub(crate) fn router(&self) -> &RouterIndex {
        self.router.get_or_init(|| RouterIndex::build(self.krate))
    }

    /// What the router index found and could not follow, for `--verbose`.
    pub(crate) fn router_summary(&self) -> crate::router::RouterSummary {
        crate::router::RouterSummary::of(self.krate, self.router())
    }

    /// Reports at a range of one of the crate's `.rs` files (by index in `krate.files`).
    pub(crate) fn report_in_file(
        &mut self,
        file: usize,
        range: crate::model::Range,
        message: impl Into<String>,
    ) -> Reported<'_> {
        let facts = &self.krate.files[file];
        let path = facts.path.clone();
        let source = facts.lines.snippet(range.start.line, range.end.line);
        let mut reported = self.report_at(&path, None, range.start, range.end, message);
        if let Some(d) = reported.0.as_deref_mut() {
            d.source = source;
        }
        reported
    }

    pub fn house(&self) -> &House {
        &self.krate.config.house
    }

    fn level_at(&self, rule: RuleId, path: &Path) -> Level {
        level_for(&self.krate.config, self.cli, path, rule)
    }

    pub(crate) fn enter(&mut self, rule: &'static RuleMeta) -> bool {
        self.current = rule;
        let scope_ok = rule.scope != crate::rule::Scope::Service || self.krate.is_service;
        scope_ok
            && rule.roles.contains(self.krate.role.role)
            && self.level_at(rule.id, &self.krate.manifest.file.path) != Level::Allow
    }

    /// Reports a finding in any file of the crate; `text` is that file's text, where the
    /// finding's source lines come from (none without it).
    pub fn report_at(
        &mut self,
        path: &Path,
        text: Option<&str>,
        start: Position,
        end: Position,
        message: impl Into<String>,
    ) -> Reported<'_> {
        let level = self.level_at(self.current.id, path);
        if level == Level::Allow {
            return Reported(None);
        }
        let d = Diagnostic::new(
            self.current,
            level,
            path,
            start,
            end,
            message.into(),
            text.unwrap_or(""),
        );
        self.diagnostics.push(d);
        Reported(self.diagnostics.last_mut())
    }

    /// Reports at a dependency's key in `Cargo.toml`.
    pub fn report_dependency(
        &mut self,
        dep: &Dependency,
        message: impl Into<String>,
    ) -> Reported<'_> {
        let file = &self.krate.manifest.file;
        self.report_at(&file.path, Some(&file.text), dep.start, dep.end, message)
    }

    /// Reports something missing from the crate, at its `[package]` line.
    pub fn report_package(&mut self, message: impl Into<String>) -> Reported<'_> {
        let file = &self.krate.manifest.file;
        let line = self.krate.manifest.package_line;
        let width = file
            .text
            .lines()
            .nth(line as usize - 1)
            .map_or(1, |l| l.trim_end().chars().count() as u32);
        self.report_at(
            &file.path,
            Some(&file.text),
            Position::new(line, 1),
            Position::new(line, width + 1),
            message,
        )
    }
}

/// The level of `rule` for a file: defaults, then `paved.toml`, then command-line settings.
pub fn level_for(config: &Config, cli: &[LevelSetting], path: &Path, rule: RuleId) -> Level {
    levels_for(config, cli, path)[rule]
}

pub fn levels_for(config: &Config, cli: &[LevelSetting], path: &Path) -> Vec<Level> {
    let mut levels = config.levels_for(Some(path));
    crate::config::apply(&mut levels, cli);
    levels
}
