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
    /// Written in a comment (`// pub mod tokio_runtime;`): the module was switched off.
    #[serde(default)]
    pub commented: bool,
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
                commented: false,
            }),
            Some((_, inner)) => collect(inner, prefix, cfg_test, out),
        }
        prefix.pop();
    }
}

/// Module declarations switched off by a line comment at the top level of the file
/// (`// pub mod tokio_runtime;`, `//mod legacy;`).
pub fn commented_out(text: &str) -> Vec<ModDecl> {
    // Cheap test first: most files comment out no module, and lexing every file's
    // comments would cost the hot path. Look for a `mod ` after `//` on its line
    // (`memmem` searches with SIMD; `str::match_indices` does not).
    let commented_mod = memchr::memmem::find_iter(text.as_bytes(), "mod ").any(|at| {
        let line_start = text[..at].rfind('\n').map_or(0, |n| n + 1);
        text[line_start..at].trim_start().starts_with("//")
    });
    if !commented_mod {
        return Vec::new();
    }
    crate::comments::rust(text)
        .iter()
        .filter_map(|c| module_in_comment(c.body(text)))
        .map(|name| ModDecl {
            path: vec![name],
            cfg_test: false,
            commented: true,
        })
        .collect()
}

/// `pub mod name;`, `pub(crate) mod name;`, `mod name;` as a comment's whole text.
fn module_in_comment(body: &str) -> Option<String> {
    let body = body.trim_start_matches('/').trim();
    let rest = body
        .strip_prefix("pub(crate) ")
        .or_else(|| body.strip_prefix("pub "))
        .unwrap_or(body);
    let name = rest.strip_prefix("mod ")?.strip_suffix(';')?.trim();
    let ident = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    ident.then(|| name.to_string())
}

/// Files whose module declaration is commented out and that nothing else declares: code
/// that is switched off, not compiled (see `commented_out`).
pub fn switched_off_files<'a>(
    files: impl IntoIterator<Item = (&'a Path, &'a [ModDecl])>,
) -> HashSet<PathBuf> {
    let mut off = HashSet::new();
    let mut on = HashSet::new();
    for (path, decls) in files {
        for decl in decls {
            let set = if decl.commented { &mut off } else { &mut on };
            set.extend(candidates(path, decl));
        }
    }
    off.retain(|p| !on.contains(p));
    off
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
        for decl in decls
            .iter()
            .filter(|d| (*is_test || d.cfg_test) && !d.commented)
        {
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
        for decl in decls.iter().filter(|d| !d.commented) {
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
    fn commented_out_modules_are_switched_off_unless_declared_elsewhere() {
        let lib_text =
            "pub mod app;\n// pub mod tokio_runtime;\n//mod legacy;\n// see mod docs; below\n";
        let mut lib = decls("pub mod app;");
        lib.extend(commented_out(lib_text));
        assert_eq!(lib.iter().filter(|d| d.commented).count(), 2);
        let main = decls("mod legacy;");
        let files = [
            (Path::new("src/lib.rs"), lib.as_slice()),
            (Path::new("src/main.rs"), main.as_slice()),
        ];
        let off = switched_off_files(files);
        // `legacy` is still declared by `main.rs`; prose in a comment declares nothing.
        assert_eq!(off.len(), 2, "{off:?}");
        assert!(off.contains(Path::new("src/tokio_runtime.rs")));
        assert!(off.contains(Path::new("src/tokio_runtime/mod.rs")));
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
