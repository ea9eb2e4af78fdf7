//! What the body of an `IntoResponse` impl or a middleware answers with, for
//! `error-without-envelope` (`ResponderFact`).

use crate::context::FileCx;
use crate::model::{ResponderFact, ResponderKind};
use crate::router::extract::range_between;
use syn::spanned::Spanned;
use syn::visit::Visit;

/// Names too common to be the type an answer delegates to.
const NOT_DELEGATES: &[&str] = &[
    "Self",
    "Some",
    "None",
    "Ok",
    "Err",
    "StatusCode",
    "Json",
    "Html",
    "Response",
    "Body",
    "String",
    "Vec",
    "Box",
    "Bytes",
    "HeaderMap",
    "HeaderValue",
    "Redirect",
    "Into",
    "From",
];

/// Records `impl IntoResponse for X` (X not an envelope type), and the error types an impl
/// names (`impl Error for X`, `type Rejection = X`).
pub(super) fn record_impl(cx: &mut FileCx, item: &syn::ItemImpl) {
    let Some((trait_path, _)) = &item.trait_ else {
        return;
    };
    let Some(trait_name) = trait_path.segments.last().map(|s| &s.ident) else {
        return;
    };
    if trait_name == "Error" {
        if let Some(name) = type_name(&item.self_ty) {
            cx.facts.error_types.push(name);
        }
        return;
    }
    if trait_name == "FromRequest" || trait_name == "FromRequestParts" {
        for it in &item.items {
            if let syn::ImplItem::Type(t) = it
                && t.ident == "Rejection"
                && let Some(name) = type_name(&t.ty)
            {
                cx.facts.error_types.push(name);
            }
        }
        return;
    }
    if trait_name != "IntoResponse" {
        return;
    }
    let Some(name) = type_name(&item.self_ty) else {
        return;
    };
    if is_envelope_name(cx, &name) {
        return;
    }
    let Some(body) = item.items.iter().find_map(|it| match it {
        syn::ImplItem::Fn(f) if f.sig.ident == "into_response" => Some(&f.block),
        _ => None,
    }) else {
        return;
    };
    let range = range_between(item.impl_token.span, item.self_ty.span());
    let fact = judge(cx, ResponderKind::IntoResponse(name), range, body);
    cx.facts.responders.push(fact);
}

/// Records a middleware function: `async fn f(.., next: Next)` (for `from_fn`) or
/// `async fn f(response: Response)` (for `map_response`), when it builds an answer.
pub(super) fn record_fn(cx: &mut FileCx, f: &syn::ItemFn) {
    if f.sig.asyncness.is_none() {
        return;
    }
    // Runs for every `async fn`: compared without allocating.
    let takes = |name: &str| {
        f.sig.inputs.iter().any(|arg| match arg {
            syn::FnArg::Typed(pt) => match &*pt.ty {
                syn::Type::Path(p) => p.path.segments.last().is_some_and(|s| s.ident == name),
                _ => false,
            },
            syn::FnArg::Receiver(_) => false,
        })
    };
    // An HTTP client's response (`reqwest::Response`) is what a proxy helper reads, and a
    // module's own `Response` (`request_service::Response`, a pipeline stage's) is no
    // answer either: only the HTTP answer a `map_response` middleware is handed.
    let takes_answer = || {
        f.sig.inputs.iter().any(|arg| match arg {
            syn::FnArg::Typed(pt) => matches!(&*pt.ty, syn::Type::Path(p)
                if p.path.segments.last().is_some_and(|s| s.ident == "Response")
                    && is_http_answer(&cx.resolve(&p.path))),
            syn::FnArg::Receiver(_) => false,
        })
    };
    if !(takes("Next") || (takes("Response") && takes_answer())) {
        return;
    }
    let range = range_between(f.sig.fn_token.span, f.sig.ident.span());
    let kind = ResponderKind::Middleware(f.sig.ident.to_string());
    let v = visit_body(cx, &f.block);
    // A middleware mostly passes the inner answer on, adds headers or redirects: only an
    // error it makes up itself is an answer of its own.
    if let Some(answer) = v.error_answer {
        cx.facts.responders.push(ResponderFact {
            kind,
            range,
            enveloped: v.enveloped,
            mentions: v.mentions,
            answer: Some(answer),
        });
    }
}

/// `axum::response::Response`, `http::Response`, or a bare `Response` whose import the file
/// does not show (a glob).
fn is_http_answer(resolved: &str) -> bool {
    resolved == "Response"
        || ["axum::", "http::", "hyper::"]
            .iter()
            .any(|root| resolved.starts_with(root))
}

fn judge(
    cx: &FileCx,
    kind: ResponderKind,
    range: crate::model::Range,
    body: &syn::Block,
) -> ResponderFact {
    let v = visit_body(cx, body);
    ResponderFact {
        kind,
        range,
        enveloped: v.enveloped,
        mentions: v.mentions,
        answer: v.answer.or(v
            .into_response
            .then_some("`.into_response()` of another value")),
    }
}

fn visit_body<'a, 'c>(cx: &'a FileCx<'c>, body: &syn::Block) -> Body<'a, 'c> {
    let mut v = Body {
        cx,
        enveloped: false,
        mentions: Vec::new(),
        answer: None,
        error_answer: None,
        into_response: false,
    };
    v.visit_block(body);
    v
}

/// The last segment of a path type (`AppError`, `Envelope` in `Envelope<T>`), through `&`.
fn type_name(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        syn::Type::Reference(r) => type_name(&r.elem),
        _ => None,
    }
}

fn is_envelope_name(cx: &FileCx, name: &str) -> bool {
    cx.house
        .envelope_types
        .iter()
        .any(|e| e.rsplit("::").next() == Some(name))
        || name.to_ascii_lowercase().contains("envelope")
}

struct Body<'a, 'c> {
    cx: &'a FileCx<'c>,
    enveloped: bool,
    mentions: Vec<String>,
    answer: Option<&'static str>,
    /// The first answer that is evidently an error (a 4xx/5xx status, a JSON body).
    error_answer: Option<&'static str>,
    into_response: bool,
}

impl Body<'_, '_> {
    fn answers(&mut self, what: &'static str, is_error: bool) {
        self.answer.get_or_insert(what);
        if is_error {
            self.error_answer.get_or_insert(what);
        }
    }
}

impl<'ast> Visit<'ast> for Body<'_, '_> {
    fn visit_item(&mut self, _: &'ast syn::Item) {}

    fn visit_path(&mut self, p: &'ast syn::Path) {
        for s in &p.segments {
            let name = s.ident.to_string();
            if is_envelope_name(self.cx, &name) {
                self.enveloped = true;
            } else if name.starts_with(|c: char| c.is_ascii_uppercase())
                && !NOT_DELEGATES.contains(&name.as_str())
                && !self.mentions.contains(&name)
            {
                self.mentions.push(name);
            }
        }
        syn::visit::visit_path(self, p);
    }

    fn visit_expr_struct(&mut self, e: &'ast syn::ExprStruct) {
        let has = |field: &str| {
            e.fields
                .iter()
                .any(|f| matches!(&f.member, syn::Member::Named(n) if n == field))
        };
        if has("status_code") && has("status_txt") {
            self.enveloped = true;
        }
        syn::visit::visit_expr_struct(self, e);
    }

    fn visit_expr_call(&mut self, c: &'ast syn::ExprCall) {
        if let syn::Expr::Path(p) = &*c.func {
            if crate::resolve::last_ident_is(&p.path, &["Json"]) {
                self.answers("`Json(..)`", true);
            } else if crate::resolve::last_ident_is(&p.path, &["Html"]) {
                self.answers("`Html(..)`", false);
            } else if crate::resolve::last_ident_is(&p.path, &["builder"])
                && p.path.segments.iter().any(|s| s.ident == "Response")
            {
                self.answers("a hand-built `Response`", false);
            } else if p.path.is_ident("Err") && c.args.first().and_then(status_code).is_some() {
                self.answers("`Err(StatusCode::..)`", true);
            }
        }
        syn::visit::visit_expr_call(self, c);
    }

    fn visit_expr_tuple(&mut self, t: &'ast syn::ExprTuple) {
        if let Some(status) = t.elems.first().and_then(status_code) {
            self.answers("a `(StatusCode, ..)` tuple", is_error_status(status));
        }
        syn::visit::visit_expr_tuple(self, t);
    }

    fn visit_expr_method_call(&mut self, c: &'ast syn::ExprMethodCall) {
        let method = c.method.to_string();
        if method.to_ascii_lowercase().contains("envelope") {
            self.enveloped = true;
        } else if method == "into_response" {
            // `(&self).into_response()`: the impl for `&Error` answers, and is judged itself;
            // so does the wrapped error's own impl for a wrapper that hands its answer on
            // (`self.error.current_context().into_response()`, `self.0.into_response()`).
            self.into_response |= !is_self(&c.receiver) && !reaches_a_field_of_self(&c.receiver);
            if status_code(&c.receiver).is_some_and(is_error_status) {
                self.answers("a bare `StatusCode`", true);
            }
        }
        syn::visit::visit_expr_method_call(self, c);
    }

    fn visit_macro(&mut self, m: &'ast syn::Macro) {
        if crate::resolve::last_ident_is(&m.path, &["json"]) {
            let keys = literal_texts(m.tokens.clone());
            if keys.iter().any(|k| k == "\"status_code\"")
                && keys.iter().any(|k| k == "\"status_txt\"")
            {
                self.enveloped = true;
            } else {
                self.answers("a `json!` body", true);
            }
        }
        for e in crate::router::macros::body_exprs(m) {
            self.visit_expr(&e);
        }
    }
}

/// `self`, `&self`, `(&self)`.
fn is_self(e: &syn::Expr) -> bool {
    match e {
        syn::Expr::Path(p) => p.path.is_ident("self"),
        syn::Expr::Reference(r) => is_self(&r.expr),
        syn::Expr::Paren(p) => is_self(&p.expr),
        _ => false,
    }
}

/// `self.0`, `(*self.error.current_context())`, `&self.inner`: a value held in a field of
/// `self`, also through the methods and dereferences that reach it.
fn reaches_a_field_of_self(e: &syn::Expr) -> bool {
    match e {
        syn::Expr::Field(f) => is_self(&f.base) || reaches_a_field_of_self(&f.base),
        syn::Expr::MethodCall(m) => reaches_a_field_of_self(&m.receiver),
        syn::Expr::Unary(u) => reaches_a_field_of_self(&u.expr),
        syn::Expr::Reference(r) => reaches_a_field_of_self(&r.expr),
        syn::Expr::Paren(p) => reaches_a_field_of_self(&p.expr),
        _ => false,
    }
}

/// Status names that are not errors (success, redirects, informational).
const NOT_ERRORS: &[&str] = &[
    "CONTINUE",
    "SWITCHING_PROTOCOLS",
    "OK",
    "CREATED",
    "ACCEPTED",
    "NO_CONTENT",
    "PARTIAL_CONTENT",
    "MOVED_PERMANENTLY",
    "FOUND",
    "SEE_OTHER",
    "NOT_MODIFIED",
    "TEMPORARY_REDIRECT",
    "PERMANENT_REDIRECT",
];

/// The constant of a `StatusCode::NOT_FOUND` path (any prefix), or `StatusCode` itself for
/// other expressions naming it.
fn status_code(e: &syn::Expr) -> Option<&syn::Ident> {
    match e {
        syn::Expr::Path(p) if p.path.segments.iter().any(|s| s.ident == "StatusCode") => {
            p.path.segments.last().map(|s| &s.ident)
        }
        syn::Expr::Paren(p) => status_code(&p.expr),
        _ => None,
    }
}

fn is_error_status(name: &syn::Ident) -> bool {
    !NOT_ERRORS.iter().any(|n| name == n)
}

/// The text of every literal in a token stream (`"status_code"` with its quotes).
fn literal_texts(tokens: proc_macro2::TokenStream) -> Vec<String> {
    let mut out = Vec::new();
    for tt in tokens {
        match tt {
            proc_macro2::TokenTree::Literal(l) => out.push(l.to_string()),
            proc_macro2::TokenTree::Group(g) => out.extend(literal_texts(g.stream())),
            _ => {}
        }
    }
    out
}
