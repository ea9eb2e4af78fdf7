//! Resolves the paths a file names through its `use` items, so that `use std::env as e;
//! e::var(..)` is seen as `std::env::var` and `tracing::info!` never as `log::info!`.

use proc_macro2::Ident;
use std::collections::HashMap;

/// Macros that the standard prelude brings into every module.
const STD_PRELUDE_MACROS: &[&str] = &[
    "println",
    "eprintln",
    "print",
    "eprint",
    "dbg",
    "format",
    "write",
    "writeln",
    "panic",
    "assert",
    "assert_eq",
    "assert_ne",
    "debug_assert",
    "debug_assert_eq",
    "debug_assert_ne",
    "unreachable",
    "unimplemented",
    "todo",
    "vec",
    "matches",
    "format_args",
];

/// What the `use` items in scope bring in: a local name -> its full path. Scopes nest
/// like the code: the file, inline `mod` blocks, and blocks with `use` items of their own
/// (`async fn f() { use tokio::fs; .. }`). An inner scope's name shadows an outer one; a
/// module also sees the names of the modules around it (as with the `use super::*;` that
/// test modules almost always have).
#[derive(Debug)]
pub struct UseMap {
    scopes: Vec<UseScope>,
    /// Crates imported with `#[macro_use] extern crate x;`.
    pub macro_use_crates: Vec<String>,
}

#[derive(Default, Debug)]
struct UseScope {
    names: HashMap<Ident, Vec<String>>,
    /// Prefixes imported with a glob (`use log::*;`).
    globs: Vec<Vec<String>>,
}

impl Default for UseMap {
    fn default() -> Self {
        UseMap {
            scopes: vec![UseScope::default()],
            macro_use_crates: Vec::new(),
        }
    }
}

impl UseMap {
    /// Enters a scope (an inline module or a block with `use` items).
    pub fn push(&mut self) {
        self.scopes.push(UseScope::default());
    }

    /// Leaves the innermost scope (the file scope stays).
    pub fn pop(&mut self) {
        if self.scopes.len() > 1 {
            self.scopes.pop();
        }
    }

    /// Adds a `use` item to the innermost scope.
    pub fn add(&mut self, tree: &syn::UseTree) {
        let mut prefix = Vec::new();
        self.add_tree(&mut prefix, tree);
    }

    fn insert(&mut self, name: Ident, full: Vec<String>) {
        if let Some(scope) = self.scopes.last_mut() {
            scope.names.insert(name, full);
        }
    }

    fn add_tree(&mut self, prefix: &mut Vec<String>, tree: &syn::UseTree) {
        match tree {
            syn::UseTree::Path(p) => {
                prefix.push(p.ident.to_string());
                self.add_tree(prefix, &p.tree);
                prefix.pop();
            }
            syn::UseTree::Name(n) => {
                if n.ident == "self" {
                    if let Some(last) = prefix.last() {
                        let ident = Ident::new(last, n.ident.span());
                        self.insert(ident, prefix.clone());
                    }
                } else {
                    let mut full = prefix.clone();
                    full.push(n.ident.to_string());
                    self.insert(n.ident.clone(), full);
                }
            }
            syn::UseTree::Rename(r) => {
                let mut full = prefix.clone();
                if r.ident != "self" {
                    full.push(r.ident.to_string());
                }
                self.insert(r.rename.clone(), full);
            }
            syn::UseTree::Glob(_) => {
                if let Some(scope) = self.scopes.last_mut() {
                    scope.globs.push(prefix.clone());
                }
            }
            syn::UseTree::Group(g) => {
                for t in &g.items {
                    self.add_tree(prefix, t);
                }
            }
        }
    }

    /// The full path `ident` was brought in as, innermost scope first.
    fn lookup(&self, ident: &Ident) -> Option<&Vec<String>> {
        self.scopes.iter().rev().find_map(|s| s.names.get(ident))
    }

    /// Whether `ident` was brought into scope by a `use` item.
    pub fn imports(&self, ident: &Ident) -> bool {
        self.lookup(ident).is_some()
    }

    /// The crate (first segment) `ident` was imported from: `env_logger` for
    /// `use env_logger::Builder;`. Cheaper than [`UseMap::resolve`]: nothing is built.
    pub fn import_root(&self, ident: &Ident) -> Option<&str> {
        self.lookup(ident)
            .and_then(|full| full.first())
            .map(String::as_str)
    }

    /// Whether anything in scope is imported from one of `crates` (`use console::style;`,
    /// `use colored::*;`).
    pub fn imports_from_any(&self, crates: &[&str]) -> bool {
        let from = |path: &Vec<String>| path.first().is_some_and(|r| crates.contains(&r.as_str()));
        self.scopes
            .iter()
            .any(|s| s.names.values().any(from) || s.globs.iter().any(from))
    }

    /// The prefixes of the glob imports in scope.
    pub fn globs(&self) -> impl Iterator<Item = &Vec<String>> {
        self.scopes.iter().flat_map(|s| s.globs.iter())
    }

    /// The full path a syntactic path stands for, joined with `::`, without a leading `::`.
    /// An unimported single-segment prelude macro resolves to `std::name`.
    pub fn resolve(&self, path: &syn::Path, is_macro: bool) -> String {
        let mut out = String::new();
        let mut segments = path.segments.iter();
        if let Some(first) = segments.next() {
            match self.lookup(&first.ident) {
                Some(full) if path.leading_colon.is_none() => out.push_str(&full.join("::")),
                _ => {
                    let name = first.ident.to_string();
                    if is_macro
                        && path.segments.len() == 1
                        && path.leading_colon.is_none()
                        && STD_PRELUDE_MACROS.contains(&name.as_str())
                    {
                        out.push_str("std::");
                    }
                    out.push_str(&name);
                }
            }
        }
        for seg in segments {
            out.push_str("::");
            out.push_str(&seg.ident.to_string());
        }
        out
    }
}

/// Where a path starts in the source: its leading `::`, else its first segment.
pub fn path_start(path: &syn::Path) -> Option<proc_macro2::Span> {
    match (&path.leading_colon, path.segments.first()) {
        (Some(c), _) => Some(c.spans[0]),
        (None, Some(s)) => Some(s.ident.span()),
        (None, None) => None,
    }
}

/// The path a call calls, when the callee is one (`f(..)`, `std::env::var(..)`).
pub fn callee_path(call: &syn::ExprCall) -> Option<&syn::Path> {
    match &*call.func {
        syn::Expr::Path(func) if !func.path.segments.is_empty() => Some(&func.path),
        _ => None,
    }
}

/// The last segment of a path, compared without allocating.
pub fn last_ident_is(path: &syn::Path, names: &[&str]) -> bool {
    path.segments
        .last()
        .is_some_and(|s| names.iter().any(|n| s.ident == n))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(src: &str) -> UseMap {
        let file = syn::parse_file(src).unwrap();
        let mut m = UseMap::default();
        for item in &file.items {
            if let syn::Item::Use(u) = item {
                m.add(&u.tree);
            }
        }
        m
    }

    fn resolve(m: &UseMap, path: &str, is_macro: bool) -> String {
        m.resolve(&syn::parse_str::<syn::Path>(path).unwrap(), is_macro)
    }

    #[test]
    fn resolves_imports_renames_and_prelude() {
        let m = map(
            "use std::env; use std::env::var as read; use std::env as e; use tracing::{info, self as tr};",
        );
        assert_eq!(resolve(&m, "env::var", false), "std::env::var");
        assert_eq!(resolve(&m, "read", false), "std::env::var");
        assert_eq!(resolve(&m, "e::var", false), "std::env::var");
        assert_eq!(resolve(&m, "info", true), "tracing::info");
        assert_eq!(resolve(&m, "tr::warn", true), "tracing::warn");
        assert_eq!(resolve(&m, "println", true), "std::println");
        assert_eq!(resolve(&m, "::std::println", true), "std::println");
        assert_eq!(resolve(&m, "log::info", true), "log::info");
        assert_eq!(resolve(&m, "warn", true), "warn");
    }
}
