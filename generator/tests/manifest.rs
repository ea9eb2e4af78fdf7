//! `template.toml` parsing and validation: errors name the file, the line and what is
//! wrong.

mod common;

use paved_generator::{Error, Manifest, Value, VarType};

fn error(text: &str) -> String {
    match Manifest::parse("tpl/template.toml", text) {
        Err(e @ Error::Manifest { .. }) => e.to_string(),
        Err(other) => panic!("unexpected error kind: {other}"),
        Ok(_) => panic!("manifest was accepted:\n{text}"),
    }
}

const HEAD: &str = "[template]\nname = \"t\"\nversion = \"0.1.0\"\n";

#[test]
fn parses_the_basic_fixture_in_order() {
    let template = common::basic();
    let manifest = template.manifest();
    assert_eq!(manifest.name, "basic");
    assert_eq!(manifest.version, "1.2.3");
    let names: Vec<_> = manifest.variables.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(
        names,
        ["description", "owner", "storage", "port", "metrics"]
    );
    let port = manifest.variable("port").unwrap();
    assert_eq!(port.kind, VarType::Integer);
    assert_eq!(port.default, Some(Value::Integer(8080)));
    assert_eq!((port.min, port.max), (Some(1), Some(65535)));
    let storage = manifest.variable("storage").unwrap();
    assert_eq!(
        storage.choices,
        [Value::String("sqlite".into()), Value::String("none".into())]
    );
    assert_eq!(manifest.conditionals.len(), 2);
}

#[test]
fn the_manifest_and_cargo_generate_toml_are_not_template_files() {
    let template = common::basic();
    let paths: Vec<_> = template.files().iter().map(|f| f.path.as_str()).collect();
    assert!(!paths.contains(&"template.toml"));
    assert!(!paths.contains(&"cargo-generate.toml"));
    assert!(paths.contains(&"src/main.rs.tera"));
}

#[test]
fn invalid_toml_names_file_and_line() {
    let message = error(&format!("{HEAD}\n[[variables]\nname = \"x\"\n"));
    assert!(
        message.starts_with("tpl/template.toml: line 5: "),
        "{message}"
    );
}

#[test]
fn missing_template_table() {
    let message = error("[[variables]]\nname = \"x\"\ntype = \"string\"\n");
    assert!(message.starts_with("tpl/template.toml: "), "{message}");
    assert!(message.contains("missing field `template`"), "{message}");
}

#[test]
fn unknown_keys_are_refused_so_typos_surface() {
    let message = error(&format!(
        "{HEAD}[[variables]]\nname = \"port\"\ntype = \"integer\"\ndefualt = 1\n"
    ));
    assert!(message.contains("line 7: "), "{message}");
    assert!(message.contains("unknown field `defualt`"), "{message}");
}

#[test]
fn unknown_type() {
    let message = error(&format!(
        "{HEAD}[[variables]]\nname = \"x\"\ntype = \"float\"\n"
    ));
    assert!(message.contains("unknown variant `float`"), "{message}");
    assert!(message.contains("line 6"), "{message}");
}

#[test]
fn semantic_errors_name_the_variable_and_line() {
    let cases = [
        (
            "name = \"my-var\"\ntype = \"string\"",
            "line 4: variable name `my-var` must be letters, digits and `_` (no `-`), starting with a letter or `_`",
        ),
        (
            "name = \"name\"\ntype = \"string\"",
            "line 4: variable `name` is built in; the generator always provides name, crate_name, paved_version",
        ),
        (
            "name = \"port\"\ntype = \"integer\"\ndefault = \"8080\"",
            "line 4: variable `port`: `default` \"8080\" is not an integer",
        ),
        (
            "name = \"port\"\ntype = \"integer\"\ndefault = 70000\nmin = 1\nmax = 65535",
            "line 4: variable `port`: `default` 70000 must be between 1 and 65535",
        ),
        (
            "name = \"port\"\ntype = \"integer\"\nmin = 10\nmax = 1",
            "line 4: variable `port`: `min` (10) is greater than `max` (1)",
        ),
        (
            "name = \"owner\"\ntype = \"string\"\nregex = \"(\"",
            "line 4: variable `owner`: `regex` is not a valid pattern",
        ),
        (
            "name = \"owner\"\ntype = \"string\"\nregex = \"^@\"\ndefault = \"team\"",
            "line 4: variable `owner`: `default` team must match the pattern `^@`",
        ),
        (
            "name = \"storage\"\ntype = \"string\"\nchoices = [\"a\", \"b\"]\ndefault = \"c\"",
            "line 4: variable `storage`: `default` c must be one of: a, b",
        ),
        (
            "name = \"flag\"\ntype = \"bool\"\nmin = 1",
            "line 4: variable `flag`: `min` and `max` only apply to integer variables",
        ),
        (
            "name = \"flag\"\ntype = \"integer\"\nregex = \"x\"",
            "line 4: variable `flag`: `regex` only applies to string variables",
        ),
        (
            "name = \"and\"\ntype = \"bool\"",
            "line 4: variable name `and` is a Tera keyword and could not be referenced",
        ),
    ];
    for (variable, expected) in cases {
        let message = error(&format!("{HEAD}[[variables]]\n{variable}\n"));
        assert!(
            message.starts_with(&format!("tpl/template.toml: {expected}")),
            "expected `{expected}`, got `{message}`"
        );
    }
}

#[test]
fn duplicate_variables() {
    let var = "[[variables]]\nname = \"x\"\ntype = \"string\"\n";
    let message = error(&format!("{HEAD}{var}{var}"));
    assert_eq!(
        message,
        "tpl/template.toml: line 7: variable `x` is declared twice"
    );
}

#[test]
fn conditions_are_checked_when_the_template_loads() {
    let manifest = format!(
        "{}\n[conditional]\n\"x.txt\" = \"storag == 'sqlite'\"\n",
        common::SMALL_MANIFEST
    );
    let error = common::template(&[("template.toml", &manifest), ("x.txt", "x")]).unwrap_err();
    let message = error.to_string();
    assert!(message.starts_with("mem/template.toml: [conditional] \"x.txt\": condition `storag == 'sqlite'`: variable `storag` is not defined"), "{message}");

    let manifest = format!(
        "{}\n[conditional]\n\"x.txt\" = \"greeting ==\"\n",
        common::SMALL_MANIFEST
    );
    let error = common::template(&[("template.toml", &manifest), ("x.txt", "x")]).unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("mem/template.toml: [conditional] \"x.txt\": condition `greeting ==`: "),
        "{error}"
    );
}

#[test]
fn a_folder_without_template_toml_is_not_a_template() {
    let dir = tempfile::tempdir().unwrap();
    let error = paved_generator::Template::from_dir(dir.path()).unwrap_err();
    assert!(matches!(error, Error::NotATemplate { .. }));
    assert!(
        error
            .to_string()
            .ends_with("is not a template folder: it has no template.toml")
    );
}
