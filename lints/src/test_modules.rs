//! Test code by declaration: a module file is test code when it is declared with
//! `#[cfg(test)] mod tests;`, or declared by a file that is itself test code (the modules
//! of `build.rs`, of a `tests/` file, or of another test module). A file cannot see this
//! alone, so phase 1 records each file's out-of-line `mod` declarations and the engine
//! resolves them to files once every file is parsed.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// An out-of-line `mod name;`, with the inline modules around it (`mod a { mod b; }`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ModDecl {
    pub path: Vec<String>,
    pub cfg_test: bool,
}

/// The out-of-line module declarations of a parsed file.
pub fn declarations(items: &[syn::Item]) -> Vec<ModDecl> {
    let mut out = Vec::new();
    collect(items, &mut Vec::new(), false, &mut out);
    out
}

fn collect(items: &[syn::Item], prefix: &mut Vec<String>, in_test: bool, out: &mut Vec<ModDecl>) {
    for item in items {
        let syn::Item::Mod(m) = item else { continue };
        // `#[path = ".."]` modules live elsewhere; their files are classified by location only.
        if m.attrs.iter().any(|a| a.path().is_ident("path")) {
            continue;
        }
        let cfg_test = in_test || m.attrs.iter().any(crate::walk::is_test_attribute);
        prefix.push(m.ident.to_string());
        match &m.content {
            None => out.push(ModDecl {
                path: prefix.clone(),
                cfg_test,
            }),
            Some((_, inner)) => collect(inner, prefix, cfg_test, out),
        }
        prefix.pop();
    }
}

/// The files that `decl` in `file` may refer to: `x.rs` or `x/mod.rs` in the folder that
/// holds `file`'s child modules.
fn candidates(file: &Path, decl: &ModDecl) -> [PathBuf; 2] {
    let dir = file.parent().unwrap_or(Path::new(""));
    let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    let mut base = if matches!(stem, "mod" | "lib" | "main" | "build") {
        dir.to_path_buf()
    } else {
        dir.join(stem)
    };
    let (name, parents) = decl
        .path
        .split_last()
        .expect("a declaration names a module");
    for p in parents {
        base.push(p);
    }
    [
        base.join(format!("{name}.rs")),
        base.join(name).join("mod.rs"),
    ]
}

/// Files that are test code by declaration. `files` holds each file's path, whether it is
/// test code by location, and its declarations.
pub fn test_module_files<'a>(
    files: impl IntoIterator<Item = (&'a Path, bool, &'a [ModDecl])>,
) -> HashSet<PathBuf> {
    let files: Vec<_> = files.into_iter().collect();
    let by_path: HashMap<&Path, usize> = files.iter().enumerate().map(|(i, f)| (f.0, i)).collect();
    let mut test: HashSet<PathBuf> = HashSet::new();
    let mut queue: Vec<usize> = Vec::new();
    let mark = |i: usize, test: &mut HashSet<PathBuf>, queue: &mut Vec<usize>| {
        if test.insert(files[i].0.to_path_buf()) {
            queue.push(i);
        }
    };
    for (path, is_test, decls) in &files {
        for decl in decls.iter().filter(|d| *is_test || d.cfg_test) {
            for c in candidates(path, decl) {
                if let Some(&j) = by_path.get(c.as_path()) {
                    mark(j, &mut test, &mut queue);
                }
            }
        }
    }
    // Everything a test module declares is test code too.
    while let Some(i) = queue.pop() {
        let (path, _, decls) = files[i];
        for decl in decls {
            for c in candidates(path, decl) {
                if let Some(&j) = by_path.get(c.as_path()) {
                    mark(j, &mut test, &mut queue);
                }
            }
        }
    }
    test
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decls(src: &str) -> Vec<ModDecl> {
        declarations(&syn::parse_file(src).unwrap().items)
    }

    #[test]
    fn cfg_test_declarations_and_their_children_are_test_code() {
        let lib = decls("#[cfg(test)] mod tests; mod app; mod a { #[cfg(test)] mod b; }");
        assert_eq!(lib.len(), 3);
        let tests = decls("mod helpers;");
        let build = decls("mod configure;");
        let none: Vec<ModDecl> = Vec::new();
        let files = [
            (Path::new("src/lib.rs"), false, lib.as_slice()),
            (Path::new("src/tests.rs"), false, tests.as_slice()),
            (Path::new("src/tests/helpers.rs"), false, none.as_slice()),
            (Path::new("src/app.rs"), false, none.as_slice()),
            (Path::new("src/a/b/mod.rs"), false, none.as_slice()),
            (Path::new("build.rs"), true, build.as_slice()),
            (Path::new("configure.rs"), false, none.as_slice()),
        ];
        let test = test_module_files(files);
        let mut found: Vec<_> = test
            .iter()
            .map(|p| p.to_string_lossy().into_owned())
            .collect();
        found.sort();
        assert_eq!(
            found,
            [
                "configure.rs",
                "src/a/b/mod.rs",
                "src/tests.rs",
                "src/tests/helpers.rs"
            ]
        );
    }
}
