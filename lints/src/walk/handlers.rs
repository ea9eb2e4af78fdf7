//! Facts about functions that may serve requests: `async fn`s and the closures routes
//! name (`FnFact`), the handlers of method routers (`HandlerFact`), and the panics in them.

use super::{Walker, invariants, key};
use crate::model::{FnFact, HandlerFact, Invariant, PanicFact, ParamFact, Range, TypeFact};
use crate::router::extract::{self, METHODS, METHODS_WITH, range, range_between};

/// Panicking macros, by last path segment, and how findings name them.
pub(crate) const PANIC_MACROS: &[(&str, &str)] = &[
    ("panic", "panic!"),
    ("unreachable", "unreachable!"),
    ("todo", "todo!"),
    ("unimplemented", "unimplemented!"),
];

impl Walker<'_, '_, '_> {
    /// A fact for a function of the current module, with only its range known yet.
    fn fn_at(&self, range: Range) -> FnFact {
        FnFact {
            module: self.mods.clone(),
            name: String::new(),
            range,
            ret: None,
            ret_inferred: false,
            params: Vec::new(),
            panics: Vec::new(),
            panics_acknowledged: false,
            utoipa_path: None,
            serves_document: false,
            calls: Vec::new(),
            callees: Vec::new(),
            loop_callees: Vec::new(),
            takes_request: false,
            is_method: false,
            owner: None,
            deprecated: false,
            builds_body: false,
            names_json: false,
            once_calls: Vec::new(),
        }
    }

    /// What a path in a recorded function says of its answer: `Json`/`json` names JSON;
    /// `Response::builder`, `Body::from`, `StreamBody::new` build a body by hand.
    pub(super) fn record_answer_path(&mut self, path: &syn::Path) {
        let Some(i) = self.collector() else { return };
        let segments = &path.segments;
        let last = segments.last().map(|s| &s.ident);
        let names_json =
            last.is_some_and(|l| l == "json") || segments.iter().any(|s| s.ident == "Json");
        let builds_body = segments.len() >= 2 && {
            let owner = &segments[segments.len() - 2].ident;
            (owner == "Response" && last.is_some_and(|l| l == "builder"))
                || ((owner == "Body" || owner == "StreamBody" || owner == "Full")
                    && last.is_some_and(|l| {
                        l == "from" || l == "new" || l == "from_stream" || l == "wrap_stream"
                    }))
        };
        let fact = &mut self.cx.facts.router.fns[i];
        fact.names_json |= names_json;
        fact.builds_body |= builds_body;
    }

    /// `.json(..)` names JSON; `.on_upgrade(..)` answers a WebSocket's handshake.
    pub(super) fn record_answer_method(&mut self, method: &syn::Ident) {
        let Some(i) = self.collector() else { return };
        let fact = &mut self.cx.facts.router.fns[i];
        fact.names_json |= method == "json";
        fact.builds_body |= method == "on_upgrade";
    }

    /// `Html(..)`, `Redirect::permanent(..)`, a file's type guessed from its name
    /// (`mime_guess::from_path(..)`), a document's content type (`"text/html"`,
    /// `"text/toml"`, `"application/gzip"`) or a `CONTENT_DISPOSITION` header inside a
    /// recorded function: it answers a page, a redirect or a file, not an API value.
    pub(super) fn record_document(&mut self, lit: Option<&str>, call: Option<&syn::ExprCall>) {
        let html = || lit.is_some_and(|l| l.starts_with("text/html"));
        let Some(i) = self.collector() else {
            // `fn html_response(body: String) -> Response` beside the handlers: the file's
            // opaque answers are its pages.
            if !self.cx.in_test() && html() {
                self.cx.facts.builds_pages = true;
            }
            // `fn redirect_and_snackbar(url: &str, ..) { Redirect::to(url) .. }`: what a
            // handler answers when its tail calls it (or builds, for a type).
            if !self.cx.in_test()
                && let Some(c) = call
                && matches!(&*c.func, syn::Expr::Path(p) if answers_document(&p.path))
                && let Some((Some(name), _)) = self.fns.last()
            {
                // `impl IntoResponse for HtmlTemplate<T> { fn into_response(..) { Html(..) } }`:
                // a handler that answers `HtmlTemplate(page)` answers a page.
                let name = match self.impl_self.and_then(super::commands::type_name) {
                    Some(owner) if *name == "into_response" => owner,
                    _ => name.to_string(),
                };
                if !self.cx.facts.page_helpers.contains(&name) {
                    self.cx.facts.page_helpers.push(name);
                }
            }
            return;
        };
        const MAX_CALLS_NOTED: usize = 64;
        if let Some(c) = call
            && self.cx.facts.router.fns[i].calls.len() < MAX_CALLS_NOTED
            && let syn::Expr::Path(p) = &*c.func
            && let Some(last) = p.path.segments.last()
        {
            let name = last.ident.to_string();
            let once = self.cx.directly_in_fn() && crate::command_output::is_distinctive(&name);
            let fact = &mut self.cx.facts.router.fns[i];
            if once && fact.once_calls.len() < MAX_CALLS_NOTED && !fact.once_calls.contains(&name) {
                fact.once_calls.push(name.clone());
            }
            if !fact.calls.contains(&name) {
                fact.calls.push(name);
            }
        }
        // `"application/json"`: a hand-built answer that is JSON all the same.
        if lit.is_some_and(|l| l.starts_with("application/json")) {
            self.cx.facts.router.fns[i].names_json = true;
        }
        let document = lit.is_some_and(is_document_type)
            || call.is_some_and(
                |c| matches!(&*c.func, syn::Expr::Path(p) if answers_document(&p.path)),
            );
        if document {
            self.cx.facts.router.fns[i].serves_document = true;
        }
    }

    /// `"application/vnd.x.restic.rest.v2"` outside tests: the crate answers a published
    /// protocol's clients (`FileFacts::protocol_media_type`).
    pub(super) fn record_protocol_media_type(&mut self, value: &str) {
        if self.cx.facts.protocol_media_type.is_some() || self.cx.in_test() {
            return;
        }
        if crate::rules::envelope::protocols::protocol_of_media_type(value).is_some() {
            self.cx.facts.protocol_media_type = Some(value.to_string());
        }
    }

    /// `header::CONTENT_DISPOSITION`: the answer is a download.
    pub(super) fn record_disposition(&mut self, path: &syn::Path) {
        if path
            .segments
            .last()
            .is_some_and(|s| s.ident == "CONTENT_DISPOSITION")
            && let Some(i) = self.collector()
        {
            self.cx.facts.router.fns[i].serves_document = true;
        }
    }

    fn push_fn(&mut self, fact: FnFact) -> usize {
        let facts = &mut self.cx.facts.router.fns;
        facts.push(fact);
        facts.len() - 1
    }

    /// Records an `async fn` outside test code; returns the fact's index.
    pub(super) fn record_fn(
        &mut self,
        attrs: &[syn::Attribute],
        sig: &syn::Signature,
    ) -> Option<usize> {
        if sig.asyncness.is_none() || self.cx.in_test() {
            return None;
        }
        let first = sig.asyncness.as_ref().map_or(sig.fn_token.span, |a| a.span);
        let ret = match &sig.output {
            syn::ReturnType::Default => TypeFact {
                name: "()".into(),
                args: Vec::new(),
            },
            syn::ReturnType::Type(_, ty) => extract::type_fact(ty),
        };
        let params: Vec<ParamFact> = sig
            .inputs
            .iter()
            .filter_map(|arg| match arg {
                syn::FnArg::Typed(pt) => Some(self.param(pt)),
                _ => None,
            })
            .collect();
        let takes_request =
            attrs.iter().any(is_route_attribute) || params.iter().any(|p| is_request(&p.ty));
        let fact = FnFact {
            name: sig.ident.to_string(),
            ret: Some(ret),
            params,
            takes_request,
            utoipa_path: extract::utoipa_path(attrs),
            deprecated: attrs.iter().any(|a| a.path().is_ident("deprecated")),
            ..self.fn_at(range_between(first, sig.ident.span()))
        };
        let index = self.push_fn(fact);
        // The author already weighed every panic of this function.
        if acknowledges_panics(attrs) {
            self.cx.facts.router.fns[index].panics_acknowledged = true;
        }
        Some(index)
    }

    /// Records an async method outside test code, for the call graph only
    /// (`crate::hot_path`): methods serve no route.
    pub(super) fn record_method(
        &mut self,
        attrs: &[syn::Attribute],
        sig: &syn::Signature,
    ) -> Option<usize> {
        let index = self.record_fn(attrs, sig)?;
        let owner = self.impl_self.and_then(super::commands::type_name);
        let fact = &mut self.cx.facts.router.fns[index];
        fact.is_method = true;
        fact.owner = owner;
        // A request guard or extractor (`FromRequest::from_request`) runs per request.
        fact.takes_request |= self.in_handler_impl
            || sig.ident == "from_request"
            || sig.ident == "from_request_parts";
        Some(index)
    }

    fn param(&self, param: &syn::PatType) -> ParamFact {
        use syn::spanned::Spanned;
        let ty = &*param.ty;
        ParamFact {
            ty: extract::type_fact(ty),
            range: range(ty.span()),
            axum_json: self.axum_json(&param.pat, ty),
        }
    }

    /// When `ty` is axum's `Json<T>`: the range of its path, and of the pattern's path when
    /// `pat` destructures it.
    fn axum_json(&self, pat: &syn::Pat, ty: &syn::Type) -> Option<(Range, Option<Range>)> {
        let syn::Type::Path(p) = ty else {
            return None;
        };
        // Resolving allocates: only for `Json` or a single imported name (a renamed import).
        let maybe_json = p.qself.is_none()
            && p.path.segments.last().is_some_and(|s| {
                s.ident == "Json" || (p.path.segments.len() == 1 && self.cx.uses.imports(&s.ident))
            });
        if !maybe_json {
            return None;
        }
        let resolved = self.cx.resolve(&p.path);
        let axum_glob = || {
            self.cx
                .uses
                .globs()
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
                let (ret, ret_inferred) = match &c.output {
                    syn::ReturnType::Type(_, ty) => (Some(extract::type_fact(ty)), false),
                    syn::ReturnType::Default => (extract::infer_type(&c.body), true),
                };
                let params = c
                    .inputs
                    .iter()
                    .filter_map(|p| match p {
                        syn::Pat::Type(pt) => Some(self.param(pt)),
                        _ => None,
                    })
                    .collect();
                let fact = FnFact {
                    ret,
                    ret_inferred,
                    params,
                    ..self.fn_at(range_between(first, c.inputs_end.spans[0]))
                };
                (key(c), fact)
            }
            syn::Expr::Async(a) => {
                let fact = FnFact {
                    ret: extract::infer_type(e),
                    ret_inferred: true,
                    ..self.fn_at(range(a.async_token.span))
                };
                (key(a), fact)
            }
            _ => return HandlerFact::Unknown("handler expression".into()),
        };
        let index = self.push_fn(fact);
        self.pending_handlers.push((k, index));
        HandlerFact::Closure(index)
    }

    /// The handlers of a method router: `get(h)`, `get(a).post(b)`, `on(filter, h)`, ...
    pub(super) fn method_router(&mut self, e: &syn::Expr, out: &mut Vec<HandlerFact>) {
        match e {
            syn::Expr::Paren(p) => self.method_router(&p.expr, out),
            syn::Expr::Call(c) => match &*c.func {
                syn::Expr::Path(p)
                    if crate::resolve::last_ident_is(&p.path, METHODS) && c.args.len() == 1 =>
                {
                    self.handler(&c.args[0], out)
                }
                // aide: `get_with(handler, docs)`.
                syn::Expr::Path(p)
                    if crate::resolve::last_ident_is(&p.path, METHODS_WITH)
                        && c.args.len() == 2 =>
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
                // `get_internal(handler)`: a wrapper of the file around `get(handler)`.
                syn::Expr::Path(p)
                    if c.args.len() == 1
                        && p.path
                            .get_ident()
                            .is_some_and(|f| self.method_router_wrappers.contains(&f)) =>
                {
                    self.handler(&c.args[0], out)
                }
                _ => out.push(HandlerFact::Unknown("method router built by a call".into())),
            },
            syn::Expr::MethodCall(m) => {
                if METHODS.iter().any(|n| m.method == n) && m.args.len() == 1
                    || METHODS_WITH.iter().any(|n| m.method == n) && m.args.len() == 2
                {
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

    fn record_panic(&mut self, what: &'static str, range: Range, holds_if: Option<Invariant>) {
        if let Some(i) = self.collector() {
            self.cx.facts.router.fns[i].panics.push(PanicFact {
                what,
                range,
                holds_if,
            });
        }
    }

    /// `.unwrap()` / `.expect(..)` inside a recorded function, unless an attribute on the
    /// call says the author weighed it (`#[allow(clippy::expect_used)]`).
    pub(super) fn record_unwrap(&mut self, c: &syn::ExprMethodCall) {
        if acknowledges_panics(&c.attrs)
            || super::is_acknowledged_call(c)
            || self.infallible_unwrap == Some(key(c))
            || looks_up_managed_state(&c.receiver)
            || (self.collector().is_some() && self.guards.makes_safe(&c.receiver))
        {
            return;
        }
        let what = if c.method == "unwrap" && c.args.is_empty() {
            ".unwrap()"
        } else if c.method == "expect" && c.args.len() == 1 {
            ".expect(..)"
        } else {
            return;
        };
        if self.collector().is_some() {
            let holds_if = invariants::format_parsed_with(&c.receiver)
                .map(Invariant::WrittenInFormat)
                .or_else(|| self.guards.set_by(&c.receiver));
            self.record_panic(
                what,
                range_between(extract::expr_start(&c.receiver), c.paren_token.span.close()),
                holds_if,
            );
        }
    }

    /// `panic!`, `todo!`, ... inside a recorded function.
    pub(super) fn record_panic_macro(&mut self, m: &syn::Macro) {
        if self.collector().is_some()
            && self.unreachable_arm_depth == 0
            && let Some(&(_, what)) = m
                .path
                .segments
                .last()
                .and_then(|s| PANIC_MACROS.iter().find(|(n, _)| s.ident == n))
        {
            self.record_panic(
                what,
                range_between(extract::path_span(&m.path).0, m.delimiter.span().close()),
                None,
            );
        }
    }
}

/// `req.guard::<&State<Config>>().await`, `request.rocket().state::<Db>()`,
/// `req.app_data::<web::Data<Pool>>()`: the state the application was built with
/// (`.manage(..)`, `.app_data(..)` at launch), missing only if the program itself is, not
/// because of a request.
pub(crate) fn looks_up_managed_state(receiver: &syn::Expr) -> bool {
    let receiver = match receiver {
        syn::Expr::Await(a) => &*a.base,
        other => other,
    };
    let syn::Expr::MethodCall(m) = receiver else {
        return false;
    };
    let turbofish_names = |names: &[&str]| {
        use quote::ToTokens;
        m.turbofish.as_ref().is_some_and(|t| {
            let text = t.to_token_stream().to_string();
            names.iter().any(|n| text.contains(n))
        })
    };
    match m.method.to_string().as_str() {
        "state" | "app_data" => m.turbofish.is_some(),
        "guard" => turbofish_names(&["State"]),
        _ => false,
    }
}

/// The arm of a `match` on a Rocket guard's `Outcome` that the guards asked never take:
/// `Outcome::Forward(_) => panic!(..)`, or `_ => panic!(..)` beside `Outcome::Success(..)`
/// and `Outcome::Error(..)` arms. Request guards that only succeed or fail never forward.
pub(crate) fn is_forward_of_settled_outcome(arm: &syn::Arm, arms: &[syn::Arm]) -> bool {
    fn outcome_variant(pat: &syn::Pat) -> Option<String> {
        let path = match pat {
            syn::Pat::TupleStruct(t) => &t.path,
            syn::Pat::Path(p) => &p.path,
            _ => return None,
        };
        let n = path.segments.len();
        (n >= 2 && path.segments[n - 2].ident == "Outcome")
            .then(|| path.segments[n - 1].ident.to_string())
    }
    match &arm.pat {
        syn::Pat::Wild(_) => {
            let others: Vec<String> = arms
                .iter()
                .filter_map(|a| outcome_variant(&a.pat))
                .collect();
            others.iter().any(|v| v == "Success") && others.iter().any(|v| v == "Error")
        }
        pat => outcome_variant(pat).as_deref() == Some("Forward"),
    }
}

/// `#[allow(clippy::unwrap_used)]`, `expect_used`, `panic` or `unwrap_in_result`
/// (also inside `expect(..)`): a panic the author weighed and accepted.
pub(super) fn acknowledges_panics(attrs: &[syn::Attribute]) -> bool {
    allows_clippy(
        attrs,
        &["unwrap_used", "expect_used", "panic", "unwrap_in_result"],
    )
}

/// `#[allow(clippy::L)]` or `#[expect(clippy::L)]` (outer or inner) for one of `lints`.
pub(super) fn allows_clippy(attrs: &[syn::Attribute], lints: &[&str]) -> bool {
    attrs.iter().any(|a| {
        (a.path().is_ident("allow") || a.path().is_ident("expect"))
            // `Meta`, not `Path`: `#[expect(clippy::print_stdout, reason = "..")]`.
            && a.parse_args_with(
                syn::punctuated::Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated,
            )
            .is_ok_and(|metas| {
                metas.iter().filter_map(|m| match m {
                    syn::Meta::Path(p) => Some(p),
                    _ => None,
                }).any(|p| {
                    p.segments.len() == 2
                        && p.segments[0].ident == "clippy"
                        && lints.iter().any(|l| p.segments[1].ident == l)
                })
            })
    })
}

/// A media type of a document or file (`text/html; charset=utf-8`, `text/csv`,
/// `application/gzip`, `image/png`), not of an API value: JSON and plain text, which
/// APIs also use for errors, are not documents.
fn is_document_type(value: &str) -> bool {
    let Some((kind, sub)) = value.split(';').next().unwrap_or("").split_once('/') else {
        return false;
    };
    let sub = sub.trim();
    let token = |t: &str| {
        !t.is_empty()
            && t.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b))
    };
    if !token(sub) || sub.contains("json") {
        return false;
    }
    match kind {
        "text" => sub != "plain" && sub != "event-stream",
        "image" | "audio" | "video" | "font" => true,
        "application" => {
            matches!(
                sub,
                "octet-stream" | "gzip" | "zip" | "pdf" | "wasm" | "xml" | "toml" | "yaml" | "zstd"
            ) || sub.starts_with("x-")
                || sub.starts_with("vnd.")
        }
        _ => false,
    }
}

/// `fn get_internal<H, T, S>(handler: H) -> MethodRouter<S, Infallible>`: a function of one
/// argument that returns a method router wraps the handler it is given.
pub(super) fn wraps_handler(sig: &syn::Signature) -> bool {
    sig.inputs.len() == 1
        && matches!(&sig.output, syn::ReturnType::Type(_, ty)
            if matches!(&**ty, syn::Type::Path(p)
                if p.path.segments.last().is_some_and(|s| s.ident == "MethodRouter")))
}

/// `Html(..)`, `Redirect::to(..)`, `mime_guess::from_path(..)`: calls that build a page, a
/// redirect, or the answer of a file server.
fn answers_document(path: &syn::Path) -> bool {
    // Called for every call outside handlers too (page helpers): no allocation.
    let mut rev = path.segments.iter().rev().map(|s| &s.ident);
    let Some(last) = rev.next() else { return false };
    if last == "Html" {
        return true;
    }
    rev.next().is_some_and(|parent| {
        parent == "Redirect" || (parent == "mime_guess" && last == "from_path")
    })
}

/// `#[get("/")]`, `#[post("/users")]`, `#[route("/", method = "GET")]` (actix-web, rocket).
pub(super) fn is_route_attribute(attr: &syn::Attribute) -> bool {
    const ROUTE_ATTRS: &[&str] = &[
        "get", "post", "put", "delete", "patch", "head", "options", "route",
    ];
    matches!(attr.meta, syn::Meta::List(_))
        && attr
            .path()
            .segments
            .last()
            .is_some_and(|s| ROUTE_ATTRS.iter().any(|n| s.ident == n))
}

/// A parameter only a request handler takes: the request itself (`HttpRequest`,
/// `Request<Body>`, tonic's `Request<T>`, s3s's `S3Request<T>`) or an extractor with its type (`web::Json<T>`,
/// `Query<T>`, `State<S>`); a bare `Path` is a file's.
fn is_request(ty: &crate::model::TypeFact) -> bool {
    const EXTRACTORS: &[&str] = &[
        "Json",
        "Query",
        "Form",
        "Path",
        "Data",
        "State",
        "Extension",
        "Request",
    ];
    let ty = if ty.name == "&" {
        ty.args.first().unwrap_or(ty)
    } else {
        ty
    };
    ty.name == "HttpRequest"
        || ty.name == "WebSocketUpgrade"
        || (!ty.args.is_empty()
            && (EXTRACTORS.contains(&ty.name.as_str()) || ty.name.ends_with("Request")))
}

#[cfg(test)]
mod tests {
    use super::is_document_type;

    #[test]
    fn documents_and_api_values() {
        for t in [
            "text/html; charset=utf-8",
            "text/toml",
            "text/csv",
            "application/gzip",
            "application/x-xz",
            "image/png",
            "application/octet-stream",
        ] {
            assert!(is_document_type(t), "{t}");
        }
        for t in [
            "application/json",
            "application/problem+json",
            "text/plain",
            "text/event-stream",
            "application/vnd.api+json",
            "a/b/c",
            "not a type",
            "text/",
        ] {
            assert!(!is_document_type(t), "{t}");
        }
    }
}
