//! Guessing a crate's role from what is already known about it: its folder, name, targets
//! and dependencies (docs/idioms.md "Crate roles"). A stated role always wins; the guess is
//! ordered from the most telling fact to the least, and says which fact decided.

use crate::role::Role;
use std::path::Path;

/// Queue consumers: a binary on one of these, and on no web framework, is a worker.
pub(crate) const QUEUE_CLIENTS: &[&str] =
    &["async-nats", "lapin", "rdkafka", "tokio-nsq", "aws-sdk-sqs"];
/// HTTP clients: a library on one of these, and on no web framework, is a client/SDK.
const HTTP_CLIENTS: &[&str] = &["reqwest", "ureq", "surf", "isahc", "attohttpc", "awc"];
/// Benchmark harnesses.
const BENCH_HARNESSES: &[&str] = &["criterion", "divan", "iai", "iai-callgrind"];
/// Libraries that CI pipelines are written with: a crate on one is the build's, not a
/// service's (its database password is the throwaway container's).
const CI_PIPELINES: &[&str] = &["dagger-sdk"];
/// Crates of a local preview: a program that serves HTTP and opens the user's browser, or
/// reloads the page when files change, is a developer's tool (a static site generator's
/// `serve`), not a deployed service.
const LOCAL_PREVIEW: &[&str] = &[
    "open",
    "webbrowser",
    "opener",
    "tower-livereload",
    "livereload",
];

/// Fuzzing harnesses.
const FUZZERS: &[&str] = &["libfuzzer-sys", "afl", "honggfuzz"];

const VENDORED_DIRS: &[&str] = &[
    "vendor",
    "vendored",
    "external-crates",
    "external_crates",
    "third_party",
    "third-party",
    "thirdparty",
];
const EXAMPLE_DIRS: &[&str] = &["examples", "example", "demos", "demo"];
/// A crate inside another crate's `tests/` (a mock server, a load-test tool) is test data.
const TEST_DIRS: &[&str] = &[
    "tests",
    "test",
    "testdata",
    "test-data",
    "fixtures",
    "testing",
];
/// `pgo/` holds the workloads a profile-guided build is trained on (a toy server for a
/// load generator to hit): benchmarks by another name.
const BENCH_DIRS: &[&str] = &["benches", "bench", "benchmarks", "benchmark", "pgo"];
const BENCH_WORDS: &[&str] = &[
    "bench",
    "benches",
    "benchmark",
    "benchmarks",
    "stress",
    "loadtest",
];
/// Developer tools kept beside the services (a test OAuth client, a release helper).
const TOOL_DIRS: &[&str] = &["tools", "tool", "devtools", "dev-tools"];
/// Words that make a crate name test support on their own (`app-testing`, `e2e`).
const TEST_WORDS: &[&str] = &[
    "testing",
    "testutil",
    "testutils",
    "fixtures",
    "mock",
    "mocks",
    "fakes",
    "e2e",
    "tester",
    "testkit",
];
/// `test`/`tests` make a name test support only beside one of these (`test-utils`,
/// `integration-tests`): alone, `unit_test` may name anything.
const TEST_COMPANIONS: &[&str] = &[
    "utils",
    "util",
    "support",
    "helpers",
    "helper",
    "harness",
    "common",
    "integration",
];

/// Why a binary that depends on no web framework is a command: the fallback, which a
/// library of the run that serves HTTP can overturn (`inherit_cli`).
pub const NO_WEB_BINARY: &str = "a binary that serves no HTTP (no web framework)";

/// What the guess looks at.
#[derive(Debug)]
pub struct RoleFacts<'a> {
    /// The crate's folder relative to its repository (the nearest `.git` above it), or to
    /// the linted folder.
    pub folder: &'a Path,
    pub name: &'a str,
    pub has_bin: bool,
    /// Packages of the crate's runtime dependencies that are always built (not
    /// `optional`): a web framework behind a feature is a side job, not what the crate is.
    pub runtime_deps: Vec<&'a str>,
    pub publish_false: bool,
    /// `[lib] proc-macro = true`: code that runs in the compiler.
    pub proc_macro: bool,
    /// Other crates of the same run depend on it, and only as a dev-dependency.
    pub dev_dependency_only: bool,
    /// The upstream project its README's first line calls it a fork of (`fork_of`).
    pub fork_of: Option<String>,
}

/// A role and the fact that decided it, in words for `--show-roles`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoleDecision {
    pub role: Role,
    pub reason: String,
}

impl RoleDecision {
    fn new(role: Role, reason: impl Into<String>) -> Self {
        RoleDecision {
            role,
            reason: reason.into(),
        }
    }
}

/// Whether a folder is third-party code kept in the repository, by its path alone (files
/// in it are not read at all).
pub fn vendored_folder(folder: &Path) -> Option<RoleDecision> {
    folder_named(folder, VENDORED_DIRS)
        .map(|dir| RoleDecision::new(Role::Vendored, format!("sits in `{dir}/`")))
}

/// Whether a crate's folder sits in another's tests (`tests/crates/build-failure`) or
/// among its benchmarks' inputs (`collector/compile-benchmarks/cargo`, third-party crates
/// kept to time the compiler on): test data by location, whatever it holds.
pub fn in_test_folder(folder: &Path) -> bool {
    folder_named(folder, TEST_DIRS).is_some() || bench_folder(folder).is_some()
}

/// A folder named for benchmarks, alone or as a word (`benches`, `compile-benchmarks`).
fn bench_folder(folder: &Path) -> Option<&str> {
    folder
        .components()
        .filter_map(|c| c.as_os_str().to_str())
        .find(|c| {
            name_words(c)
                .iter()
                .any(|w| BENCH_DIRS.contains(&w.as_str()))
        })
}

/// `# Fork of utoipa`, `A fork of [tower-http](..) with ..`: the upstream project a README's
/// first line names the crate a fork of, when it does.
pub fn fork_of(readme: &str) -> Option<String> {
    let first = readme.lines().find(|l| !l.trim().is_empty())?;
    let first = first.trim_start_matches('#').trim().to_ascii_lowercase();
    let rest = first
        .strip_prefix("fork of ")
        .or_else(|| first.strip_prefix("a fork of "))?;
    let name: String = rest
        .trim_start_matches(['[', '`'])
        .chars()
        .take_while(|c| c.is_alphanumeric() || matches!(c, '-' | '_'))
        .collect();
    (!name.is_empty()).then_some(name)
}

pub fn guess(f: &RoleFacts) -> RoleDecision {
    use Role::*;
    if let Some(vendored) = vendored_folder(f.folder) {
        return vendored;
    }
    if let Some(upstream) = &f.fork_of {
        return RoleDecision::new(
            Vendored,
            format!("a fork of `{upstream}` (the first line of its README)"),
        );
    }
    let words = name_words(f.name);
    let has_word = |list: &[&str]| words.iter().find(|w| list.contains(&w.as_str())).cloned();
    let dep_on = |list: &[&str]| f.runtime_deps.iter().find(|d| list.contains(d)).copied();

    // `tasks/` is where some workspaces keep their xtask-style helpers (code generators,
    // release scripts).
    if f.name == "xtask"
        || has_word(&["xtask"]).is_some()
        || folder_named(f.folder, &["xtask", "tasks"]).is_some()
    {
        return RoleDecision::new(Build, "an xtask-style build tool");
    }
    if f.proc_macro {
        return RoleDecision::new(Build, "a procedural macro (runs in the compiler)");
    }
    // `loco-gen`, `api-codegen`: the library behind a `generate` command, which writes a
    // developer's files and serves nothing (a program named so may serve its output).
    if !f.has_bin
        && words.len() > 1
        && words
            .last()
            .is_some_and(|w| matches!(w.as_str(), "gen" | "codegen" | "generator" | "scaffold"))
    {
        return RoleDecision::new(Build, "a library named as a code generator");
    }
    if let Some(dep) = dep_on(CI_PIPELINES) {
        return RoleDecision::new(Build, format!("a CI pipeline (depends on `{dep}`)"));
    }
    if let Some(dir) = folder_named(f.folder, EXAMPLE_DIRS) {
        let publish = if f.publish_false {
            ", `publish = false`"
        } else {
            ""
        };
        return RoleDecision::new(Example, format!("sits in `{dir}/`{publish}"));
    }
    // `example-todo` names a demo; a crate named just `example` is as often a placeholder.
    // `realworld-*` implements the RealWorld demo-app spec (a Medium clone that every
    // framework shows itself off with).
    if words.len() > 1
        && let Some(w) = has_word(&["example", "examples", "demo", "demos", "realworld"])
    {
        return RoleDecision::new(Example, format!("named as a demo (`{w}`)"));
    }
    if let Some(dir) = bench_folder(f.folder) {
        return RoleDecision::new(Bench, format!("sits in `{dir}/`"));
    }
    if let Some(w) = has_word(BENCH_WORDS) {
        return RoleDecision::new(Bench, format!("named as a benchmark (`{w}`)"));
    }
    if let Some(dir) = folder_named(f.folder, TEST_DIRS).or_else(|| folder_of_tests(f.folder)) {
        return RoleDecision::new(TestSupport, format!("sits in `{dir}/`"));
    }
    if let Some(dir) = folder_named(f.folder, &["fuzz"]) {
        return RoleDecision::new(TestSupport, format!("fuzz targets in `{dir}/`"));
    }
    if let Some(dep) = dep_on(FUZZERS) {
        return RoleDecision::new(TestSupport, format!("fuzz targets (depends on `{dep}`)"));
    }
    let test_pair = has_word(&["test", "tests"])
        .zip(has_word(TEST_COMPANIONS))
        .map(|(t, c)| format!("{t}` and `{c}"));
    if let Some(w) = has_word(TEST_WORDS).or(test_pair) {
        return RoleDecision::new(TestSupport, format!("named as test support (`{w}`)"));
    }
    if f.dev_dependency_only && !f.has_bin {
        return RoleDecision::new(TestSupport, "other crates use it only as a dev-dependency");
    }
    let web = dep_on(crate::rules::framework::foreign_web_framework::FRAMEWORKS);
    if f.has_bin {
        if let Some(dir) = folder_named(f.folder, TOOL_DIRS) {
            return RoleDecision::new(Cli, format!("a developer tool in `{dir}/`"));
        }
        if f.name.ends_with("cli") || f.name.ends_with("ctl") {
            return RoleDecision::new(Cli, "named as a command-line program");
        }
        // `dev-rust`, `dev_server`: what a developer runs on their laptop (a dashboard that
        // starts and watches the services), not a service that is deployed.
        if has_word(&["dev"]).is_some() {
            return RoleDecision::new(Cli, "named as a developer's tool (`dev`)");
        }
        if let (Some(web), Some(preview)) = (web, dep_on(LOCAL_PREVIEW)) {
            return RoleDecision::new(
                Cli,
                format!("serves HTTP (`{web}`) as a local preview (`{preview}`)"),
            );
        }
        if let Some(web) = web {
            return RoleDecision::new(Service, format!("a binary that depends on `{web}`"));
        }
        if let Some(queue) = dep_on(QUEUE_CLIENTS) {
            return RoleDecision::new(Worker, format!("a binary that depends on `{queue}`"));
        }
        if let Some(harness) = dep_on(BENCH_HARNESSES) {
            return RoleDecision::new(Bench, format!("a binary that depends on `{harness}`"));
        }
        return RoleDecision::new(Cli, NO_WEB_BINARY);
    }
    // `cli`, `greptime-cli`: the subcommands of a program kept in a library of their own,
    // which its binary calls; what they print is the command's output.
    if web.is_none()
        && has_word(&["cli"]).is_some()
        && let Some(parser) = dep_on(&["clap", "structopt", "argh"])
    {
        return RoleDecision::new(
            Cli,
            format!("a library named as a program's command line (`cli`), with `{parser}`"),
        );
    }
    if web.is_none()
        && let Some(http) = dep_on(HTTP_CLIENTS)
    {
        return RoleDecision::new(
            Client,
            format!("a library that calls HTTP (`{http}`) and serves none"),
        );
    }
    RoleDecision::new(Library, "a library (no binary target)")
}

/// A crate as its neighbours see it, for [`inherit_cli`].
#[derive(Debug)]
pub struct Node<'a> {
    pub name: &'a str,
    pub role: Role,
    /// Stated roles are never changed.
    pub stated: bool,
    /// Packages of its runtime dependencies.
    pub deps: Vec<&'a str>,
    /// Packages of its `[dev-dependencies]`.
    pub dev_deps: Vec<&'a str>,
    /// The web framework it always depends on (not `optional`).
    pub web: Option<&'a str>,
    /// Guessed a command only because it depends on no web framework ([`NO_WEB_BINARY`]).
    pub bare_binary: bool,
}

/// Libraries (and HTTP clients) whose every dependant in the run is a command-line
/// program are part of those programs (a CLI split into crates): they are judged as CLIs.
/// A library that other crates use as a dev-dependency, and that only benchmarks, examples
/// and test kits use otherwise, is a test kit. Follows chains (a library used only by such
/// a library). Returns the index and new role of each.
pub fn inherit_cli(nodes: &[Node]) -> Vec<(usize, RoleDecision)> {
    let mut roles: Vec<Role> = nodes.iter().map(|n| n.role).collect();
    let mut changed: Vec<(usize, RoleDecision)> = Vec::new();
    let dependants: Vec<Vec<usize>> = nodes
        .iter()
        .map(|lib| {
            (0..nodes.len())
                .filter(|&i| nodes[i].deps.contains(&lib.name))
                .collect()
        })
        .collect();
    // A binary whose server lives in a library of the run (`main` -> `router` on axum),
    // unless a service of its own already serves that library: then the binary is one of
    // the tools around it (an evaluation runner linking the gateway's core).
    let served = used_by_services(nodes, |i| nodes[i].role);
    for (i, node) in nodes.iter().enumerate() {
        if node.bare_binary
            && !node.stated
            && let Some((lib, web)) = web_library_below(nodes, i)
            && !nodes.iter().zip(&served).any(|(n, s)| n.name == lib && *s)
        {
            roles[i] = Role::Service;
            let reason = format!("a binary whose library `{lib}` serves HTTP (`{web}`)");
            changed.push((i, RoleDecision::new(Role::Service, reason)));
        }
    }
    // A client that a service of the run uses is that service's own library.
    for (i, node) in nodes.iter().enumerate() {
        if !node.stated
            && roles[i] == Role::Client
            && dependants[i].iter().any(|&u| roles[u] == Role::Service)
        {
            roles[i] = Role::Library;
            let reason = "a library of a service of this workspace".to_string();
            changed.push((i, RoleDecision::new(Role::Library, reason)));
        }
    }
    loop {
        let mut progress = false;
        for (i, node) in nodes.iter().enumerate() {
            let users = &dependants[i];
            let shared = matches!(roles[i], Role::Library | Role::Client);
            if node.stated || !shared || users.is_empty() {
                continue;
            }
            let tooling =
                |u: &usize| matches!(roles[*u], Role::Bench | Role::Example | Role::TestSupport);
            let tested_with = nodes.iter().any(|n| n.dev_deps.contains(&node.name));
            if users.iter().all(tooling) && tested_with {
                roles[i] = Role::TestSupport;
                let names: Vec<&str> = users.iter().map(|&u| nodes[u].name).collect();
                let reason = format!(
                    "a test kit: other crates use it as a dev-dependency, and only tools use it otherwise ({})",
                    names.join(", ")
                );
                changed.push((i, RoleDecision::new(Role::TestSupport, reason)));
                progress = true;
            // A library that serves HTTP is a server, whoever starts it (`quickwit-cli run`).
            } else if node.web.is_none()
                && users.iter().all(|u| roles[*u] == Role::Cli || tooling(u))
                && users.iter().any(|&u| roles[u] == Role::Cli)
            {
                roles[i] = Role::Cli;
                let names: Vec<&str> = users
                    .iter()
                    .filter(|&&u| roles[u] == Role::Cli)
                    .map(|&u| nodes[u].name)
                    .collect();
                let reason = format!(
                    "a library used only by command-line crates ({})",
                    names.join(", ")
                );
                changed.push((i, RoleDecision::new(Role::Cli, reason)));
                progress = true;
            }
        }
        if !progress {
            return changed;
        }
    }
}

/// The first library of the run below `from` (through runtime dependencies on other
/// libraries) that always depends on a web framework, and the framework.
fn web_library_below<'a>(nodes: &[Node<'a>], from: usize) -> Option<(&'a str, &'a str)> {
    let mut seen = vec![false; nodes.len()];
    let mut stack = vec![from];
    while let Some(i) = stack.pop() {
        for dep in &nodes[i].deps {
            let Some(j) = nodes.iter().position(|n| n.name == *dep) else {
                continue;
            };
            if seen[j] || !matches!(nodes[j].role, Role::Library | Role::Client) {
                continue;
            }
            seen[j] = true;
            if let Some(web) = nodes[j].web {
                return Some((nodes[j].name, web));
            }
            stack.push(j);
        }
    }
    None
}

/// For each crate: whether a service of the run depends on it at run time, directly or
/// through other crates. `role_of` gives each crate's role after inheritance.
pub fn used_by_services(nodes: &[Node], role_of: impl Fn(usize) -> Role) -> Vec<bool> {
    used_by(nodes, role_of, Role::Service)
}

/// For each crate, whether a crate of the given role depends on it (directly or through
/// other crates), or it has that role itself.
pub fn used_by(nodes: &[Node], role_of: impl Fn(usize) -> Role, role: Role) -> Vec<bool> {
    let mut used: Vec<bool> = (0..nodes.len()).map(|i| role_of(i) == role).collect();
    // Walk down from those crates: every runtime dependency of a used crate is used.
    let mut stack: Vec<usize> = (0..nodes.len()).filter(|&i| used[i]).collect();
    while let Some(i) = stack.pop() {
        for dep in &nodes[i].deps {
            if let Some(j) = nodes.iter().position(|n| n.name == *dep)
                && !used[j]
            {
                used[j] = true;
                stack.push(j);
            }
        }
    }
    used
}

/// The first folder of `folder` named one of `names`.
fn folder_named<'a>(folder: &'a Path, names: &[&str]) -> Option<&'a str> {
    folder
        .components()
        .filter_map(|c| c.as_os_str().to_str())
        .find(|c| names.contains(c))
}

/// A folder named for a suite of tests (`integration-tests/`, `e2e_tests/`, `api-tests/`):
/// a crate inside it (a fixture server the suite starts) is test data. Only the plural:
/// `ab-test-service` may be a service of A/B tests.
fn folder_of_tests(folder: &Path) -> Option<&str> {
    folder
        .components()
        .filter_map(|c| c.as_os_str().to_str())
        .find(|c| name_words(c).iter().any(|w| w == "tests"))
}

/// `atuin-search-bench` -> `atuin`, `search`, `bench`.
pub(crate) fn name_words(name: &str) -> Vec<String> {
    name.split(['-', '_'])
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts<'a>(folder: &'a str, name: &'a str, has_bin: bool, deps: &[&'a str]) -> RoleFacts<'a> {
        RoleFacts {
            folder: Path::new(folder),
            name,
            has_bin,
            runtime_deps: deps.to_vec(),
            publish_false: false,
            proc_macro: false,
            dev_dependency_only: false,
            fork_of: None,
        }
    }

    fn role(folder: &str, name: &str, has_bin: bool, deps: &[&str]) -> Role {
        guess(&facts(folder, name, has_bin, deps)).role
    }

    #[test]
    fn folders_and_names_decide_first() {
        assert_eq!(role("vendor/foo", "foo", true, &["axum"]), Role::Vendored);
        assert_eq!(
            role("examples/todo", "example-todo", true, &["axum"]),
            Role::Example
        );
        assert_eq!(
            role("crates/search-bench", "atuin-search-bench", true, &[]),
            Role::Bench
        );
        // Third-party crates kept as a compiler benchmark's inputs.
        assert_eq!(
            role("collector/compile-benchmarks/cargo", "cargo", true, &[]),
            Role::Bench
        );
        assert!(in_test_folder(Path::new(
            "collector/compile-benchmarks/cargo"
        )));
        assert!(!in_test_folder(Path::new("crates/benchmarking-api")));
        // The toy server a profile-guided build of a load generator is trained against.
        assert_eq!(role("pgo/server", "server", true, &["axum"]), Role::Bench);
        // A fixture server that an integration suite starts; not a service of A/B tests.
        assert_eq!(
            role(
                "crates/integration-tests/data/mtls-subgraph",
                "mtls-subgraph",
                true,
                &["axum"]
            ),
            Role::TestSupport
        );
        assert_eq!(
            role(
                "services/ab-test-service",
                "ab-test-service",
                true,
                &["axum"]
            ),
            Role::Service
        );
        // A test double of a server, for other programs' tests.
        assert_eq!(
            role(
                "bin/mock-server",
                "propolis-mock-server",
                true,
                &["dropshot"]
            ),
            Role::TestSupport
        );
        assert_eq!(
            role(".", "realworld-axum-sqlx", true, &["axum"]),
            Role::Example
        );
        assert_eq!(role("xtask", "xtask", true, &[]), Role::Build);
        assert_eq!(
            role("tasks/gen_types", "gen_types", true, &["dropshot"]),
            Role::Build
        );
        assert_eq!(role("api", "example", true, &["axum"]), Role::Service);
        assert_eq!(role(".", "site-gen", true, &["axum", "open"]), Role::Cli);
        // A developer's dashboard that starts the services on a laptop.
        assert_eq!(role("dev-rust", "dev-rust", true, &["axum"]), Role::Cli);
        assert_eq!(role("api", "devices-api", true, &["axum"]), Role::Service);
        assert_eq!(
            role("fuzz", "svc-fuzz", true, &["libfuzzer-sys"]),
            Role::TestSupport
        );
        assert_eq!(
            role("crates/test-utils", "app-test-utils", false, &[]),
            Role::TestSupport
        );
        assert_eq!(
            role("crates/testing", "app-testing", false, &[]),
            Role::TestSupport
        );
        // `test` alone names anything: a crate with unit tests, say.
        assert_eq!(
            role("crates/unit", "clean_unit_test", false, &[]),
            Role::Library
        );
    }

    #[test]
    fn targets_and_dependencies_decide_the_rest() {
        assert_eq!(role("api", "api", true, &["axum", "clap"]), Role::Service);
        assert_eq!(role("web", "web", true, &["actix-web"]), Role::Service);
        assert_eq!(role("cli", "tool", true, &["clap", "reqwest"]), Role::Cli);
        // A program's subcommands in a library of their own; not any library named `cli-*`.
        assert_eq!(role("src/cli", "cli", false, &["clap"]), Role::Cli);
        assert_eq!(
            role("cli-telemetry", "cli-telemetry", false, &[]),
            Role::Library
        );
        assert_eq!(
            role("tools/oauth2-tester", "oauth2-tester", true, &["axum"]),
            Role::TestSupport
        );
        assert_eq!(role("tools/release", "release", true, &["axum"]), Role::Cli);
        assert_eq!(
            role("crates/symbolicli", "symbolicli", true, &["axum"]),
            Role::Cli
        );
        assert_eq!(
            role("crates/stress", "app-stress", true, &["axum"]),
            Role::Bench
        );
        assert_eq!(
            role("consumer", "consumer", true, &["async-nats"]),
            Role::Worker
        );
        assert_eq!(
            role("sdk", "acme", false, &["reqwest", "serde"]),
            Role::Client
        );
        assert_eq!(role("core", "core", false, &["serde"]), Role::Library);
        assert_eq!(
            role("shared", "shared", false, &["axum", "reqwest"]),
            Role::Library
        );
    }

    #[test]
    fn a_code_generator_is_a_build_tool() {
        for name in ["loco-gen", "api-codegen", "site-generator"] {
            let decision = guess(&facts("loco-gen", name, false, &["serde"]));
            assert_eq!(decision.role, Role::Build, "{name}");
        }
        // A crate that is only named `gen` says nothing.
        assert_ne!(
            guess(&facts("gen", "gen", false, &["serde"])).role,
            Role::Build
        );
    }

    #[test]
    fn a_fork_named_by_its_readme_is_vendored() {
        assert_eq!(
            fork_of("# Fork of utoipa\n\nFork at ..").as_deref(),
            Some("utoipa")
        );
        assert_eq!(
            fork_of("\nA fork of [tower-http](https://..) with a fix").as_deref(),
            Some("tower-http")
        );
        assert_eq!(
            fork_of("# restate-admin\n\nA fork of nothing in particular"),
            None
        );
        let decision = guess(&RoleFacts {
            fork_of: Some("utoipa".into()),
            ..facts("crates/utoipa", "restate-utoipa", false, &["serde"])
        });
        assert_eq!(decision.role, Role::Vendored);
    }

    #[test]
    fn a_library_used_only_in_tests_is_test_support() {
        let decision = guess(&RoleFacts {
            dev_dependency_only: true,
            ..facts("crates/harness", "harness", false, &[])
        });
        assert_eq!(decision.role, Role::TestSupport);
        assert!(
            decision.reason.contains("dev-dependency"),
            "{}",
            decision.reason
        );
    }

    #[test]
    fn libraries_used_only_by_commands_are_commands() {
        let node = |name, role, deps: &[&'static str]| Node {
            name,
            role,
            stated: false,
            deps: deps.to_vec(),
            dev_deps: vec![],
            web: None,
            bare_binary: false,
        };
        let nodes = [
            node("atuin", Role::Cli, &["atuin-client", "atuin-daemon"]),
            node("atuin-client", Role::Library, &["atuin-common"]),
            node("atuin-daemon", Role::Client, &["atuin-client"]),
            node("atuin-common", Role::Library, &[]),
            node(
                "atuin-server",
                Role::Service,
                &["atuin-common", "atuin-server-db"],
            ),
            node("atuin-server-db", Role::Library, &[]),
            node("unused", Role::Library, &[]),
            // A CLI's telemetry library that its test harness links too.
            node("cli-telemetry", Role::Library, &[]),
            node("cli-runtime", Role::Cli, &["cli-telemetry"]),
            node("runtime-tests", Role::TestSupport, &["cli-telemetry"]),
            // Used by tools only, no command: not a command's library.
            node("bench-data", Role::Library, &[]),
            node("load-bench", Role::Bench, &["bench-data"]),
        ];
        let changed: Vec<(&str, Role)> = inherit_cli(&nodes)
            .into_iter()
            .map(|(i, d)| (nodes[i].name, d.role))
            .collect();
        // atuin-common is shared with the server: still a library.
        assert_eq!(
            changed,
            [
                ("atuin-daemon", Role::Cli),
                ("cli-telemetry", Role::Cli),
                ("atuin-client", Role::Cli)
            ]
        );
    }

    #[test]
    fn a_library_used_by_tests_and_tools_only_is_a_test_kit() {
        let node = |name, role, deps: &[&'static str], dev_deps: &[&'static str]| Node {
            name,
            role,
            stated: false,
            deps: deps.to_vec(),
            dev_deps: dev_deps.to_vec(),
            web: None,
            bare_binary: false,
        };
        let nodes = [
            node("svc", Role::Service, &["svc-core"], &["svc-test"]),
            node("svc-core", Role::Library, &[], &["svc-test"]),
            node("svc-test", Role::Library, &["svc-core"], &[]),
            node("svc-stress", Role::Bench, &["svc-test", "svc-core"], &[]),
            // A framework its demos use is not a test kit: nothing tests with it.
            node("framework", Role::Library, &[], &[]),
            node("demo", Role::Example, &["framework"], &[]),
        ];
        let changed: Vec<(&str, Role)> = inherit_cli(&nodes)
            .into_iter()
            .map(|(i, d)| (nodes[i].name, d.role))
            .collect();
        assert_eq!(changed, [("svc-test", Role::TestSupport)]);
    }

    #[test]
    fn a_client_that_a_service_uses_is_its_library() {
        let nodes = [
            Node {
                name: "api",
                role: Role::Service,
                stated: false,
                deps: vec!["api-core"],
                dev_deps: vec![],
                web: None,
                bare_binary: false,
            },
            Node {
                name: "api-core",
                role: Role::Client,
                stated: false,
                deps: vec![],
                dev_deps: vec![],
                web: None,
                bare_binary: false,
            },
            Node {
                name: "sdk",
                role: Role::Client,
                stated: false,
                deps: vec![],
                dev_deps: vec![],
                web: None,
                bare_binary: false,
            },
        ];
        let changed: Vec<(&str, Role)> = inherit_cli(&nodes)
            .into_iter()
            .map(|(i, d)| (nodes[i].name, d.role))
            .collect();
        assert_eq!(changed, [("api-core", Role::Library)]);
    }

    #[test]
    fn words_inside_names_are_not_matched_by_substring() {
        // `contest` and `latest` contain `test`; `benchmark-free` is not a folder.
        assert_eq!(role("contest", "contest", false, &[]), Role::Library);
        assert_eq!(role("svc", "latest-api", true, &["axum"]), Role::Service);
    }
}
