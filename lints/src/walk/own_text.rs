//! Text the program wrote itself, which parses on every run or on none whatever the request:
//! literals, constants and serde_json's output, and locals bound to them
//! (`walk::guards` keeps those locals).

use super::infallible::{is_serialise_to_memory, is_static_name};

/// `"text/plain"`, `PING_PAYLOAD.to_string()`, `serde_json::to_string(ex).ok()`, a local
/// bound to one, or an `if`/`match`/block whose every value is one; `?`, `ok_or_else(..)`
/// and `and_then(|..| ..)` keep what they pass on.
pub(super) fn own_value(e: &syn::Expr, locals: &[&syn::Ident]) -> bool {
    match e {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(_),
            ..
        }) => true,
        syn::Expr::Path(p) => {
            is_static_name(e) || p.path.get_ident().is_some_and(|n| locals.contains(&n))
        }
        syn::Expr::Reference(r) => own_value(&r.expr, locals),
        syn::Expr::Paren(p) => own_value(&p.expr, locals),
        syn::Expr::Try(t) => own_value(&t.expr, locals),
        syn::Expr::Call(c) => is_serialise_to_memory(&c.func),
        syn::Expr::MethodCall(m) => match m.method.to_string().as_str() {
            "to_string" | "to_owned" | "into" | "clone" | "as_str" | "as_ref" | "as_bytes"
            | "ok" => m.args.is_empty() && own_value(&m.receiver, locals),
            "ok_or" | "ok_or_else" => own_value(&m.receiver, locals),
            "and_then" | "map" => {
                matches!(m.args.first(), Some(syn::Expr::Closure(c)) if own_value(&c.body, locals))
            }
            _ => false,
        },
        syn::Expr::If(i) => {
            own_block(&i.then_branch, locals)
                && i.else_branch
                    .as_ref()
                    .is_some_and(|(_, e)| own_value(e, locals))
        }
        syn::Expr::Block(b) => own_block(&b.block, locals),
        syn::Expr::Match(m) => m.arms.iter().all(|a| own_value(&a.body, locals)),
        _ => false,
    }
}

fn own_block(b: &syn::Block, locals: &[&syn::Ident]) -> bool {
    matches!(b.stmts.last(), Some(syn::Stmt::Expr(e, None)) if own_value(e, locals))
}

/// `mime.parse()`, `RawPayload::from_string(example)`: a parse of the program's own text.
pub(super) fn parses_own_text(receiver: &syn::Expr, locals: &[&syn::Ident]) -> bool {
    const PARSERS: &[&str] = &[
        "from_str",
        "from_string",
        "from_slice",
        "parse",
        "parse_str",
        "try_from",
    ];
    match receiver {
        syn::Expr::MethodCall(m) if m.method == "parse" && m.args.is_empty() => {
            own_value(&m.receiver, locals)
        }
        syn::Expr::Call(c) => {
            matches!(&*c.func, syn::Expr::Path(p)
                if p.path.segments.last().is_some_and(|s| PARSERS.iter().any(|f| s.ident == f)))
                && !c.args.is_empty()
                && c.args.iter().all(|a| own_value(a, locals))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expr(src: &str) -> syn::Expr {
        syn::parse_str(src).unwrap()
    }

    #[test]
    fn literals_constants_and_serialised_values() {
        let none: &[&syn::Ident] = &[];
        assert!(own_value(
            &expr(r#"if gz { "application/gzip" } else { "text/plain" }"#),
            none
        ));
        assert!(own_value(
            &expr(r#"match ext { "gz" => "a", _ => "b" }"#),
            none
        ));
        assert!(own_value(&expr("PING_PAYLOAD.to_string()"), none));
        assert!(own_value(
            &expr(
                "schemas.and_then(|s| { let ex = s.example()?; serde_json::to_string(ex).ok() })"
            ),
            none
        ));
        assert!(!own_value(&expr(r#"if gz { "a" } else { name }"#), none));
        assert!(!own_value(&expr(r#"if gz { "a" }"#), none));
        assert!(!own_value(&expr(r#"format!("{x}")"#), none));
        assert!(!own_value(&expr("body.payload.to_string()"), none));
        assert!(!own_value(&expr("schemas.and_then(|s| s.example())"), none));
    }

    #[test]
    fn parses_of_own_text() {
        let example: syn::Ident = syn::parse_str("example").unwrap();
        let locals = [&example];
        assert!(parses_own_text(
            &expr("RawPayload::from_string(example)"),
            &locals
        ));
        assert!(parses_own_text(&expr("example.parse()"), &locals));
        assert!(parses_own_text(&expr("DEFAULT_ADDR.parse()"), &[]));
        assert!(!parses_own_text(
            &expr("RawPayload::from_string(body)"),
            &locals
        ));
        assert!(!parses_own_text(&expr("RawPayload::new(example)"), &locals));
    }
}
