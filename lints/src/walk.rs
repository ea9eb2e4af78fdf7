//! Phase 1: the single `syn::visit` walk of one file. It keeps track of where it is (test
//! code, config module, async context), calls every rule's hooks through the registry, and
//! leaves the facts crate rules need in `FileCx::facts`.

use crate::context::FileCx;
use crate::registry;
use syn::visit::{self, Visit};

pub(crate) struct Walker<'c, 'a> {
    pub cx: &'c mut FileCx<'a>,
    /// A string literal that is the whole value bound to a name, and that name.
    binding: Option<(*const syn::LitStr, syn::Ident)>,
}

impl<'c, 'a> Walker<'c, 'a> {
    pub fn new(cx: &'c mut FileCx<'a>) -> Self {
        Walker { cx, binding: None }
    }

    /// Collects the file's `use` items (at any depth) before the walk, so that a name used
    /// above its import still resolves.
    pub fn collect_uses(&mut self, items: &[syn::Item]) {
        for item in items {
            match item {
                syn::Item::Use(u) => self.cx.uses.add(&u.tree),
                syn::Item::Mod(m) => {
                    if let Some((_, items)) = &m.content {
                        self.collect_uses(items);
                    }
                }
                syn::Item::ExternCrate(e) if e.attrs.iter().any(|a| a.path().is_ident("macro_use")) => {
                    self.cx.uses.macro_use_crates.push(e.ident.to_string());
                }
                _ => {}
            }
        }
    }

    fn with_binding(&mut self, expr: &syn::Expr, name: &syn::Ident) {
        if let Some(lit) = string_literal(expr) {
            self.binding = Some((lit as *const _, name.clone()));
        }
    }

    /// Runs `f` with the test/config/async context adjusted for an item's attributes.
    fn scoped(&mut self, attrs: &[syn::Attribute], is_async: Option<bool>, config_mod: bool, f: impl FnOnce(&mut Self)) {
        let test = attrs.iter().any(is_test_attribute);
        self.cx.test_depth += test as u32;
        self.cx.config_depth += config_mod as u32;
        if let Some(a) = is_async {
            self.cx.async_stack.push(a);
        }
        f(self);
        if is_async.is_some() {
            self.cx.async_stack.pop();
        }
        self.cx.config_depth -= config_mod as u32;
        self.cx.test_depth -= test as u32;
    }
}

/// The string literal an expression is, looking through references and parentheses.
fn string_literal(expr: &syn::Expr) -> Option<&syn::LitStr> {
    match expr {
        syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) => Some(s),
        syn::Expr::Reference(r) => string_literal(&r.expr),
        syn::Expr::Paren(p) => string_literal(&p.expr),
        syn::Expr::MethodCall(m) if m.args.is_empty() && (m.method == "to_string" || m.method == "into" || m.method == "to_owned") => {
            string_literal(&m.receiver)
        }
        _ => None,
    }
}

/// `#[test]`, `#[tokio::test]`, any attribute path ending in `test`, or `#[cfg(test)]`.
pub(crate) fn is_test_attribute(attr: &syn::Attribute) -> bool {
    let path = attr.path();
    if path.is_ident("cfg") {
        return match &attr.meta {
            syn::Meta::List(list) => tokens_mention_test(list.tokens.clone()),
            _ => false,
        };
    }
    path.segments.last().is_some_and(|s| s.ident.to_string().ends_with("test"))
}

/// Whether a `cfg(..)` predicate requires `test` (`test`, `all(test, ..)`), ignoring `not(..)`.
fn tokens_mention_test(tokens: proc_macro2::TokenStream) -> bool {
    let mut iter = tokens.into_iter().peekable();
    while let Some(tt) = iter.next() {
        match tt {
            proc_macro2::TokenTree::Ident(i) if i == "not" => {
                iter.next();
            }
            proc_macro2::TokenTree::Ident(i) if i == "test" => return true,
            proc_macro2::TokenTree::Group(g) => {
                if tokens_mention_test(g.stream()) {
                    return true;
                }
            }
            _ => {}
        }
    }
    false
}

fn is_blocking_escape(path: &syn::Path) -> bool {
    crate::resolve::last_ident_is(path, &["spawn_blocking", "block_in_place"])
}

impl<'ast> Visit<'ast> for Walker<'_, '_> {
    fn visit_attribute(&mut self, _: &'ast syn::Attribute) {
        // Attributes hold doc comments and derive options, not code that runs.
    }

    fn visit_item_mod(&mut self, m: &'ast syn::ItemMod) {
        let config = self.cx.house.config_modules.iter().any(|c| m.ident == c);
        self.scoped(&m.attrs, None, config, |w| visit::visit_item_mod(w, m));
    }

    fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
        if f.attrs.iter().any(is_test_attribute) {
            self.cx.facts.has_test_fn |= f.attrs.iter().any(|a| !a.path().is_ident("cfg"));
        }
        let is_async = f.sig.asyncness.is_some();
        self.scoped(&f.attrs, Some(is_async), false, |w| visit::visit_item_fn(w, f));
    }

    fn visit_impl_item_fn(&mut self, f: &'ast syn::ImplItemFn) {
        let is_async = f.sig.asyncness.is_some();
        self.scoped(&f.attrs, Some(is_async), false, |w| visit::visit_impl_item_fn(w, f));
    }

    fn visit_trait_item_fn(&mut self, f: &'ast syn::TraitItemFn) {
        let is_async = f.sig.asyncness.is_some();
        self.scoped(&f.attrs, Some(is_async), false, |w| visit::visit_trait_item_fn(w, f));
    }

    fn visit_item_impl(&mut self, i: &'ast syn::ItemImpl) {
        self.scoped(&i.attrs, None, false, |w| visit::visit_item_impl(w, i));
    }

    fn visit_item_trait(&mut self, i: &'ast syn::ItemTrait) {
        self.scoped(&i.attrs, None, false, |w| visit::visit_item_trait(w, i));
    }

    fn visit_item_const(&mut self, c: &'ast syn::ItemConst) {
        self.with_binding(&c.expr, &c.ident);
        self.scoped(&c.attrs, None, false, |w| visit::visit_item_const(w, c));
    }

    fn visit_item_static(&mut self, s: &'ast syn::ItemStatic) {
        self.with_binding(&s.expr, &s.ident);
        self.scoped(&s.attrs, None, false, |w| visit::visit_item_static(w, s));
    }

    fn visit_item_use(&mut self, u: &'ast syn::ItemUse) {
        // Imports inside function bodies; module-level ones were collected up front.
        self.cx.uses.add(&u.tree);
    }

    fn visit_local(&mut self, l: &'ast syn::Local) {
        if let (Some(init), Some(name)) = (&l.init, pattern_name(&l.pat)) {
            self.with_binding(&init.expr, name);
        }
        self.scoped(&l.attrs, None, false, |w| visit::visit_local(w, l));
    }

    fn visit_field_value(&mut self, f: &'ast syn::FieldValue) {
        registry::check_field_value(self.cx, f);
        if let syn::Member::Named(name) = &f.member {
            self.with_binding(&f.expr, name);
        }
        visit::visit_field_value(self, f);
    }

    fn visit_expr_async(&mut self, e: &'ast syn::ExprAsync) {
        self.cx.async_stack.push(true);
        visit::visit_expr_async(self, e);
        self.cx.async_stack.pop();
    }

    fn visit_expr_closure(&mut self, c: &'ast syn::ExprClosure) {
        if c.asyncness.is_some() {
            self.cx.async_stack.push(true);
            visit::visit_expr_closure(self, c);
            self.cx.async_stack.pop();
        } else {
            visit::visit_expr_closure(self, c);
        }
    }

    fn visit_expr_call(&mut self, c: &'ast syn::ExprCall) {
        registry::check_call(self.cx, c);
        let escape = matches!(&*c.func, syn::Expr::Path(p) if is_blocking_escape(&p.path));
        self.visit_expr(&c.func);
        for arg in &c.args {
            if escape {
                self.cx.async_stack.push(false);
                self.visit_expr(arg);
                self.cx.async_stack.pop();
            } else {
                self.visit_expr(arg);
            }
        }
    }

    fn visit_expr_method_call(&mut self, c: &'ast syn::ExprMethodCall) {
        registry::check_method_call(self.cx, c);
        let escape = c.method == "spawn_blocking" || c.method == "block_in_place";
        self.visit_expr(&c.receiver);
        for arg in &c.args {
            if escape {
                self.cx.async_stack.push(false);
                self.visit_expr(arg);
                self.cx.async_stack.pop();
            } else {
                self.visit_expr(arg);
            }
        }
    }

    fn visit_expr_binary(&mut self, e: &'ast syn::ExprBinary) {
        registry::check_binary(self.cx, e);
        visit::visit_expr_binary(self, e);
    }

    fn visit_expr_match(&mut self, e: &'ast syn::ExprMatch) {
        registry::check_match(self.cx, e);
        visit::visit_expr_match(self, e);
    }

    fn visit_macro(&mut self, m: &'ast syn::Macro) {
        registry::check_macro(self.cx, m);
        visit::visit_macro(self, m);
    }

    fn visit_lit_str(&mut self, lit: &'ast syn::LitStr) {
        let binding = match self.binding.take() {
            Some((ptr, name)) if std::ptr::eq(ptr, lit) => Some(name),
            other => {
                self.binding = other;
                None
            }
        };
        registry::check_lit_str(self.cx, lit, binding.as_ref());
    }
}

fn pattern_name(pat: &syn::Pat) -> Option<&syn::Ident> {
    match pat {
        syn::Pat::Ident(p) => Some(&p.ident),
        syn::Pat::Type(t) => pattern_name(&t.pat),
        _ => None,
    }
}
