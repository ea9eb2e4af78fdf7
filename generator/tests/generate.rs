//! Writing to disk: all or nothing, never over an existing path, workspace membership,
//! git.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use paved_generator::{
    Error, GenerateRequest, Membership, TEMP_PREFIX, Template, Vcs, VcsOutcome, generate,
};

fn request(dest: PathBuf, pairs: &[(&str, &str)]) -> GenerateRequest {
    GenerateRequest {
        name: "notes-api".to_owned(),
        dest,
        answers: common::answers(pairs),
        vcs: Vcs::None,
    }
}

/// Nothing but `expected` in `dir`: no destination and no leftover temporary folder.
fn assert_only(dir: &Path, expected: &[&str]) {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, expected, "contents of {}", dir.display());
}

#[test]
fn generates_the_tree() {
    let root = tempfile::tempdir().unwrap();
    let dest = root.path().join("notes-api");
    let generated = generate(&common::basic(), &request(dest.clone(), &[])).unwrap();
    assert_eq!(generated.dest, dest);
    assert_eq!(generated.vcs, VcsOutcome::Skipped);
    assert_eq!(generated.workspace, None);
    assert_eq!(
        common::tree(&dest),
        [
            ".github/",
            ".github/workflows/",
            ".github/workflows/ci.yml",
            "CODEOWNERS",
            "Cargo.toml",
            "assets/",
            "assets/logo.png",
            "bin/",
            "bin/run.sh",
            "deploy/",
            "deploy/notes-api-backup.timer",
            "deploy/notes-api.service",
            "paved.toml",
            "src/",
            "src/main.rs",
            "src/storage/",
            "src/storage/mod.rs",
        ]
    );
    assert_eq!(generated.files.len(), 10);
    assert_eq!(
        fs::read_to_string(dest.join("CODEOWNERS")).unwrap(),
        "* @platform-team\n"
    );
    // Outside a workspace the template's own `[workspace]` stays.
    assert!(
        fs::read_to_string(dest.join("Cargo.toml"))
            .unwrap()
            .contains("[workspace]")
    );
    assert_only(root.path(), &["notes-api"]);

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &str| fs::metadata(dest.join(p)).unwrap().permissions().mode();
        assert_ne!(mode("bin/run.sh") & 0o111, 0);
        assert_eq!(mode("CODEOWNERS") & 0o111, 0);
        // Not the 0700 of a temporary folder.
        assert_ne!(fs::metadata(&dest).unwrap().permissions().mode() & 0o055, 0);
    }
}

#[test]
fn missing_parent_folders_are_created() {
    let root = tempfile::tempdir().unwrap();
    let dest = root.path().join("a/b/notes-api");
    generate(&common::basic(), &request(dest.clone(), &[])).unwrap();
    assert!(dest.join("Cargo.toml").is_file());
}

#[test]
fn an_existing_destination_is_refused_even_empty() {
    let root = tempfile::tempdir().unwrap();
    let dest = root.path().join("notes-api");
    fs::create_dir(&dest).unwrap();
    let error = generate(&common::basic(), &request(dest.clone(), &[])).unwrap_err();
    assert!(matches!(error, Error::DestinationExists { .. }), "{error}");
    assert_eq!(
        error.to_string(),
        format!("destination `{}` already exists", dest.display())
    );
    assert_only(root.path(), &["notes-api"]);
    assert_only(&dest, &[]);

    fs::remove_dir(&dest).unwrap();
    fs::write(&dest, "a file").unwrap();
    assert!(generate(&common::basic(), &request(dest.clone(), &[])).is_err());
    assert_eq!(fs::read_to_string(&dest).unwrap(), "a file");
}

#[test]
fn a_render_failure_in_the_fifth_file_leaves_nothing() {
    let root = tempfile::tempdir().unwrap();
    let manifest = format!(
        "{}[[variables]]\nname = \"mode\"\ntype = \"string\"\ndefault = \"ok\"\n",
        common::SMALL_MANIFEST
    );
    // Tera only fails at run time here: `round` needs a number, `greeting` is a string.
    let template = common::template(&[
        ("template.toml", &manifest),
        ("1.txt.tera", "{{ greeting }}"),
        ("2.txt", "plain"),
        ("3.txt.tera", "{{ greeting }}"),
        ("4.txt.tera", "{{ greeting }}"),
        (
            "5.txt.tera",
            "{% if mode == 'ok' %}{{ greeting | round }}{% endif %}",
        ),
        ("6.txt.tera", "{{ greeting }}"),
    ])
    .unwrap();
    let dest = root.path().join("notes-api");
    let error = generate(&template, &request(dest, &[])).unwrap_err();
    assert!(
        error.to_string().starts_with("mem/5.txt.tera:1: "),
        "{error}"
    );
    assert_only(root.path(), &[]);
}

#[test]
fn a_write_failure_midway_removes_the_temporary_folder() {
    let root = tempfile::tempdir().unwrap();
    // A file name longer than any file system allows fails only when it is written,
    // after the files before it were.
    let template = common::template(&[
        ("template.toml", common::SMALL_MANIFEST),
        ("a.txt", "first"),
        ("b/{{ greeting }}.txt", "too long"),
    ])
    .unwrap();
    let long = "x".repeat(300);
    let dest = root.path().join("notes-api");
    let error = generate(&template, &request(dest, &[("greeting", &long)])).unwrap_err();
    let Error::Io { action, path, .. } = &error else {
        panic!("unexpected error {error}");
    };
    assert_eq!(*action, "write");
    assert!(
        path.file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with(&long)
    );
    assert_only(root.path(), &[]);
}

#[test]
fn a_failure_after_creating_parent_folders_removes_them() {
    let root = tempfile::tempdir().unwrap();
    let template = common::template(&[
        ("template.toml", common::SMALL_MANIFEST),
        ("{{ greeting }}.txt", "x"),
    ])
    .unwrap();
    let long = "x".repeat(300);
    let dest = root.path().join("new/parents/notes-api");
    assert!(generate(&template, &request(dest, &[("greeting", &long)])).is_err());
    assert_only(root.path(), &[]);
}

#[test]
fn the_temporary_folder_prefix_is_the_documented_one() {
    assert_eq!(TEMP_PREFIX, ".paved-new-");
}

#[test]
fn a_bad_name_or_answer_writes_nothing() {
    let root = tempfile::tempdir().unwrap();
    let dest = root.path().join("x");
    let mut bad_name = request(dest.clone(), &[]);
    bad_name.name = "my/app".to_owned();
    assert!(matches!(
        generate(&common::basic(), &bad_name),
        Err(Error::InvalidName { .. })
    ));
    assert!(matches!(
        generate(&common::basic(), &request(dest, &[("port", "0")])),
        Err(Error::InvalidValue { .. })
    ));
    assert_only(root.path(), &[]);
}

const WORKSPACE: &str = r#"# The monorepo.
[workspace]
resolver = "3"
members = [
    "libs/common", # shared code
    "services/billing",
]

[workspace.dependencies]
serde = "1"   # keep this comment
"#;

#[test]
fn inside_a_workspace_the_service_becomes_a_member() {
    let root = tempfile::tempdir().unwrap();
    fs::write(root.path().join("Cargo.toml"), WORKSPACE).unwrap();
    let dest = root.path().join("services/notes-api");
    let generated = generate(&common::basic(), &request(dest.clone(), &[])).unwrap();
    let manifest = fs::canonicalize(root.path()).unwrap().join("Cargo.toml");
    assert_eq!(
        generated.workspace,
        Some(Membership::Added {
            manifest,
            member: "services/notes-api".to_owned()
        })
    );
    let edited = fs::read_to_string(root.path().join("Cargo.toml")).unwrap();
    common::snapshots().bind(|| insta::assert_snapshot!("workspace_member_added", edited));
    let crate_manifest = fs::read_to_string(dest.join("Cargo.toml")).unwrap();
    assert!(!crate_manifest.contains("[workspace]"), "{crate_manifest}");
    assert!(crate_manifest.contains("name = \"notes-api\""));
}

#[test]
fn an_inline_members_array_stays_inline() {
    let root = tempfile::tempdir().unwrap();
    fs::write(
        root.path().join("Cargo.toml"),
        "[workspace]\nmembers = [\"a\", \"b\"]\n",
    )
    .unwrap();
    generate(
        &common::basic(),
        &request(root.path().join("notes-api"), &[]),
    )
    .unwrap();
    assert_eq!(
        fs::read_to_string(root.path().join("Cargo.toml")).unwrap(),
        "[workspace]\nmembers = [\"a\", \"b\", \"notes-api\"]\n"
    );
}

#[test]
fn the_members_layout_is_kept() {
    let cases = [
        (
            "members = [\n    \"a\", # first\n    \"b\", # last\n]\n",
            "members = [\n    \"a\", # first\n    \"b\", # last\n    \"svc\",\n]\n",
        ),
        (
            "members = [\n    \"a\",\n    \"b\" # last\n]\n",
            "members = [\n    \"a\",\n    \"b\", # last\n    \"svc\"\n]\n",
        ),
        (
            "members = [\n    \"a\",\n    \"b\",\n    # more later\n]\n",
            "members = [\n    \"a\",\n    \"b\",\n    # more later\n    \"svc\",\n]\n",
        ),
        (
            "members = [\n  \"a\",\n  \"b\"]\n",
            "members = [\n  \"a\",\n  \"b\",\n  \"svc\"]\n",
        ),
        ("members = [\"a\"]\n", "members = [\"a\", \"svc\"]\n"),
        (
            "members = [ \"a\", \"b\" ]\n",
            "members = [ \"a\", \"b\", \"svc\" ]\n",
        ),
        ("members = []\n", "members = [\"svc\"]\n"),
    ];
    for (members, expected) in cases {
        let root = tempfile::tempdir().unwrap();
        let manifest = root.path().join("Cargo.toml");
        fs::write(&manifest, format!("[workspace]\n{members}")).unwrap();
        let mut request = request(root.path().join("svc"), &[]);
        request.name = "svc".to_owned();
        generate(&common::basic(), &request).unwrap();
        let edited = fs::read_to_string(&manifest).unwrap();
        assert_eq!(
            edited,
            format!("[workspace]\n{expected}"),
            "from:\n{members}"
        );
        let parsed: toml::Table = edited.parse().unwrap();
        let members = parsed["workspace"]["members"].as_array().unwrap();
        assert_eq!(members.last().unwrap().as_str(), Some("svc"));
    }
}

#[test]
fn a_workspace_without_members_gets_them() {
    let root = tempfile::tempdir().unwrap();
    fs::write(
        root.path().join("Cargo.toml"),
        "[workspace]\nresolver = \"3\"\n",
    )
    .unwrap();
    generate(
        &common::basic(),
        &request(root.path().join("svc/notes-api"), &[]),
    )
    .unwrap();
    assert_eq!(
        fs::read_to_string(root.path().join("Cargo.toml")).unwrap(),
        "[workspace]\nresolver = \"3\"\nmembers = [\"svc/notes-api\"]\n"
    );
}

#[test]
fn a_members_glob_that_covers_the_service_is_left_alone() {
    let root = tempfile::tempdir().unwrap();
    let text = "[workspace]\nmembers = [\"services/*\"]\n";
    fs::write(root.path().join("Cargo.toml"), text).unwrap();
    let dest = root.path().join("services/notes-api");
    let generated = generate(&common::basic(), &request(dest.clone(), &[])).unwrap();
    assert!(matches!(
        generated.workspace,
        Some(Membership::AlreadyMember { .. })
    ));
    assert_eq!(
        fs::read_to_string(root.path().join("Cargo.toml")).unwrap(),
        text
    );
    assert!(
        !fs::read_to_string(dest.join("Cargo.toml"))
            .unwrap()
            .contains("[workspace]")
    );
}

#[test]
fn an_excluded_path_is_not_added() {
    let root = tempfile::tempdir().unwrap();
    let text = "[workspace]\nmembers = [\"services/*\"]\nexclude = [\"services/legacy\"]\n";
    fs::write(root.path().join("Cargo.toml"), text).unwrap();
    let dest = root.path().join("services/legacy/notes-api");
    let generated = generate(&common::basic(), &request(dest.clone(), &[])).unwrap();
    assert!(matches!(
        generated.workspace,
        Some(Membership::Excluded { .. })
    ));
    assert_eq!(
        fs::read_to_string(root.path().join("Cargo.toml")).unwrap(),
        text
    );
    // Excluded, it must stay a workspace of its own to build.
    assert!(
        fs::read_to_string(dest.join("Cargo.toml"))
            .unwrap()
            .contains("[workspace]")
    );
}

#[test]
fn a_package_manifest_between_is_skipped_on_the_way_up() {
    let root = tempfile::tempdir().unwrap();
    fs::write(
        root.path().join("Cargo.toml"),
        "[workspace]\nmembers = []\n",
    )
    .unwrap();
    fs::create_dir(root.path().join("tools")).unwrap();
    fs::write(
        root.path().join("tools/Cargo.toml"),
        "[package]\nname = \"tools\"\n",
    )
    .unwrap();
    let generated = generate(
        &common::basic(),
        &request(root.path().join("tools/notes-api"), &[]),
    )
    .unwrap();
    assert!(matches!(
        generated.workspace,
        Some(Membership::Added { ref member, .. }) if member == "tools/notes-api"
    ));
}

#[test]
fn the_workspace_target_folder_is_not_joined() {
    let root = tempfile::tempdir().unwrap();
    let text = "[workspace]\nmembers = [\"a\"]\n";
    fs::write(root.path().join("Cargo.toml"), text).unwrap();
    let dest = root.path().join("target/tmp/notes-api");
    let generated = generate(&common::basic(), &request(dest.clone(), &[])).unwrap();
    assert_eq!(generated.workspace, None);
    assert_eq!(
        fs::read_to_string(root.path().join("Cargo.toml")).unwrap(),
        text
    );
    assert!(
        fs::read_to_string(dest.join("Cargo.toml"))
            .unwrap()
            .contains("[workspace]")
    );
}

#[test]
fn a_broken_workspace_manifest_stops_before_writing() {
    let root = tempfile::tempdir().unwrap();
    fs::write(root.path().join("Cargo.toml"), "[workspace\n").unwrap();
    let error = generate(
        &common::basic(),
        &request(root.path().join("notes-api"), &[]),
    )
    .unwrap_err();
    assert!(matches!(error, Error::Workspace { .. }), "{error}");
    assert_only(root.path(), &["Cargo.toml"]);
}

fn git_available() -> bool {
    Command::new("git")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

fn git(dir: &Path, args: &[&str]) -> String {
    let output = Command::new("git")
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn git_init_commits_every_file() {
    if !git_available() {
        eprintln!("git is not installed; skipping");
        return;
    }
    let root = tempfile::tempdir().unwrap();
    let dest = root.path().join("notes-api");
    let mut request = request(dest.clone(), &[]);
    request.vcs = Vcs::Git;
    let generated = generate(&common::basic(), &request).unwrap();
    assert_eq!(generated.vcs, VcsOutcome::Initialized);
    let committed = git(&dest, &["ls-files"]);
    let mut committed: Vec<&str> = committed.lines().collect();
    committed.sort();
    let mut expected: Vec<&str> = generated.files.iter().map(String::as_str).collect();
    expected.sort();
    assert_eq!(committed, expected);
    assert!(git(&dest, &["status", "--porcelain"]).is_empty());
    assert!(
        git(&dest, &["log", "--format=%s"])
            .starts_with("Generate notes-api from template basic 1.2.3")
    );
}

#[test]
fn git_is_skipped_inside_a_work_tree() {
    if !git_available() {
        eprintln!("git is not installed; skipping");
        return;
    }
    let root = tempfile::tempdir().unwrap();
    git(root.path(), &["init", "--quiet"]);
    let dest = root.path().join("notes-api");
    let mut request = request(dest.clone(), &[]);
    request.vcs = Vcs::Git;
    let generated = generate(&common::basic(), &request).unwrap();
    assert_eq!(generated.vcs, VcsOutcome::InsideWorkTree);
    assert!(!dest.join(".git").exists());
}

#[test]
fn the_embedded_template_loads_when_present() {
    // The default template is written in parallel with the generator; until it has a
    // manifest this only checks that asking for it fails cleanly.
    match Template::embedded(paved_generator::DEFAULT_KIND) {
        Ok(template) => assert_eq!(template.source(), "templates/service"),
        Err(error) => assert!(
            matches!(
                error,
                Error::UnknownKind { .. } | Error::NotATemplate { .. }
            ),
            "{error}"
        ),
    }
    assert!(matches!(
        Template::embedded("no-such-kind"),
        Err(Error::UnknownKind { .. })
    ));
}

/// A template whose `Cargo.toml` declares no `[workspace]`, like the built-in service.
fn without_own_workspace() -> Template {
    common::template(&[
        ("template.toml", common::SMALL_MANIFEST),
        (
            "Cargo.toml.tera",
            "[package]\nname = \"{{ name }}\"\nversion = \"0.1.0\"\nedition = \"2024\"\n",
        ),
        ("src/lib.rs.tera", "//! {{ greeting }}\n"),
    ])
    .unwrap()
}

/// `cargo metadata --no-deps` on the generated crate: Cargo accepts its workspace layout.
fn assert_cargo_accepts(dest: &Path) {
    let output = Command::new(env!("CARGO"))
        .args([
            "metadata",
            "--no-deps",
            "--offline",
            "--format-version",
            "1",
        ])
        .arg("--manifest-path")
        .arg(dest.join("Cargo.toml"))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn an_excluded_service_gets_a_workspace_of_its_own() {
    // Cargo takes `exclude` entries as plain paths; paved also as globs, so without a
    // `[workspace]` of its own Cargo would refuse this one.
    let root = tempfile::tempdir().unwrap();
    let text = "[workspace]\nmembers = []\nexclude = [\"services/legacy-*\"]\n";
    fs::write(root.path().join("Cargo.toml"), text).unwrap();
    let dest = root.path().join("services/legacy-2019");
    let generated = generate(&without_own_workspace(), &request(dest.clone(), &[])).unwrap();
    assert!(matches!(
        generated.workspace,
        Some(Membership::Excluded { .. })
    ));
    assert_eq!(
        fs::read_to_string(root.path().join("Cargo.toml")).unwrap(),
        text
    );
    assert_eq!(
        fs::read_to_string(dest.join("Cargo.toml")).unwrap(),
        "[package]\nname = \"notes-api\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[workspace]\n"
    );
    assert_cargo_accepts(&dest);
}

#[test]
fn a_service_in_the_workspace_target_folder_gets_a_workspace_of_its_own() {
    let root = tempfile::tempdir().unwrap();
    let text = "[workspace]\nmembers = []\n";
    fs::write(root.path().join("Cargo.toml"), text).unwrap();
    let dest = root.path().join("target/tmp/notes-api");
    let generated = generate(&without_own_workspace(), &request(dest.clone(), &[])).unwrap();
    assert_eq!(generated.workspace, None);
    assert!(
        fs::read_to_string(dest.join("Cargo.toml"))
            .unwrap()
            .ends_with("\n[workspace]\n")
    );
    assert_cargo_accepts(&dest);
}

#[test]
fn outside_any_workspace_no_workspace_is_added() {
    let root = tempfile::tempdir().unwrap();
    let dest = root.path().join("notes-api");
    generate(&without_own_workspace(), &request(dest.clone(), &[])).unwrap();
    assert!(
        !fs::read_to_string(dest.join("Cargo.toml"))
            .unwrap()
            .contains("[workspace]")
    );
}

#[test]
fn a_member_service_is_accepted_by_cargo() {
    let root = tempfile::tempdir().unwrap();
    fs::write(
        root.path().join("Cargo.toml"),
        "[workspace]\nmembers = []\n",
    )
    .unwrap();
    let dest = root.path().join("notes-api");
    generate(&without_own_workspace(), &request(dest.clone(), &[])).unwrap();
    assert_cargo_accepts(&dest);
}

#[test]
fn a_bad_string_answer_is_refused_before_writing() {
    let root = tempfile::tempdir().unwrap();
    for value in ["he said \"hi\"", "two\nlines", "C:\\new"] {
        let error = generate(
            &common::basic(),
            &request(root.path().join("notes-api"), &[("description", value)]),
        )
        .unwrap_err();
        assert!(
            error.to_string().starts_with("invalid value `")
                && error.to_string().contains("` for `description`: contains "),
            "{error}"
        );
        assert_only(root.path(), &[]);
    }
}

#[test]
fn a_name_clashing_with_a_dependency_is_refused_before_writing() {
    let root = tempfile::tempdir().unwrap();
    let mut request = request(root.path().join("rusqlite"), &[]);
    request.name = "rusqlite".to_owned();
    let error = generate(&common::basic(), &request).unwrap_err();
    assert_eq!(
        error.to_string(),
        "the name `rusqlite` clashes with the dependency `rusqlite` of the generated Cargo.toml; pick another name"
    );
    assert_only(root.path(), &[]);
}

#[test]
fn an_uppercase_name_is_refused_before_writing() {
    let root = tempfile::tempdir().unwrap();
    let mut request = request(root.path().join("Foo"), &[]);
    request.name = "Foo".to_owned();
    let error = generate(&common::basic(), &request).unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("`Foo` has uppercase letters; use `foo` instead; "),
        "{error}"
    );
    assert_only(root.path(), &[]);
}

#[test]
fn a_file_on_the_way_to_the_destination_is_refused_before_writing() {
    let root = tempfile::tempdir().unwrap();
    fs::write(root.path().join("afile"), "").unwrap();
    for dest in ["afile/sub", "afile/sub/deeper"] {
        let dest = root.path().join(dest);
        let error = generate(&common::basic(), &request(dest.clone(), &[])).unwrap_err();
        assert_eq!(
            error.to_string(),
            format!(
                "`{}` is a file, not a folder, so `{}` cannot be created inside it",
                root.path().join("afile").display(),
                dest.display()
            )
        );
        assert_eq!(
            paved_generator::check_destination(&dest)
                .unwrap_err()
                .to_string(),
            error.to_string()
        );
        assert_only(root.path(), &["afile"]);
    }
}

#[cfg(unix)]
#[test]
fn a_read_only_workspace_manifest_is_refused_before_writing() {
    use std::os::unix::fs::PermissionsExt;
    let root = tempfile::tempdir().unwrap();
    let manifest = root.path().join("Cargo.toml");
    let text = "[workspace]\nmembers = []\n";
    fs::write(&manifest, text).unwrap();
    fs::set_permissions(&manifest, fs::Permissions::from_mode(0o444)).unwrap();
    let error = generate(
        &common::basic(),
        &request(root.path().join("notes-api"), &[]),
    )
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            "workspace `{}`: is read-only, so `notes-api` cannot be added to `workspace.members`; make it writable first",
            manifest.display()
        )
    );
    assert_only(root.path(), &["Cargo.toml"]);
    assert_eq!(fs::read_to_string(&manifest).unwrap(), text);
    assert_eq!(
        fs::metadata(&manifest).unwrap().permissions().mode() & 0o777,
        0o444
    );
}
