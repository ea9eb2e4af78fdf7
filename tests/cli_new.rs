//! `paved new` end to end through the binary: every bad input is refused with a message
//! and a hint, exit code 2, and nothing written; a good run prints what it made.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("generator/tests/fixtures/basic")
}

/// `paved new ...` run in `dir`, never prompting.
fn paved(dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_paved"));
    command.current_dir(dir).arg("new");
    command
}

fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Runs a command that must fail; returns stderr after checking the shape of the
/// report and that `dir` still holds exactly `left`.
fn fails(command: &mut Command, dir: &Path, left: &[&str]) -> String {
    let output = command.output().unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(2), "stderr: {stderr}");
    assert!(
        output.stdout.is_empty(),
        "stdout: {}",
        String::from_utf8_lossy(&output.stdout)
    );
    let lines: Vec<&str> = stderr.lines().collect();
    assert!(lines.len() >= 2, "{stderr}");
    assert!(lines[0].starts_with("error: "), "{stderr}");
    assert!(lines.last().unwrap().starts_with("hint: "), "{stderr}");
    assert_eq!(
        entries(dir),
        left,
        "nothing may be written; stderr: {stderr}"
    );
    stderr
}

#[test]
fn every_bad_name_is_refused_before_writing() {
    let cases = [
        (
            "",
            "error: the name is empty; a service name is a valid crate name such as `notes-api`",
        ),
        (
            "my/app",
            "error: `my/app` contains a path separator; a service name is",
        ),
        ("..", "error: `..` is a relative path, not a name"),
        (
            "my.app",
            "error: `my.app` contains `.`, which is not allowed",
        ),
        (
            "my app",
            "error: `my app` contains ' ', which is not allowed",
        ),
        ("9lives", "error: `9lives` starts with `9`, not a letter"),
        ("async", "error: `async` is a Rust keyword"),
        ("test", "error: `test` is reserved by Cargo"),
        ("con", "error: `con` is a reserved file name on Windows"),
    ];
    for (name, expected) in cases {
        let dir = tempfile::tempdir().unwrap();
        let stderr = fails(
            paved(dir.path())
                .args(["--yes", "--vcs", "none", "--template"])
                .arg(fixture())
                .arg(name),
            dir.path(),
            &[],
        );
        assert!(stderr.starts_with(expected), "name {name:?}: {stderr}");
        assert!(
            stderr.contains("hint: for example `paved new notes-api`"),
            "{stderr}"
        );
    }
}

#[test]
fn a_name_that_looks_like_a_flag_is_taken_by_clap() {
    let dir = tempfile::tempdir().unwrap();
    let output = paved(dir.path()).arg("--nope").output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(entries(dir.path()).is_empty());
}

#[test]
fn an_existing_destination_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("notes-api")).unwrap();
    let stderr = fails(
        paved(dir.path())
            .args(["notes-api", "--yes", "--vcs", "none", "--template"])
            .arg(fixture()),
        dir.path(),
        &["notes-api"],
    );
    assert_eq!(
        stderr,
        "error: destination `notes-api` already exists\n\
         hint: choose another --dest or remove it first; paved never writes into an existing path\n"
    );
    assert!(entries(&dir.path().join("notes-api")).is_empty());
}

#[test]
fn an_existing_dest_flag_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("taken"), "mine").unwrap();
    let stderr = fails(
        paved(dir.path())
            .args(["notes-api", "--yes", "--dest", "taken", "--template"])
            .arg(fixture()),
        dir.path(),
        &["taken"],
    );
    assert!(
        stderr.starts_with("error: destination `taken` already exists"),
        "{stderr}"
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("taken")).unwrap(),
        "mine"
    );
}

/// A scratch folder holding a broken template at `tpl/`; generation goes to `out/`.
struct Scratch {
    root: tempfile::TempDir,
}

impl Scratch {
    fn new(files: &[(&str, &str)]) -> Scratch {
        let root = tempfile::tempdir().unwrap();
        fs::create_dir_all(root.path().join("tpl")).unwrap();
        fs::create_dir_all(root.path().join("out")).unwrap();
        for (path, contents) in files {
            let path = root.path().join("tpl").join(path);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, contents).unwrap();
        }
        Scratch { root }
    }

    fn out(&self) -> PathBuf {
        self.root.path().join("out")
    }

    fn run(&self, extra: &[&str]) -> String {
        let mut command = paved(&self.out());
        command
            .args(["notes-api", "--yes", "--vcs", "none", "--template"])
            .arg(self.root.path().join("tpl"))
            .args(extra);
        fails(&mut command, &self.out(), &[])
    }
}

const MANIFEST: &str = "[template]\nname = \"t\"\nversion = \"0.1.0\"\n\n[[variables]]\nname = \"greeting\"\ntype = \"string\"\ndefault = \"hello\"\n";

#[test]
fn a_template_folder_without_manifest() {
    let scratch = Scratch::new(&[("README.md", "not a template")]);
    let stderr = scratch.run(&[]);
    assert!(stderr.starts_with("error: `"), "{stderr}");
    assert!(
        stderr.contains("is not a template folder: it has no template.toml"),
        "{stderr}"
    );
    assert!(
        stderr.contains("hint: --template takes a folder with a template.toml"),
        "{stderr}"
    );
}

#[test]
fn a_missing_template_folder() {
    let dir = tempfile::tempdir().unwrap();
    let stderr = fails(
        paved(dir.path()).args(["notes-api", "--yes", "--template", "no-such-dir"]),
        dir.path(),
        &[],
    );
    assert!(
        stderr.starts_with("error: `no-such-dir` is not a template folder"),
        "{stderr}"
    );
}

#[test]
fn a_manifest_that_is_not_toml() {
    let scratch = Scratch::new(&[("template.toml", "[template\nname = 1\n")]);
    let stderr = scratch.run(&[]);
    assert!(stderr.contains("/tpl/template.toml: line 1: "), "{stderr}");
    assert!(stderr.contains("hint: fix the template"), "{stderr}");
}

#[test]
fn a_syntax_error_in_a_tera_file() {
    let scratch = Scratch::new(&[
        ("template.toml", MANIFEST),
        ("src/main.rs.tera", "fn main() {\n    {{ greeting \n}\n"),
    ]);
    let stderr = scratch.run(&[]);
    assert!(stderr.contains("/tpl/src/main.rs.tera:"), "{stderr}");
}

#[test]
fn an_undefined_variable_in_a_tera_file() {
    let scratch = Scratch::new(&[
        ("template.toml", MANIFEST),
        ("README.md.tera", "# {{ name }}\n\n{{ descripton }}\n"),
    ]);
    let stderr = scratch.run(&[]);
    assert!(
        stderr.contains("/tpl/README.md.tera:3: variable `descripton` is not defined"),
        "{stderr}"
    );
}

#[test]
fn a_render_failure_midway_leaves_nothing() {
    let scratch = Scratch::new(&[
        ("template.toml", MANIFEST),
        ("a.txt.tera", "{{ greeting }}"),
        ("b.txt", "b"),
        ("c.txt.tera", "{{ greeting }}"),
        ("d.txt.tera", "{{ greeting }}"),
        ("e.txt.tera", "one\ntwo {{ greeting | round }}\n"),
        ("f.txt.tera", "{{ greeting }}"),
    ]);
    let stderr = scratch.run(&[]);
    assert!(stderr.contains("/tpl/e.txt.tera:2: "), "{stderr}");
}

#[test]
fn a_write_failure_midway_leaves_no_temporary_folder() {
    let scratch = Scratch::new(&[
        ("template.toml", MANIFEST),
        ("a.txt", "a"),
        ("z/{{ greeting }}.txt", "too long a name"),
    ]);
    let long = format!("greeting={}", "x".repeat(300));
    let stderr = scratch.run(&["--define", &long]);
    assert!(stderr.starts_with("error: could not write `"), "{stderr}");
}

#[test]
fn bad_answers_are_refused() {
    let cases: [(&[&str], &str); 5] = [
        (
            &["--port", "http"],
            "error: invalid value `http` for `port`: must be an integer\nhint: nothing was written; run again with a valid `port`\n",
        ),
        (
            &["--storage", "mysql"],
            "error: invalid value `mysql` for `storage`: must be one of: sqlite, none\n",
        ),
        (
            &["--owner", "platform"],
            "error: invalid value `platform` for `owner`: must match the pattern",
        ),
        (
            &["-d", "colour=blue"],
            "error: unknown variable `colour`; template `basic` declares: description, owner, storage, port, metrics\nhint: set a template variable with --define KEY=VALUE",
        ),
        (
            &["-d", "colour"],
            "error: `--define colour` is not of the form KEY=VALUE\nhint: for example `--define port=9000`\n",
        ),
    ];
    for (args, expected) in cases {
        let dir = tempfile::tempdir().unwrap();
        let stderr = fails(
            paved(dir.path())
                .args(["notes-api", "--yes", "--vcs", "none", "--template"])
                .arg(fixture())
                .args(args),
            dir.path(),
            &[],
        );
        assert!(stderr.starts_with(expected), "{args:?}: {stderr}");
    }
}

#[test]
fn generates_from_a_template_folder() {
    let dir = tempfile::tempdir().unwrap();
    let output = paved(dir.path())
        .args([
            "notes-api",
            "--yes",
            "--vcs",
            "none",
            "--storage",
            "none",
            "--port",
            "9000",
        ])
        .args(["--define", "metrics=false", "--template"])
        .arg(fixture())
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.stderr.is_empty());
    insta::with_settings!({
        snapshot_path => concat!(env!("CARGO_MANIFEST_DIR"), "/snapshots/generator"),
        prepend_module_to_snapshot => false,
    }, {
        insta::assert_snapshot!("cli_new_success_stdout", stdout);
    });
    let dest = dir.path().join("notes-api");
    assert_eq!(entries(dir.path()), ["notes-api"]);
    let main = fs::read_to_string(dest.join("src/main.rs")).unwrap();
    assert!(main.contains("run(9000, false);"), "{main}");
    assert!(!dest.join("src/storage").exists());
    let paved_toml = fs::read_to_string(dest.join("paved.toml")).unwrap();
    assert!(paved_toml.contains("storage = \"none\""), "{paved_toml}");
    assert!(!dest.join(".git").exists());
}

#[test]
fn dest_flag_and_workspace_membership() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("Cargo.toml"),
        "[workspace]\nmembers = [\"libs/a\"]\n",
    )
    .unwrap();
    let output = paved(dir.path())
        .args([
            "billing",
            "--yes",
            "--vcs",
            "none",
            "--dest",
            "services/billing",
            "--template",
        ])
        .arg(fixture())
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.contains("Added `services/billing` to the workspace members in "),
        "{stdout}"
    );
    assert!(stdout.contains("  cd services/billing\n"), "{stdout}");
    assert_eq!(
        fs::read_to_string(dir.path().join("Cargo.toml")).unwrap(),
        "[workspace]\nmembers = [\"libs/a\", \"services/billing\"]\n"
    );
    let manifest = fs::read_to_string(dir.path().join("services/billing/Cargo.toml")).unwrap();
    assert!(!manifest.contains("[workspace]"), "{manifest}");
}

#[test]
fn without_a_terminal_defaults_are_taken_without_yes() {
    let dir = tempfile::tempdir().unwrap();
    paved(dir.path())
        .args(["notes-api", "--vcs", "none", "--template"])
        .arg(fixture())
        .write_stdin("")
        .assert()
        .success();
    let paved_toml = fs::read_to_string(dir.path().join("notes-api/paved.toml")).unwrap();
    assert!(paved_toml.contains("port = 8080"), "{paved_toml}");
}

#[test]
fn an_unknown_kind_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let stderr = fails(
        paved(dir.path()).args(["notes-api", "--yes", "--kind", "queue-wroker"]),
        dir.path(),
        &[],
    );
    assert!(
        stderr.starts_with("error: there is no built-in template of kind `queue-wroker`; "),
        "{stderr}"
    );
}

#[test]
fn template_paths_in_errors_are_normalised() {
    let scratch = Scratch::new(&[("template.toml", "[template]\n")]);
    let mut command = paved(&scratch.out());
    command
        .args(["notes-api", "--yes", "--template"])
        .arg(format!("{}/", scratch.root.path().join("tpl").display()));
    let stderr = fails(&mut command, &scratch.out(), &[]);
    assert!(stderr.contains("/tpl/template.toml: "), "{stderr}");
    assert!(!stderr.contains("//"), "{stderr}");
}

#[test]
fn string_answers_that_would_break_the_service_are_refused() {
    let cases = [
        (
            "he said \"hi\"",
            "error: invalid value `he said \"hi\"` for `description`: contains `\"`; string answers may not contain `\"` or `\\`",
        ),
        (
            "first\nsecond",
            "error: invalid value `first\\nsecond` for `description`: contains a newline; string answers must be a single line without control characters\n",
        ),
        (
            "C:\\new",
            "error: invalid value `C:\\new` for `description`: contains `\\`;",
        ),
    ];
    for (value, expected) in cases {
        for template in [None, Some(fixture())] {
            let dir = tempfile::tempdir().unwrap();
            let mut command = paved(dir.path());
            command.args(["svc", "--yes", "--vcs", "none", "--description", value]);
            if let Some(template) = &template {
                command.arg("--template").arg(template);
            }
            let stderr = fails(&mut command, dir.path(), &[]);
            assert!(stderr.starts_with(expected), "{value:?}: {stderr}");
            assert!(
                stderr
                    .ends_with("hint: nothing was written; run again with a valid `description`\n"),
                "{stderr}"
            );
        }
    }
}

#[test]
fn a_name_equal_to_a_dependency_of_the_service_is_refused() {
    for name in ["tokio", "axum", "serde", "serde-json"] {
        let dir = tempfile::tempdir().unwrap();
        let stderr = fails(
            paved(dir.path()).args([name, "--yes", "--vcs", "none"]),
            dir.path(),
            &[],
        );
        let dependency = name.replace('-', "_");
        assert_eq!(
            stderr,
            format!(
                "error: the name `{name}` clashes with the dependency `{dependency}` of the generated Cargo.toml; pick another name\n\
                 hint: for example `paved new {name}-service`; nothing was written\n"
            )
        );
    }
}

#[test]
fn an_uppercase_name_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let stderr = fails(
        paved(dir.path()).args(["Foo", "--yes", "--vcs", "none"]),
        dir.path(),
        &[],
    );
    assert!(
        stderr.starts_with("error: `Foo` has uppercase letters; use `foo` instead; "),
        "{stderr}"
    );
}

#[test]
fn a_file_on_the_way_to_the_dest_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("afile"), "mine").unwrap();
    let stderr = fails(
        paved(dir.path()).args(["x", "--yes", "--vcs", "none", "--dest", "afile/sub"]),
        dir.path(),
        &["afile"],
    );
    assert_eq!(
        stderr,
        "error: `afile` is a file, not a folder, so `afile/sub` cannot be created inside it\n\
         hint: choose a --dest whose existing parents are folders; nothing was written\n"
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("afile")).unwrap(),
        "mine"
    );
}

#[cfg(unix)]
#[test]
fn a_read_only_workspace_manifest_is_refused() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let manifest = dir.path().join("Cargo.toml");
    fs::write(&manifest, "[workspace]\nmembers = []\n").unwrap();
    fs::set_permissions(&manifest, fs::Permissions::from_mode(0o444)).unwrap();
    let stderr = fails(
        paved(dir.path())
            .args(["billing", "--yes", "--vcs", "none", "--template"])
            .arg(fixture()),
        dir.path(),
        &["Cargo.toml"],
    );
    assert!(
        stderr.starts_with("error: workspace `")
            && stderr.contains(
                "Cargo.toml`: is read-only, so `billing` cannot be added to `workspace.members`; make it writable first\n"
            ),
        "{stderr}"
    );
    assert_eq!(
        fs::read_to_string(&manifest).unwrap(),
        "[workspace]\nmembers = []\n"
    );
    assert_eq!(
        fs::metadata(&manifest).unwrap().permissions().mode() & 0o777,
        0o444
    );
}

#[test]
fn an_excluded_dest_builds_on_its_own() {
    let dir = tempfile::tempdir().unwrap();
    let text = "[workspace]\nmembers = []\nexclude = [\"legacy-*\"]\n";
    fs::write(dir.path().join("Cargo.toml"), text).unwrap();
    let output = paved(dir.path())
        .args([
            "billing",
            "--yes",
            "--vcs",
            "none",
            "--dest",
            "legacy-billing",
        ])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("Cargo.toml")).unwrap(),
        text
    );
    let manifest = dir.path().join("legacy-billing/Cargo.toml");
    // A workspace of its own, with the house kit as its member.
    let own = fs::read_to_string(&manifest).unwrap();
    assert!(
        own.contains("\n[workspace]\nmembers = [\"kit\"]\n"),
        "{own}"
    );
    let metadata = std::process::Command::new(env!("CARGO"))
        .args([
            "metadata",
            "--no-deps",
            "--offline",
            "--format-version",
            "1",
        ])
        .arg("--manifest-path")
        .arg(&manifest)
        .output()
        .unwrap();
    assert!(
        metadata.status.success(),
        "{}",
        String::from_utf8_lossy(&metadata.stderr)
    );
}

/// Imports and paths that hold the crate name must not wrap differently with a long
/// one: a service named with 64 characters stays `cargo fmt --check` clean (the kit
/// included, as a member of the service's workspace).
#[test]
fn a_64_character_name_stays_rustfmt_clean() {
    let dir = tempfile::tempdir().unwrap();
    let name = format!("a{}", "-long-name".repeat(7))
        .chars()
        .take(64)
        .collect::<String>();
    assert_eq!(name.len(), 64);
    for storage in ["sqlite", "none"] {
        let dest = dir.path().join(storage);
        let output = paved(dir.path())
            .args([
                name.as_str(),
                "--yes",
                "--vcs",
                "none",
                "--storage",
                storage,
            ])
            .arg("--dest")
            .arg(&dest)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let stdout = String::from_utf8(output.stdout).unwrap();
        let kit_line = format!("Wrote the house kit to `{}`", dest.join("kit").display());
        assert!(stdout.contains(&kit_line), "{stdout}");
        let fmt = std::process::Command::new(env!("CARGO"))
            .args(["fmt", "--all", "--check"])
            .current_dir(&dest)
            .output()
            .unwrap();
        assert!(
            fmt.status.success(),
            "{storage}: cargo fmt --check:\n{}{}",
            String::from_utf8_lossy(&fmt.stdout),
            String::from_utf8_lossy(&fmt.stderr)
        );
    }
}

/// `paved new` says where the house kit went: written at the workspace's kit folder by
/// the first service, reused (and named) by the second.
#[test]
fn the_output_says_where_the_kit_is() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("Cargo.toml"), "[workspace]\nmembers = []\n").unwrap();
    let new = |name: &str| {
        let output = paved(dir.path())
            .args([name, "--yes", "--vcs", "none", "--storage", "none"])
            .args(["--dest", &format!("services/{name}")])
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    };
    let first = new("billing");
    assert!(first.contains("Wrote the house kit to `"), "{first}");
    assert!(
        first.contains("kit` (shared by the workspace's services"),
        "{first}"
    );
    assert!(!first.contains("Reused"), "{first}");
    let second = new("invoices");
    assert!(
        second.contains("Reused the workspace's house kit at `"),
        "{second}"
    );
    assert!(!second.contains("Wrote the house kit"), "{second}");
    assert!(dir.path().join("kit/Cargo.toml").is_file());
}
