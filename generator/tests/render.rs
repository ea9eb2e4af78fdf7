//! Rendering in memory: strict Tera, byte-for-byte copies, path placeholders,
//! conditional files and the provenance in paved.toml.

mod common;

use paved_generator::{Error, OutputFile, Rendered, render};

fn rendered(pairs: &[(&str, &str)]) -> Rendered {
    render(&common::basic(), "notes-api", &common::answers(pairs)).expect("renders")
}

fn file<'a>(rendered: &'a Rendered, path: &str) -> &'a OutputFile {
    rendered
        .files
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("no `{path}` in {:?}", paths(rendered)))
}

fn text<'a>(rendered: &'a Rendered, path: &str) -> &'a str {
    std::str::from_utf8(&file(rendered, path).contents).unwrap()
}

fn paths(rendered: &Rendered) -> Vec<&str> {
    rendered.files.iter().map(|f| f.path.as_str()).collect()
}

#[test]
fn tera_files_are_rendered_and_lose_their_suffix() {
    let out = rendered(&[("port", "9000"), ("metrics", "no")]);
    assert_eq!(
        text(&out, "src/main.rs"),
        "//! A paved HTTP service\nuse notes_api::run;\n\nfn main() {\n    // <b>not HTML</b> & stays as written\n    run(9000, false);\n}\n"
    );
    assert!(!paths(&out).iter().any(|p| p.ends_with(".tera")));
}

#[test]
fn other_files_are_copied_byte_for_byte() {
    let template = common::basic();
    let out = rendered(&[]);
    for path in [
        ".github/workflows/ci.yml",
        "assets/logo.png",
        "src/storage/mod.rs",
    ] {
        let original = &template
            .files()
            .iter()
            .find(|f| f.path == path)
            .unwrap()
            .contents;
        assert_eq!(&file(&out, path).contents, original, "{path}");
    }
    assert!(
        text(&out, ".github/workflows/ci.yml").contains(r#"echo "${{ github.sha }}" {{ name }}"#)
    );
}

#[test]
fn executable_bits_are_kept() {
    let out = rendered(&[]);
    assert!(file(&out, "bin/run.sh").executable);
    assert!(!file(&out, "CODEOWNERS").executable);
}

#[test]
fn path_placeholders_are_rendered() {
    let out = rendered(&[]);
    assert_eq!(
        text(&out, "deploy/notes-api.service"),
        "[Service]\nExecStart=/usr/bin/notes-api serve\nEnvironment=APP__SERVER__PORT=8080\n"
    );
    assert!(paths(&out).contains(&"deploy/notes-api-backup.timer"));
}

#[test]
fn conditional_files_are_kept_when_the_condition_holds() {
    let out = rendered(&[("storage", "sqlite")]);
    let paths = paths(&out);
    assert!(paths.contains(&"src/storage/mod.rs"));
    assert!(paths.contains(&"deploy/notes-api-backup.timer"));
    assert!(text(&out, "Cargo.toml").contains("rusqlite"));
}

#[test]
fn conditional_files_are_dropped_when_it_does_not() {
    let out = rendered(&[("storage", "none")]);
    let paths = paths(&out);
    assert!(
        !paths.iter().any(|p| p.starts_with("src/storage")),
        "{paths:?}"
    );
    assert!(
        !paths.contains(&"deploy/notes-api-backup.timer"),
        "{paths:?}"
    );
    assert!(paths.contains(&"deploy/notes-api.service"));
    assert!(!text(&out, "Cargo.toml").contains("rusqlite"));
}

#[test]
fn a_conditional_pattern_naming_a_folder_covers_its_files() {
    let manifest = format!(
        "{}\n[conditional]\n\"src/extra\" = \"greeting == 'bye'\"\n",
        common::SMALL_MANIFEST
    );
    let template = common::template(&[
        ("template.toml", &manifest),
        ("src/extra/a.rs", "a"),
        ("src/extra/deep/b.rs", "b"),
        ("src/main.rs", "m"),
    ])
    .unwrap();
    let out = render(&template, "x", &common::answers(&[])).unwrap();
    assert_eq!(paths(&out), ["paved.toml", "src/main.rs"]);
    let out = render(&template, "x", &common::answers(&[("greeting", "bye")])).unwrap();
    assert_eq!(
        paths(&out),
        [
            "paved.toml",
            "src/extra/a.rs",
            "src/extra/deep/b.rs",
            "src/main.rs"
        ]
    );
}

#[test]
fn a_conditional_pattern_matching_nothing_is_an_error() {
    let manifest = format!(
        "{}\n[conditional]\n\"src/storgae/**\" = \"true\"\n",
        common::SMALL_MANIFEST
    );
    let template = common::template(&[("template.toml", &manifest), ("src/main.rs", "m")]).unwrap();
    let error = render(&template, "x", &common::answers(&[])).unwrap_err();
    assert_eq!(
        error.to_string(),
        "mem/template.toml: [conditional] \"src/storgae/**\" matches no file of the template"
    );
}

#[test]
fn an_undefined_variable_names_the_file_and_line() {
    let error = common::template(&[
        ("template.toml", common::SMALL_MANIFEST),
        ("a.txt.tera", "{{ greeting }}\n"),
        (
            "src/lib.rs.tera",
            "// {{ greeting }}\n\nfn {{ nmae }}() {}\n",
        ),
    ])
    .unwrap_err();
    let Error::Render {
        file,
        line,
        message,
    } = &error
    else {
        panic!("unexpected error {error}");
    };
    assert_eq!(file, "mem/src/lib.rs.tera");
    assert_eq!(*line, Some(3));
    assert!(
        message.starts_with("variable `nmae` is not defined"),
        "{message}"
    );
    assert!(
        error
            .to_string()
            .starts_with("mem/src/lib.rs.tera:3: variable `nmae` is not defined")
    );
}

#[test]
fn an_undefined_variable_in_a_branch_not_taken_is_still_an_error() {
    let error = common::template(&[
        ("template.toml", common::SMALL_MANIFEST),
        (
            "a.txt.tera",
            "one\n{% if greeting == 'never' %}\n{{ typo }}\n{% endif %}\n",
        ),
    ])
    .unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("mem/a.txt.tera:3: variable `typo` is not defined"),
        "{error}"
    );
}

#[test]
fn variables_set_in_the_template_and_loop_variables_are_defined() {
    let template = common::template(&[
        ("template.toml", common::SMALL_MANIFEST),
        (
            "a.txt.tera",
            "{% set loud = greeting | upper %}{{ loud }}{% for c in [1, 2] %}{{ c }}{% endfor %}",
        ),
    ])
    .unwrap();
    let out = render(&template, "x", &common::answers(&[])).unwrap();
    assert_eq!(text(&out, "a.txt"), "HELLO12");
}

#[test]
fn a_syntax_error_names_the_file_and_line() {
    let error = common::template(&[
        ("template.toml", common::SMALL_MANIFEST),
        ("a.txt.tera", "fine\n{% if greeting %}\nnever closed\n"),
    ])
    .unwrap_err();
    let Error::Render { file, line, .. } = &error else {
        panic!("unexpected error {error}");
    };
    assert_eq!(file, "mem/a.txt.tera");
    assert!(line.is_some(), "{error}");
}

#[test]
fn a_runtime_error_names_the_file_and_line() {
    let template = common::template(&[
        ("template.toml", common::SMALL_MANIFEST),
        ("a.txt.tera", "line one\n{{ greeting | round }}\n"),
    ])
    .unwrap();
    let error = render(&template, "x", &common::answers(&[])).unwrap_err();
    assert!(
        error.to_string().starts_with("mem/a.txt.tera:2: "),
        "{error}"
    );
}

#[test]
fn an_undefined_variable_in_a_file_name_is_an_error() {
    let error = common::template(&[
        ("template.toml", common::SMALL_MANIFEST),
        ("deploy/{{ nam }}.service", "x"),
    ])
    .unwrap_err();
    assert!(
        error.to_string().starts_with(
            "mem/deploy/{{ nam }}.service:1: in the file name: variable `nam` is not defined"
        ),
        "{error}"
    );
}

#[test]
fn a_file_name_may_not_escape_the_destination() {
    let template = common::template(&[
        ("template.toml", common::SMALL_MANIFEST),
        ("{{ greeting }}/x.txt", "x"),
    ])
    .unwrap();
    let error = render(&template, "x", &common::answers(&[("greeting", "..")])).unwrap_err();
    assert_eq!(
        error.to_string(),
        "mem/{{ greeting }}/x.txt: the file name renders to `../x.txt`, which has an empty, `.` or `..` component"
    );
}

#[test]
fn two_files_rendering_to_the_same_path_are_an_error() {
    let template = common::template(&[
        ("template.toml", common::SMALL_MANIFEST),
        ("a.txt", "plain"),
        ("a.txt.tera", "{{ greeting }}"),
    ])
    .unwrap();
    let error = render(&template, "x", &common::answers(&[])).unwrap_err();
    assert!(
        error
            .to_string()
            .contains("another template file also renders to `a.txt`"),
        "{error}"
    );
}

#[test]
fn the_output_is_not_html_escaped() {
    let template = common::template(&[
        ("template.toml", common::SMALL_MANIFEST),
        ("page.html.tera", "{{ greeting }}"),
    ])
    .unwrap();
    let out = render(
        &template,
        "x",
        &common::answers(&[("greeting", "<a href='x'>&</a>")]),
    )
    .unwrap();
    assert_eq!(text(&out, "page.html"), "<a href='x'>&</a>");
}

#[test]
fn answers_are_validated() {
    let template = common::basic();
    let cases = [
        (
            ("port", "http"),
            "invalid value `http` for `port`: must be an integer",
        ),
        (
            ("port", "0"),
            "invalid value `0` for `port`: must be between 1 and 65535",
        ),
        (
            ("storage", "mysql"),
            "invalid value `mysql` for `storage`: must be one of: sqlite, none",
        ),
        (
            ("owner", "platform"),
            "invalid value `platform` for `owner`: must match the pattern `^@[A-Za-z0-9][A-Za-z0-9_./-]*$`",
        ),
        (
            ("metrics", "maybe"),
            "invalid value `maybe` for `metrics`: must be true or false",
        ),
        (
            ("colour", "blue"),
            "unknown variable `colour`; template `basic` declares: description, owner, storage, port, metrics",
        ),
    ];
    for ((key, value), expected) in cases {
        let error = render(&template, "x", &common::answers(&[(key, value)])).unwrap_err();
        assert_eq!(error.to_string(), expected);
    }
}

#[test]
fn a_variable_without_default_needs_an_answer() {
    let manifest = "[template]\nname = \"t\"\nversion = \"1\"\n[[variables]]\nname = \"team\"\ntype = \"string\"\n";
    let template =
        common::template(&[("template.toml", manifest), ("a.tera", "{{ team }}")]).unwrap();
    let error = render(&template, "x", &common::answers(&[])).unwrap_err();
    assert_eq!(
        error.to_string(),
        "no value for `team`, and the template gives it no default"
    );
    let out = render(&template, "x", &common::answers(&[("team", "core")])).unwrap();
    assert_eq!(text(&out, "a"), "core");
}

#[test]
fn provenance_extends_the_templates_paved_toml() {
    let out = rendered(&[("storage", "none"), ("port", "9000")]);
    common::snapshots().bind(|| {
        insta::assert_snapshot!("provenance_extends_paved_toml", text(&out, "paved.toml"));
    });
}

#[test]
fn provenance_creates_paved_toml_when_the_template_has_none() {
    let template =
        common::template(&[("template.toml", common::SMALL_MANIFEST), ("a.txt", "a")]).unwrap();
    let out = render(&template, "x-y", &common::answers(&[])).unwrap();
    let doc: toml::Table = text(&out, "paved.toml").parse().unwrap();
    let expected: toml::Table = r#"
        [template]
        name = "small"
        version = "0.1.0"
        [template.answers]
        name = "x-y"
        greeting = "hello"
    "#
    .parse()
    .unwrap();
    assert_eq!(doc, expected);
}

#[test]
fn builtins_are_available() {
    let template = common::template(&[
        ("template.toml", common::SMALL_MANIFEST),
        (
            "a.txt.tera",
            "{{ name }} {{ crate_name }} {{ paved_version }}",
        ),
    ])
    .unwrap();
    let out = render(&template, "notes-api", &common::answers(&[])).unwrap();
    assert_eq!(
        text(&out, "a.txt"),
        format!("notes-api notes_api {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn trailing_newlines_and_raw_blocks_survive() {
    let template = common::template(&[
        ("template.toml", common::SMALL_MANIFEST),
        (
            "a.yml.tera",
            "x: {{ greeting }}\nsha: {% raw %}${{ github.sha }}{% endraw %}\n\n",
        ),
    ])
    .unwrap();
    let out = render(&template, "x", &common::answers(&[])).unwrap();
    assert_eq!(text(&out, "a.yml"), "x: hello\nsha: ${{ github.sha }}\n\n");
}

#[test]
fn string_answers_that_would_break_the_output_are_refused() {
    let template = common::basic();
    let cases = [
        (
            "line one\nline two",
            "invalid value `line one\\nline two` for `description`: contains a newline; string answers must be a single line without control characters",
        ),
        (
            "a\r",
            "invalid value `a\\r` for `description`: contains a carriage return;",
        ),
        (
            "a\tb",
            "invalid value `a\\tb` for `description`: contains a tab;",
        ),
        (
            "a\u{1b}[31m",
            "invalid value `a\\u{1b}[31m` for `description`: contains the control character U+001B;",
        ),
        (
            "he said \"hi\"",
            "invalid value `he said \"hi\"` for `description`: contains `\"`; string answers may not contain `\"` or `\\`",
        ),
        (
            "C:\\new",
            "invalid value `C:\\new` for `description`: contains `\\`; string answers may not contain",
        ),
    ];
    for (value, expected) in cases {
        let error = render(&template, "x", &common::answers(&[("description", value)]))
            .unwrap_err()
            .to_string();
        assert!(error.starts_with(expected), "{value:?}: {error}");
        let error =
            paved_generator::check_answers(&template, &common::answers(&[("description", value)]))
                .unwrap_err()
                .to_string();
        assert!(error.starts_with(expected), "{value:?}: {error}");
    }
    // Apostrophes, Unicode and HTML are fine.
    rendered(&[("description", "Bob's café <notes> & more")]);
}

#[test]
fn a_default_that_would_break_the_output_is_a_manifest_error() {
    let manifest = "[template]\nname = \"t\"\nversion = \"1\"\n[[variables]]\nname = \"team\"\ntype = \"string\"\ndefault = 'say \"hi\"'\n";
    let error = common::template(&[("template.toml", manifest), ("a.tera", "{{ team }}")])
        .unwrap_err()
        .to_string();
    assert!(
        error.starts_with(
            "mem/template.toml: line 4: variable `team`: `default` say \"hi\" contains `\"`"
        ),
        "{error}"
    );
}

fn clash_template(cargo_toml: &str) -> paved_generator::Template {
    common::template(&[
        ("template.toml", common::SMALL_MANIFEST),
        ("Cargo.toml.tera", cargo_toml),
    ])
    .unwrap()
}

#[test]
fn a_name_equal_to_a_dependency_is_refused() {
    let head = "[package]\nname = \"{{ name }}\"\nversion = \"0.1.0\"\n";
    let cases = [
        ("[dependencies]\ntokio = \"1\"\n", "tokio", "tokio"),
        (
            "[dependencies]\nserde_json = \"1\"\n",
            "serde-json",
            "serde_json",
        ),
        (
            "[dependencies]\ntower-http = \"0.7\"\n",
            "tower_http",
            "tower-http",
        ),
        (
            "[dependencies]\nrt = { package = \"tokio\", version = \"1\" }\n",
            "tokio",
            "tokio",
        ),
        (
            "[dev-dependencies]\nfutures-util = \"0.3\"\n",
            "futures-util",
            "futures-util",
        ),
        ("[build-dependencies]\ncc = \"1\"\n", "cc", "cc"),
        (
            "[target.'cfg(unix)'.dependencies]\nnix = \"0.30\"\n",
            "nix",
            "nix",
        ),
        (
            "[target.'cfg(windows)'.dev-dependencies.windows-sys]\nversion = \"0.60\"\n",
            "windows-sys",
            "windows-sys",
        ),
    ];
    for (deps, name, dependency) in cases {
        let template = clash_template(&format!("{head}{deps}"));
        let error = render(&template, name, &common::answers(&[])).unwrap_err();
        assert_eq!(
            error.to_string(),
            format!(
                "the name `{name}` clashes with the dependency `{dependency}` of the generated Cargo.toml; pick another name"
            ),
            "{deps}"
        );
    }
    // A different name, or a table that is not a dependency table, is fine.
    let template = clash_template(&format!(
        "{head}[dependencies]\ntokio = \"1\"\n[features]\nnotes = []\n"
    ));
    render(&template, "notes", &common::answers(&[])).unwrap();
    render(&template, "tokio-service", &common::answers(&[])).unwrap();
}

#[test]
fn the_service_template_refuses_its_own_dependencies_as_names() {
    let template = paved_generator::Template::embedded(paved_generator::DEFAULT_KIND).unwrap();
    for name in ["tokio", "axum", "serde", "serde-json", "paved_kit", "clap"] {
        let error = render(&template, name, &common::answers(&[])).unwrap_err();
        assert!(matches!(error, Error::NameClash { .. }), "{name}: {error}");
    }
}
