//! Unwraps that hold by what the rest of the crate does. The walker sees one file at a
//! time, so it records such an unwrap with its condition (`model::Invariant`) and the facts
//! that can meet it; `unwrap-in-handler` checks the two with the whole crate in view.
//! - a date parsed with a format constant the crate also writes dates with
//!   (`NaiveDateTime::parse_from_str(&row.created_at, DATETIME_FORMAT)`, where the crate
//!   stores `now.format(DATETIME_FORMAT)`): the text is the program's own;
//! - a field of what a crate function returned, when that function sets it to `Some(..)`
//!   on every way it returns a value (`let keys = rotate_key(..)?;` then
//!   `keys.current_key.unwrap()`).

use syn::visit::Visit;

use super::infallible::is_static_name;

/// `NaiveDateTime::parse_from_str(text, DATETIME_FORMAT)`: the format constant, when the
/// format is one.
pub(super) fn format_parsed_with(receiver: &syn::Expr) -> Option<String> {
    let syn::Expr::Call(c) = receiver else {
        return None;
    };
    let syn::Expr::Path(f) = &*c.func else {
        return None;
    };
    if f.path.segments.last()?.ident != "parse_from_str" || c.args.len() != 2 {
        return None;
    }
    constant_name(&c.args[1])
}

/// `now.format(DATETIME_FORMAT)`: the format constant a value is written with.
pub(super) fn format_written_with(c: &syn::ExprMethodCall) -> Option<String> {
    if c.method != "format" || c.args.len() != 1 {
        return None;
    }
    constant_name(&c.args[0])
}

fn constant_name(e: &syn::Expr) -> Option<String> {
    let e = match e {
        syn::Expr::Reference(r) => &*r.expr,
        e => e,
    };
    let syn::Expr::Path(p) = e else { return None };
    is_static_name(e).then(|| p.path.segments.last().map(|s| s.ident.to_string()))?
}

/// `rotate_key(..)?`, `store.rotate_key(..).await?`, `Self::rotate_key(..)?`: the name of
/// the function whose value a `let` binds, when it is a plain call and its error left.
pub(super) fn called_function(init: &syn::Expr) -> Option<String> {
    let syn::Expr::Try(t) = init else { return None };
    let call = match &*t.expr {
        syn::Expr::Await(a) => &*a.base,
        e => e,
    };
    match call {
        syn::Expr::Call(c) => match &*c.func {
            syn::Expr::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
            _ => None,
        },
        syn::Expr::MethodCall(m) => Some(m.method.to_string()),
        _ => None,
    }
}

/// The fields that a function's body sets to `Some(..)` in every value it returns: the
/// struct literal of its tail (`Ok(Keys { current: Some(..), .. })`) and of each `return
/// Ok(..)`; a `return Err(..)` returns no value.
pub(super) fn fields_always_some(block: &syn::Block) -> Vec<String> {
    let Some(syn::Stmt::Expr(tail, None)) = block.stmts.last() else {
        return Vec::new();
    };
    let Some(mut fields) = some_fields(tail) else {
        return Vec::new();
    };
    let mut returns = Returns(Vec::new());
    returns.visit_block(block);
    for r in returns.0 {
        match r.map(|e| (is_err(e), some_fields(e))) {
            Some((true, _)) => {}
            Some((false, Some(these))) => fields.retain(|f| these.contains(f)),
            _ => return Vec::new(),
        }
    }
    fields
}

/// `Ok(S { a: Some(..), b })`, `S { a: Some(..) }`: the fields set to `Some(..)`.
fn some_fields(e: &syn::Expr) -> Option<Vec<String>> {
    let s = match e {
        syn::Expr::Call(c) if is_named(&c.func, "Ok") && c.args.len() == 1 => &c.args[0],
        e => e,
    };
    let syn::Expr::Struct(s) = s else { return None };
    let fields: Vec<String> = s
        .fields
        .iter()
        .filter(|f| matches!(&f.expr, syn::Expr::Call(c) if is_named(&c.func, "Some")))
        .filter_map(|f| match &f.member {
            syn::Member::Named(n) => Some(n.to_string()),
            syn::Member::Unnamed(_) => None,
        })
        .collect();
    (!fields.is_empty()).then_some(fields)
}

fn is_err(e: &syn::Expr) -> bool {
    matches!(e, syn::Expr::Call(c) if is_named(&c.func, "Err"))
}

fn is_named(f: &syn::Expr, name: &str) -> bool {
    matches!(f, syn::Expr::Path(p) if p.path.is_ident(name))
}

/// The `return` expressions of a function body, not of the closures and items inside it.
struct Returns<'ast>(Vec<Option<&'ast syn::Expr>>);

impl<'ast> Visit<'ast> for Returns<'ast> {
    fn visit_expr_return(&mut self, r: &'ast syn::ExprReturn) {
        self.0.push(r.expr.as_deref());
    }
    fn visit_expr_closure(&mut self, _: &'ast syn::ExprClosure) {}
    fn visit_expr_async(&mut self, _: &'ast syn::ExprAsync) {}
    fn visit_item(&mut self, _: &'ast syn::Item) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expr(src: &str) -> syn::Expr {
        syn::parse_str(src).unwrap()
    }

    fn block(src: &str) -> syn::Block {
        syn::parse_str(src).unwrap()
    }

    #[test]
    fn formats_parsed_and_written() {
        assert_eq!(
            format_parsed_with(&expr(
                "chrono::NaiveDateTime::parse_from_str(row.created_at.as_str(), DATETIME_FORMAT)"
            )),
            Some("DATETIME_FORMAT".into())
        );
        assert_eq!(
            format_parsed_with(&expr(r#"NaiveDate::parse_from_str(&q.day, "%Y-%m-%d")"#)),
            None
        );
        assert_eq!(
            format_parsed_with(&expr("NaiveDate::parse_from_str(&q.day, fmt)")),
            None
        );
        let syn::Expr::MethodCall(c) = expr("now.format(db::DATETIME_FORMAT)") else {
            unreachable!()
        };
        assert_eq!(format_written_with(&c), Some("DATETIME_FORMAT".into()));
    }

    #[test]
    fn functions_called_for_a_value() {
        assert_eq!(
            called_function(&expr("rotate_key(data, key)?")),
            Some("rotate_key".into())
        );
        assert_eq!(
            called_function(&expr("self.store.rotate(key).await?")),
            Some("rotate".into())
        );
        assert_eq!(called_function(&expr("rotate_key(data, key)")), None);
    }

    #[test]
    fn fields_set_on_every_return() {
        let f = block(
            "{ if n > MAX { return Err(limit()); } \
               Ok(Keys { current: Some(new_key()?), old: Some(old), count }) }",
        );
        assert_eq!(fields_always_some(&f), ["current", "old"]);
        let f = block(
            "{ if fresh { return Ok(Keys { current: None, old: Some(old) }); } \
               Ok(Keys { current: Some(k), old: Some(old) }) }",
        );
        assert_eq!(fields_always_some(&f), ["old"]);
        let f = block("{ if fresh { return Ok(keys); } Ok(Keys { current: Some(k) }) }");
        assert!(fields_always_some(&f).is_empty());
        // A closure's `return` is not the function's.
        let f = block(
            "{ let k = items.iter().find_map(|i| { return None; }); Keys { current: Some(k) } }",
        );
        assert_eq!(fields_always_some(&f), ["current"]);
    }
}
