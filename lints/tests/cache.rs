//! The cache (docs/architecture.md "Cache"): a run that reuses stored results reports
//! exactly what a run without the cache reports, after every kind of change, with cache
//! files that are corrupt, and with runs that share the cache at the same time.

use paved_lints::output;
use paved_lints::{LintOptions, Report, lint};
use std::fs;
use std::path::{Path, PathBuf};

fn write(root: &Path, rel: &str, contents: &str) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, contents).unwrap();
}

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn run(root: &Path, cache: Option<&Path>) -> Report {
    lint(&LintOptions {
        paths: vec![root.to_path_buf()],
        cache: cache.map(Path::to_path_buf),
        ..LintOptions::default()
    })
    .unwrap()
}

/// Asserts the warm run found what the cold one did, in every way output shows it.
fn assert_same(cold: &Report, warm: &Report, step: &str) {
    assert_eq!(
        cold.diagnostics, warm.diagnostics,
        "{step}: findings differ"
    );
    assert_eq!(
        (cold.files, cold.crates),
        (warm.files, warm.crates),
        "{step}"
    );
    assert_eq!(
        output::json::render(cold),
        output::json::render(warm),
        "{step}: JSON differs"
    );
    assert_eq!(
        output::human::render(cold, false),
        output::human::render(warm, false),
        "{step}: human output differs"
    );
}

/// Lints `root` without the cache and with it; asserts both agree and returns how many
/// files the cached run reused.
fn check(root: &Path, cache: &Path, step: &str) -> usize {
    let cold = run(root, None);
    let warm = run(root, Some(cache));
    assert_same(&cold, &warm, step);
    assert_eq!(warm.cache_error, None, "{step}");
    warm.cached_files
}

const MANIFEST: &str = "[package]\nname = \"svc\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[dependencies]\naxum = \"0.8\"\ntokio = \"1\"\n";

const MAIN: &str = "mod routes;

#[tokio::main]
async fn main() {
    println!(\"starting\");
    let app = routes::router();
    let listener = tokio::net::TcpListener::bind(\"0.0.0.0:8080\").await.unwrap();
    axum::serve(listener, app).await.unwrap();
}
";

const ROUTES: &str = "use axum::Router;
use axum::routing::get;

pub fn router() -> Router {
    Router::new().route(\"/ping\", get(ping)).route(\"/users\", get(users))
}

async fn ping() -> &'static str {
    \"OK\"
}

async fn users() -> String {
    let raw = std::fs::read_to_string(\"users.json\").unwrap();
    raw
}
";

const TEST: &str = "#[test]
fn pings() {
    let path = \"/ping\";
    assert_eq!(path, \"/ping\");
}
";

fn service(root: &Path) {
    write(root, "Cargo.toml", MANIFEST);
    write(root, "src/main.rs", MAIN);
    write(root, "src/routes.rs", ROUTES);
    write(root, "tests/api.rs", TEST);
}

#[test]
fn every_change_is_seen_and_the_rest_is_reused() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("svc");
    let cache = dir.path().join("cache");
    service(&root);
    let files = run(&root, None).files;
    assert_eq!(files, 3);

    assert_eq!(check(&root, &cache, "first run"), 0);
    assert_eq!(check(&root, &cache, "nothing changed"), files);

    write(&root, "src/main.rs", &MAIN.replace("starting", "started"));
    assert_eq!(check(&root, &cache, "one file changed"), files - 1);

    write(&root, "paved.toml", "[lints]\nprint-logging = \"warn\"\n");
    assert_eq!(check(&root, &cache, "a paved.toml level"), 0);

    write(
        &root,
        "paved.toml",
        "[lints]\nprint-logging = \"warn\"\n\n[house]\nhealth_path = \"/health\"\nconfig_modules = [\"routes\"]\n",
    );
    assert_eq!(check(&root, &cache, "a [house] key"), 0);

    write(
        &root,
        "src/routes.rs",
        &ROUTES.replace(
            "    let raw =",
            "    // paved: allow(blocking-in-async) -- read once at startup\n    let raw =",
        ),
    );
    assert_eq!(check(&root, &cache, "a suppression added"), files - 1);

    // Crate rules run on every run: the route `/ping` loses its test in a file the cache
    // has, and `untested-route` must say so.
    fs::remove_file(root.join("tests/api.rs")).unwrap();
    write(&root, "tests/other.rs", "#[test]\nfn nothing() {}\n");
    assert_eq!(check(&root, &cache, "a test file replaced"), files - 1);

    write(
        &root,
        "paved.toml",
        "[[overrides]]\npaths = [\"src/main.rs\"]\n[overrides.lints]\nprint-logging = \"allow\"\n",
    );
    check(&root, &cache, "an override");
    fs::remove_file(root.join("paved.toml")).unwrap();
    check(&root, &cache, "paved.toml removed");
    assert_eq!(check(&root, &cache, "nothing changed again"), files);
}

#[test]
fn command_line_levels_are_part_of_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("svc");
    let cache = dir.path().join("cache");
    service(&root);
    let options = |cli: &str| LintOptions {
        paths: vec![root.clone()],
        cli_levels: vec![paved_lints::LevelSetting {
            selector: paved_lints::Selector::parse(cli).unwrap(),
            level: paved_lints::Level::Allow,
        }],
        cache: Some(cache.clone()),
        ..LintOptions::default()
    };
    let without_cache = |cli: &str| {
        lint(&LintOptions {
            cache: None,
            ..options(cli)
        })
        .unwrap()
    };
    for cli in ["print-logging", "reliability", "print-logging"] {
        let warm = lint(&options(cli)).unwrap();
        assert_same(&without_cache(cli), &warm, cli);
    }
}

#[test]
fn every_fixture_is_reported_alike_from_the_cache() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("fixtures");
    let cache = dir.path().join("cache");
    copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures"),
        &root,
    );
    let files = run(&root, None).files;
    assert!(files > 100, "{files}");
    assert_eq!(check(&root, &cache, "first run"), 0);
    assert_eq!(check(&root, &cache, "second run"), files);
}

fn cache_files(cache: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in fs::read_dir(cache).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(cache_files(&path));
        } else if path.extension().is_some_and(|e| e == "bin") {
            out.push(path);
        }
    }
    out
}

/// Damage done to a cache file.
type Harm = fn(Vec<u8>) -> Vec<u8>;

#[test]
fn corrupt_cache_files_are_ignored_and_rewritten() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("svc");
    let cache = dir.path().join("cache");
    service(&root);
    let files = check(&root, &cache, "first run") + 3;
    let damage: [(&str, Harm); 5] = [
        ("truncated", |b| b[..b.len() / 2].to_vec()),
        ("empty", |_| Vec::new()),
        ("garbage", |b| {
            b.iter().map(|x| x.wrapping_mul(31)).collect()
        }),
        ("one byte flipped", |mut b| {
            let mid = b.len() / 2;
            b[mid] ^= 1;
            b
        }),
        ("last byte cut", |mut b| {
            b.pop();
            b
        }),
    ];
    for (what, harm) in damage {
        let stored = cache_files(&cache);
        assert_eq!(stored.len(), 1, "{what}");
        for file in &stored {
            let bytes = fs::read(file).unwrap();
            fs::write(file, harm(bytes)).unwrap();
        }
        assert_eq!(check(&root, &cache, what), 0, "{what}: nothing reused");
        assert_eq!(check(&root, &cache, what), files, "{what}: rewritten");
    }
}

#[test]
fn runs_sharing_one_cache_at_once_agree() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("svc");
    let cache = dir.path().join("cache");
    service(&root);
    write(
        &root,
        "crates/other/Cargo.toml",
        "[package]\nname = \"other\"\nversion = \"0.1.0\"\n",
    );
    write(
        &root,
        "crates/other/src/lib.rs",
        "pub fn f() { println!(\"x\"); }\n",
    );
    let cold = run(&root, None);
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                for _ in 0..5 {
                    assert_same(&cold, &run(&root, Some(&cache)), "concurrent run");
                }
            });
        }
    });
    let last = run(&root, Some(&cache));
    assert_same(&cold, &last, "after the concurrent runs");
    assert_eq!(last.cached_files, cold.files);
    let leftovers: Vec<_> = fs::read_dir(cache.join(env!("CARGO_PKG_VERSION")))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| !n.to_string_lossy().ends_with(".bin"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

#[test]
fn a_cache_that_cannot_be_written_is_reported_and_the_findings_are_complete() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("svc");
    service(&root);
    // A file where the cache folder should be: nothing can be created below it.
    let blocked = dir.path().join("blocked");
    fs::write(&blocked, "not a folder").unwrap();
    let cold = run(&root, None);
    let report = run(&root, Some(&blocked));
    assert_same(&cold, &report, "unwritable cache");
    assert!(report.cache_error.is_some());
}

#[test]
fn the_cache_folder_keeps_itself_out_of_git() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("svc");
    let cache = dir.path().join("cache");
    service(&root);
    run(&root, Some(&cache));
    assert_eq!(
        fs::read_to_string(cache.join(".gitignore"))
            .unwrap()
            .lines()
            .last(),
        Some("*")
    );
    assert!(
        fs::read_to_string(cache.join("CACHEDIR.TAG"))
            .unwrap()
            .starts_with("Signature: 8a477f597d28d172789f06886806bc55")
    );
}
