//! Phase 1: the single `syn::visit` walk of one file. It keeps track of where it is (test
//! code, config module, async context), calls every rule's hooks through the registry, and
//! leaves the facts crate rules need in `FileCx::facts`.

use crate::context::FileCx;
use crate::model::{
    ChainFact, ConstFact, FnFact, HandlerFact, PanicFact, ParamFact, RouterOp, RouterRef,
    ServeFact, UseFact,
};
use crate::registry;
use crate::router::extract::{self, METHODS, ROUTER_OPS, ROUTER_PASS, range, range_between};
use syn::visit::{self, Visit};

/// Identity of a syntax node during the walk (never dereferenced).
type Key = *const ();

fn key<T>(node: &T) -> Key {
    node as *const T as Key
}

/// The identity of the call or method call an expression is (what chains are keyed by).
fn expr_key(e: &syn::Expr) -> Key {
    match e {
        syn::Expr::MethodCall(m) => key(m),
        syn::Expr::Call(c) => key(c),
        syn::Expr::Paren(p) => expr_key(&p.expr),
        syn::Expr::Await(a) => expr_key(&a.base),
        syn::Expr::Try(t) => expr_key(&t.expr),
        _ => std::ptr::null(),
    }
}

pub(crate) struct Walker<'c, 'a> {
    pub cx: &'c mut FileCx<'a>,
    /// A string literal that is the whole value bound to a name, and that name.
    binding: Option<(*const syn::LitStr, syn::Ident)>,
    /// Inline `mod x { .. }` names around the current position.
    mods: Vec<String>,
    /// Enclosing functions: the name's identity and the fact collecting panics (an
    /// `async fn` or handler closure outside test code), innermost last.
    fns: Vec<(*const syn::Ident, Option<usize>)>,
    /// Handler closures / async blocks recorded from a route, not yet walked.
    pending_handlers: Vec<(Key, usize)>,
    /// Calls that belong to an already recorded router chain.
    claimed: Vec<Key>,
    /// `let name = <expr>` / `name = <expr>` being walked.
    /// (The name is a pointer into the syntax tree being walked: no allocation per `let`.)
    pending_binding: Option<(Key, *const syn::Ident)>,
    /// Tail expressions of the enclosing functions.
    tails: Vec<Key>,
    /// `axum::serve(..)` calls that have `.with_graceful_shutdown(..)`.
    graceful: Vec<Key>,
}

impl<'c, 'a> Walker<'c, 'a> {
    pub fn new(cx: &'c mut FileCx<'a>) -> Self {
        Walker {
            cx,
            binding: None,
            mods: Vec::new(),
            fns: Vec::new(),
            pending_handlers: Vec::new(),
            claimed: Vec::new(),
            pending_binding: None,
            tails: Vec::new(),
            graceful: Vec::new(),
        }
    }

    /// The innermost enclosing function's name.
    fn func(&self) -> Option<String> {
        // SAFETY: the pointer is to the ident of a function whose visit is in progress, so
        // the syntax tree that holds it is alive and borrowed for the whole walk.
        self.fns
            .last()
            .filter(|(ident, _)| !ident.is_null())
            .map(|(ident, _)| unsafe { &**ident }.to_string())
    }

    fn collector(&self) -> Option<usize> {
        self.fns.last().and_then(|(_, c)| *c)
    }

    fn record_panic(&mut self, what: &'static str, range: crate::model::Range) {
        if let Some(i) = self.collector() {
            self.cx.facts.router.fns[i]
                .panics
                .push(PanicFact { what, range });
        }
    }

    /// Records an `async fn` outside test code; returns the fact's index.
    fn record_fn(&mut self, sig: &syn::Signature) -> Option<usize> {
        if sig.asyncness.is_none() || self.cx.in_test() {
            return None;
        }
        let first = sig.asyncness.as_ref().map_or(sig.fn_token.span, |a| a.span);
        let ret = match &sig.output {
            syn::ReturnType::Default => crate::model::TypeFact {
                name: "()".into(),
                args: Vec::new(),
            },
            syn::ReturnType::Type(_, ty) => extract::type_fact(ty),
        };
        let params = sig
            .inputs
            .iter()
            .filter_map(|arg| match arg {
                syn::FnArg::Typed(pt) => Some(self.param(&pt.pat, &pt.ty)),
                _ => None,
            })
            .collect();
        let facts = &mut self.cx.facts.router.fns;
        facts.push(FnFact {
            module: self.mods.clone(),
            name: sig.ident.to_string(),
            range: range_between(first, sig.ident.span()),
            ret: Some(ret),
            ret_inferred: false,
            params,
            panics: Vec::new(),
        });
        Some(facts.len() - 1)
    }

    fn param(&self, pat: &syn::Pat, ty: &syn::Type) -> ParamFact {
        use syn::spanned::Spanned;
        let axum_json = match ty {
            syn::Type::Path(p)
                if p.qself.is_none()
                    && p.path.segments.last().is_some_and(|s| {
                        s.ident == "Json"
                            || (p.path.segments.len() == 1 && self.cx.uses.imports(&s.ident))
                    }) =>
            {
                let resolved = self.cx.resolve(&p.path);
                let axum_glob = || {
                    self.cx
                        .uses
                        .globs
                        .iter()
                        .any(|g| g.first().is_some_and(|c| c == "axum"))
                };
                let is_axum = (resolved.starts_with("axum::") && resolved.ends_with("::Json"))
                    || (resolved == "Json" && axum_glob());
                is_axum.then(|| {
                    let (a, b) = extract::path_span(&p.path);
                    let pat_range = match pat {
                        syn::Pat::TupleStruct(ts)
                            if ts.path.segments.last().is_some_and(|s| s.ident == "Json") =>
                        {
                            let (a, b) = extract::path_span(&ts.path);
                            Some(range_between(a, b))
                        }
                        _ => None,
                    };
                    (range_between(a, b), pat_range)
                })
            }
            _ => None,
        };
        ParamFact {
            ty: extract::type_fact(ty),
            range: range(ty.span()),
            axum_json,
        }
    }

    /// The variable the expression keyed `k` is bound to (`let name = ..`, `name = ..`).
    fn binding_of(&self, k: Key) -> Option<String> {
        match self.pending_binding {
            // SAFETY: the ident belongs to the `let`/assignment whose visit is in progress.
            Some((b, ident)) if b == k && !k.is_null() => Some(unsafe { &*ident }.to_string()),
            _ => None,
        }
    }

    /// Whether the expression keyed `k` is bound to a variable or returned by its function.
    fn is_bound_or_tail(&self, k: Key) -> bool {
        !k.is_null()
            && (self.tails.last() == Some(&k)
                || self.pending_binding.as_ref().is_some_and(|(b, _)| *b == k))
    }

    /// Records a closure or async block registered as a handler.
    fn record_closure(&mut self, e: &syn::Expr) -> HandlerFact {
        let (k, fact) = match e {
            syn::Expr::Closure(c) => {
                let first = c
                    .asyncness
                    .as_ref()
                    .map(|a| a.span)
                    .or(c.capture.as_ref().map(|m| m.span))
                    .unwrap_or(c.inputs_begin.spans[0]);
                let (ret, inferred) = match &c.output {
                    syn::ReturnType::Type(_, ty) => (Some(extract::type_fact(ty)), false),
                    syn::ReturnType::Default => (extract::infer_type(&c.body), true),
                };
                let params = c
                    .inputs
                    .iter()
                    .filter_map(|p| match p {
                        syn::Pat::Type(pt) => Some(self.param(&pt.pat, &pt.ty)),
                        _ => None,
                    })
                    .collect();
                let fact = FnFact {
                    module: self.mods.clone(),
                    name: String::new(),
                    range: range_between(first, c.inputs_end.spans[0]),
                    ret,
                    ret_inferred: inferred,
                    params,
                    panics: Vec::new(),
                };
                (key(c), fact)
            }
            syn::Expr::Async(a) => {
                let fact = FnFact {
                    module: self.mods.clone(),
                    name: String::new(),
                    range: range(a.async_token.span),
                    ret: extract::infer_type(e),
                    ret_inferred: true,
                    params: Vec::new(),
                    panics: Vec::new(),
                };
                (key(a), fact)
            }
            _ => return HandlerFact::Unknown("handler expression".into()),
        };
        let facts = &mut self.cx.facts.router.fns;
        facts.push(fact);
        self.pending_handlers.push((k, facts.len() - 1));
        HandlerFact::Closure(facts.len() - 1)
    }

    /// The handlers of a method router: `get(h)`, `get(a).post(b)`, `on(filter, h)`, ...
    fn method_router(&mut self, e: &syn::Expr, out: &mut Vec<HandlerFact>) {
        match e {
            syn::Expr::Paren(p) => self.method_router(&p.expr, out),
            syn::Expr::Call(c) => match &*c.func {
                syn::Expr::Path(p)
                    if crate::resolve::last_ident_is(&p.path, METHODS) && c.args.len() == 1 =>
                {
                    self.handler(&c.args[0], out)
                }
                syn::Expr::Path(p)
                    if crate::resolve::last_ident_is(&p.path, &["on"]) && c.args.len() == 2 =>
                {
                    self.handler(&c.args[1], out)
                }
                syn::Expr::Path(p)
                    if crate::resolve::last_ident_is(
                        &p.path,
                        &["get_service", "post_service", "any_service", "on_service"],
                    ) => {}
                _ => out.push(HandlerFact::Unknown("method router built by a call".into())),
            },
            syn::Expr::MethodCall(m) => {
                if METHODS.iter().any(|n| m.method == n) && m.args.len() == 1 {
                    self.handler(&m.args[0], out);
                } else if m.method == "on" && m.args.len() == 2 {
                    self.handler(&m.args[1], out);
                }
                self.method_router(&m.receiver, out);
            }
            _ => out.push(HandlerFact::Unknown(
                "method router in a variable or expression".into(),
            )),
        }
    }

    fn handler(&mut self, e: &syn::Expr, out: &mut Vec<HandlerFact>) {
        match e {
            syn::Expr::Paren(p) => self.handler(&p.expr, out),
            syn::Expr::Path(p) if p.qself.is_none() => {
                let (a, b) = extract::path_span(&p.path);
                out.push(HandlerFact::Path(
                    extract::path_segments(&p.path),
                    range_between(a, b),
                ));
            }
            syn::Expr::Closure(_) | syn::Expr::Async(_) => out.push(self.record_closure(e)),
            _ => out.push(HandlerFact::Unknown(
                "handler is not a function path or closure".into(),
            )),
        }
    }

    /// A router value used by `.nest(..)`, `.merge(..)` or `axum::serve(..)`.
    fn router_ref(&mut self, e: &syn::Expr) -> RouterRef {
        let e = extract::peel(e);
        if let Some(i) = self.try_record_chain(e) {
            return RouterRef::Chain(i);
        }
        match e {
            syn::Expr::Path(p) if p.qself.is_none() && p.path.segments.len() == 1 => {
                RouterRef::Var(p.path.segments[0].ident.to_string())
            }
            syn::Expr::Call(c) => match &*c.func {
                syn::Expr::Path(p) if p.qself.is_none() => {
                    RouterRef::Call(extract::path_segments(&p.path))
                }
                _ => RouterRef::Unknown,
            },
            _ => RouterRef::Unknown,
        }
    }

    /// Records `e` as a router chain when it is one (outside test code).
    fn try_record_chain(&mut self, e: &syn::Expr) -> Option<usize> {
        match e {
            syn::Expr::MethodCall(m) => self.record_chain(Some(m), Some(&m.receiver), None),
            syn::Expr::Paren(p) => self.try_record_chain(&p.expr),
            syn::Expr::Call(c) => self.record_chain(None, None, Some(c)),
            _ => None,
        }
    }

    /// Records the chain `top` (a method call on `below`), or the call `alone` (`Router::new()`).
    fn record_chain(
        &mut self,
        top: Option<&syn::ExprMethodCall>,
        below: Option<&syn::Expr>,
        alone: Option<&syn::ExprCall>,
    ) -> Option<usize> {
        if self.cx.in_test() {
            return None;
        }
        let outer = match (top, alone) {
            (Some(m), _) => key(m),
            (None, Some(c)) => key(c),
            _ => return None,
        };
        let mut calls: Vec<&syn::ExprMethodCall> = top.into_iter().collect();
        let mut root_call = alone;
        let mut root_var: Option<&syn::Ident> = None;
        let mut root_start = alone.map(|c| extract::expr_start(&c.func));
        let mut cur = below;
        while let Some(e) = cur {
            cur = None;
            match e {
                syn::Expr::MethodCall(m) => {
                    calls.push(m);
                    cur = Some(&m.receiver);
                }
                syn::Expr::Paren(p) => cur = Some(&p.expr),
                syn::Expr::Call(c) => {
                    root_call = Some(c);
                    root_start = Some(extract::expr_start(&c.func));
                }
                syn::Expr::Path(p) if p.qself.is_none() && p.path.segments.len() == 1 => {
                    root_var = Some(&p.path.segments[0].ident);
                    root_start = Some(p.path.segments[0].ident.span());
                }
                other => root_start = Some(extract::expr_start(other)),
            }
        }
        let is_new = root_call.is_some_and(|c| match &*c.func {
            syn::Expr::Path(p) => {
                let n = p.path.segments.len();
                n >= 2
                    && p.path.segments[n - 2].ident == "Router"
                    && (p.path.segments[n - 1].ident == "new"
                        || p.path.segments[n - 1].ident == "default")
            }
            _ => false,
        });
        let has_op = calls
            .iter()
            .any(|m| ROUTER_OPS.iter().any(|n| m.method == n));
        let passes = !calls.is_empty()
            && calls
                .iter()
                .all(|m| ROUTER_OPS.iter().chain(ROUTER_PASS).any(|n| m.method == n));
        let base = if is_new {
            None
        } else if let Some(v) = root_var.filter(|_| has_op || passes) {
            Some(RouterRef::Var(v.to_string()))
        } else if has_op || (passes && root_call.is_some() && self.is_bound_or_tail(outer)) {
            match root_call.map(|c| &*c.func) {
                Some(syn::Expr::Path(p)) if p.qself.is_none() => {
                    Some(RouterRef::Call(extract::path_segments(&p.path)))
                }
                _ => Some(RouterRef::Unknown),
            }
        } else {
            return None;
        };
        if let Some(c) = root_call.filter(|_| is_new) {
            self.claimed.push(key(c));
        }
        let root_start = root_start.unwrap_or_else(proc_macro2::Span::call_site);
        let start = match root_call.filter(|_| is_new) {
            Some(c) => range_between(root_start, c.paren_token.span.close()),
            None => range(root_start),
        };
        for m in &calls {
            self.claimed.push(key(*m));
        }
        let mut ops = Vec::new();
        for m in calls.iter().rev() {
            let name = m.method.to_string();
            match (name.as_str(), m.args.len()) {
                ("route" | "route_service", 2) => {
                    use syn::spanned::Spanned;
                    let path = extract::path_arg(&m.args[0]);
                    let r = match &m.args[0] {
                        syn::Expr::Lit(l) => range(l.lit.span()),
                        other => range(other.span()),
                    };
                    let mut handlers = Vec::new();
                    if name == "route" {
                        self.method_router(&m.args[1], &mut handlers);
                    }
                    ops.push(RouterOp::Route {
                        path,
                        range: r,
                        handlers,
                    });
                }
                ("nest", 2) => {
                    let prefix = extract::path_arg(&m.args[0]);
                    let router = self.router_ref(&m.args[1]);
                    ops.push(RouterOp::Nest { prefix, router });
                }
                ("merge", 1) => {
                    let router = self.router_ref(&m.args[0]);
                    ops.push(RouterOp::Merge(router));
                }
                ("fallback" | "fallback_service", 1) => ops.push(RouterOp::Fallback),
                _ => {}
            }
        }
        let binding = self.binding_of(outer);
        let is_tail = !outer.is_null() && self.tails.last() == Some(&outer);
        let chain = ChainFact {
            module: self.mods.clone(),
            func: self.func(),
            base,
            range: start,
            ops,
            binding,
            is_tail,
        };
        let chains = &mut self.cx.facts.router.chains;
        chains.push(chain);
        Some(chains.len() - 1)
    }

    fn record_serve(
        &mut self,
        call_key: Key,
        start: proc_macro2::Span,
        end: proc_macro2::Span,
        app: &syn::Expr,
    ) {
        if self.cx.in_test() {
            return;
        }
        let app = self.router_ref(app);
        let binding = self.binding_of(call_key);
        let graceful = self.graceful.contains(&call_key);
        let fact = ServeFact {
            module: self.mods.clone(),
            func: self.func(),
            range: range_between(start, end),
            app,
            graceful,
            binding,
        };
        self.cx.facts.router.serves.push(fact);
    }

    fn record_use(&mut self, prefix: &mut Vec<String>, tree: &syn::UseTree) {
        match tree {
            syn::UseTree::Path(p) => {
                prefix.push(p.ident.to_string());
                self.record_use(prefix, &p.tree);
                prefix.pop();
            }
            syn::UseTree::Name(n) => {
                let mut target = prefix.clone();
                let name = if n.ident == "self" {
                    prefix.last().cloned().unwrap_or_default()
                } else {
                    target.push(n.ident.to_string());
                    n.ident.to_string()
                };
                self.cx.facts.router.uses.push(UseFact {
                    module: self.mods.clone(),
                    name: Some(name),
                    target,
                });
            }
            syn::UseTree::Rename(r) => {
                let mut target = prefix.clone();
                if r.ident != "self" {
                    target.push(r.ident.to_string());
                }
                self.cx.facts.router.uses.push(UseFact {
                    module: self.mods.clone(),
                    name: Some(r.rename.to_string()),
                    target,
                });
            }
            syn::UseTree::Glob(_) => self.cx.facts.router.uses.push(UseFact {
                module: self.mods.clone(),
                name: None,
                target: prefix.clone(),
            }),
            syn::UseTree::Group(g) => {
                for t in &g.items {
                    self.record_use(prefix, t);
                }
            }
        }
    }

    /// Walks a function body with its name, panic collector and tail expression known.
    fn in_fn(
        &mut self,
        ident: &syn::Ident,
        collector: Option<usize>,
        block: &syn::Block,
        f: impl FnOnce(&mut Self),
    ) {
        let tail = block
            .stmts
            .last()
            .and_then(extract::tail_expr)
            .map_or(std::ptr::null(), expr_key);
        self.fns.push((ident as *const _, collector));
        self.tails.push(tail);
        f(self);
        self.tails.pop();
        self.fns.pop();
    }

    fn visit_args(
        &mut self,
        args: &syn::punctuated::Punctuated<syn::Expr, syn::Token![,]>,
        escape: bool,
    ) {
        for arg in args {
            if escape {
                self.cx.async_stack.push(false);
                self.visit_expr(arg);
                self.cx.async_stack.pop();
            } else {
                self.visit_expr(arg);
            }
        }
    }

    /// Starts collecting panics for a handler closure or async block about to be walked.
    fn take_pending_handler(&mut self, k: Key) -> bool {
        if self.pending_handlers.is_empty() {
            return false;
        }
        let Some(i) = self.pending_handlers.iter().position(|(p, _)| *p == k) else {
            return false;
        };
        let (_, fact) = self.pending_handlers.swap_remove(i);
        let ident = self.fns.last().map_or(std::ptr::null(), |f| f.0);
        self.fns.push((ident, Some(fact)));
        true
    }

    /// `fn router() -> Router { let r = ..; r }`: the tail variable is the returned router.
    fn record_tail_var(&mut self, sig: &syn::Signature, block: &syn::Block) {
        if self.cx.in_test() {
            return;
        }
        let returns_router = matches!(&sig.output, syn::ReturnType::Type(_, ty) if matches!(&**ty, syn::Type::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == "Router")));
        if !returns_router {
            return;
        }
        if let Some(syn::Expr::Path(p)) = block.stmts.last().and_then(extract::tail_expr)
            && p.path.segments.len() == 1
        {
            let ident = &p.path.segments[0].ident;
            let chain = ChainFact {
                module: self.mods.clone(),
                func: Some(sig.ident.to_string()),
                base: Some(RouterRef::Var(ident.to_string())),
                range: range(ident.span()),
                ops: Vec::new(),
                binding: None,
                is_tail: true,
            };
            self.cx.facts.router.chains.push(chain);
        }
    }

    /// A `const`/`static` string that looks like a route path.
    fn record_const(&mut self, ident: &syn::Ident, expr: &syn::Expr) {
        if let Some(lit) = string_literal(expr)
            && !self.cx.in_test()
        {
            let value = lit.value();
            if value.starts_with('/') {
                self.cx.facts.router.consts.push(ConstFact {
                    module: self.mods.clone(),
                    name: ident.to_string(),
                    value,
                });
            }
        }
    }

    fn walk_macro_body(&mut self, m: &syn::Macro) {
        for e in crate::router::macros::body_exprs(m) {
            self.visit_expr(&e);
        }
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
                syn::Item::ExternCrate(e)
                    if e.attrs.iter().any(|a| a.path().is_ident("macro_use")) =>
                {
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
    fn scoped(
        &mut self,
        attrs: &[syn::Attribute],
        is_async: Option<bool>,
        config_mod: bool,
        f: impl FnOnce(&mut Self),
    ) {
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
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(s),
            ..
        }) => Some(s),
        syn::Expr::Reference(r) => string_literal(&r.expr),
        syn::Expr::Paren(p) => string_literal(&p.expr),
        syn::Expr::MethodCall(m)
            if m.args.is_empty()
                && (m.method == "to_string" || m.method == "into" || m.method == "to_owned") =>
        {
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
    path.segments
        .last()
        .is_some_and(|s| s.ident.to_string().ends_with("test"))
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
            proc_macro2::TokenTree::Group(g) if tokens_mention_test(g.stream()) => return true,
            _ => {}
        }
    }
    false
}

/// `spawn_blocking`, `block_in_place`, or `std::thread::spawn`: their closures may block.
fn is_blocking_escape(path: &syn::Path) -> bool {
    crate::resolve::last_ident_is(path, &["spawn_blocking", "block_in_place"])
        || (crate::resolve::last_ident_is(path, &["spawn"])
            && path.segments.len() >= 2
            && path.segments[path.segments.len() - 2].ident == "thread")
}

impl<'ast> Visit<'ast> for Walker<'_, '_> {
    fn visit_attribute(&mut self, _: &'ast syn::Attribute) {
        // Attributes hold doc comments and derive options, not code that runs.
    }

    fn visit_item_mod(&mut self, m: &'ast syn::ItemMod) {
        let config = self.cx.house.config_modules.iter().any(|c| m.ident == c);
        let inline = m.content.is_some();
        if inline {
            self.mods.push(m.ident.to_string());
        }
        self.scoped(&m.attrs, None, config, |w| visit::visit_item_mod(w, m));
        if inline {
            self.mods.pop();
        }
    }

    fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
        if f.attrs.iter().any(is_test_attribute) {
            self.cx.facts.has_test_fn |= f.attrs.iter().any(|a| !a.path().is_ident("cfg"));
        }
        let is_async = f.sig.asyncness.is_some();
        self.scoped(&f.attrs, Some(is_async), false, |w| {
            let collector = w.record_fn(&f.sig);
            w.record_tail_var(&f.sig, &f.block);
            w.in_fn(&f.sig.ident, collector, &f.block, |w| {
                visit::visit_item_fn(w, f)
            });
        });
    }

    fn visit_impl_item_fn(&mut self, f: &'ast syn::ImplItemFn) {
        let is_async = f.sig.asyncness.is_some();
        self.scoped(&f.attrs, Some(is_async), false, |w| {
            w.in_fn(&f.sig.ident, None, &f.block, |w| {
                visit::visit_impl_item_fn(w, f)
            })
        });
    }

    fn visit_trait_item_fn(&mut self, f: &'ast syn::TraitItemFn) {
        let is_async = f.sig.asyncness.is_some();
        self.fns.push((&f.sig.ident as *const _, None));
        self.scoped(&f.attrs, Some(is_async), false, |w| {
            visit::visit_trait_item_fn(w, f)
        });
        self.fns.pop();
    }

    fn visit_item_impl(&mut self, i: &'ast syn::ItemImpl) {
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
        self.scoped(&i.attrs, None, false, |w| visit::visit_item_impl(w, i));
    }

    fn visit_item_trait(&mut self, i: &'ast syn::ItemTrait) {
        self.scoped(&i.attrs, None, false, |w| visit::visit_item_trait(w, i));
    }

    fn visit_item_const(&mut self, c: &'ast syn::ItemConst) {
        self.record_const(&c.ident, &c.expr);
        self.with_binding(&c.expr, &c.ident);
        self.scoped(&c.attrs, None, false, |w| visit::visit_item_const(w, c));
    }

    fn visit_item_static(&mut self, s: &'ast syn::ItemStatic) {
        self.record_const(&s.ident, &s.expr);
        self.with_binding(&s.expr, &s.ident);
        self.scoped(&s.attrs, None, false, |w| visit::visit_item_static(w, s));
    }

    fn visit_item_use(&mut self, u: &'ast syn::ItemUse) {
        // Imports inside function bodies; module-level ones were collected up front.
        self.cx.uses.add(&u.tree);
        // The standard library never re-exports a handler: skip it (most `use` items).
        let std_path = matches!(&u.tree, syn::UseTree::Path(p) if p.ident == "std" || p.ident == "core" || p.ident == "alloc");
        if self.fns.is_empty() && !std_path && !self.cx.in_test() {
            self.record_use(&mut Vec::new(), &u.tree);
        }
    }

    fn visit_local(&mut self, l: &'ast syn::Local) {
        let saved = self.pending_binding.take();
        if let (Some(init), Some(name)) = (&l.init, pattern_name(&l.pat)) {
            self.with_binding(&init.expr, name);
            let k = expr_key(&init.expr);
            if !k.is_null() {
                self.pending_binding = Some((k, name as *const _));
            }
        }
        self.scoped(&l.attrs, None, false, |w| visit::visit_local(w, l));
        self.pending_binding = saved;
    }

    fn visit_expr_assign(&mut self, a: &'ast syn::ExprAssign) {
        let saved = self.pending_binding.take();
        if let syn::Expr::Path(p) = &*a.left {
            let k = expr_key(&a.right);
            if p.path.segments.len() == 1 && !k.is_null() {
                self.pending_binding = Some((k, &p.path.segments[0].ident as *const _));
            }
        }
        visit::visit_expr_assign(self, a);
        self.pending_binding = saved;
    }

    fn visit_field_value(&mut self, f: &'ast syn::FieldValue) {
        registry::check_field_value(self.cx, f);
        if let syn::Member::Named(name) = &f.member {
            self.with_binding(&f.expr, name);
        }
        visit::visit_field_value(self, f);
    }

    fn visit_expr_async(&mut self, e: &'ast syn::ExprAsync) {
        let handler = self.take_pending_handler(key(e));
        self.cx.async_stack.push(true);
        visit::visit_expr_async(self, e);
        self.cx.async_stack.pop();
        if handler {
            self.fns.pop();
        }
    }

    fn visit_expr_closure(&mut self, c: &'ast syn::ExprClosure) {
        let handler = self.take_pending_handler(key(c));
        // A plain closure is not async code, even inside an `async fn`: it may well run on
        // another thread (`spawn_blocking`, tokio's own `asyncify(|| std::fs::read(..))`).
        self.cx.async_stack.push(c.asyncness.is_some());
        visit::visit_expr_closure(self, c);
        self.cx.async_stack.pop();
        if handler {
            self.fns.pop();
        }
    }

    fn visit_expr_call(&mut self, c: &'ast syn::ExprCall) {
        registry::check_call(self.cx, c);
        let claims = self.claimed.len();
        if let syn::Expr::Path(p) = &*c.func {
            let last = p.path.segments.last().map(|s| &s.ident);
            if last.is_some_and(|l| l == "new" || l == "default") && !self.claimed.contains(&key(c))
            {
                self.record_chain(None, None, Some(c));
            } else if last.is_some_and(|l| l == "serve")
                && c.args.len() == 2
                && self.cx.resolve(&p.path) == "axum::serve"
            {
                self.record_serve(
                    key(c),
                    extract::expr_start(&c.func),
                    c.paren_token.span.close(),
                    &c.args[1],
                );
            }
        }
        let escape = matches!(&*c.func, syn::Expr::Path(p) if is_blocking_escape(&p.path));
        self.visit_expr(&c.func);
        self.visit_args(&c.args, escape);
        self.claimed.truncate(claims);
    }

    fn visit_expr_method_call(&mut self, c: &'ast syn::ExprMethodCall) {
        registry::check_method_call(self.cx, c);
        let claims = self.claimed.len();
        let graceful = self.graceful.len();
        let k = key(c);
        if (ROUTER_OPS.iter().chain(ROUTER_PASS).any(|n| c.method == n))
            && !self.claimed.contains(&k)
        {
            self.record_chain(Some(c), Some(&c.receiver), None);
        } else if c.method == "with_graceful_shutdown" {
            match extract::peel(&c.receiver) {
                syn::Expr::Call(call) => self.graceful.push(key(call)),
                syn::Expr::MethodCall(m) => self.graceful.push(key(m)),
                syn::Expr::Path(p) if p.path.segments.len() == 1 && !self.cx.in_test() => {
                    self.cx
                        .facts
                        .router
                        .graceful_vars
                        .push(p.path.segments[0].ident.to_string());
                }
                _ => {}
            }
        } else if c.method == "serve" && c.args.len() == 1 && is_server_bind(&c.receiver) {
            self.record_serve(
                k,
                extract::expr_start(&c.receiver),
                c.paren_token.span.close(),
                &c.args[0],
            );
        } else if ((c.method == "unwrap" && c.args.is_empty())
            || (c.method == "expect" && c.args.len() == 1))
            && self.collector().is_some()
        {
            let what = if c.method == "unwrap" {
                ".unwrap()"
            } else {
                ".expect(..)"
            };
            self.record_panic(
                what,
                range_between(extract::expr_start(&c.receiver), c.paren_token.span.close()),
            );
        }
        let escape = c.method == "spawn_blocking" || c.method == "block_in_place";
        self.visit_expr(&c.receiver);
        self.visit_args(&c.args, escape);
        self.claimed.truncate(claims);
        self.graceful.truncate(graceful);
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
        if self.collector().is_some()
            && let Some(what) = m
                .path
                .segments
                .last()
                .and_then(|s| PANIC_MACROS.iter().find(|(n, _)| s.ident == n))
        {
            self.record_panic(
                what.1,
                range_between(extract::path_span(&m.path).0, m.delimiter.span().close()),
            );
        }
        visit::visit_macro(self, m);
        self.walk_macro_body(m);
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
        if self.cx.in_test() {
            let value = lit.value();
            if value.starts_with('/') {
                self.cx.facts.router.test_paths.push(value);
            }
        }
    }
}

const PANIC_MACROS: &[(&str, &str)] = &[
    ("panic", "panic!"),
    ("unreachable", "unreachable!"),
    ("todo", "todo!"),
    ("unimplemented", "unimplemented!"),
];

/// `axum::Server::bind(..)` (axum 0.6) at the root of a receiver chain.
fn is_server_bind(e: &syn::Expr) -> bool {
    match e {
        syn::Expr::MethodCall(m) => is_server_bind(&m.receiver),
        syn::Expr::Call(c) => {
            matches!(&*c.func, syn::Expr::Path(p) if p.path.segments.iter().any(|s| s.ident == "Server"))
        }
        _ => false,
    }
}

fn pattern_name(pat: &syn::Pat) -> Option<&syn::Ident> {
    match pat {
        syn::Pat::Ident(p) => Some(&p.ident),
        syn::Pat::Type(t) => pattern_name(&t.pat),
        _ => None,
    }
}
