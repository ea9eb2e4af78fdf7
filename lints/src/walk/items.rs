//! Facts about items: `use` items (`UseFact`, and the file's `UseMap`), `const`/`static`
//! route paths (`ConstFact`), implemented traits, and route-like strings in test code.

use super::scope::is_test_attribute;
use super::{Walker, string_literal};
use crate::model::{ConstFact, UseFact};

impl Walker<'_, '_, '_> {
    /// Collects the `use` items of a module (the file, or an inline `mod`) into the current
    /// scope before its items are walked, so that a name used above its import resolves.
    /// Inline modules get a scope of their own when they are walked.
    pub fn collect_uses(&mut self, items: &[syn::Item]) {
        for item in items {
            match item {
                syn::Item::Use(u) => self.cx.uses.add(&u.tree),
                syn::Item::ExternCrate(e)
                    if e.attrs.iter().any(|a| a.path().is_ident("macro_use")) =>
                {
                    self.cx.uses.macro_use_crates.push(e.ident.to_string());
                }
                _ => {}
            }
        }
    }

    /// Records a module-level `use` outside test code, flattened, for resolving handlers
    /// and routers across modules.
    pub(super) fn record_module_use(&mut self, u: &syn::ItemUse) {
        // The standard library never re-exports a handler: skip it (most `use` items).
        let std_path = matches!(&u.tree, syn::UseTree::Path(p) if p.ident == "std" || p.ident == "core" || p.ident == "alloc");
        if self.fns.is_empty() && !std_path && !self.cx.in_test() {
            self.record_use(&mut Vec::new(), &u.tree);
        }
    }

    fn record_use(&mut self, prefix: &mut Vec<String>, tree: &syn::UseTree) {
        let (name, target) = match tree {
            syn::UseTree::Path(p) => {
                prefix.push(p.ident.to_string());
                self.record_use(prefix, &p.tree);
                prefix.pop();
                return;
            }
            syn::UseTree::Group(g) => {
                for t in &g.items {
                    self.record_use(prefix, t);
                }
                return;
            }
            syn::UseTree::Name(n) => {
                let mut target = prefix.clone();
                let name = if n.ident == "self" {
                    prefix.last().cloned().unwrap_or_default()
                } else {
                    target.push(n.ident.to_string());
                    n.ident.to_string()
                };
                (Some(name), target)
            }
            syn::UseTree::Rename(r) => {
                let mut target = prefix.clone();
                if r.ident != "self" {
                    target.push(r.ident.to_string());
                }
                (Some(r.rename.to_string()), target)
            }
            syn::UseTree::Glob(_) => (None, prefix.clone()),
        };
        self.cx.facts.router.uses.push(UseFact {
            module: self.mods.clone(),
            name,
            target,
        });
    }

    /// A `const`/`static` string that looks like a route path.
    pub(super) fn record_const(&mut self, ident: &syn::Ident, expr: &syn::Expr) {
        if let Some(lit) = string_literal(expr)
            && let Some(path) = crate::router::extract::route_like(&lit.value())
        {
            self.route_consts.push((ident.to_string(), path));
        }
        if let Some(lit) = string_literal(expr)
            && !self.cx.in_test()
        {
            let value = lit.value();
            self.record_settings_file_const(ident, &value);
            if value.starts_with('/') {
                self.cx.facts.router.consts.push(ConstFact {
                    module: self.mods.clone(),
                    name: ident.to_string(),
                    value,
                });
            }
        }
    }

    /// The trait of an `impl Trait for T` outside test code (`impl BackupHook for Db`).
    pub(super) fn record_trait_impl(&mut self, i: &syn::ItemImpl) {
        if let Some((path, _)) = &i.trait_
            && !self.cx.in_test()
            && !i.attrs.iter().any(is_test_attribute)
            && let Some(last) = path.segments.last()
        {
            self.cx
                .facts
                .router
                .trait_impls
                .push(last.ident.to_string());
        }
    }

    /// A string that looks like a route path: in test code, a route the tests request;
    /// elsewhere, a route a client library requests.
    pub(super) fn record_test_path(&mut self, value: &str) {
        // Cheap filter first: most literals hold no `/`.
        if !value.contains('/') {
            return;
        }
        let mut value = std::borrow::Cow::Borrowed(value);
        let in_test = self.cx.in_test();
        // `format!("{BASE_URL}/{id}")` after `const BASE_URL: &str = "/api/v1/x"`.
        if let Some((name, rest)) = value.strip_prefix('{').and_then(|v| v.split_once('}'))
            && let Some((_, base)) = self.route_consts.iter().find(|(n, _)| n == name)
        {
            value = format!("{base}{rest}").into();
        }
        let Some(path) = crate::router::extract::route_like(&value) else {
            return;
        };
        let facts = &mut self.cx.facts.router;
        if in_test {
            facts.test_paths.push(path);
        } else {
            facts.lib_paths.push(path);
        }
    }

    /// A URL built from an array of path segments (`base.append(["user", name])`, a typed
    /// client's way): the path it requests, `/user/{}`. Also one segment joined to a base
    /// URL (`client.base_url.join("feedback")`): `/feedback`.
    pub(super) fn record_segment_path(&mut self, c: &syn::ExprMethodCall) {
        if !matches!(c.method.to_string().as_str(), "append" | "join" | "extend") {
            return;
        }
        if let Some(path) = joined_url_segment(c) {
            self.record_test_path(&path);
            return;
        }
        let array = match c.args.first() {
            Some(syn::Expr::Array(a)) => a,
            Some(syn::Expr::Reference(r)) => match &*r.expr {
                syn::Expr::Array(a) => a,
                _ => return,
            },
            _ => return,
        };
        let mut path = String::new();
        let mut literal = false;
        for e in &array.elems {
            match e {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) => {
                    let v = s.value();
                    if v.is_empty()
                        || !v
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
                    {
                        return;
                    }
                    literal = true;
                    path.push('/');
                    path.push_str(&v);
                }
                _ => path.push_str("/{}"),
            }
        }
        if !literal {
            return;
        }
        let in_test = self.cx.in_test();
        let facts = &mut self.cx.facts.router;
        if in_test {
            facts.test_paths.push(path);
        } else {
            facts.lib_paths.push(path);
        }
    }

    /// The crate a path in test code names without a `use` (`crates_io_session::encode(..)`).
    /// Outside test code, in a file named for tests, they are kept apart (`path_roots`): a
    /// file declared from test code is known to be test code only after every file is
    /// parsed.
    pub(super) fn record_test_path_root(&mut self, path: &syn::Path) {
        if path.segments.len() < 2 || path.leading_colon.is_some() {
            return;
        }
        let in_test = self.cx.in_test();
        if !in_test && !self.cx.file_named_for_tests {
            return;
        }
        let first = &path.segments[0].ident;
        let router = &mut self.cx.facts.router;
        let roots = if in_test {
            &mut router.test_use_roots
        } else {
            &mut router.path_roots
        };
        if roots.iter().any(|r| first == r) {
            return;
        }
        use std::fmt::Write;
        self.scratch.clear();
        let _ = write!(self.scratch, "{first}");
        let root = self.scratch.as_str();
        let local = matches!(root, "crate" | "self" | "super" | "std" | "core");
        if !local && root.starts_with(|c: char| c.is_ascii_lowercase()) {
            roots.push(root.to_string());
        }
    }

    /// The crate a `use` in test code imports from (`use api_client::Client;`).
    pub(super) fn record_test_use(&mut self, u: &syn::ItemUse) {
        if let syn::UseTree::Path(p) = &u.tree
            && self.cx.in_test()
        {
            let root = p.ident.to_string();
            let roots = &mut self.cx.facts.router.test_use_roots;
            if !roots.contains(&root) {
                roots.push(root);
            }
        }
    }
}

/// `base_url.join("feedback")`, `self.url.join("v1/datasets")`: a route segment joined to a
/// value named as a URL, as `/feedback` (a file path's `join` names no URL).
fn joined_url_segment(c: &syn::ExprMethodCall) -> Option<String> {
    if c.method != "join" || c.args.len() != 1 {
        return None;
    }
    let syn::Expr::Lit(syn::ExprLit {
        lit: syn::Lit::Str(s),
        ..
    }) = &c.args[0]
    else {
        return None;
    };
    let receiver = match &*c.receiver {
        syn::Expr::Field(f) => match &f.member {
            syn::Member::Named(n) => n.to_string(),
            syn::Member::Unnamed(_) => return None,
        },
        syn::Expr::Path(p) => p.path.get_ident()?.to_string(),
        _ => return None,
    };
    let segment = s.value();
    let plain = !segment.is_empty()
        && !segment.starts_with('/')
        && segment
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '/'));
    (plain && receiver.to_ascii_lowercase().contains("url")).then(|| format!("/{segment}"))
}

#[cfg(test)]
mod tests {
    use super::joined_url_segment;

    fn joined(src: &str) -> Option<String> {
        match syn::parse_str::<syn::Expr>(src).unwrap() {
            syn::Expr::MethodCall(c) => joined_url_segment(&c),
            _ => panic!("not a method call: {src}"),
        }
    }

    #[test]
    fn segments_joined_to_a_url() {
        assert_eq!(
            joined(r#"client.base_url.join("feedback")"#).as_deref(),
            Some("/feedback")
        );
        assert_eq!(
            joined(r#"url.join("v1/datasets")"#).as_deref(),
            Some("/v1/datasets")
        );
        assert_eq!(joined(r#"dir.join("config")"#), None);
        assert_eq!(joined(r#"self.data_dir.join("config")"#), None);
        assert_eq!(joined(r#"base_url.join(path)"#), None);
    }
}
