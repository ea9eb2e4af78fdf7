//! `paved upgrade`, `paved check` and `paved adopt` through the library: the tiny
//! template's versions 1 -> 2 (fixtures/lifecycle/) cover every kind of change, and the
//! built-in service template covers the kit.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use paved_generator::lifecycle::{self, ChangeKind, Finished, Plan, Sources, Status};
use paved_generator::{GenerateRequest, Template, generate};

fn version(n: u8) -> PathBuf {
    common::fixture("lifecycle").join(format!("v{n}"))
}

/// Sources that upgrade to version `to` and know every older version.
fn sources(to: u8) -> Sources {
    Sources::with_dirs(Some(version(to)), (1..to).map(version).collect())
}

/// A service `name` generated from version `n` of the tiny template.
fn tiny(root: &Path, name: &str, n: u8, answers: &[(&str, &str)]) -> PathBuf {
    let template = Template::from_dir(&version(n)).unwrap();
    let mut request = GenerateRequest::new(name, root.join(name));
    for (key, value) in answers {
        request = request.answer(*key, *value);
    }
    generate(&template, &request).unwrap();
    root.join(name)
}

fn read(dir: &Path, path: &str) -> String {
    fs::read_to_string(dir.join(path)).unwrap()
}

fn edit(dir: &Path, path: &str, from: &str, to: &str) {
    let text = read(dir, path);
    assert!(text.contains(from), "{path} has {from:?}");
    fs::write(dir.join(path), text.replacen(from, to, 1)).unwrap();
}

fn kinds(plan: &Plan) -> BTreeMap<String, ChangeKind> {
    plan.changes
        .iter()
        .map(|c| (c.path.clone(), c.kind))
        .collect()
}

fn recorded_version(dir: &Path) -> String {
    let text = read(dir, "paved.toml");
    paved_generator::read_provenance(&text, Path::new("paved.toml"))
        .unwrap()
        .unwrap()
        .version
}

/// The service edits of the scenario: one line of merge.txt and conflict.txt each, a
/// file the template removes, the managed ci.yml and the seeded routes.
fn edit_like_a_team(dir: &Path) {
    edit(
        dir,
        "merge.txt",
        "line 9\n",
        "line 9, changed by the service\n",
    );
    edit(
        dir,
        "conflict.txt",
        "line 2\n",
        "line 2, changed by the service\n",
    );
    edit(
        dir,
        "removed-edited.txt",
        "version 2",
        "version 2 (kept by us)",
    );
    edit(dir, "ci.yml", "cargo test", "cargo nextest run");
    edit(
        dir,
        "src/routes.rs",
        "pub fn routes() {}",
        "pub fn routes() -> u8 { 1 }",
    );
}

#[test]
fn v1_to_v2_applies_each_kind_of_change_by_its_rule() {
    let root = tempfile::tempdir().unwrap();
    let dir = tiny(root.path(), "svc", 1, &[("db", "none"), ("port", "9000")]);
    edit_like_a_team(&dir);

    let plan = lifecycle::plan(&dir, &mut sources(2), &BTreeMap::new()).unwrap();
    let expected: BTreeMap<String, ChangeKind> = [
        ("added.txt", ChangeKind::Added),
        ("ci.yml", ChangeKind::Overwritten),
        ("config.toml", ChangeKind::Updated),
        ("conflict.txt", ChangeKind::Conflict),
        ("merge.txt", ChangeKind::Merged),
        ("removed.txt", ChangeKind::Removed),
        ("untouched.txt", ChangeKind::Updated),
    ]
    .into_iter()
    .map(|(p, k)| (p.to_owned(), k))
    .collect();
    assert_eq!(kinds(&plan), expected);
    assert_eq!(plan.notes.len(), 1, "{:?}", plan.notes);
    assert_eq!(plan.notes[0].path, "removed-edited.txt");

    let applied = lifecycle::apply(&plan).unwrap();
    assert_eq!(applied.conflicts, ["conflict.txt"]);
    // Untouched by the service: the template's change.
    assert!(read(&dir, "untouched.txt").contains("line 5, changed by version 2\n"));
    // Both changed, different lines: both changes.
    let merged = read(&dir, "merge.txt");
    assert!(
        merged.contains("line 2, changed by version 2\n"),
        "{merged}"
    );
    assert!(
        merged.contains("line 9, changed by the service\n"),
        "{merged}"
    );
    // Both changed the same line: git-style markers, never a .rej file.
    assert_eq!(
        read(&dir, "conflict.txt")
            .lines()
            .take(6)
            .collect::<Vec<_>>(),
        [
            "line 1",
            "<<<<<<< ours",
            "line 2, changed by the service",
            "=======",
            "line 2, changed by version 2",
            ">>>>>>> theirs"
        ]
    );
    assert!(!dir.join("conflict.txt.rej").exists());
    assert_eq!(read(&dir, "added.txt"), "version 2 adds this file\n");
    assert!(!dir.join("removed.txt").exists());
    assert!(read(&dir, "removed-edited.txt").contains("kept by us"));
    // Managed: paved's version wins; seeded: the service's, whatever the template did.
    assert_eq!(
        read(&dir, "ci.yml"),
        "steps:\n  - run: cargo test --locked\n"
    );
    assert!(read(&dir, "src/routes.rs").contains("-> u8 { 1 }"));
    // The renamed variable keeps its answer; the new one takes its default.
    assert_eq!(
        read(&dir, "config.toml"),
        "port = 9000\nstorage = \"none\"\nlog = \"info\"\n"
    );

    // Not complete until the conflict is resolved.
    assert_eq!(recorded_version(&dir), "1.0.0");
    assert_eq!(
        lifecycle::finish(&dir).unwrap(),
        Finished::Unresolved(vec!["conflict.txt".to_owned()])
    );
    let resolved = read(&dir, "conflict.txt")
        .replace("<<<<<<< ours\n", "")
        .replace(
            "=======\nline 2, changed by version 2\n>>>>>>> theirs\n",
            "",
        );
    fs::write(dir.join("conflict.txt"), resolved).unwrap();
    assert_eq!(
        lifecycle::finish(&dir).unwrap(),
        Finished::Recorded {
            version: "2.0.0".to_owned()
        }
    );
    assert!(!dir.join(lifecycle::PENDING_FILE).exists());
    let recorded = read(&dir, "paved.toml");
    assert!(
        recorded.contains(
            "[template.answers]\nname = \"svc\"\nstorage = \"none\"\nport = 9000\nlog_level = \"info\"\n"
        ),
        "{recorded}"
    );
    assert!(recorded.starts_with("# paved configuration of the tiny fixture."));

    // Idempotent: a second upgrade changes nothing, and the service is clean.
    let again = lifecycle::plan(&dir, &mut sources(2), &BTreeMap::new()).unwrap();
    assert!(again.changes.is_empty(), "{:?}", kinds(&again));
    let status = lifecycle::check(&dir, &mut sources(2)).unwrap();
    assert_eq!(status.status(), Status::Clean, "{status:?}");
}

#[test]
fn an_upgrade_without_conflicts_records_the_new_version_at_once() {
    let root = tempfile::tempdir().unwrap();
    let dir = tiny(root.path(), "svc", 1, &[]);
    let plan = lifecycle::plan(&dir, &mut sources(2), &BTreeMap::new()).unwrap();
    assert!(plan.conflicts().is_empty());
    lifecycle::apply(&plan).unwrap();
    assert_eq!(recorded_version(&dir), "2.0.0");
    assert!(!dir.join(lifecycle::PENDING_FILE).exists());
    // The tree is what version 2 generates for the same answers.
    let fresh = tiny(root.path(), "fresh", 2, &[]);
    for file in [
        "untouched.txt",
        "merge.txt",
        "added.txt",
        "config.toml",
        "ci.yml",
    ] {
        assert_eq!(read(&dir, file), read(&fresh, file), "{file}");
    }
    assert!(
        lifecycle::plan(&dir, &mut sources(2), &BTreeMap::new())
            .unwrap()
            .changes
            .is_empty()
    );
}

#[test]
fn an_answer_can_change_during_the_upgrade() {
    let root = tempfile::tempdir().unwrap();
    let dir = tiny(root.path(), "svc", 1, &[]);
    let overrides = BTreeMap::from([("storage".to_owned(), "none".to_owned())]);
    let plan = lifecycle::plan(&dir, &mut sources(2), &overrides).unwrap();
    lifecycle::apply(&plan).unwrap();
    assert!(read(&dir, "config.toml").contains("storage = \"none\""));
    assert!(read(&dir, "paved.toml").contains("storage = \"none\""));

    let unknown = BTreeMap::from([("colour".to_owned(), "red".to_owned())]);
    let error = lifecycle::plan(&dir, &mut sources(2), &unknown).unwrap_err();
    assert!(error.to_string().contains("colour"), "{error}");
    let bad = BTreeMap::from([("storage".to_owned(), "mongo".to_owned())]);
    let error = lifecycle::plan(&dir, &mut sources(2), &bad).unwrap_err();
    assert!(error.to_string().contains("must be one of"), "{error}");
}

#[test]
fn check_tells_clean_outdated_and_drift_apart() {
    let root = tempfile::tempdir().unwrap();
    let dir = tiny(root.path(), "svc", 1, &[]);
    let at_v1 = lifecycle::check(&dir, &mut sources(1)).unwrap();
    assert_eq!(at_v1.status(), Status::Clean, "{at_v1:?}");

    let behind = lifecycle::check(&dir, &mut sources(2)).unwrap();
    assert_eq!(behind.status(), Status::Outdated);
    assert!(behind.outdated.contains(&"untouched.txt".to_owned()));
    assert!(behind.drifted.is_empty());

    // Edits to merged or seeded files are the service's business; to managed ones, drift.
    edit(&dir, "merge.txt", "line 3", "line three");
    edit(&dir, "src/routes.rs", "routes", "paths");
    assert_eq!(
        lifecycle::check(&dir, &mut sources(1)).unwrap().status(),
        Status::Clean
    );
    edit(&dir, "ci.yml", "cargo test", "cargo nextest run");
    let drift = lifecycle::check(&dir, &mut sources(2)).unwrap();
    assert_eq!(drift.status(), Status::Drift);
    assert_eq!(drift.drifted.len(), 1);
    assert_eq!(drift.drifted[0].path, "ci.yml");
    let diff = drift.drifted[0].diff.as_deref().unwrap();
    assert!(
        diff.contains("-  - run: cargo test\n+  - run: cargo nextest run\n"),
        "{diff}"
    );
}

#[test]
fn a_monorepo_of_services_at_three_versions_comes_to_the_newest() {
    let root = tempfile::tempdir().unwrap();
    let services = root.path().join("services");
    let dirs = [
        tiny(&services, "one", 1, &[]),
        tiny(&services, "two", 2, &[]),
        tiny(&services, "three", 3, &[]),
    ];
    let found = lifecycle::discover(&[root.path().to_path_buf()]).unwrap();
    let mut expected = dirs.to_vec();
    expected.sort();
    assert_eq!(found, expected);

    let mut sources = sources(3);
    let statuses: Vec<Status> = found
        .iter()
        .map(|d| lifecycle::check(d, &mut sources).unwrap().status())
        .collect();
    assert_eq!(
        statuses,
        [Status::Outdated, Status::Clean, Status::Outdated]
    );
    for dir in &found {
        let plan = lifecycle::plan(dir, &mut sources, &BTreeMap::new()).unwrap();
        lifecycle::apply(&plan).unwrap();
    }
    for dir in &dirs {
        assert_eq!(recorded_version(dir), "3.0.0", "{}", dir.display());
        assert!(read(dir, "untouched.txt").contains("changed by version 3"));
        let status = lifecycle::check(dir, &mut sources).unwrap();
        assert_eq!(status.status(), Status::Clean, "{status:?}");
    }
}

#[test]
fn a_version_paved_cannot_render_is_a_clear_error() {
    let root = tempfile::tempdir().unwrap();
    let dir = tiny(root.path(), "svc", 1, &[]);
    let mut without_history = Sources::with_dirs(Some(version(2)), Vec::new());
    let error = lifecycle::plan(&dir, &mut without_history, &BTreeMap::new()).unwrap_err();
    let message = error.to_string();
    assert!(message.contains("version 1.0.0"), "{message}");
    let paved_generator::Error::Lifecycle { hint, .. } = error else {
        panic!("a lifecycle error");
    };
    assert!(hint.contains("--from DIR"), "{hint}");
    assert_eq!(recorded_version(&dir), "1.0.0");
}

#[test]
fn a_service_without_provenance_is_sent_to_adopt() {
    let root = tempfile::tempdir().unwrap();
    fs::write(root.path().join("paved.toml"), "[lints]\n").unwrap();
    let error = lifecycle::plan(root.path(), &mut sources(2), &BTreeMap::new()).unwrap_err();
    assert!(
        error.to_string().contains("no `[template]` table"),
        "{error}"
    );
}

/// A service of the built-in template, outside any workspace, with its kit inside it.
fn service(root: &Path, name: &str, storage: &str) -> PathBuf {
    let template = Template::embedded(paved_generator::DEFAULT_KIND).unwrap();
    let dest = root.join(name);
    generate(
        &template,
        &GenerateRequest::new(name, &dest).answer("storage", storage),
    )
    .unwrap();
    dest
}

#[test]
fn a_fresh_service_is_up_to_date_and_its_kit_is_managed() {
    let root = tempfile::tempdir().unwrap();
    let dir = service(root.path(), "notes", "sqlite");
    let mut sources = Sources::embedded();
    let status = lifecycle::check(&dir, &mut sources).unwrap();
    assert_eq!(status.status(), Status::Clean, "{status:?}");
    let plan = lifecycle::plan(&dir, &mut sources, &BTreeMap::new()).unwrap();
    assert!(plan.changes.is_empty(), "{:?}", kinds(&plan));

    // A local edit of the kit is drift, and the upgrade puts the kit's file back.
    edit(&dir, "kit/src/lib.rs", "pub use", "pub  use");
    let status = lifecycle::check(&dir, &mut sources).unwrap();
    assert_eq!(status.status(), Status::Drift);
    assert_eq!(status.drifted[0].path, "kit/src/lib.rs");
    let plan = lifecycle::plan(&dir, &mut sources, &BTreeMap::new()).unwrap();
    assert_eq!(
        kinds(&plan),
        BTreeMap::from([("kit/src/lib.rs".to_owned(), ChangeKind::Overwritten)])
    );
    lifecycle::apply(&plan).unwrap();
    assert_eq!(
        lifecycle::check(&dir, &mut sources).unwrap().status(),
        Status::Clean
    );

    // An outdated kit (older checksums, older file) is brought up to date.
    let sums = read(&dir, "kit/.paved-kit.sha256");
    let old_file = "// an older kit\n";
    let old_hash = paved_generator::kit_sha256(old_file.as_bytes());
    let line = sums.lines().find(|l| l.ends_with("  src/lib.rs")).unwrap();
    fs::write(
        dir.join("kit/.paved-kit.sha256"),
        sums.replace(line, &format!("{old_hash}  src/lib.rs")),
    )
    .unwrap();
    fs::write(dir.join("kit/src/lib.rs"), old_file).unwrap();
    let status = lifecycle::check(&dir, &mut sources).unwrap();
    assert_eq!(status.status(), Status::Outdated, "{status:?}");
    assert!(status.kit_outdated);
    let plan = lifecycle::plan(&dir, &mut sources, &BTreeMap::new()).unwrap();
    assert_eq!(
        kinds(&plan),
        BTreeMap::from([
            ("kit/.paved-kit.sha256".to_owned(), ChangeKind::Updated),
            ("kit/src/lib.rs".to_owned(), ChangeKind::Updated),
        ])
    );
}

#[test]
fn switching_storage_matches_a_service_generated_that_way() {
    let root = tempfile::tempdir().unwrap();
    let dir = service(root.path(), "alpha", "sqlite");
    let fresh = service(root.path(), "bravo", "none");
    let overrides = BTreeMap::from([("storage".to_owned(), "none".to_owned())]);
    let plan = lifecycle::plan(&dir, &mut Sources::embedded(), &overrides).unwrap();
    lifecycle::apply(&plan).unwrap();
    let ours = files(&dir);
    let theirs = files(&fresh);
    let renamed: Vec<String> = theirs.iter().map(|p| p.replace("bravo", "alpha")).collect();
    assert_eq!(ours, renamed);
    for (a, b) in ours.iter().zip(&theirs) {
        let ours = fs::read_to_string(dir.join(a)).unwrap();
        let theirs = fs::read_to_string(fresh.join(b)).unwrap();
        assert_eq!(ours, theirs.replace("bravo", "alpha"), "{a}");
    }
}

/// Every file below `root`, relative, sorted.
fn files(root: &Path) -> Vec<String> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                out.push(
                    path.strip_prefix(root)
                        .unwrap()
                        .to_string_lossy()
                        .into_owned(),
                );
            }
        }
    }
    let mut out = Vec::new();
    walk(root, root, &mut out);
    out.sort();
    out
}

#[test]
fn adopt_infers_answers_and_then_check_and_upgrade_work() {
    let root = tempfile::tempdir().unwrap();
    let dir = service(root.path(), "orders", "none");
    // A service paved did not make: no provenance, another port.
    let text = read(&dir, "paved.toml");
    let cut = text.find("[template]").unwrap();
    let kit = text.find("[kit]").unwrap();
    fs::write(
        dir.join("paved.toml"),
        format!("{}{}", &text[..cut], &text[kit..]),
    )
    .unwrap();
    edit(&dir, "config/default.toml", "port = 8080", "port = 9100");
    edit(&dir, "clippy.toml", "", "# ours\n");

    let template = Template::embedded(paved_generator::DEFAULT_KIND).unwrap();
    let preview = lifecycle::adopt(&dir, &template, &BTreeMap::new(), false).unwrap();
    assert!(!read(&dir, "paved.toml").contains("[template]"));
    assert_eq!(preview.name, "orders");
    assert_eq!(preview.answers["storage"], "none");
    assert_eq!(preview.answers["port"], "9100");
    assert_eq!(preview.inferred["port"], "config/default.toml");
    let differing: Vec<&str> = preview
        .files
        .iter()
        .filter(|f| f.differs)
        .map(|f| f.path.as_str())
        .collect();
    // The README names the port; clippy.toml was edited.
    assert_eq!(differing, ["README.md", "clippy.toml"]);

    lifecycle::adopt(&dir, &template, &BTreeMap::new(), true).unwrap();
    assert_eq!(
        recorded_version(&dir),
        template.manifest().version,
        "recorded"
    );
    let mut sources = Sources::embedded();
    let status = lifecycle::check(&dir, &mut sources).unwrap();
    assert!(status.outdated.is_empty(), "{status:?}");
    let plan = lifecycle::plan(&dir, &mut sources, &BTreeMap::new()).unwrap();
    assert!(plan.changes.is_empty(), "{:?}", kinds(&plan));
    let again = lifecycle::adopt(&dir, &template, &BTreeMap::new(), true).unwrap_err();
    assert!(again.to_string().contains("already records"), "{again}");
}

#[test]
fn the_built_in_templates_know_their_released_versions() {
    let current = Template::embedded(paved_generator::DEFAULT_KIND).unwrap();
    let version = current.manifest().version.clone();
    assert!(paved_generator::embedded_versions("service").contains(&version));
    let same = Template::embedded_version("service", &version)
        .unwrap()
        .unwrap();
    assert_eq!(same.manifest().version, version);
    assert!(
        Template::embedded_version("service", "0.0.0-never")
            .unwrap()
            .is_none()
    );
    assert!(
        Template::embedded_version("no-such-template", "1.0.0")
            .unwrap()
            .is_none()
    );
}
