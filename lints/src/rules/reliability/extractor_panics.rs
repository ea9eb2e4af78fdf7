//! Panics in extractors, for `unwrap-in-handler`: an `impl FromRequest for X` or
//! `impl FromRequestParts for X` runs its `from_request(_parts)` on every request whose
//! handler takes an `X`, so a panic there is a panic in each of those handlers.

use crate::context::FileCx;
use crate::model::{ExtractorFact, PanicFact};
use crate::router::extract::{expr_start, path_span, range_between};
use crate::walk::handlers::PANIC_MACROS;
use syn::visit::Visit;

/// Records the panics of an extractor impl's `from_request(_parts)` in the file's facts.
pub(super) fn record(cx: &mut FileCx, item: &syn::ItemImpl) {
    let Some((trait_path, _)) = &item.trait_ else {
        return;
    };
    if !crate::resolve::last_ident_is(trait_path, &["FromRequest", "FromRequestParts"]) {
        return;
    }
    let syn::Type::Path(ty) = &*item.self_ty else {
        return;
    };
    let Some(name) = ty.path.segments.last().map(|s| s.ident.to_string()) else {
        return;
    };
    for it in &item.items {
        let syn::ImplItem::Fn(f) = it else { continue };
        if f.sig.ident != "from_request" && f.sig.ident != "from_request_parts" {
            continue;
        }
        let mut finder = Panics(Vec::new(), None, 0);
        finder.visit_block(&f.block);
        if !finder.0.is_empty() {
            cx.facts.extractors.push(ExtractorFact {
                name: name.clone(),
                method: f.sig.ident.to_string(),
                panics: finder.0,
            });
        }
    }
}

/// The panicking constructs of a body, closures and `async` blocks included, items defined
/// inside it not (the same reach as in handlers, `walk::handlers`).
/// The panics found, the unwrap of an infallible extractor's `let` being walked, and the
/// depth of `match` arms no request reaches (`walk::handlers::is_forward_of_settled_outcome`).
struct Panics(Vec<PanicFact>, Option<*const syn::ExprMethodCall>, u32);

impl<'ast> Visit<'ast> for Panics {
    fn visit_item(&mut self, _: &'ast syn::Item) {}

    fn visit_expr_match(&mut self, m: &'ast syn::ExprMatch) {
        self.visit_expr(&m.expr);
        for arm in &m.arms {
            let unreachable = u32::from(crate::walk::handlers::is_forward_of_settled_outcome(
                arm, &m.arms,
            ));
            self.2 += unreachable;
            self.visit_arm(arm);
            self.2 -= unreachable;
        }
    }

    fn visit_local(&mut self, l: &'ast syn::Local) {
        let saved = self.1;
        if let Some(call) = crate::walk::unwraps_infallible_extractor(l) {
            self.1 = Some(call as *const _);
        }
        syn::visit::visit_local(self, l);
        self.1 = saved;
    }

    fn visit_expr_method_call(&mut self, c: &'ast syn::ExprMethodCall) {
        let what = match (c.method.to_string().as_str(), c.args.len()) {
            ("unwrap", 0) => Some(".unwrap()"),
            ("expect", 1) => Some(".expect(..)"),
            _ => None,
        };
        let infallible = self.1 == Some(c as *const _)
            || crate::walk::handlers::looks_up_managed_state(&c.receiver);
        if let Some(what) = what.filter(|_| !infallible && !crate::walk::is_acknowledged_call(c)) {
            self.0.push(PanicFact {
                what,
                range: range_between(expr_start(&c.receiver), c.paren_token.span.close()),
                holds_if: None,
            });
        }
        syn::visit::visit_expr_method_call(self, c);
    }

    fn visit_macro(&mut self, m: &'ast syn::Macro) {
        if self.2 == 0
            && let Some(&(_, what)) = m
                .path
                .segments
                .last()
                .and_then(|s| PANIC_MACROS.iter().find(|(n, _)| s.ident == n))
        {
            self.0.push(PanicFact {
                what,
                range: range_between(path_span(&m.path).0, m.delimiter.span().close()),
                holds_if: None,
            });
        }
        for e in crate::router::macros::body_exprs(m) {
            self.visit_expr(&e);
        }
    }
}
