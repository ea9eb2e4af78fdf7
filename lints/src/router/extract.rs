//! Phase-1 helpers: turn syntax into the compact router facts of `model::RouterFacts`.

use crate::context::position;
use crate::model::{PathArg, Range, TypeFact};
use proc_macro2::Span;
use syn::spanned::Spanned;

/// Methods that make a method-call chain a router chain.
/// axum's own, aide's `ApiRouter` ones (`api_route`, `api_route_with`,
/// `nest_api_service`) and utoipa-axum's `OpenApiRouter::routes`.
pub const ROUTER_OPS: &[&str] = &[
    "route",
    "nest",
    "merge",
    "fallback",
    "fallback_service",
    "route_service",
    "nest_service",
    "api_route",
    "api_route_with",
    "nest_api_service",
    "routes",
    "typed_get",
    "typed_post",
    "typed_put",
    "typed_patch",
    "typed_delete",
    "typed_head",
    "typed_options",
];
/// Methods that continue a router chain without adding routes; `finish_api` (aide) and
/// `split_for_parts` (utoipa-axum) turn an API router into an axum `Router`.
pub const ROUTER_PASS: &[&str] = &[
    "with_state",
    "layer",
    "route_layer",
    "finish_api",
    "finish_api_with",
    "split_for_parts",
    "into",
];
/// Types whose `new()`/`default()` (or utoipa-axum's `with_openapi(..)`) starts a router.
pub const ROUTER_TYPES: &[&str] = &["Router", "ApiRouter", "OpenApiRouter"];
/// The method-router constructors and `MethodRouter` methods of axum.
pub const METHODS: &[&str] = &[
    "get", "post", "put", "patch", "delete", "head", "options", "trace", "any",
];
/// aide's method routers taking the handler and a documentation function (`get_with(h, docs)`).
pub const METHODS_WITH: &[&str] = &[
    "get_with",
    "post_with",
    "put_with",
    "patch_with",
    "delete_with",
    "head_with",
    "options_with",
    "trace_with",
    "any_with",
];

pub fn range(span: Span) -> Range {
    Range {
        start: position(span.start()),
        end: position(span.end()),
    }
}

pub fn range_between(first: Span, last: Span) -> Range {
    Range {
        start: position(first.start()),
        end: position(last.end()),
    }
}

/// The span of a path without generic arguments: `axum::Json` of `axum::Json<T>`.
pub fn path_span(path: &syn::Path) -> (Span, Span) {
    let first = path
        .leading_colon
        .as_ref()
        .map(|c| c.spans[0])
        .or_else(|| path.segments.first().map(|s| s.ident.span()));
    let last = path.segments.last().map(|s| s.ident.span());
    let first = first.unwrap_or_else(Span::call_site);
    (first, last.unwrap_or(first))
}

pub fn path_segments(path: &syn::Path) -> Vec<String> {
    path.segments.iter().map(|s| s.ident.to_string()).collect()
}

/// The leftmost token of an expression (where a receiver chain starts).
pub fn expr_start(e: &syn::Expr) -> Span {
    match e {
        syn::Expr::MethodCall(m) => expr_start(&m.receiver),
        syn::Expr::Field(f) => expr_start(&f.base),
        syn::Expr::Call(c) => expr_start(&c.func),
        syn::Expr::Await(a) => expr_start(&a.base),
        syn::Expr::Try(t) => expr_start(&t.expr),
        syn::Expr::Index(i) => expr_start(&i.expr),
        syn::Expr::Path(p) if p.qself.is_none() => path_span(&p.path).0,
        syn::Expr::Lit(l) => l.lit.span(),
        syn::Expr::Macro(m) => path_span(&m.mac.path).0,
        syn::Expr::Paren(p) => p.paren_token.span.open(),
        _ => e.span(),
    }
}

/// A type as its last segment and generic type arguments.
pub fn type_fact(ty: &syn::Type) -> TypeFact {
    match ty {
        syn::Type::Path(p) => match p.path.segments.last() {
            Some(seg) => {
                let args = match &seg.arguments {
                    syn::PathArguments::AngleBracketed(a) => a
                        .args
                        .iter()
                        .filter_map(|arg| match arg {
                            syn::GenericArgument::Type(t) => Some(type_fact(t)),
                            _ => None,
                        })
                        .collect(),
                    _ => Vec::new(),
                };
                TypeFact {
                    name: seg.ident.to_string(),
                    args,
                }
            }
            None => unknown(),
        },
        syn::Type::Reference(r) => TypeFact {
            name: "&".into(),
            args: vec![type_fact(&r.elem)],
        },
        syn::Type::Tuple(t) => TypeFact {
            name: "()".into(),
            args: t.elems.iter().map(type_fact).collect(),
        },
        syn::Type::Paren(p) => type_fact(&p.elem),
        syn::Type::Group(g) => type_fact(&g.elem),
        syn::Type::ImplTrait(i) => {
            let bound = i.bounds.iter().find_map(|b| match b {
                syn::TypeParamBound::Trait(t) => {
                    t.path.segments.last().map(|s| s.ident.to_string())
                }
                _ => None,
            });
            TypeFact {
                name: format!("impl {}", bound.unwrap_or_default()),
                args: Vec::new(),
            }
        }
        _ => unknown(),
    }
}

fn unknown() -> TypeFact {
    TypeFact {
        name: "_".into(),
        args: Vec::new(),
    }
}

/// What a closure body evidently returns: `"ok"` is `&str`, `Json(..)` is `Json`,
/// `Envelope::ok(..)` is `Envelope`, `StatusCode::OK` is `StatusCode`; `None` when unknown.
pub fn infer_type(e: &syn::Expr) -> Option<TypeFact> {
    let named = |name: &str| {
        Some(TypeFact {
            name: name.to_string(),
            args: Vec::new(),
        })
    };
    match e {
        syn::Expr::Async(syn::ExprAsync { block, .. })
        | syn::Expr::Block(syn::ExprBlock { block, .. }) => {
            block.stmts.last().and_then(tail_expr).and_then(infer_type)
        }
        syn::Expr::Paren(p) => infer_type(&p.expr),
        syn::Expr::Lit(l) => match &l.lit {
            syn::Lit::Str(_) => Some(TypeFact {
                name: "&".into(),
                args: vec![TypeFact {
                    name: "str".into(),
                    args: Vec::new(),
                }],
            }),
            _ => None,
        },
        syn::Expr::Macro(m)
            if m.mac
                .path
                .segments
                .last()
                .is_some_and(|s| s.ident == "format") =>
        {
            named("String")
        }
        syn::Expr::Tuple(t) => Some(TypeFact {
            name: "()".into(),
            args: t
                .elems
                .iter()
                .map(|e| infer_type(e).unwrap_or_else(unknown))
                .collect(),
        }),
        syn::Expr::Call(c) => match &*c.func {
            syn::Expr::Path(p) => type_named_by(&p.path).and_then(|n| named(&n)),
            _ => None,
        },
        syn::Expr::Path(p) if p.path.segments.len() >= 2 => {
            type_named_by(&p.path).and_then(|n| named(&n))
        }
        _ => None,
    }
}

/// `Json` of `Json(..)`, `Envelope` of `Envelope::ok(..)` or `StatusCode::OK`.
fn type_named_by(path: &syn::Path) -> Option<String> {
    let segs: Vec<&syn::Ident> = path.segments.iter().map(|s| &s.ident).collect();
    let upper = |i: &syn::Ident| i.to_string().starts_with(|c: char| c.is_ascii_uppercase());
    match segs.as_slice() {
        [.., last] if upper(last) && segs.len() == 1 => Some(last.to_string()),
        [.., ty, _] if upper(ty) => Some(ty.to_string()),
        [.., last] if upper(last) => Some(last.to_string()),
        _ => None,
    }
}

pub fn tail_expr(stmt: &syn::Stmt) -> Option<&syn::Expr> {
    match stmt {
        syn::Stmt::Expr(e, None) => Some(e),
        _ => None,
    }
}

/// A route path or nest prefix: a literal, or a `const`/`static` by path.
pub fn path_arg(e: &syn::Expr) -> PathArg {
    match e {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(s),
            ..
        }) => PathArg::Lit(s.value()),
        syn::Expr::Path(p) if p.qself.is_none() => PathArg::Name(path_segments(&p.path)),
        syn::Expr::Reference(r) => path_arg(&r.expr),
        syn::Expr::Paren(p) => path_arg(&p.expr),
        _ => PathArg::Unknown,
    }
}

/// Looks through parentheses, references and `.clone()`/`.into()`/`.into_make_service()`
/// calls.
pub fn peel(e: &syn::Expr) -> &syn::Expr {
    match e {
        syn::Expr::Paren(p) => peel(&p.expr),
        syn::Expr::Reference(r) => peel(&r.expr),
        syn::Expr::MethodCall(m)
            if m.args.is_empty()
                && (m.method == "clone"
                    || m.method == "into"
                    || m.method == "into_make_service"
                    || m.method == "into_make_service_with_connect_info") =>
        {
            peel(&m.receiver)
        }
        // A service wrapping the router: `Shared::new(NormalizePath::trim_trailing_slash(app))`.
        syn::Expr::Call(c) if c.args.len() == 1 && is_type_fn(&c.func) => peel(&c.args[0]),
        _ => e,
    }
}

/// A free function (`router`, `api::router`), not an associated one (`Vec::new`).
pub fn is_free_fn(path: &syn::Path) -> bool {
    let n = path.segments.len();
    n == 1
        || !path.segments[n - 2]
            .ident
            .to_string()
            .starts_with(|c: char| c.is_ascii_uppercase())
}

/// `Type::f` where `Type` is not a router type (whose `with_openapi(..)` starts a router).
fn is_type_fn(func: &syn::Expr) -> bool {
    let syn::Expr::Path(p) = func else {
        return false;
    };
    let n = p.path.segments.len();
    n >= 2 && {
        let ty = &p.path.segments[n - 2].ident;
        ty.to_string().starts_with(|c: char| c.is_ascii_uppercase())
            && !ROUTER_TYPES.iter().any(|t| ty == t)
    }
}

/// The handler paths of utoipa-axum's `routes!(a, b::c)`, with their ranges; `None` when
/// the macro is not `routes!` or its body is not a list of paths.
pub fn routes_macro(e: &syn::Expr) -> Option<Vec<(Vec<String>, Range)>> {
    use syn::parse::Parser;
    let syn::Expr::Macro(m) = e else {
        return None;
    };
    if !crate::resolve::last_ident_is(&m.mac.path, &["routes"]) {
        return None;
    }
    let paths = syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated
        .parse2(m.mac.tokens.clone())
        .ok()?;
    Some(
        paths
            .iter()
            .map(|p| {
                let (a, b) = path_span(p);
                (path_segments(p), range_between(a, b))
            })
            .collect(),
    )
}

/// `#[typed_path("/app/{team_id}/pipelines")]` (axum-extra's typed routing): the path of
/// the type it derives `TypedPath` for.
pub fn typed_path(attrs: &[syn::Attribute]) -> Option<String> {
    let attr = attrs.iter().find(|a| a.path().is_ident("typed_path"))?;
    let syn::Meta::List(list) = &attr.meta else {
        return None;
    };
    let first = list.tokens.clone().into_iter().next()?;
    syn::parse2::<syn::LitStr>(first.into())
        .ok()
        .map(|l| l.value())
}

/// The route of a `#[utoipa::path(get, path = "/x", context_path = "/api")]` attribute:
/// `context_path` + `path`.
pub fn utoipa_path(attrs: &[syn::Attribute]) -> Option<String> {
    use proc_macro2::TokenTree;
    let attr = attrs.iter().find(|a| {
        let segs = &a.path().segments;
        segs.last().is_some_and(|s| s.ident == "path")
            && (segs.len() == 1 || segs[0].ident == "utoipa")
    })?;
    let syn::Meta::List(list) = &attr.meta else {
        return None;
    };
    let tokens: Vec<TokenTree> = list.tokens.clone().into_iter().collect();
    let value_of = |key: &str| {
        tokens.windows(3).find_map(|w| match w {
            [
                TokenTree::Ident(k),
                TokenTree::Punct(eq),
                TokenTree::Literal(lit),
            ] if k == key && eq.as_char() == '=' => syn::parse_str::<syn::LitStr>(&lit.to_string())
                .ok()
                .map(|s| s.value()),
            _ => None,
        })
    };
    let path = value_of("path")?;
    Some(match value_of("context_path") {
        Some(prefix) => format!("{}{path}", prefix.trim_end_matches('/')),
        None => path,
    })
}

/// The route path a string literal names, if it looks like one: `/users/1`, `api/v0/history`
/// (a path joined to a base URL), `{}/api/v0/history` or `{base}/sync` (a format string that
/// prefixes a base URL), `http://localhost:8080/ping`. Anything with whitespace, or without a
/// `/` after the prefix, is no path. The answer starts with `/`.
pub fn route_like(value: &str) -> Option<String> {
    if value.len() > 300 || value.contains(char::is_whitespace) {
        return None;
    }
    let mut rest = value;
    if let Some(i) = rest.find("://") {
        let after = &rest[i + 3..];
        rest = &after[after.find('/')?..];
    }
    while rest.starts_with('{') {
        rest = &rest[rest.find('}')? + 1..];
    }
    if rest.starts_with('/') {
        return Some(rest.to_string());
    }
    let first = rest.split('/').next()?;
    let is_segment = !first.is_empty()
        && first
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    // `api/v0/history`, not `../x`; a mime type (`application/json`) passes, but only a
    // route of that very path would ever match it.
    (is_segment && rest.contains('/')).then(|| format!("/{rest}"))
}

#[cfg(test)]
mod tests {
    use super::route_like;

    #[test]
    fn route_like_literals() {
        let r = |s: &str| route_like(s);
        assert_eq!(r("/ping").as_deref(), Some("/ping"));
        assert_eq!(r("api/v0/history").as_deref(), Some("/api/v0/history"));
        assert_eq!(r("{}/api/v0/history").as_deref(), Some("/api/v0/history"));
        assert_eq!(r("{base}/sync/{id}").as_deref(), Some("/sync/{id}"));
        assert_eq!(r("http://localhost:8080/ping").as_deref(), Some("/ping"));
        assert_eq!(r("http://localhost:8080"), None);
        assert_eq!(r("hello world/x"), None);
        assert_eq!(r("history"), None);
        assert_eq!(r("../x/y"), None);
    }
}
