//! Embeds every template under `../templates/<kind>/` into the library, and the house
//! kit `../templates/kit/` (a crate, not a template: written as is, see `src/kit.rs`).
//!
//! `include_dir!` would do the same, but on stable Rust it cannot tell Cargo to rebuild
//! when a file is *added* to the folder; `rerun-if-changed` on the folder can, and
//! `include_bytes!` on each file makes rustc track edits to the files themselves.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::{env, fs};

fn main() {
    let manifest_dir = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let templates = manifest_dir.join("..").join("templates");
    println!("cargo:rerun-if-changed={}", templates.display());

    let mut code = String::from("&[\n");
    if let Ok(kinds) = sorted_entries(&templates) {
        for kind_dir in kinds.into_iter().filter(|p| p.is_dir()) {
            let Some(kind) = utf8_name(&kind_dir) else {
                continue;
            };
            if kind == KIT || kind == HISTORY {
                continue;
            }
            let mut files = Vec::new();
            collect(&kind_dir, &kind_dir, &mut files);
            for (rel, abs, executable) in files {
                writeln!(
                    code,
                    "    EmbeddedFile {{ kind: {kind:?}, path: {rel:?}, contents: include_bytes!({abs:?}), executable: {executable} }},",
                    abs = abs.display().to_string(),
                )
                .expect("writing to a String");
            }
        }
    }
    code.push(']');

    let out_dir = PathBuf::from(env::var_os("OUT_DIR").expect("set by cargo"));
    fs::write(out_dir.join("embedded.rs"), code).expect("write embedded.rs");

    fs::write(
        out_dir.join("history.rs"),
        history(&templates.join(HISTORY)),
    )
    .expect("write history.rs");

    let kit_dir = templates.join(KIT);
    let mut files = Vec::new();
    collect(&kit_dir, &kit_dir, &mut files);
    let mut code = String::from("&[\n");
    for (rel, abs, _) in files.into_iter().filter(|(rel, ..)| rel != "Cargo.lock") {
        writeln!(
            code,
            "    ({rel:?}, include_bytes!({abs:?})),",
            abs = abs.display().to_string(),
        )
        .expect("writing to a String");
    }
    code.push(']');
    fs::write(out_dir.join("kit.rs"), code).expect("write kit.rs");
}

/// The folder of `templates/` that holds the house kit rather than a template.
const KIT: &str = "kit";
/// The folder of `templates/` that holds released versions of the templates,
/// `history/<name>/<version>/`, for `paved upgrade` (see docs/templates.md).
const HISTORY: &str = "history";

/// `(name, version, path, contents, executable)` of every file under `history/`. A file
/// that is the same in several versions is included once: the entries share one static.
fn history(dir: &Path) -> String {
    let mut blobs: Vec<(Vec<u8>, PathBuf)> = Vec::new();
    let mut entries = String::new();
    for name_dir in sorted_entries(dir).unwrap_or_default() {
        let Some(name) = utf8_name(&name_dir).filter(|_| name_dir.is_dir()) else {
            continue;
        };
        for version_dir in sorted_entries(&name_dir).unwrap_or_default() {
            let Some(version) = utf8_name(&version_dir).filter(|_| version_dir.is_dir()) else {
                continue;
            };
            let mut files = Vec::new();
            collect(&version_dir, &version_dir, &mut files);
            for (rel, abs, executable) in files {
                let contents = fs::read(&abs).expect("read a history file");
                let index = match blobs.iter().position(|(b, _)| *b == contents) {
                    Some(index) => index,
                    None => {
                        blobs.push((contents, abs));
                        blobs.len() - 1
                    }
                };
                writeln!(
                    entries,
                    "    ({name:?}, {version:?}, {rel:?}, BLOB_{index}, {executable}),"
                )
                .expect("writing to a String");
            }
        }
    }
    let mut code = String::new();
    for (index, (_, abs)) in blobs.iter().enumerate() {
        writeln!(
            code,
            "static BLOB_{index}: &[u8] = include_bytes!({:?});",
            abs.display().to_string()
        )
        .expect("writing to a String");
    }
    code.push_str("static HISTORY: &[(&str, &str, &str, &[u8], bool)] = &[\n");
    code.push_str(&entries);
    code.push_str("];\n");
    code
}

fn sorted_entries(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut entries = fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect::<Vec<_>>();
    entries.sort();
    Ok(entries)
}

fn utf8_name(path: &Path) -> Option<String> {
    path.file_name()?.to_str().map(str::to_owned)
}

/// Collects `(path relative to root with '/' separators, absolute path, executable)`.
fn collect(root: &Path, dir: &Path, out: &mut Vec<(String, PathBuf, bool)>) {
    let Ok(entries) = sorted_entries(dir) else {
        return;
    };
    for path in entries {
        let Some(name) = utf8_name(&path) else {
            println!(
                "cargo:warning=skipping template file with a non-UTF-8 name: {}",
                path.display()
            );
            continue;
        };
        // A checkout or a build inside a template folder is not part of the template.
        if name == ".git" || (dir == root && name == "target") {
            continue;
        }
        if path.is_dir() {
            collect(root, &path, out);
            continue;
        }
        let rel = path
            .strip_prefix(root)
            .expect("walked from root")
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        let abs = fs::canonicalize(&path).unwrap_or(path.clone());
        out.push((rel, abs, is_executable(&path)));
    }
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(_path: &Path) -> bool {
    false
}
