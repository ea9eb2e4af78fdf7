//! The lint run: discovery, phase 1 over files in parallel, phase 2 over crates, then
//! suppressions, meta findings and a deterministic order.

use crate::LintError;
use crate::analyze::{self, FileAnalysis, FileRole};
use crate::binary_roles::binary_roles;
use crate::cache::{self, Bucket, Cache, Lookup};
use crate::command_output::CommandCalls;
use crate::config::{self, Config, LevelSetting, Selector};
use crate::context::{CrateCx, levels_for};
use crate::crate_role::{self, RoleDecision, RoleFacts};
use crate::diagnostic::{Diagnostic, Level, Position};
use crate::discover::{self, Discovered};
use crate::hot_path::HotFns;
use crate::manifest::{self, ParsedManifest};
use crate::model::{Crate, Dependency, FileFacts, Manifest, RouterOp, TextFile};
use crate::paths;
use crate::registry::{self, RuleId};
use crate::role::Role;
use crate::rules::config::env_read_outside_config;
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
    /// Fill `Report::routers` with what the router index found in each crate.
    pub explain_routers: bool,
    /// The cache folder (docs/architecture.md "Cache"); `None` runs without a cache. Never
    /// used for stdin.
    pub cache: Option<PathBuf>,
}

/// The result of a run. `diagnostics` includes suppressed findings (see `Diagnostic::suppressed`).
#[derive(Debug, Default)]
pub struct Report {
    pub diagnostics: Vec<Diagnostic>,
    pub files: usize,
    pub crates: usize,
    /// Every crate of the run with its role, for `--show-roles`.
    pub roles: Vec<CrateSummary>,
    /// Per crate, what the router index found (with `LintOptions::explain_routers`).
    pub routers: Vec<crate::router::RouterSummary>,
    /// Files whose phase-1 result came from the cache.
    pub cached_files: usize,
    /// Why the cache could not be written, if it could not (the findings are complete).
    pub cache_error: Option<String>,
}

/// A crate as `--show-roles` shows it.
#[derive(Debug, Clone)]
pub struct CrateSummary {
    pub root: PathBuf,
    pub name: String,
    pub role: RoleDecision,
    /// Binaries of the crate with a role of their own.
    pub binaries: Vec<(PathBuf, RoleDecision)>,
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

/// A `parse-error` for a file or folder that could not be read at all.
fn unreadable(levels: &[Level], path: &Path, message: String) -> Option<Diagnostic> {
    Diagnostic::at_level(
        RuleId::ParseError,
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
        let display = paths::display_path(&file);
        let config = Config::parse(&file, &text).map_err(|mut e| {
            e.path = display;
            LintError::Config(e)
        })?;
        let config = Arc::new(config);
        self.by_file.insert(file, config.clone());
        Ok(config)
    }
}

struct CrateDraft {
    root: PathBuf,
    parsed: ParsedManifest,
    file: TextFile,
    config: Arc<Config>,
    /// Found by the walk (crate rules run) rather than above a linted path.
    walked: bool,
    /// The crate's folder relative to the linted path that holds it, for the role guess.
    folder: PathBuf,
    /// A role stated in `[package.metadata.paved]` or `paved.toml [roles]`.
    stated: Option<RoleDecision>,
    /// The features its own runtime dependency entries enable (`FileCx::crate_enables`).
    features: Arc<[String]>,
}

impl CrateDraft {
    fn new(
        root: PathBuf,
        parsed: ParsedManifest,
        file: TextFile,
        config: Arc<Config>,
        walked: bool,
        lint_roots: &[PathBuf],
    ) -> Result<Self, LintError> {
        let stated = stated_role(&root, &parsed, &file, &config)?;
        let below = lint_roots.iter().find(|r| paths::path_is_under(&root, r));
        let features = manifest::enabled_features(&parsed).into();
        Ok(CrateDraft {
            features,
            folder: below.map_or_else(PathBuf::new, |r| paths::relative_to(&root, r)),
            walked,
            root,
            parsed,
            file,
            config,
            stated,
        })
    }

    /// A crate in another's `tests/` (a crate built to fail, a mock server) is test code
    /// file by file, unless a role is stated for it.
    fn is_test_data(&self) -> bool {
        self.stated.is_none() && crate_role::in_test_folder(&self.folder)
    }

    /// Vendored crates are known before their files are read, so they are never read.
    fn is_vendored(&self) -> bool {
        match &self.stated {
            Some(stated) => stated.role == Role::Vendored,
            None => crate_role::vendored_folder(&self.folder).is_some(),
        }
    }
}

/// A role stated for the crate: its own `[package.metadata.paved] role` first, then the
/// nearest `paved.toml`'s `[roles]`. An unknown role name stops the run like any other
/// configuration error.
fn stated_role(
    root: &Path,
    parsed: &ParsedManifest,
    file: &TextFile,
    config: &Config,
) -> Result<Option<RoleDecision>, LintError> {
    if let Some((name, at)) = &parsed.stated_role {
        let Some(role) = Role::parse(name) else {
            return Err(LintError::Config(config::ConfigError {
                path: paths::display_path(&file.path),
                line: at.line,
                column: at.column,
                message: format!("unknown role `{name}` in [package.metadata.paved]"),
                help: Some(match Role::closest(name) {
                    Some(r) => format!("did you mean `{r}`?"),
                    None => "a role is one of service, worker, cli, library, client, bench, example, test-support, build, vendored".into(),
                }),
            }));
        };
        return Ok(Some(RoleDecision {
            role,
            reason: "stated in [package.metadata.paved]".into(),
        }));
    }
    Ok(config.stated_role(root).map(|(stated, said)| RoleDecision {
        role: stated.role,
        reason: format!("stated by {said}"),
    }))
}

/// Stack of each analysis thread (syn recurses once per nesting level).
pub(crate) const ANALYSIS_STACK_BYTES: usize = 64 << 20;

pub fn lint(options: &LintOptions) -> Result<Report, LintError> {
    let stdin = options
        .stdin
        .as_ref()
        .map(|(p, text)| (paths::clean(p), text.as_str()));
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
                options.paths.iter().map(|p| paths::clean(p)).collect()
            };
            let found = discover::walk(&paths)?;
            (paths, found)
        }
    };
    let only: Option<HashSet<PathBuf>> = options
        .only_files
        .as_ref()
        .map(|files| files.iter().map(|p| paths::clean(p)).collect());
    let mut configs = ConfigCache::default();
    let mut diagnostics = Vec::new();
    for (path, why) in &found.unreadable {
        let config = configs.for_dir(&paths::parent_dir(path))?;
        let levels = levels_for(&config, &options.cli_levels, path);
        diagnostics.extend(unreadable(
            &levels,
            path,
            format!("cannot read this path, so nothing in it was linted: {why}"),
        ));
    }

    let Assembled {
        drafts,
        workspace_deps,
        mut toml_suppressions,
    } = assemble_crates(
        &found,
        &paths,
        only.as_ref(),
        &mut configs,
        &options.cli_levels,
        &mut diagnostics,
    )?;

    let (jobs, buckets) = classify_files(
        &mut found.rs_files,
        &drafts,
        only.as_ref(),
        &mut configs,
        &options.cli_levels,
    )?;

    let cache = match (&options.cache, &stdin) {
        (Some(dir), None) => Cache::open(dir, &options.cli_levels),
        _ => None,
    };
    let phase1 = analyze_files(&jobs, stdin.as_ref(), cache.as_ref(), buckets)?;
    let (analyses, cached_files, cache_error) = (phase1.analyses, phase1.hits, phase1.cache_error);

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
    let switched_off = test_modules::switched_off_files(
        analyses
            .iter()
            .map(|(_, a, _)| (a.facts.path.as_path(), a.mod_decls.as_slice())),
    );
    let mut file_findings: Vec<(Option<usize>, Vec<Diagnostic>)> = Vec::new();
    for (owner, mut analysis, levels) in analyses {
        if switched_off.contains(&analysis.facts.path) {
            // `// pub mod tokio_runtime;`: not compiled, so nothing in it runs.
            analysis.diagnostics.clear();
            analysis.suppressions.clear();
        }
        if test_modules.contains(&analysis.facts.path) {
            analysis.facts = analysis.facts.into_test_code();
            analysis
                .diagnostics
                .retain(|d| d.rule.meta().scope.applies(true, false));
        }
        let rel = owner.map(|i| paths::relative_to(&analysis.facts.path, &drafts[i].root));
        if rel.is_some_and(|rel| is_config_by_behaviour(&rel, &analysis.facts)) {
            analysis
                .diagnostics
                .retain(|d| d.rule.meta().scope.applies(false, true));
        }
        file_findings.push((owner, analysis.diagnostics));
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
    let dev_only = dev_dependency_only(&drafts);
    let walked: Vec<bool> = drafts.iter().map(|d| d.walked).collect();
    let mut all_crates: Vec<(Crate, Vec<(PathBuf, String)>)> = drafts
        .into_iter()
        .zip(facts_by_crate)
        .map(|(d, facts)| build_crate(d, facts, &found, &workspace_deps, &dev_only))
        .collect();
    inherit_roles(&mut all_crates);
    let commands = CommandCalls::collect(all_crates.iter().map(|(c, _)| c));
    let hot = HotFns::collect(&all_crates.iter().map(|(c, _)| c).collect::<Vec<_>>());
    let handoff = env_read_outside_config::handed_off(all_crates.iter().map(|(c, _)| c));
    let has_service = all_crates.iter().any(|(c, _)| c.role.role == Role::Service);
    for (owner, findings) in file_findings {
        diagnostics.extend(findings.into_iter().filter(|d| {
            owner.is_none_or(|i| {
                let krate = &all_crates[i].0;
                // Another program embeds the library: its prints are not a service's
                // log (the crate rules see `Crate::embedded`, filled later).
                let embedded_print = d.rule == RuleId::PrintLogging
                    && crate::run_facts::is_embedded(krate, has_service);
                let statsd_name = d.rule == RuleId::MetricNaming
                    && crate::rules::monitoring::metric_naming::exports_statsd_only(krate);
                let excused = commands.is_command_output(i, krate, d)
                    || env_read_outside_config::is_handed_off(krate, d, &handoff)
                    || embedded_print
                    || statsd_name
                    || !hot.keeps(i, krate, d);
                applies_at(krate, d) && !excused
            })
        }));
    }
    let (mut crates, env_errors): (Vec<Crate>, Vec<Vec<(PathBuf, String)>>) = all_crates
        .into_iter()
        .zip(walked)
        .filter(|(_, walked)| *walked)
        .map(|(built, _)| built)
        .unzip();
    crate::clients::fill_client_paths(&mut crates);
    crate::run_facts::fill(&mut crates);
    let workspaces: Vec<Option<PathBuf>> = crates
        .iter()
        .map(|c| workspace_dir(&c.root, &workspace_deps))
        .collect();
    crate::clients::add_workspace_test_paths(&mut crates, &workspaces);
    add_workspace_settings(&mut crates, &workspaces);
    check_env_files(
        &crates,
        env_errors,
        &options.cli_levels,
        &mut diagnostics,
        &mut toml_suppressions,
    );
    let (crate_findings, routers) = run_crate_rules(&crates, options);
    diagnostics.extend(crate_findings);

    let diagnostics = suppress_and_order(
        diagnostics,
        &crates,
        toml_suppressions,
        file_suppressions,
        &options.cli_levels,
        only.as_ref(),
    );
    let roles = crates
        .iter()
        .map(|c| CrateSummary {
            root: paths::display_path(&c.root),
            name: c.name().to_string(),
            role: c.role.clone(),
            binaries: c.binary_roles.clone(),
        })
        .collect();
    Ok(Report {
        diagnostics,
        files,
        crates: crates.len(),
        roles,
        routers,
        cached_files,
        cache_error,
    })
}

/// What the manifests of a run give.
struct Assembled {
    drafts: Vec<CrateDraft>,
    /// `[workspace.dependencies]` by workspace folder (absolute).
    workspace_deps: HashMap<PathBuf, HashMap<String, String>>,
    toml_suppressions: Vec<(PathBuf, Vec<Suppression>)>,
}

/// The crates stage: crates found by the walk, then any crate that encloses a linted
/// path; a manifest that cannot be read or parsed is a finding, and the run goes on.
fn assemble_crates(
    found: &Discovered,
    roots: &[PathBuf],
    only: Option<&HashSet<PathBuf>>,
    configs: &mut ConfigCache,
    cli: &[LevelSetting],
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Assembled, LintError> {
    let mut drafts: Vec<CrateDraft> = Vec::new();
    let mut workspace_deps: HashMap<PathBuf, HashMap<String, String>> = HashMap::new();
    let mut toml_suppressions: Vec<(PathBuf, Vec<Suppression>)> = Vec::new();
    for path in &found.manifests {
        let dir = paths::parent_dir(path);
        let config = configs.for_dir(&dir)?;
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) => {
                // One unreadable manifest must not stop a monorepo run: report it, go on.
                let levels = levels_for(&config, cli, path);
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
                    let file = TextFile {
                        path: path.clone(),
                        text,
                    };
                    drafts.push(CrateDraft::new(dir, parsed, file, config, true, roots)?);
                }
            }
            Err(e) => {
                let levels = levels_for(&config, cli, path);
                diagnostics.extend(Diagnostic::at_level(
                    RuleId::ParseError,
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
    if let Some(only) = only {
        for d in &mut drafts {
            d.walked = only.iter().any(|p| paths::path_is_under(p, &d.root));
        }
    }
    for root in roots {
        let start = if root.is_dir() {
            root.clone()
        } else {
            paths::parent_dir(root)
        };
        if found
            .manifests
            .iter()
            .any(|m| paths::parent_dir(m) == start)
        {
            continue;
        }
        if let Some(draft) = enclosing_crate(&start, configs)?
            && !drafts.iter().any(|d| paths::same_dir(&d.root, &draft.root))
        {
            drafts.push(draft);
        }
    }

    Ok(Assembled {
        drafts,
        workspace_deps,
        toml_suppressions,
    })
}

/// The last stage: suppressions are applied (so that unused ones can be reported exactly)
/// and checked, `only_files` narrows the findings, source lines are filled in, paths are
/// shown relative to the current folder, and the findings are sorted.
fn suppress_and_order(
    diagnostics: Vec<Diagnostic>,
    crates: &[Crate],
    toml_suppressions: Vec<(PathBuf, Vec<Suppression>)>,
    file_suppressions: Vec<(PathBuf, Vec<Suppression>, Arc<[Level]>)>,
    cli: &[LevelSetting],
    only: Option<&HashSet<PathBuf>>,
) -> Vec<Diagnostic> {
    let mut by_path: BTreeMap<PathBuf, Vec<Diagnostic>> = BTreeMap::new();
    for d in diagnostics {
        by_path.entry(d.path.clone()).or_default().push(d);
    }
    let crate_config = |path: &Path| {
        crates
            .iter()
            .filter(|c| paths::path_is_under(path, &c.root))
            .max_by_key(|c| c.root.components().count())
            .map(|c| c.config.clone())
    };
    let toml_levels: Vec<(PathBuf, Vec<Suppression>, Arc<[Level]>)> = toml_suppressions
        .into_iter()
        .filter(|(_, s)| !s.is_empty())
        .map(|(path, s)| {
            let config = crate_config(&path).unwrap_or_default();
            let levels = levels_for(&config, cli, &path).into();
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
        let enabled = |sel: Selector| {
            RuleId::ALL
                .iter()
                .any(|&id| sel.matches(id) && levels[id] != Level::Allow)
        };
        for f in suppress::meta_findings(&sups, enabled) {
            let found = Diagnostic::at_level(
                f.rule, &levels, &path, f.start, f.end, f.message, f.help, "",
            );
            meta.extend(found.map(|d| Diagnostic {
                source: f.source,
                ..d
            }));
        }
    }
    let mut diagnostics: Vec<Diagnostic> = by_path.into_values().flatten().chain(meta).collect();
    if let Some(only) = only {
        diagnostics.retain(|d| only.contains(&d.path) || is_crate_rule(d.rule));
    }

    for d in &mut diagnostics {
        d.path = paths::display_path(&d.path);
    }
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diagnostics
}

/// The files stage: which walked files are analysed (not vendored ones; with `only_files`,
/// those and the other files of their crates) and how each is classified: its crate,
/// configuration, levels, test or config code, and cache bucket.
fn classify_files<'a>(
    rs_files: &'a mut Vec<PathBuf>,
    drafts: &[CrateDraft],
    only: Option<&HashSet<PathBuf>>,
    configs: &mut ConfigCache,
    cli: &[LevelSetting],
) -> Result<(Vec<Job<'a>>, Buckets), LintError> {
    // Assign every file to its nearest crate: look its folders up, deepest first (a
    // monorepo has hundreds of crates and tens of thousands of files).
    let roots: HashMap<PathBuf, usize> = drafts
        .iter()
        .enumerate()
        .map(|(i, d)| (paths::root_key(&d.root), i))
        .collect();
    let crate_of = |path: &Path| -> Option<usize> {
        path.ancestors()
            .skip(1)
            .find_map(|dir| roots.get(dir).copied())
            .filter(|&i| paths::path_is_under(path, &drafts[i].root))
    };
    // Levels depend on the file only through `[[overrides]]`; without them, once per config.
    let mut shared_levels: HashMap<*const Config, Arc<[Level]>> = HashMap::new();
    let mut loose_configs: HashMap<PathBuf, Arc<Config>> = HashMap::new();
    let mut jobs = Vec::with_capacity(rs_files.len());
    let mut buckets = Buckets::default();
    // With `only_files`, the other files of an affected crate are still analysed: crate
    // rules need the facts of the whole crate (its routes, its tests), else they would
    // report a route or a test as missing. Their file findings are dropped at the end.
    if let Some(only) = only {
        rs_files.retain(|p| only.contains(p) || crate_of(p).is_some_and(|i| drafts[i].walked));
    }
    // Vendored code is not linted: its files are not even read.
    rs_files.retain(|p| match crate_of(p) {
        Some(i) => !drafts[i].is_vendored(),
        None => crate_role::vendored_folder(&paths::parent_dir(p)).is_none(),
    });
    for path in rs_files.iter() {
        let owner = crate_of(path);
        let config = match owner {
            Some(i) => drafts[i].config.clone(),
            None => {
                let dir = paths::parent_dir(path);
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
            .map(|i| paths::relative_to(path, &drafts[i].root))
            .unwrap_or_else(|| path.clone());
        // A file of no crate (`examples/toml_example/src/main.rs` without its manifest) is
        // a sample when one of the three folders around it is one of samples.
        let is_test = is_test_path(&rel)
            || match owner {
                None => in_sample_folder(&nearest_folders(&rel, 3)),
                Some(i) => {
                    in_sample_folder(&rel)
                        || is_test_target(&drafts[i].parsed, &rel)
                        || drafts[i].is_test_data()
                }
            };
        let is_config = is_config_path(&rel, &config.house.config_modules)
            || owner.is_some_and(|i| is_config_crate(&drafts[i].parsed) && rel.starts_with("src"));
        let levels: Arc<[Level]> = if config.overrides.is_empty() {
            shared_levels
                .entry(Arc::as_ptr(&config))
                .or_insert_with(|| levels_for(&config, cli, path).into())
                .clone()
        } else {
            levels_for(&config, cli, path).into()
        };
        let bucket = match owner {
            // Only a crate found by the walk has all of its files in the run.
            Some(i) => buckets.of_crate(i, &drafts[i].root, drafts[i].walked),
            None => buckets.of_folder(&paths::parent_dir(path)),
        };
        let features = owner.map_or_else(|| Arc::from([]), |i| drafts[i].features.clone());
        jobs.push(Job {
            path,
            owner,
            features,
            config,
            levels,
            is_test,
            is_config,
            bucket,
        });
    }

    Ok((jobs, buckets))
}

/// The environment files of each crate (`config/*.toml`): unreadable or unparsable ones are
/// findings, and their suppression comments count.
fn check_env_files(
    crates: &[Crate],
    env_errors: Vec<Vec<(PathBuf, String)>>,
    cli: &[LevelSetting],
    diagnostics: &mut Vec<Diagnostic>,
    toml_suppressions: &mut Vec<(PathBuf, Vec<Suppression>)>,
) {
    for (krate, errors) in crates.iter().zip(env_errors) {
        for (path, why) in errors {
            let levels = levels_for(&krate.config, cli, &path);
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
                let levels = levels_for(&krate.config, cli, &env.path);
                diagnostics.extend(Diagnostic::at_level(
                    RuleId::ParseError,
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
}

/// Phase 2: the crate rules of every crate, in parallel, and what the router index found.
fn run_crate_rules(
    crates: &[Crate],
    options: &LintOptions,
) -> (Vec<Diagnostic>, Vec<crate::router::RouterSummary>) {
    let (findings, routers): (Vec<Vec<Diagnostic>>, Vec<_>) = crates
        .par_iter()
        .map(|krate| {
            let mut cx = CrateCx::new(krate, &options.cli_levels);
            registry::check_crate(&mut cx);
            let summary = options.explain_routers.then(|| cx.router_summary());
            // A crate rule may point into a binary of another role (a CLI of a service).
            cx.diagnostics.retain(|d| applies_at(krate, d));
            (cx.diagnostics, summary)
        })
        .unzip();
    (
        findings.into_iter().flatten().collect(),
        routers.into_iter().flatten().collect(),
    )
}

/// One file of phase 1 and how it is classified.
struct Job<'a> {
    path: &'a Path,
    owner: Option<usize>,
    /// `CrateDraft::features` of the owner.
    features: Arc<[String]>,
    config: Arc<Config>,
    levels: Arc<[Level]>,
    is_test: bool,
    is_config: bool,
    /// Index into `Buckets::owners`.
    bucket: usize,
}

/// The cache buckets of a run: a crate's folder, or the folder of files outside any crate,
/// and whether the run sees every file of it.
#[derive(Default)]
struct Buckets {
    owners: Vec<(PathBuf, bool)>,
    by_crate: HashMap<usize, usize>,
    by_folder: HashMap<PathBuf, usize>,
}

impl Buckets {
    fn of_crate(&mut self, krate: usize, root: &Path, complete: bool) -> usize {
        let next = self.owners.len();
        let i = *self.by_crate.entry(krate).or_insert(next);
        if i == next {
            self.owners.push((root.to_path_buf(), complete));
        }
        i
    }

    fn of_folder(&mut self, folder: &Path) -> usize {
        if let Some(&i) = self.by_folder.get(folder) {
            return i;
        }
        self.owners.push((folder.to_path_buf(), false));
        self.by_folder
            .insert(folder.to_path_buf(), self.owners.len() - 1);
        self.owners.len() - 1
    }
}

type Analysed = (Option<usize>, FileAnalysis, Arc<[Level]>);

/// What phase 1 gives: the analyses in job order, how many came from the cache, and why
/// the cache could not be written, if it could not.
struct Phase1 {
    analyses: Vec<Analysed>,
    hits: usize,
    cache_error: Option<String>,
}

/// Phase 1: one job per file (files differ wildly in size), through the cache when there
/// is one. Deeply nested expressions make syn and the walk recurse deeply; a large stack
/// turns what would abort the whole run into an ordinary file.
fn analyze_files(
    jobs: &[Job],
    stdin: Option<&(PathBuf, &str)>,
    cache: Option<&Cache>,
    buckets: Buckets,
) -> Result<Phase1, LintError> {
    let pool = rayon::ThreadPoolBuilder::new()
        .stack_size(ANALYSIS_STACK_BYTES)
        .build()
        .map_err(|e| LintError::Io(PathBuf::from("<threads>"), e.to_string()))?;
    let loaded: Vec<Bucket> = match cache {
        Some(cache) => pool.install(|| {
            buckets
                .owners
                .par_iter()
                .map(|(o, _)| cache.load(o))
                .collect()
        }),
        None => Vec::new(),
    };
    let results: Vec<(Analysed, Option<Lookup>)> = pool.install(|| {
        jobs.par_iter()
            .with_max_len(1)
            .map(|job| {
                let role = FileRole {
                    house: &job.config.house,
                    levels: &job.levels,
                    is_test: job.is_test,
                    is_config: job.is_config,
                    features: &job.features,
                };
                let (analysis, lookup) = match (stdin, cache) {
                    (Some((stdin_path, text)), _) if stdin_path == job.path => {
                        (analyze::analyze_text(job.path, text, &role), None)
                    }
                    (_, Some(cache)) => {
                        let settings = cache.settings_key(&role);
                        let (a, l) = loaded[job.bucket].analyze(job.path, &role, settings);
                        (a, Some(l))
                    }
                    _ => (analyze::analyze(job.path, &role), None),
                };
                ((job.owner, analysis, job.levels.clone()), lookup)
            })
            .collect()
    });
    let mut by_bucket: Vec<Vec<(Vec<u8>, Lookup)>> = loaded.iter().map(|_| Vec::new()).collect();
    let mut analyses = Vec::with_capacity(results.len());
    let mut hits = 0;
    for (job, (analysed, lookup)) in jobs.iter().zip(results) {
        if let Some(lookup) = lookup {
            hits += usize::from(matches!(lookup, Lookup::Hit));
            by_bucket[job.bucket].push((cache::path_key(job.path).to_vec(), lookup));
        }
        analyses.push(analysed);
    }
    let cache_error = cache.and_then(|cache| {
        let saves: Vec<_> = loaded
            .into_iter()
            .zip(by_bucket)
            .zip(&buckets.owners)
            .map(|((bucket, results), (_, complete))| (bucket, results, *complete))
            .collect();
        pool.install(|| {
            saves
                .into_par_iter()
                .map(|(bucket, results, complete)| cache.save(bucket, results, complete))
                .filter_map(Result::err)
                .map(|e| e.to_string())
                .find_any(|_| true)
        })
    });
    Ok(Phase1 {
        analyses,
        hits,
        cache_error,
    })
}

/// Roles that follow from the other crates of the run (see `crate_role::inherit_cli`).
fn inherit_roles(crates: &mut [(Crate, Vec<(PathBuf, String)>)]) {
    let nodes: Vec<crate_role::Node> = crates
        .iter()
        .map(|(c, _)| crate_role::Node {
            name: c.name(),
            role: c.role.role,
            stated: c.role_stated,
            deps: c
                .manifest
                .deps
                .iter()
                .filter(|d| d.is_runtime())
                .map(|d| d.package.as_str())
                .collect(),
            dev_deps: c
                .manifest
                .deps
                .iter()
                .filter(|d| d.kind == crate::model::DepKind::Dev)
                .map(|d| d.package.as_str())
                .collect(),
            web: c.serving_framework(),
            bare_binary: c.role.reason == crate_role::NO_WEB_BINARY,
        })
        .collect();
    let changed = crate_role::inherit_cli(&nodes);
    let role_of = |i: usize| {
        changed
            .iter()
            .find(|(c, _)| *c == i)
            .map_or(nodes[i].role, |(_, d)| d.role)
    };
    let serving = crate_role::used_by(&nodes, role_of, Role::Service);
    let commanded = crate_role::used_by(&nodes, role_of, Role::Cli);
    for (i, decision) in changed {
        crates[i].0.role = decision;
    }
    for (i, (service, command)) in serving.into_iter().zip(commanded).enumerate() {
        crates[i].0.used_by_service = service;
        crates[i].0.used_by_command = command;
    }
}

/// The role a file is judged by: its binary's when that has one, else its crate's.
fn role_of_file(krate: &Crate, path: &Path) -> Role {
    // A file a tool wrote is nobody's code here, as vendored code is.
    if krate.files.iter().any(|f| f.generated && f.path == path) {
        return Role::Vendored;
    }
    krate
        .binary_roles
        .iter()
        .find(|(p, _)| p == path)
        .map_or(krate.role.role, |(_, d)| d.role)
}

/// The finding's rule applies to the role of the file it points at (the crate's, or that
/// of the binary the file is).
fn applies_at(krate: &Crate, d: &Diagnostic) -> bool {
    applies_to(d.rule, role_of_file(krate, &d.path))
}

fn applies_to(rule: RuleId, role: Role) -> bool {
    rule.meta().roles.contains(role)
}

/// A systemd unit of the run named for the crate or one of its binaries: its name ends
/// with the program's name, word by word (`rustdesk-hbbs.service` for binary `hbbs`).
fn unit_for(
    units: &[PathBuf],
    programs_run: &[Option<String>],
    parsed: &ParsedManifest,
    package: &str,
) -> Option<PathBuf> {
    let programs: Vec<Vec<String>> = std::iter::once(package)
        .chain(parsed.bins.iter().map(|(name, _)| name.as_str()))
        .map(crate_role::name_words)
        .collect();
    let named = units.iter().find(|unit| {
        let stem = unit.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        let words = crate_role::name_words(stem);
        programs.iter().any(|p| !p.is_empty() && words.ends_with(p))
    });
    // `playground.service` whose `ExecStart=/srv/artifacts/ui` runs the `ui` package's
    // program. (By the package's name only: a unit named for another program that runs
    // one of several binaries is that program's.)
    let package_words = crate_role::name_words(package);
    let runs = || {
        units
            .iter()
            .zip(programs_run)
            .find(|(_, prog)| {
                prog.as_deref()
                    .is_some_and(|prog| crate_role::name_words(prog) == package_words)
            })
            .map(|(unit, _)| unit)
    };
    named.or_else(runs).cloned()
}

/// A `.toml` beside `Cargo.toml` named for the last word of a package's name of several
/// words (`atuin-server/server.toml`): the program's settings file. (A file named for the
/// whole name, `triagebot.toml`, is as often the tool's configuration of this
/// repository.)
fn settings_named_for_package(root: &Path, package: &str) -> Option<PathBuf> {
    let (_, last) = package.rsplit_once(['-', '_'])?;
    let path = root.join(format!("{last}.toml"));
    let tooling = matches!(last, "cargo" | "rustfmt" | "clippy" | "deny" | "toolchain");
    (!tooling && path.is_file()).then_some(path)
}

/// A file that is test code because `Cargo.toml` says so: the build script at another
/// path, or the path of a `[[test]]`, `[[bench]]` or `[[example]]` target.
fn is_test_target(parsed: &ParsedManifest, rel: &Path) -> bool {
    let is = |declared: &str| paths::clean(Path::new(declared)) == rel;
    parsed.build_script.as_deref().is_some_and(is) || parsed.test_target_paths.iter().any(|p| is(p))
}

/// Packages that other crates of the run depend on only as a dev-dependency.
fn dev_dependency_only(drafts: &[CrateDraft]) -> HashSet<String> {
    let mut dev = HashSet::new();
    let mut runtime = HashSet::new();
    for draft in drafts {
        for dep in &draft.parsed.deps {
            let package = dep.package.clone().unwrap_or_else(|| dep.key.clone());
            match dep.kind {
                crate::model::DepKind::Dev => dev.insert(package),
                _ => runtime.insert(package),
            };
        }
    }
    dev.retain(|p| !runtime.contains(p));
    dev
}

fn build_crate(
    d: CrateDraft,
    files: Vec<FileFacts>,
    found: &Discovered,
    workspaces: &HashMap<PathBuf, HashMap<String, String>>,
    dev_only: &HashSet<String>,
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
                optional: raw.optional && !raw.built_by_default,
                feature_gated: raw.optional,
                features: raw.features.clone(),
                default_features: raw.default_features,
                start: raw.start,
                end: raw.end,
            }
        })
        .collect::<Vec<_>>();
    let direct_child = |p: &PathBuf, folder: &str| {
        p.parent()
            .is_some_and(|parent| paths::same_dir(parent, &d.root.join(folder)))
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
    let unit_elsewhere = unit_for(&found.unit_files, &found.unit_programs, &d.parsed, &name)
        .or_else(|| unit_for(&found.scripted_units, &[], &d.parsed, &name));
    let run_by_test_suite = std::iter::once(name.as_str())
        .chain(d.parsed.bins.iter().map(|(bin, _)| bin.as_str()))
        .any(|program| found.suite_programs.iter().any(|p| p == program));
    let config_elsewhere = found
        .config_like_files
        .iter()
        .find(|p| p.parent() == Some(d.root.as_path()))
        .cloned()
        .or_else(|| settings_named_for_package(&d.root, &name));
    let rel_paths: Vec<PathBuf> = files
        .iter()
        .map(|f| paths::relative_to(&f.path, &d.root))
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
        foreign_host_only: d.parsed.foreign_host_only,
        native_bindings: d.parsed.native_bindings,
        doctest_off: d.parsed.doctest_off,
        tests_off: d.parsed.tests_off,
        root_files: d
            .parsed
            .bins
            .iter()
            .filter_map(|(_, path)| path.as_deref())
            .chain(d.parsed.lib_path.as_deref())
            .map(|p| paths::clean(Path::new(p)))
            .filter(|p| !p.starts_with("src"))
            .collect(),
    };
    let role = d.stated.clone().unwrap_or_else(|| {
        crate_role::guess(&RoleFacts {
            folder: &d.folder,
            name: &manifest.package_name,
            has_bin,
            runtime_deps: manifest
                .deps
                .iter()
                .filter(|dep| dep.is_runtime() && !dep.optional)
                .map(|dep| kit_consumer_as_queue_client(dep).unwrap_or(dep.package.as_str()))
                .collect(),
            publish_false: d.parsed.publish_false,
            proc_macro: d.parsed.proc_macro,
            dev_dependency_only: dev_only.contains(&manifest.package_name),
            fork_of: std::fs::read_to_string(d.root.join("README.md"))
                .ok()
                .and_then(|readme| crate_role::fork_of(&readme)),
        })
    });
    let framework = d.config.house.web_framework.clone();
    let is_service = role.role == Role::Service
        && manifest
            .deps
            .iter()
            .any(|dep| dep.is_runtime() && dep.package == framework);
    let binary_roles = if role.role == Role::Service && d.stated.is_none() {
        let with_rel: Vec<(&FileFacts, PathBuf)> =
            files.iter().zip(rel_paths.iter().cloned()).collect();
        binary_roles(&manifest.package_name, &d.parsed.bins, &with_rel)
    } else {
        Vec::new()
    };
    let krate = Crate {
        root: d.root,
        manifest,
        has_bin,
        is_service,
        role,
        role_stated: d.stated.is_some(),
        used_by_service: false,
        used_by_command: false,
        binary_roles,
        config: d.config,
        files,
        env_files,
        deploy_files,
        unit_elsewhere,
        config_elsewhere,
        has_tests_dir,
        run_by_test_suite,
        client_paths: Vec::new(),
        suite_paths: found.suite_paths.clone(),
        tested_elsewhere: false,
        names_own_settings_file: false,
        rewrites_text_errors: false,
        log_bridged: false,
        embedded: false,
    };
    (krate, env_errors)
}

/// A service without settings of its own next to `Cargo.toml` keeps them in its
/// workspace's `config/default.toml` (or `config/defaults.toml`): every key with its
/// default, for all the workspace's programs.
fn add_workspace_settings(crates: &mut [Crate], workspaces: &[Option<PathBuf>]) {
    for (krate, workspace) in crates.iter_mut().zip(workspaces) {
        if krate.config_elsewhere.is_some() || !krate.is_service {
            continue;
        }
        krate.config_elsewhere = workspace.as_ref().and_then(|ws| {
            ["config/default.toml", "config/defaults.toml"]
                .iter()
                .map(|name| ws.join(name))
                .find(|path| path.is_file())
        });
    }
}

/// The folder of the nearest workspace above a crate (absolute).
fn workspace_dir(
    root: &Path,
    known: &HashMap<PathBuf, HashMap<String, String>>,
) -> Option<PathBuf> {
    let abs = std::path::absolute(root).ok()?;
    abs.ancestors()
        .find(|dir| known.contains_key(*dir))
        .map(Path::to_path_buf)
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
        let root = paths::relative_if_below_cwd(dir);
        let config = configs.for_dir(dir)?;
        let file = TextFile {
            path: root.join("Cargo.toml"),
            text,
        };
        // Above every linted path: its folder says nothing, and its crate rules do not run.
        return Ok(Some(CrateDraft::new(
            root,
            parsed,
            file,
            config,
            false,
            &[],
        )?));
    }
    Ok(None)
}

/// Test code by location (docs/idioms.md "Scope"): `tests/`, `benches/`, `examples/`,
/// `build.rs`, and modules named as test or benchmark helpers (`src/test_utils.rs`,
/// `src/testkit/`, `src/test_harness/`, `src/model_testing/`, `src/bench_cache.rs`), which libraries export for
/// their dependants' tests and benchmarks.
pub fn is_test_path(rel: &Path) -> bool {
    const TEST_MODULES: &[&str] = &[
        "test",
        "test_utils",
        "test_util",
        "test_helpers",
        "testkit",
        "test_support",
        "test_harness",
        "testing",
        "mock",
        "mocks",
        "fakes",
    ];
    let mut components = rel.components().filter_map(|c| c.as_os_str().to_str());
    let first = components.next();
    let is_test_module = |c: &str| {
        let name = c.strip_suffix(".rs").unwrap_or(c);
        TEST_MODULES.contains(&name)
            || name.ends_with("_testing")
            || crate::walk::names_dev_data(name)
            || name
                .split('_')
                .next()
                .is_some_and(|w| matches!(w, "bench" | "benches" | "benchmark" | "benchmarks"))
    };
    rel == Path::new("build.rs")
        || matches!(first, Some("tests" | "benches" | "examples"))
        // Data folders beside the sources: Rust files there are samples, not the crate's code.
        || matches!(first, Some("assets" | "fixtures" | "testdata" | "test-data" | "test_data"))
        || (first == Some("src") && components.any(is_test_module))
}

/// The last `n` folders of a path and its file name (`examples/toml_example/src/main.rs`
/// of `/home/me/repo/examples/toml_example/src/main.rs` for 3): what is near a file of no
/// crate, without the folders of wherever the tree was checked out.
fn nearest_folders(path: &Path, n: usize) -> PathBuf {
    let parts: Vec<_> = path.components().collect();
    parts[parts.len().saturating_sub(n + 1)..].iter().collect()
}

/// A file of a crate that sits, outside `src/`, in a folder of examples, tests or
/// benchmarks anywhere on the way (`toolchain-examples/rust/main.rs`,
/// `remote-execution/examples/hello.rs`): code that the crate's own targets do not build,
/// kept to show or exercise something.
fn in_sample_folder(rel: &Path) -> bool {
    if rel.starts_with("src") {
        return false;
    }
    const WORDS: &[&str] = &[
        "examples",
        "example",
        "demos",
        "demo",
        "tests",
        "benches",
        "benchmarks",
    ];
    rel.parent().is_some_and(|dir| {
        dir.components()
            .filter_map(|c| c.as_os_str().to_str())
            .any(|c| {
                crate_role::name_words(c)
                    .iter()
                    .any(|w| WORDS.contains(&w.as_str()))
            })
    })
}

/// The config module by location: `src/config.rs`, `src/config/**`, `src/app/settings.rs`, ...
/// A crate whose `[lib] path` puts its sources at its root (`core/config/proxy.rs`) has
/// no `src/`: its folders count from the root.
pub fn is_config_path(rel: &Path, modules: &[String]) -> bool {
    let mut components = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .peekable();
    let first = components.peek().map(|c| c.to_string());
    if matches!(
        first.as_deref(),
        Some("tests" | "benches" | "examples" | "build.rs")
    ) {
        return false;
    }
    if first.as_deref() == Some("src") {
        components.next();
    }
    components.any(|c| names_config_module(c.strip_suffix(".rs").unwrap_or(&c), modules))
}

/// `config`, and a module with it as a word of its name (`vault_config`, `config_loader`):
/// a module of `house.config_modules`. A name that starts with a verb (`get_config`,
/// `update_settings`) is an endpoint or an action on them, not where they are built.
pub fn names_config_module(name: &str, modules: &[String]) -> bool {
    const VERBS: &[&str] = &[
        "get", "set", "put", "post", "patch", "delete", "update", "list", "show", "print",
        "create", "edit", "save", "export", "import",
    ];
    let first = name.split('_').next().unwrap_or_default();
    modules
        .iter()
        .any(|m| first == m || !VERBS.contains(&first) && name.split('_').any(|w| w == m))
}

/// The house kit with its `worker` feature is the queue consumer of a generated worker
/// (templates/worker): for the role guess it stands for the broker client it wraps.
fn kit_consumer_as_queue_client(dep: &crate::model::Dependency) -> Option<&'static str> {
    (dep.package == "paved-kit" && dep.features.iter().any(|f| f == "worker"))
        .then_some("async-nats")
}

/// A crate that is a service's settings, by its name (`syncserver-settings`, `app_config`):
/// all of its code is the config module.
fn is_config_crate(parsed: &ParsedManifest) -> bool {
    parsed.package.as_ref().is_some_and(|(name, _)| {
        name.rsplit(['-', '_'])
            .next()
            .is_some_and(|last| matches!(last, "settings" | "config" | "configs" | "configuration"))
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
fn is_crate_rule(rule: RuleId) -> bool {
    use crate::rule::Scope;
    matches!(
        rule.meta().scope,
        Scope::Crate | Scope::Service | Scope::Handlers
    )
}

#[cfg(test)]
mod tests {
    use super::names_config_module;

    #[test]
    fn config_module_names() {
        let modules = ["config".to_string(), "settings".to_string()];
        for name in [
            "config",
            "settings",
            "vault_config",
            "config_loader",
            "app_settings",
        ] {
            assert!(names_config_module(name, &modules), "{name}");
        }
        for name in [
            "get_config",
            "update_settings",
            "configure",
            "reconfig",
            "handlers",
        ] {
            assert!(!names_config_module(name, &modules), "{name}");
        }
    }
}
