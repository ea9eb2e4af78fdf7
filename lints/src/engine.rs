//! The lint run: discovery, phase 1 over files in parallel, phase 2 over crates, then
//! suppressions, meta findings and a deterministic order.

use crate::LintError;
use crate::analyze::{self, FileAnalysis, FileRole};
use crate::config::{self, Config, LevelSetting, Selector};
use crate::context::{CrateCx, levels_for};
use crate::diagnostic::{Diagnostic, Level, Position};
use crate::discover::{self, Discovered};
use crate::line_index::snippet;
use crate::manifest::{self, ParsedManifest};
use crate::model::{Crate, Dependency, FileFacts, Manifest, RouterOp, TextFile};
use crate::registry::{self, RULES};
use crate::suppress::{self, Suppression};
use crate::test_modules;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What to lint and how.
#[derive(Debug, Clone, Default)]
pub struct LintOptions {
    /// Files or folders; empty means the current folder.
    pub paths: Vec<PathBuf>,
    /// Level settings from the command line, applied after `paved.toml`.
    pub cli_levels: Vec<LevelSetting>,
    /// Lint only these files (paths as walked, e.g. from `git diff`); crate rules run only
    /// for crates that contain one of them. `None` lints everything found.
    pub only_files: Option<Vec<PathBuf>>,
    /// Source text to lint as if it were the file at this path (editors pipe unsaved
    /// buffers); the path need not exist. Only that file is linted.
    pub stdin: Option<(PathBuf, String)>,
}

/// The result of a run. `diagnostics` includes suppressed findings (see `Diagnostic::suppressed`).
#[derive(Debug, Default)]
pub struct Report {
    pub diagnostics: Vec<Diagnostic>,
    pub files: usize,
    pub crates: usize,
}

impl Report {
    /// Findings that no suppression silenced.
    pub fn active(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| d.suppressed.is_none())
    }

    pub fn count(&self, level: Level) -> usize {
        self.active().filter(|d| d.level == level).count()
    }
}

/// Builds a finding of a rule by name at an explicit position, honouring its level.
#[allow(clippy::too_many_arguments)]
pub(crate) fn meta_diagnostic(
    rule: &str,
    levels: &[Level],
    path: &Path,
    start: Position,
    end: Position,
    message: String,
    help: Option<String>,
    text: &str,
) -> Option<Diagnostic> {
    let index = registry::index_of(rule)?;
    let level = levels[index];
    (level != Level::Allow).then(|| Diagnostic {
        rule: RULES[index].name,
        group: RULES[index].group.as_str(),
        level,
        path: path.to_path_buf(),
        start,
        end,
        message,
        help,
        fix: None,
        source: snippet(text, start.line, end.line),
        suppressed: None,
    })
}

/// A `parse-error` for a file or folder that could not be read at all.
fn unreadable(levels: &[Level], path: &Path, message: String) -> Option<Diagnostic> {
    meta_diagnostic(
        "parse-error",
        levels,
        path,
        Position::new(1, 1),
        Position::new(1, 1),
        message,
        None,
        "",
    )
}

/// Configuration files are looked up once per folder.
#[derive(Default)]
struct ConfigCache {
    by_file: HashMap<PathBuf, Arc<Config>>,
    default: Arc<Config>,
}

impl ConfigCache {
    fn for_dir(&mut self, dir: &Path) -> Result<Arc<Config>, LintError> {
        let Some(file) = discover::find_upward(dir, config::FILE_NAME) else {
            return Ok(self.default.clone());
        };
        if let Some(c) = self.by_file.get(&file) {
            return Ok(c.clone());
        }
        let text = std::fs::read_to_string(&file)
            .map_err(|e| LintError::Io(file.clone(), e.to_string()))?;
        let display = display_path(&file);
        let config = Config::parse(&file, &text).map_err(|mut e| {
            e.path = display;
            LintError::Config(e)
        })?;
        let config = Arc::new(config);
        self.by_file.insert(file, config.clone());
        Ok(config)
    }
}

/// A path as shown to the user: relative to the current folder when below it.
pub fn display_path(path: &Path) -> PathBuf {
    if path.is_absolute()
        && let Ok(cwd) = std::env::current_dir()
        && let Ok(rel) = path.strip_prefix(&cwd)
    {
        return rel.to_path_buf();
    }
    path.to_path_buf()
}

struct CrateDraft {
    root: PathBuf,
    parsed: ParsedManifest,
    file: TextFile,
    config: Arc<Config>,
    /// Found by the walk (crate rules run) rather than above a linted path.
    walked: bool,
}

/// Stack of each analysis thread (syn recurses once per nesting level).
const ANALYSIS_STACK_BYTES: usize = 64 << 20;

pub fn lint(options: &LintOptions) -> Result<Report, LintError> {
    let stdin = options
        .stdin
        .as_ref()
        .map(|(p, text)| (discover::clean(p), text.as_str()));
    let (paths, mut found) = match &stdin {
        Some((path, _)) => (
            vec![path.clone()],
            Discovered {
                rs_files: vec![path.clone()],
                ..Discovered::default()
            },
        ),
        None => {
            let paths: Vec<PathBuf> = if options.paths.is_empty() {
                vec![PathBuf::from(".")]
            } else {
                options.paths.iter().map(|p| discover::clean(p)).collect()
            };
            let found = discover::walk(&paths)?;
            (paths, found)
        }
    };
    let only: Option<HashSet<PathBuf>> = options
        .only_files
        .as_ref()
        .map(|files| files.iter().map(|p| discover::clean(p)).collect());
    let mut configs = ConfigCache::default();
    let mut diagnostics = Vec::new();
    for (path, why) in &found.unreadable {
        let config = configs.for_dir(&parent_dir(path))?;
        let levels = levels_for(&config, &options.cli_levels, path);
        diagnostics.extend(unreadable(
            &levels,
            path,
            format!("cannot read this path, so nothing in it was linted: {why}"),
        ));
    }

    // Crates found by the walk, then any crate that encloses a linted path.
    let mut drafts: Vec<CrateDraft> = Vec::new();
    let mut workspace_deps: HashMap<PathBuf, HashMap<String, String>> = HashMap::new();
    let mut toml_suppressions: Vec<(PathBuf, Vec<Suppression>)> = Vec::new();
    for path in &found.manifests {
        let dir = parent_dir(path);
        let config = configs.for_dir(&dir)?;
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) => {
                // One unreadable manifest must not stop a monorepo run: report it, go on.
                let levels = levels_for(&config, &options.cli_levels, path);
                diagnostics.extend(unreadable(
                    &levels,
                    path,
                    format!("cannot read Cargo.toml: {e}"),
                ));
                continue;
            }
        };
        match manifest::parse(&text) {
            Ok(parsed) => {
                if let Some(ws) = &parsed.workspace_deps {
                    workspace_deps
                        .insert(std::path::absolute(&dir).unwrap_or(dir.clone()), ws.clone());
                }
                toml_suppressions
                    .push((path.clone(), suppress::parse(&text, suppress::Syntax::Toml)));
                if parsed.package.is_some() {
                    drafts.push(CrateDraft {
                        root: dir,
                        parsed,
                        file: TextFile {
                            path: path.clone(),
                            text,
                        },
                        config,
                        walked: true,
                    });
                }
            }
            Err(e) => {
                let levels = levels_for(&config, &options.cli_levels, path);
                diagnostics.extend(meta_diagnostic(
                    "parse-error",
                    &levels,
                    path,
                    e.start,
                    e.end,
                    format!("cannot parse Cargo.toml: {}", e.message),
                    None,
                    &text,
                ));
            }
        }
    }
    if let Some(only) = &only {
        for d in &mut drafts {
            d.walked = only.iter().any(|p| path_is_under(p, &d.root));
        }
    }
    for root in &paths {
        let start = if root.is_dir() {
            root.clone()
        } else {
            parent_dir(root)
        };
        if found.manifests.iter().any(|m| parent_dir(m) == start) {
            continue;
        }
        if let Some(draft) = enclosing_crate(&start, &mut configs)?
            && !drafts.iter().any(|d| same_dir(&d.root, &draft.root))
        {
            drafts.push(draft);
        }
    }

    // Assign every file to its nearest crate: look its folders up, deepest first (a
    // monorepo has hundreds of crates and tens of thousands of files).
    let roots: HashMap<PathBuf, usize> = drafts
        .iter()
        .enumerate()
        .map(|(i, d)| (root_key(&d.root), i))
        .collect();
    let crate_of = |path: &Path| -> Option<usize> {
        path.ancestors()
            .skip(1)
            .find_map(|dir| roots.get(dir).copied())
            .filter(|&i| path_is_under(path, &drafts[i].root))
    };
    // Levels depend on the file only through `[[overrides]]`; without them, once per config.
    let mut shared_levels: HashMap<*const Config, Arc<[Level]>> = HashMap::new();
    let mut loose_configs: HashMap<PathBuf, Arc<Config>> = HashMap::new();
    let mut jobs = Vec::with_capacity(found.rs_files.len());
    // With `only_files`, the other files of an affected crate are still analysed: crate
    // rules need the facts of the whole crate (its routes, its tests), else they would
    // report a route or a test as missing. Their file findings are dropped at the end.
    if let Some(only) = &only {
        found
            .rs_files
            .retain(|p| only.contains(p) || crate_of(p).is_some_and(|i| drafts[i].walked));
    }
    for path in &found.rs_files {
        let owner = crate_of(path);
        let config = match owner {
            Some(i) => drafts[i].config.clone(),
            None => {
                let dir = parent_dir(path);
                match loose_configs.get(&dir) {
                    Some(c) => c.clone(),
                    None => {
                        let c = configs.for_dir(&dir)?;
                        loose_configs.insert(dir, c.clone());
                        c
                    }
                }
            }
        };
        let rel = owner
            .map(|i| relative_to(path, &drafts[i].root))
            .unwrap_or_else(|| path.clone());
        let build_script = owner.and_then(|i| drafts[i].parsed.build_script.as_deref());
        let is_test = is_test_path(&rel)
            || build_script.is_some_and(|b| discover::clean(Path::new(b)) == rel);
        let is_config = is_config_path(&rel, &config.house.config_modules);
        let levels: Arc<[Level]> = if config.overrides.is_empty() {
            shared_levels
                .entry(Arc::as_ptr(&config))
                .or_insert_with(|| levels_for(&config, &options.cli_levels, path).into())
                .clone()
        } else {
            levels_for(&config, &options.cli_levels, path).into()
        };
        jobs.push((path, owner, config, levels, is_test, is_config));
    }

    // Phase 1: one job per file (files differ wildly in size).
    // Deeply nested expressions make syn and the walk recurse deeply; a large stack turns
    // what would abort the whole run into an ordinary file.
    let pool = rayon::ThreadPoolBuilder::new()
        .stack_size(ANALYSIS_STACK_BYTES)
        .build()
        .map_err(|e| LintError::Io(PathBuf::from("<threads>"), e.to_string()))?;
    let analyses: Vec<(Option<usize>, FileAnalysis, Arc<[Level]>)> = pool.install(|| {
        jobs.par_iter()
            .with_max_len(1)
            .map(|(path, owner, config, levels, is_test, is_config)| {
                let role = FileRole {
                    house: &config.house,
                    levels,
                    is_test: *is_test,
                    is_config: *is_config,
                };
                let analysis = match &stdin {
                    Some((stdin_path, text)) if stdin_path == *path => {
                        analyze::analyze_text(path, text, &role)
                    }
                    _ => analyze::analyze(path, &role),
                };
                (*owner, analysis, levels.clone())
            })
            .collect()
    });

    // Phase 2: crate rules over the facts.
    let mut facts_by_crate: Vec<Vec<FileFacts>> = drafts.iter().map(|_| Vec::new()).collect();
    let mut file_suppressions: Vec<(PathBuf, Vec<Suppression>, Arc<[Level]>)> = Vec::new();
    let test_modules = test_modules::test_module_files(analyses.iter().map(|(_, a, _)| {
        (
            a.facts.path.as_path(),
            a.facts.is_test,
            a.mod_decls.as_slice(),
        )
    }));
    for (owner, mut analysis, levels) in analyses {
        if test_modules.contains(&analysis.facts.path) {
            analysis.facts.is_test = true;
            analysis
                .diagnostics
                .retain(|d| registry::get(d.rule).is_some_and(|r| r.scope.applies(true, false)));
        }
        let rel = owner.map(|i| relative_to(&analysis.facts.path, &drafts[i].root));
        if rel.is_some_and(|rel| is_config_by_behaviour(&rel, &analysis.facts)) {
            analysis
                .diagnostics
                .retain(|d| registry::get(d.rule).is_some_and(|r| r.scope.applies(false, true)));
        }
        diagnostics.extend(analysis.diagnostics);
        if !analysis.suppressions.is_empty() {
            file_suppressions.push((analysis.facts.path.clone(), analysis.suppressions, levels));
        }
        if let Some(i) = owner {
            facts_by_crate[i].push(analysis.facts);
        }
    }
    let files = match &only {
        Some(only) => found.rs_files.iter().filter(|p| only.contains(*p)).count(),
        None => found.rs_files.len(),
    };
    let (crates, env_errors): (Vec<Crate>, Vec<Vec<(PathBuf, String)>>) = drafts
        .into_iter()
        .zip(facts_by_crate)
        .filter(|(d, _)| d.walked)
        .map(|(d, facts)| build_crate(d, facts, &found, &workspace_deps))
        .unzip();
    for (krate, errors) in crates.iter().zip(env_errors) {
        for (path, why) in errors {
            let levels = levels_for(&krate.config, &options.cli_levels, &path);
            diagnostics.extend(unreadable(
                &levels,
                &path,
                format!("cannot read this environment file: {why}"),
            ));
        }
        for env in &krate.env_files {
            toml_suppressions.push((
                env.path.clone(),
                suppress::parse(&env.text, suppress::Syntax::Toml),
            ));
            if let Err(e) = manifest::parse_toml(&env.text) {
                let levels = levels_for(&krate.config, &options.cli_levels, &env.path);
                diagnostics.extend(meta_diagnostic(
                    "parse-error",
                    &levels,
                    &env.path,
                    e.start,
                    e.end,
                    format!("cannot parse this environment file: {}", e.message),
                    None,
                    &env.text,
                ));
            }
        }
    }
    let crate_findings: Vec<Diagnostic> = crates
        .par_iter()
        .flat_map_iter(|krate| {
            let mut cx = CrateCx::new(krate, &options.cli_levels);
            registry::check_crate(&mut cx);
            cx.diagnostics
        })
        .collect();
    diagnostics.extend(crate_findings);

    // Suppressions, then what is wrong with them.
    let mut by_path: BTreeMap<PathBuf, Vec<Diagnostic>> = BTreeMap::new();
    for d in diagnostics {
        by_path.entry(d.path.clone()).or_default().push(d);
    }
    let crate_config = |path: &Path| {
        crates
            .iter()
            .filter(|c| path_is_under(path, &c.root))
            .max_by_key(|c| c.root.components().count())
            .map(|c| c.config.clone())
    };
    let toml_levels: Vec<(PathBuf, Vec<Suppression>, Arc<[Level]>)> = toml_suppressions
        .into_iter()
        .filter(|(_, s)| !s.is_empty())
        .map(|(path, s)| {
            let config = crate_config(&path).unwrap_or_default();
            let levels = levels_for(&config, &options.cli_levels, &path).into();
            (path, s, levels)
        })
        .collect();
    let mut meta = Vec::new();
    for (path, mut sups, levels) in file_suppressions.into_iter().chain(toml_levels) {
        if sups.is_empty() {
            continue;
        }
        let found_here = by_path.entry(path.clone()).or_default();
        suppress::apply(&mut sups, found_here);
        let enabled =
            |sel: Selector| (0..RULES.len()).any(|i| sel.matches(i) && levels[i] != Level::Allow);
        for f in suppress::meta_findings(&sups, enabled) {
            meta.extend(meta_diagnostic(
                f.rule, &levels, &path, f.start, f.end, f.message, f.help, "",
            ));
        }
    }
    let mut diagnostics: Vec<Diagnostic> = by_path.into_values().flatten().chain(meta).collect();
    if let Some(only) = &only {
        diagnostics.retain(|d| only.contains(&d.path) || is_crate_rule(d.rule));
    }

    fill_sources(&mut diagnostics);
    for d in &mut diagnostics {
        d.path = display_path(&d.path);
    }
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    Ok(Report {
        diagnostics,
        files,
        crates: crates.len(),
    })
}

/// Source lines for findings reported without them (crate rules pointing into `.rs`
/// files, meta findings): each such file is read once more, only for display.
fn fill_sources(diagnostics: &mut [Diagnostic]) {
    let mut texts: HashMap<PathBuf, Option<String>> = HashMap::new();
    for d in diagnostics.iter_mut().filter(|d| d.source.is_empty()) {
        let text = texts
            .entry(d.path.clone())
            .or_insert_with(|| std::fs::read_to_string(&d.path).ok());
        if let Some(text) = text {
            d.source = snippet(text, d.start.line, d.end.line);
        }
    }
}

fn build_crate(
    d: CrateDraft,
    files: Vec<FileFacts>,
    found: &Discovered,
    workspaces: &HashMap<PathBuf, HashMap<String, String>>,
) -> (Crate, Vec<(PathBuf, String)>) {
    let (name, package_line) = d.parsed.package.clone().unwrap_or_default();
    let inherited_from = d
        .parsed
        .deps
        .iter()
        .any(|dep| dep.inherited)
        .then(|| workspace_of(&d.root, workspaces))
        .flatten();
    let deps = d
        .parsed
        .deps
        .iter()
        .map(|raw| {
            let package = match (&raw.package, raw.inherited, &inherited_from) {
                (Some(p), _, _) => p.clone(),
                (None, true, Some(ws)) => {
                    ws.get(&raw.key).cloned().unwrap_or_else(|| raw.key.clone())
                }
                _ => raw.key.clone(),
            };
            Dependency {
                key: raw.key.clone(),
                package,
                kind: raw.kind,
                target: raw.target.clone(),
                start: raw.start,
                end: raw.end,
            }
        })
        .collect::<Vec<_>>();
    let direct_child = |p: &PathBuf, folder: &str| {
        p.parent()
            .is_some_and(|parent| same_dir(parent, &d.root.join(folder)))
    };
    let env_files = found
        .env_files
        .iter()
        .filter(|p| direct_child(p, "config"))
        .map(|p| {
            // An unreadable or non-UTF-8 file keeps its place with no text; the engine
            // reports it as a parse-error.
            let text = std::fs::read_to_string(p);
            let unreadable = text.as_ref().err().map(|e| e.to_string());
            (
                TextFile {
                    path: p.clone(),
                    text: text.unwrap_or_default(),
                },
                unreadable,
            )
        })
        .collect::<Vec<_>>();
    let (env_files, env_errors): (Vec<TextFile>, Vec<(PathBuf, String)>) =
        env_files.into_iter().fold(
            (Vec::new(), Vec::new()),
            |(mut ok, mut bad), (file, err)| {
                match err {
                    Some(e) => bad.push((file.path, e)),
                    None => ok.push(file),
                }
                (ok, bad)
            },
        );
    let deploy_files = found
        .deploy_files
        .iter()
        .filter(|p| direct_child(p, "deploy"))
        .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect();
    let rel_paths: Vec<PathBuf> = files
        .iter()
        .map(|f| relative_to(&f.path, &d.root))
        .collect();
    let has_bin = d.parsed.declares_bin
        || rel_paths
            .iter()
            .any(|r| r == Path::new("src/main.rs") || r.starts_with("src/bin"));
    let has_tests_dir = rel_paths.iter().any(|r| r.starts_with("tests"));
    let manifest = Manifest {
        file: d.file,
        package_name: name,
        package_line,
        deps,
        declares_bin: d.parsed.declares_bin,
    };
    let framework = d.config.house.web_framework.clone();
    let is_service = has_bin
        && manifest
            .deps
            .iter()
            .any(|dep| dep.is_runtime() && dep.package == framework);
    let krate = Crate {
        root: d.root,
        manifest,
        has_bin,
        is_service,
        config: d.config,
        files,
        env_files,
        deploy_files,
        has_tests_dir,
    };
    (krate, env_errors)
}

/// `[workspace.dependencies]` of the nearest workspace above a crate.
fn workspace_of<'a>(
    root: &Path,
    known: &'a HashMap<PathBuf, HashMap<String, String>>,
) -> Option<&'a HashMap<String, String>> {
    let abs = std::path::absolute(root).ok()?;
    abs.ancestors().find_map(|dir| known.get(dir))
}

fn enclosing_crate(
    start: &Path,
    configs: &mut ConfigCache,
) -> Result<Option<CrateDraft>, LintError> {
    let Ok(abs) = std::path::absolute(start) else {
        return Ok(None);
    };
    for dir in abs.ancestors().skip(1) {
        let path = dir.join("Cargo.toml");
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let Ok(parsed) = manifest::parse(&text) else {
            return Ok(None);
        };
        if parsed.package.is_none() {
            return Ok(None);
        }
        let root = relative_if_below_cwd(dir);
        let config = configs.for_dir(dir)?;
        let file = TextFile {
            path: root.join("Cargo.toml"),
            text,
        };
        return Ok(Some(CrateDraft {
            root,
            parsed,
            file,
            config,
            walked: false,
        }));
    }
    Ok(None)
}

fn relative_if_below_cwd(dir: &Path) -> PathBuf {
    let rel = display_path(dir);
    if rel.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        rel
    }
}

/// A crate root as the ancestors of its files spell it (`.` is the empty path).
fn root_key(root: &Path) -> PathBuf {
    if root == Path::new(".") {
        PathBuf::new()
    } else {
        root.to_path_buf()
    }
}

fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn same_dir(a: &Path, b: &Path) -> bool {
    discover::clean(a) == discover::clean(b)
}

fn path_is_under(path: &Path, root: &Path) -> bool {
    root == Path::new(".") && !path.is_absolute() || path.starts_with(root)
}

fn relative_to(path: &Path, root: &Path) -> PathBuf {
    if root == Path::new(".") {
        return path.to_path_buf();
    }
    path.strip_prefix(root)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf())
}

/// Test code by location: `tests/`, `benches/`, `examples/` and `build.rs` (docs/idioms.md "Scope").
pub fn is_test_path(rel: &Path) -> bool {
    rel == Path::new("build.rs")
        || rel.components().next().is_some_and(|c| {
            matches!(
                c.as_os_str().to_str(),
                Some("tests" | "benches" | "examples")
            )
        })
}

/// The config module by location: `src/config.rs`, `src/config/**`, `src/app/settings.rs`, ...
pub fn is_config_path(rel: &Path, modules: &[String]) -> bool {
    let mut components = rel.components().map(|c| c.as_os_str().to_string_lossy());
    if components.next().as_deref() != Some("src") {
        return false;
    }
    components.any(|c| {
        modules
            .iter()
            .any(|m| c == m.as_str() || c.strip_suffix(".rs") == Some(m.as_str()))
    })
}

/// A config module by what it does rather than by name (`src/cfg.rs` building the
/// settings with `figment`, `config`, `envy`, or `serde` plus `std::env::var`). Crate roots
/// (`src/main.rs`, `src/lib.rs`, `src/bin/*`) and files that build or serve a router are the
/// program itself even when they load settings, so they never are.
fn is_config_by_behaviour(rel: &Path, facts: &FileFacts) -> bool {
    let crate_root = rel == Path::new("src/main.rs")
        || rel == Path::new("src/lib.rs")
        || rel.starts_with("src/bin");
    facts.settings.builds_settings()
        && !crate_root
        && rel.starts_with("src")
        && facts.router.serves.is_empty()
        && !facts.router.chains.iter().any(|c| {
            // `Figment::new().merge(..)` is a chain too; only routes make it a router.
            c.ops
                .iter()
                .any(|op| matches!(op, RouterOp::Route { .. } | RouterOp::Fallback))
        })
}

/// Rules that judge a crate as a whole (its manifest, layout, router), not one file.
fn is_crate_rule(rule: &str) -> bool {
    use crate::rule::Scope;
    registry::get(rule)
        .is_some_and(|r| matches!(r.scope, Scope::Crate | Scope::Service | Scope::Handlers))
}
