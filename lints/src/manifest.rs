//! Reads `Cargo.toml` with spans: the package, its dependencies (renamed, inherited from the
//! workspace, target-specific) and the workspace's own dependency table.

use crate::diagnostic::Position;
use crate::line_index::LineIndex;
use crate::model::DepKind;
use std::collections::HashMap;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// A dependency entry as written, before workspace inheritance is resolved.
#[derive(Debug, Clone)]
pub struct RawDependency {
    pub key: String,
    /// `package = ".."`, when given.
    pub package: Option<String>,
    /// `workspace = true`.
    pub inherited: bool,
    /// `optional = true`: only built with a feature.
    pub optional: bool,
    /// Optional, but the `default` feature turns it on: `cargo build` builds it.
    pub built_by_default: bool,
    /// `features = [..]` as written on the entry.
    pub features: Vec<String>,
    /// `default-features = false` is not written on the entry.
    pub default_features: bool,
    pub kind: DepKind,
    pub target: Option<String>,
    pub start: Position,
    pub end: Position,
}

#[derive(Debug, Default)]
pub struct ParsedManifest {
    /// `[package] name` and the line of the `[package]` header.
    pub package: Option<(String, u32)>,
    pub deps: Vec<RawDependency>,
    pub declares_bin: bool,
    /// `[package] build = "..."`: a build script at another path than `build.rs`.
    pub build_script: Option<String>,
    /// `[workspace.dependencies]`: key -> real package name; `Some` when `[workspace]` exists.
    pub workspace_deps: Option<HashMap<String, String>>,
    /// `[workspace] exclude`: folders, relative to the workspace root, that are not members.
    pub workspace_exclude: Vec<String>,
    /// The `path`s of `[[test]]`, `[[bench]]` and `[[example]]` targets: test code.
    pub test_target_paths: Vec<String>,
    /// The `[[bin]]` targets: name and `path` when given.
    pub bins: Vec<(String, Option<String>)>,
    /// `[lib] path`, when given.
    pub lib_path: Option<String>,
    /// `[package] publish = false`.
    pub publish_false: bool,
    /// `[lib] proc-macro = true`.
    pub proc_macro: bool,
    /// `[lib] crate-type` lists only `cdylib`/`staticlib`, or lists one of them with
    /// `test = false`: a library loaded by another language (a Python or Node extension, a
    /// PAM/NSS module, a C library's extension), tested from that side.
    pub foreign_host_only: bool,
    /// Native bindings to a C library: `links = ".."`, `bindgen` as a build dependency, or
    /// a package named `..-sys`/`..-ffi` by cargo's convention. The C library's own suite
    /// and the safe wrapper above tests them.
    pub native_bindings: bool,
    /// `[lib] doctest = false`: the examples in its documentation never run as tests.
    pub doctest_off: bool,
    /// `[lib] test = false` with `[package] autotests = false`: the team turned every test
    /// of the crate off on purpose.
    pub tests_off: bool,
    /// `[package.metadata.paved] role = ".."`, with the position of its value.
    pub stated_role: Option<(String, Position)>,
}

/// A TOML file that does not parse: where and why.
#[derive(Debug, Clone)]
pub struct TomlError {
    pub start: Position,
    pub end: Position,
    pub message: String,
}

/// Parses TOML keeping spans, turning an error into a position and message.
pub fn parse_toml(text: &str) -> Result<Spanned<DeTable<'_>>, TomlError> {
    DeTable::parse(text).map_err(|e| {
        let index = LineIndex::new(text);
        let span = e.span().unwrap_or(0..0);
        let start = index.position(span.start);
        let end = index.position(span.end.max(span.start + 1));
        TomlError {
            start,
            end: if end.line == start.line {
                end
            } else {
                Position::new(start.line, start.column + 1)
            },
            message: e.message().trim().to_string(),
        }
    })
}

fn entries<'a, 'i>(
    table: &'a DeTable<'i>,
) -> impl Iterator<
    Item = (
        &'a str,
        &'a Spanned<toml::de::DeString<'i>>,
        &'a DeValue<'i>,
    ),
> {
    table
        .iter()
        .map(|(k, v)| (k.get_ref().as_ref(), k, v.get_ref()))
}

fn sub_table<'a, 'i>(table: &'a DeTable<'i>, name: &str) -> Option<&'a DeTable<'i>> {
    entries(table).find_map(|(k, _, v)| match v {
        DeValue::Table(t) if k == name => Some(t),
        _ => None,
    })
}

fn string_field(table: &DeTable<'_>, name: &str) -> Option<String> {
    entries(table).find_map(|(k, _, v)| match v {
        DeValue::String(s) if k == name => Some(s.to_string()),
        _ => None,
    })
}

pub fn parse(text: &str) -> Result<ParsedManifest, TomlError> {
    let doc = parse_toml(text)?;
    let root = doc.get_ref();
    let index = LineIndex::new(text);
    let mut out = ParsedManifest::default();

    if let Some(package) = sub_table(root, "package") {
        let name = string_field(package, "name").unwrap_or_default();
        // The span of the `package` key: the line of its `[package]` header, however
        // it is spaced or commented.
        let line = entries(root)
            .find(|(k, _, _)| *k == "package")
            .map_or(1, |(_, key, _)| index.position(key.span().start).line);
        out.native_bindings = name.ends_with("-sys")
            || name.ends_with("-ffi")
            || entries(package).any(|(k, _, _)| k == "links");
        out.package = Some((name, line));
        out.build_script = string_field(package, "build");
        out.publish_false = entries(package)
            .any(|(k, _, v)| k == "publish" && matches!(v, DeValue::Boolean(false)));
        out.stated_role = sub_table(package, "metadata")
            .and_then(|m| sub_table(m, "paved"))
            .and_then(|p| {
                entries(p).find_map(|(k, key, v)| match v {
                    DeValue::String(s) if k == "role" => {
                        Some((s.to_string(), index.position(key.span().start)))
                    }
                    _ => None,
                })
            });
    }
    out.declares_bin = entries(root).any(|(k, _, _)| k == "bin");
    out.proc_macro = sub_table(root, "lib").is_some_and(|lib| {
        entries(lib).any(|(k, _, v)| {
            matches!(k, "proc-macro" | "proc_macro") && matches!(v, DeValue::Boolean(true))
        })
    });
    if let Some(lib) = sub_table(root, "lib") {
        out.lib_path = string_field(lib, "path");
        let lib_test_off =
            entries(lib).any(|(k, _, v)| k == "test" && matches!(v, DeValue::Boolean(false)));
        let foreign = |t: &Spanned<DeValue<'_>>| matches!(t.get_ref(), DeValue::String(s) if matches!(&**s, "cdylib" | "staticlib"));
        // Only foreign hosts load it; or they load it too and its Rust tests are off.
        out.foreign_host_only = entries(lib).any(|(k, _, v)| match v {
            DeValue::Array(types) if matches!(k, "crate-type" | "crate_type") => {
                !types.is_empty()
                    && (types.iter().all(foreign) || (lib_test_off && types.iter().any(foreign)))
            }
            _ => false,
        });
        out.doctest_off =
            entries(lib).any(|(k, _, v)| k == "doctest" && matches!(v, DeValue::Boolean(false)));
        // Only with `autotests = false` too: `test = false` alone is often a build-time
        // saving on a crate that is meant to get tests.
        let autotests_off = sub_table(root, "package").is_some_and(|p| {
            entries(p).any(|(k, _, v)| k == "autotests" && matches!(v, DeValue::Boolean(false)))
        });
        out.tests_off = autotests_off && lib_test_off;
    }
    out.bins = target_tables(root, "bin")
        .map(|t| {
            (
                string_field(t, "name").unwrap_or_default(),
                string_field(t, "path"),
            )
        })
        .collect();
    out.test_target_paths = ["test", "bench", "example"]
        .into_iter()
        .flat_map(|kind| target_tables(root, kind))
        .filter_map(|t| string_field(t, "path"))
        .collect();

    let kinds = [
        ("dependencies", DepKind::Normal),
        ("dev-dependencies", DepKind::Dev),
        ("dev_dependencies", DepKind::Dev),
        ("build-dependencies", DepKind::Build),
        ("build_dependencies", DepKind::Build),
    ];
    let mut read_tables = |table: &DeTable<'_>, target: Option<&str>| {
        for (name, kind) in kinds {
            if let Some(deps) = sub_table(table, name) {
                for (key, spanned_key, value) in entries(deps) {
                    let span = spanned_key.span();
                    let flag = |t: &DeTable<'_>, name: &str| {
                        entries(t).any(|(k, _, v)| k == name && matches!(v, DeValue::Boolean(true)))
                    };
                    let (package, inherited, optional, features) = match value {
                        DeValue::Table(t) => (
                            string_field(t, "package"),
                            flag(t, "workspace"),
                            flag(t, "optional"),
                            string_array(t, "features"),
                        ),
                        _ => (None, false, false, Vec::new()),
                    };
                    let default_features = !matches!(value, DeValue::Table(t)
                    if entries(t).any(|(k, _, v)| {
                        matches!(k, "default-features" | "default_features")
                            && matches!(v, DeValue::Boolean(false))
                    }));
                    out.deps.push(RawDependency {
                        key: key.to_string(),
                        package,
                        inherited,
                        optional,
                        built_by_default: false,
                        features,
                        default_features,
                        kind,
                        target: target.map(String::from),
                        start: index.position(span.start),
                        end: index.position(span.end),
                    });
                }
            }
        }
    };
    read_tables(root, None);
    if let Some(targets) = sub_table(root, "target") {
        for (cfg, _, value) in entries(targets) {
            if let DeValue::Table(t) = value {
                read_tables(t, Some(cfg));
            }
        }
    }
    out.native_bindings |= out
        .deps
        .iter()
        .any(|d| d.kind == DepKind::Build && d.key == "bindgen");
    if let Some(features) = sub_table(root, "features") {
        let built = built_by_default(features);
        for dep in out.deps.iter_mut().filter(|d| built.contains(&d.key)) {
            dep.built_by_default = true;
        }
    }

    if let Some(ws) = sub_table(root, "workspace") {
        let mut deps = HashMap::new();
        if let Some(table) = sub_table(ws, "dependencies") {
            for (key, _, value) in entries(table) {
                let package = match value {
                    DeValue::Table(t) => string_field(t, "package"),
                    _ => None,
                };
                deps.insert(key.to_string(), package.unwrap_or_else(|| key.to_string()));
            }
        }
        out.workspace_deps = Some(deps);
        out.workspace_exclude = string_array(ws, "exclude");
    }
    Ok(out)
}

/// The features a crate's own runtime dependency entries turn on, as `package/feature`
/// (`tokio/time`), sorted: what a fix may rely on (see `FileCx::crate_enables`).
pub fn enabled_features(parsed: &ParsedManifest) -> Vec<String> {
    let mut out: Vec<String> = parsed
        .deps
        .iter()
        .filter(|d| d.kind == DepKind::Normal && d.target.is_none())
        .flat_map(|d| {
            let package = d.package.as_deref().unwrap_or(&d.key);
            d.features.iter().map(move |f| format!("{package}/{f}"))
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The tables of an array of tables such as `[[test]]`.
fn target_tables<'a, 'i>(
    root: &'a DeTable<'i>,
    kind: &'a str,
) -> impl Iterator<Item = &'a DeTable<'i>> + 'a {
    entries(root)
        .filter(move |(k, _, _)| *k == kind)
        .flat_map(|(_, _, v)| match v {
            DeValue::Array(items) => items.iter().collect::<Vec<_>>(),
            _ => Vec::new(),
        })
        .filter_map(|item| match item.get_ref() {
            DeValue::Table(t) => Some(t),
            _ => None,
        })
}

/// The optional dependencies that the `default` feature turns on, through the features it
/// names (`default = ["http"]`, `http = ["dep:axum"]`): `cargo build` builds them, so
/// they are part of what the crate is.
fn built_by_default(features: &DeTable<'_>) -> std::collections::HashSet<String> {
    let mut built = std::collections::HashSet::new();
    let mut seen = std::collections::HashSet::new();
    let mut todo = vec!["default".to_string()];
    while let Some(feature) = todo.pop() {
        if !seen.insert(feature.clone()) {
            continue;
        }
        for item in string_array(features, &feature) {
            if let Some(dep) = item.strip_prefix("dep:") {
                built.insert(dep.to_string());
            } else if let Some((dep, _)) = item.split_once('/') {
                // `dep?/feature` only adds a feature if something else builds `dep`.
                if !dep.ends_with('?') {
                    built.insert(dep.to_string());
                }
            } else {
                // A feature of the table, or the implicit feature of an optional dependency.
                built.insert(item.clone());
                todo.push(item);
            }
        }
    }
    built
}

fn string_array(table: &DeTable<'_>, name: &str) -> Vec<String> {
    entries(table)
        .filter(|(k, _, _)| *k == name)
        .flat_map(|(_, _, v)| match v {
            DeValue::Array(items) => items
                .iter()
                .filter_map(|i| match i.get_ref() {
                    DeValue::String(s) => Some(s.to_string()),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_package_line_is_that_of_the_header_however_written() {
        let text = "# [package] in a comment\ncargo-features = [\"x\"]\n\n[ package ] # the crate\nname = \"svc\"\n";
        assert_eq!(parse(text).unwrap().package, Some(("svc".into(), 4)));
    }

    #[test]
    fn reads_renamed_inherited_target_and_dev_dependencies() {
        let text = r#"[package]
name = "svc"

[dependencies]
web = { package = "actix-web", version = "4" }
tokio = { workspace = true }

[target.'cfg(unix)'.dependencies]
smol = "2"

[dev-dependencies]
rocket = "0.5"
"#;
        let m = parse(text).unwrap();
        assert_eq!(m.package, Some(("svc".into(), 1)));
        let dep = |key: &str| m.deps.iter().find(|d| d.key == key).unwrap();
        assert_eq!(
            (dep("web").package.as_deref(), dep("web").start),
            (Some("actix-web"), Position::new(5, 1))
        );
        assert!(dep("tokio").inherited);
        assert!(!dep("web").optional && dep("web").features.is_empty());
        assert_eq!(
            (dep("smol").target.as_deref(), dep("smol").start.line),
            (Some("cfg(unix)"), 9)
        );
        assert_eq!(dep("rocket").kind, DepKind::Dev);
        assert!(m.workspace_deps.is_none());
    }

    #[test]
    fn optional_dependencies_the_default_feature_builds_are_built() {
        let text = r#"[package]
name = "router"

[dependencies]
axum = { version = "0.7", optional = true }
tonic = { version = "0.11", optional = true }
utoipa = { version = "4", optional = true }
prost = { version = "0.12", optional = true }
sqlx = { version = "0.8", optional = true }

[features]
default = ["http", "docs"]
http = ["dep:axum", "prost?/std"]
docs = ["utoipa/axum_extras"]
grpc = ["dep:tonic", "sqlx"]
"#;
        let m = parse(text).unwrap();
        let built = |key: &str| {
            m.deps
                .iter()
                .find(|d| d.key == key)
                .unwrap()
                .built_by_default
        };
        assert!(built("axum") && built("utoipa"));
        assert!(!built("tonic") && !built("prost") && !built("sqlx"));
    }

    #[test]
    fn reads_targets_publish_role_and_exclusions() {
        let text = r#"[package]
name = "svc"
publish = false

[package.metadata.paved]
role = "cli"

[[bin]]
name = "admin"
path = "src/admin.rs"

[[test]]
name = "it"
path = "src/tests/mod.rs"

[[bench]]
name = "speed"
path = "perf/speed.rs"

[workspace]
exclude = ["vendor/old"]
"#;
        let m = parse(text).unwrap();
        assert!(m.publish_false);
        assert_eq!(m.stated_role, Some(("cli".into(), Position::new(6, 1))));
        assert_eq!(m.bins, vec![("admin".into(), Some("src/admin.rs".into()))]);
        assert_eq!(m.test_target_paths, ["src/tests/mod.rs", "perf/speed.rs"]);
        assert_eq!(m.workspace_exclude, ["vendor/old"]);
    }

    #[test]
    fn a_syntax_error_has_a_position() {
        let err = parse("[package\nname = 1\n").unwrap_err();
        assert_eq!(err.start.line, 1);
    }
}
