//! Facts about routers: the method-call chains that build them (`ChainFact`), the
//! `axum::serve(..)` calls that serve them (`ServeFact`), and graceful shutdown.

use super::{Key, Walker, key};
use crate::model::{ChainFact, HandlerFact, Range, RouterOp, RouterRef, ServeFact};
use crate::router::extract::{self, ROUTER_OPS, ROUTER_PASS, ROUTER_TYPES, range, range_between};

/// What a method-call chain stands on, found by walking down its receivers.
struct ChainRoot<'e> {
    /// The method calls, outermost first.
    calls: Vec<&'e syn::ExprMethodCall>,
    /// A call at the bottom (`Router::new()`, `api::router()`).
    call: Option<&'e syn::ExprCall>,
    /// A variable at the bottom (`app.route(..)`).
    var: Option<&'e syn::Ident>,
    start: Option<proc_macro2::Span>,
}

impl<'e> ChainRoot<'e> {
    fn find(
        top: Option<&'e syn::ExprMethodCall>,
        below: Option<&'e syn::Expr>,
        alone: Option<&'e syn::ExprCall>,
    ) -> Self {
        let mut root = ChainRoot {
            calls: top.into_iter().collect(),
            call: alone,
            var: None,
            start: alone.map(|c| extract::expr_start(&c.func)),
        };
        let mut cur = below;
        while let Some(e) = cur {
            cur = None;
            match e {
                syn::Expr::MethodCall(m) => {
                    root.calls.push(m);
                    cur = Some(&m.receiver);
                }
                syn::Expr::Paren(p) => cur = Some(&p.expr),
                syn::Expr::Call(c) => {
                    root.call = Some(c);
                    root.start = Some(extract::expr_start(&c.func));
                }
                syn::Expr::Path(p) if p.qself.is_none() && p.path.segments.len() == 1 => {
                    root.var = Some(&p.path.segments[0].ident);
                    root.start = Some(p.path.segments[0].ident.span());
                }
                other => root.start = Some(extract::expr_start(other)),
            }
        }
        root
    }

    /// `Router::new()` / `Router::default()` (or aide's `ApiRouter`, utoipa-axum's
    /// `OpenApiRouter` and its `with_openapi(..)`): the chain starts a router rather than
    /// continuing one.
    fn is_new(&self) -> bool {
        self.call.is_some_and(|c| match &*c.func {
            syn::Expr::Path(p) => {
                let n = p.path.segments.len();
                let ty = &p.path.segments[n.saturating_sub(2)].ident;
                let f = &p.path.segments[n - 1].ident;
                n >= 2
                    && ROUTER_TYPES.iter().any(|t| ty == t)
                    && (f == "new" || f == "default" || f == "with_openapi")
            }
            _ => false,
        })
    }
}

/// What a bottom call names as a router: `RouterRef::Call` for a path, or
/// `RouterRef::Through` when a variable is its first argument (`apply(app, http)`).
fn call_ref(call: Option<&syn::ExprCall>) -> RouterRef {
    let Some(call) = call else {
        return RouterRef::Unknown;
    };
    match &*call.func {
        syn::Expr::Path(p) if p.qself.is_none() => {
            let path = extract::path_segments(&p.path);
            match call.args.first().map(extract::peel) {
                Some(syn::Expr::Path(arg))
                    if arg.qself.is_none() && arg.path.segments.len() == 1 =>
                {
                    RouterRef::Through(path, arg.path.segments[0].ident.to_string())
                }
                _ => RouterRef::Call(path),
            }
        }
        _ => RouterRef::Unknown,
    }
}

/// Where a route path or prefix argument is.
fn arg_range(e: &syn::Expr) -> Range {
    use syn::spanned::Spanned;
    match e {
        syn::Expr::Lit(l) => range(l.lit.span()),
        other => range(other.span()),
    }
}

/// `axum::Server::bind(..)` (axum 0.6) at the root of a receiver chain.
/// A call that serves a router given as its second argument: `axum::serve(listener,
/// app)`, or the `serve(listener, app, ..)` of a `server` module of the crate itself or of
/// the house kit (the generated service's `paved_kit::server::serve`, which adds timeouts
/// and a drain, and takes `.with_graceful_shutdown(..)` like axum's). Another crate's
/// `server::serve` is a whole server, shutdown included, that this crate starts.
pub(super) fn is_serve_fn(resolved: &str, args: usize) -> bool {
    (resolved == "axum::serve" && args == 2)
        || resolved == "server::serve"
        || ["crate::", "self::", "super::", "paved_kit::"]
            .iter()
            .any(|local| resolved.starts_with(local) && resolved.ends_with("::server::serve"))
}

pub(super) fn is_server_bind(e: &syn::Expr) -> bool {
    match e {
        syn::Expr::MethodCall(m) => is_server_bind(&m.receiver),
        syn::Expr::Call(c) => {
            matches!(&*c.func, syn::Expr::Path(p) if p.path.segments.iter().any(|s| s.ident == "Server"))
        }
        _ => false,
    }
}

impl<'ast> Walker<'_, '_, 'ast> {
    /// The variable the expression keyed `k` is bound to (`let name = ..`, `name = ..`).
    fn binding_of(&self, k: Key) -> Option<String> {
        match self.pending_binding {
            Some((b, ident)) if b == k && !k.is_null() => Some(ident.to_string()),
            _ => None,
        }
    }

    /// Whether the expression keyed `k` is returned by the enclosing function.
    fn is_tail(&self, k: Key) -> bool {
        !k.is_null() && self.tails.last() == Some(&k)
    }

    /// Whether the expression keyed `k` is bound to a variable or returned by its function.
    fn is_bound_or_tail(&self, k: Key) -> bool {
        self.is_tail(k)
            || (!k.is_null() && self.pending_binding.as_ref().is_some_and(|(b, _)| *b == k))
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
            syn::Expr::Call(c) => call_ref(Some(c)),
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
    pub(super) fn record_chain(
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
        let root = ChainRoot::find(top, below, alone);
        let is_new = root.is_new();
        let has_op = root
            .calls
            .iter()
            .any(|m| ROUTER_OPS.iter().any(|n| m.method == n));
        let passes = !root.calls.is_empty()
            && root
                .calls
                .iter()
                .all(|m| ROUTER_OPS.iter().chain(ROUTER_PASS).any(|n| m.method == n));
        // Other builders have `layer`-like methods too (`ServiceBuilder::new().layer(..)`):
        // a call followed only by pass-through methods counts when its value is kept.
        let base = if is_new {
            None
        } else if let Some(v) = root.var.filter(|_| has_op || passes) {
            Some(RouterRef::Var(v.to_string()))
        } else if has_op || (passes && root.call.is_some() && self.is_bound_or_tail(outer)) {
            Some(call_ref(root.call))
        } else {
            return None;
        };
        let new_call = root.call.filter(|_| is_new);
        if let Some(c) = new_call {
            self.claimed.push(key(c));
        }
        let root_start = root.start.unwrap_or_else(proc_macro2::Span::call_site);
        let start = match new_call {
            Some(c) => range_between(root_start, c.paren_token.span.close()),
            None => range(root_start),
        };
        for m in &root.calls {
            self.claimed.push(key(*m));
        }
        let ops = self.router_ops(&root.calls);
        let chain = ChainFact {
            module: self.mods.clone(),
            func: self.func(),
            base,
            range: start,
            ops,
            binding: self.binding_of(outer),
            is_tail: self.is_tail(outer),
            dev_only: self.cx.dev_only_depth > 0,
        };
        let chains = &mut self.cx.facts.router.chains;
        chains.push(chain);
        Some(chains.len() - 1)
    }

    /// The routes, nests, merges and fallbacks of a chain's calls (outermost first), in
    /// the order they are applied.
    fn router_ops(&mut self, calls: &[&syn::ExprMethodCall]) -> Vec<RouterOp> {
        let mut ops = Vec::new();
        for m in calls.iter().rev() {
            let name = m.method.to_string();
            match (name.as_str(), m.args.len()) {
                // aide's `api_route_with(path, method_router, docs)` is a route too.
                ("route" | "route_service" | "api_route", 2) | ("api_route_with", 3) => {
                    let mut handlers = Vec::new();
                    if name != "route_service" {
                        self.method_router(&m.args[1], &mut handlers);
                    }
                    ops.push(RouterOp::Route {
                        path: extract::path_arg(&m.args[0]),
                        range: arg_range(&m.args[0]),
                        handlers,
                    });
                }
                ("nest_service", 2) => {
                    let service = self.router_ref(&m.args[1]);
                    ops.push(RouterOp::NestService {
                        prefix: extract::path_arg(&m.args[0]),
                        range: arg_range(&m.args[0]),
                        service,
                    });
                }
                // axum-extra's `.typed_get(handler)`: the path is the `#[typed_path(..)]`
                // of the handler's first parameter's type.
                (op, 1) if op.starts_with("typed_") => {
                    let (handler, given) = match &m.args[0] {
                        syn::Expr::Path(p) => {
                            let (a, b) = extract::path_span(&p.path);
                            let segments = extract::path_segments(&p.path);
                            (
                                HandlerFact::Path(segments, range_between(a, b)),
                                turbofish_type(&p.path),
                            )
                        }
                        _ => (
                            HandlerFact::Unknown(format!("`.{op}(..)` of no named handler")),
                            None,
                        ),
                    };
                    ops.push(RouterOp::TypedRoute(handler, given));
                }
                ("routes", 1) => match extract::routes_macro(&m.args[0]) {
                    Some(paths) => ops.push(RouterOp::Routes(
                        paths
                            .into_iter()
                            .map(|(p, r)| HandlerFact::Path(p, r))
                            .collect(),
                    )),
                    None => ops.push(RouterOp::Routes(vec![HandlerFact::Unknown(
                        "`.routes(..)` without a `routes!(..)` list".into(),
                    )])),
                },
                // aide's `nest_api_service` nests an `ApiRouter`.
                ("nest" | "nest_api_service", 2) => {
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
        ops
    }

    /// Records an `axum::serve(..)` call (or `Server::bind(..).serve(..)`) serving `app`.
    pub(super) fn record_serve(
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
        let fact = ServeFact {
            module: self.mods.clone(),
            func: self.func(),
            range: range_between(start, end),
            app,
            graceful: self.graceful.contains(&call_key),
            binding: self.binding_of(call_key),
        };
        self.cx.facts.router.serves.push(fact);
    }

    /// `.with_graceful_shutdown(..)` on `receiver`: a serve call about to be walked, or a
    /// variable holding one.
    pub(super) fn record_graceful(&mut self, receiver: &syn::Expr) {
        match extract::peel(receiver) {
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
    }

    /// `let svc = Shared::new(NormalizePath::trim_trailing_slash(app));`: `svc` is the router
    /// `app`, wrapped; likewise `let docs = docs::router(spec);`: `docs` is what the free
    /// function returns. Such bindings are only candidates until the enclosing function
    /// is done: they become facts (`flush_wrappers`) only in functions that build or serve
    /// a router, so that the `let x = f(..)` of all other code costs nothing.
    pub(super) fn record_wrapper(&mut self, name: &'ast syn::Ident, value: &'ast syn::Expr) {
        if matches!(value, syn::Expr::Call(_) | syn::Expr::MethodCall(_))
            && !self.fns.is_empty()
            && !self.cx.in_test()
        {
            self.wrappers.push((name, value));
        }
    }

    /// Turns the wrapper candidates from `mark` on into chain facts when the function
    /// that holds them recorded a chain or serve call since `(chains, serves)`; drops them
    /// otherwise.
    pub(super) fn flush_wrappers(&mut self, mark: (usize, usize, usize)) {
        let (chains, serves, from) = mark;
        let router = &self.cx.facts.router;
        if router.chains.len() > chains || router.serves.len() > serves {
            for i in from..self.wrappers.len() {
                let (name, value) = self.wrappers[i];
                self.wrapper_fact(name, value);
            }
        }
        self.wrappers.truncate(from);
    }

    fn wrapper_fact(&mut self, name: &syn::Ident, value: &syn::Expr) {
        let func = match value {
            syn::Expr::Call(call) => Some(&*call.func),
            // `let svc = app.into_make_service();`
            _ => None,
        };
        let peeled = extract::peel(value);
        if std::ptr::eq(peeled, value) && func.is_none() {
            return;
        }
        let (base, span) = match (peeled, func) {
            (syn::Expr::Path(p), _) if p.qself.is_none() && p.path.segments.len() == 1 => {
                let inner = &p.path.segments[0].ident;
                (RouterRef::Var(inner.to_string()), inner.span())
            }
            (_, Some(syn::Expr::Path(f))) if f.qself.is_none() && extract::is_free_fn(&f.path) => (
                RouterRef::Call(extract::path_segments(&f.path)),
                extract::path_span(&f.path).0,
            ),
            _ => return,
        };
        let chain = ChainFact {
            module: self.mods.clone(),
            func: self.func(),
            base: Some(base),
            range: range(span),
            ops: Vec::new(),
            binding: Some(name.to_string()),
            is_tail: false,
            dev_only: self.cx.dev_only_depth > 0,
        };
        self.cx.facts.router.chains.push(chain);
    }

    /// `fn router() -> Router { let r = ..; r }`: the tail variable is the returned router.
    pub(super) fn record_tail_var(&mut self, sig: &syn::Signature, block: &syn::Block) {
        if self.cx.in_test() {
            return;
        }
        let returns_router = matches!(&sig.output, syn::ReturnType::Type(_, ty) if matches!(&**ty, syn::Type::Path(p) if crate::resolve::last_ident_is(&p.path, ROUTER_TYPES)));
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
                dev_only: self.cx.dev_only_depth > 0,
            };
            self.cx.facts.router.chains.push(chain);
        }
    }
}

/// `get_file::<RepositoryPath>`: the type a generic handler is given, by its last segment.
fn turbofish_type(path: &syn::Path) -> Option<String> {
    let syn::PathArguments::AngleBracketed(args) = &path.segments.last()?.arguments else {
        return None;
    };
    match args.args.first()? {
        syn::GenericArgument::Type(syn::Type::Path(t)) => {
            t.path.segments.last().map(|s| s.ident.to_string())
        }
        _ => None,
    }
}
