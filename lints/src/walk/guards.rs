//! Unwraps that the code around them makes safe, which `unwrap-in-handler` leaves alone:
//! - a value checked just before: `if q.role.is_none() { return bad_request(..); }`,
//!   `if let Err(e) = query { return Err(..); }` (or the `else` of
//!   `if q.role.is_none() || .. { .. } else { .. }`), then
//!   `q.role.clone().unwrap()`: the check answered the request that lacked it;
//! - a local bound to what the program wrote itself: literals (`let mime = if gz {
//!   "application/gzip" } else { "application/octet-stream" };`), constants
//!   (`PING_PAYLOAD.to_string()`) or serde_json's output (`serde_json::to_string(ex).ok()`,
//!   through `?`, `and_then`, `ok_or_else`), then parsed (`mime.parse().unwrap()`,
//!   `RawPayload::from_string(example).unwrap()`): it parses on every run or on none;
//! - a field of a value the handler built just before with a constructor (`let app =
//!   application::ActiveModel::new(org_id);`, then `app.id.clone().unwrap()`): the
//!   constructor sets it or never does, whatever the request;
//! - the next item of a stream just peeked at (`if let Some(Err(_)) = rows.peek().await {
//!   rows.next().await.unwrap() }`).
//!
//! A field of what a crate function returned (`let keys = rotate_key(..)?;`) holds if that
//! function sets it: `set_by` names the condition for `walk::invariants`.
//!
//! Only handler bodies are tracked (the walker asks when a panic collector is open).

use quote::ToTokens;

use crate::model::Invariant;

/// What the statements walked so far in the enclosing handler tell about its values.
#[derive(Default)]
pub(super) struct Guards<'ast> {
    /// Values checked for `None`/`Err` on a path that then left (`q.role`), as tokens.
    checked: Vec<String>,
    /// Locals bound to what the program wrote itself (`own_value`).
    own_locals: Vec<&'ast syn::Ident>,
    /// Locals bound to a constructor's value (`Type::new(..)`).
    constructed_locals: Vec<&'ast syn::Ident>,
    /// Locals bound to a function's value (`let keys = rotate_key(..)?;`), with its name.
    returned_locals: Vec<(&'ast syn::Ident, String)>,
}

impl<'ast> Guards<'ast> {
    pub(super) fn mark(&self) -> usize {
        self.checked.len()
    }

    /// Forgets the checks made since `mark` (the block that made them ends).
    pub(super) fn reset(&mut self, mark: usize) {
        self.checked.truncate(mark);
    }

    pub(super) fn clear_locals(&mut self) {
        self.own_locals.clear();
        self.constructed_locals.clear();
        self.returned_locals.clear();
    }

    /// `if x.is_none() { return ..; }`: `x` holds a value in the statements after it.
    pub(super) fn note_stmt(&mut self, stmt: &syn::Stmt) {
        if let syn::Stmt::Expr(syn::Expr::If(e), _) = stmt
            && e.else_branch.is_none()
            && leaves(&e.then_branch)
        {
            self.note_checks(&e.cond);
        }
    }

    /// `if x.is_none() || .. { .. }` (or `if let Err(..) = x`, `if let None = x`): `x`
    /// holds a value in the `else` branch.
    pub(super) fn note_checks(&mut self, cond: &syn::Expr) {
        for_each_disjunct(cond, &mut |e| {
            if let syn::Expr::Let(l) = e
                && matches_failure(&l.pat)
            {
                self.checked.push(l.expr.to_token_stream().to_string());
            }
            if let syn::Expr::MethodCall(m) = e
                && m.args.is_empty()
                && (m.method == "is_none" || m.method == "is_err")
            {
                self.checked.push(m.receiver.to_token_stream().to_string());
            }
            // `if prompts.is_empty() { return .. }`: its first and last items are there.
            if let syn::Expr::MethodCall(m) = e
                && m.args.is_empty()
                && m.method == "is_empty"
            {
                let list = m.receiver.to_token_stream().to_string();
                self.checked.push(format!("{list} . first ()"));
                self.checked.push(format!("{list} . last ()"));
            }
        });
    }

    /// `if let Some(..) = stream.peek().await { .. }`: in that branch the stream's next
    /// item is there, so `stream.next().await.unwrap()` holds a value.
    pub(super) fn note_peeked(&mut self, cond: &syn::Expr) {
        let syn::Expr::Let(l) = cond else { return };
        let syn::Pat::TupleStruct(some) = &*l.pat else {
            return;
        };
        if !some.path.is_ident("Some") {
            return;
        }
        if let Some(stream) = peeked_stream(&l.expr) {
            let stream = stream.to_token_stream().to_string();
            self.checked.push(format!("{stream} . next ()"));
            self.checked.push(format!("{stream} . next () . await"));
        }
    }

    /// `let mime = if .. { "a" } else { "b" };`, `let app = ActiveModel::new(org_id);`,
    /// `let keys = rotate_key(..)?;`. Called once the `let`'s value has been walked, so
    /// that the locals bound inside it are known.
    pub(super) fn note_local(&mut self, l: &'ast syn::Local) {
        let (syn::Pat::Ident(p), Some(init)) = (&l.pat, &l.init) else {
            return;
        };
        let name = &p.ident;
        // Judged before the name is forgotten: `let x = x.ok_or(..)?` keeps what `x` held.
        let plain = init.diverge.is_none();
        let own = plain && self.own_value(&init.expr);
        // A name bound again no longer holds what it held.
        self.own_locals.retain(|n| *n != name);
        self.constructed_locals.retain(|n| *n != name);
        self.returned_locals.retain(|(n, _)| *n != name);
        if !plain {
            return;
        }
        if own {
            self.own_locals.push(name);
        } else if is_constructor_call(&init.expr) {
            self.constructed_locals.push(name);
        } else if let Some(f) = super::invariants::called_function(&init.expr) {
            self.returned_locals.push((name, f));
        }
    }

    fn own_value(&self, e: &syn::Expr) -> bool {
        super::own_text::own_value(e, &self.own_locals)
    }

    fn parses_own_text(&self, receiver: &syn::Expr) -> bool {
        super::own_text::parses_own_text(receiver, &self.own_locals)
    }

    /// `keys.current_key.clone()` of `let keys = rotate_key(..)?;`: the condition under
    /// which it holds a value.
    pub(super) fn set_by(&self, receiver: &syn::Expr) -> Option<Invariant> {
        let syn::Expr::Field(f) = unwrapped_value(receiver) else {
            return None;
        };
        let (syn::Expr::Path(p), syn::Member::Named(field)) = (&*f.base, &f.member) else {
            return None;
        };
        let name = p.path.get_ident()?;
        let (_, function) = self
            .returned_locals
            .iter()
            .rev()
            .find(|(n, _)| *n == name)?;
        Some(Invariant::SetBy {
            function: function.clone(),
            field: field.to_string(),
        })
    }

    /// The receiver of `.unwrap()`/`.expect(..)` was checked, or parses the program's own
    /// text.
    pub(super) fn makes_safe(&self, receiver: &syn::Expr) -> bool {
        if self.parses_own_text(receiver) {
            return true;
        }
        if let syn::Expr::Field(f) = unwrapped_value(receiver)
            && let syn::Expr::Path(p) = &*f.base
            && let Some(name) = p.path.get_ident()
            && self.constructed_locals.contains(&name)
        {
            return true;
        }
        !self.checked.is_empty() && {
            let base = unwrapped_value(receiver).to_token_stream().to_string();
            self.checked.contains(&base)
        }
    }
}

/// The stream a `peek` looks into: `s` of `s.peek()`, `s.peek().await`,
/// `Pin::new(&mut s).peek().await`, `Peekable::peek(Pin::new(&mut s)).await`.
fn peeked_stream(e: &syn::Expr) -> Option<&syn::Expr> {
    match e {
        syn::Expr::Await(a) => peeked_stream(&a.base),
        syn::Expr::MethodCall(m) if m.method == "peek" && m.args.is_empty() => {
            Some(pinned_target(&m.receiver).unwrap_or(&m.receiver))
        }
        syn::Expr::Call(c) => {
            let syn::Expr::Path(p) = &*c.func else {
                return None;
            };
            if p.path.segments.last().is_none_or(|s| s.ident != "peek") {
                return None;
            }
            pinned_target(c.args.first()?)
        }
        _ => None,
    }
}

/// `Pin::new(&mut s)` or `&mut s`: `s`.
fn pinned_target(e: &syn::Expr) -> Option<&syn::Expr> {
    match e {
        syn::Expr::Reference(r) => Some(&r.expr),
        syn::Expr::Call(c) => pinned_target(c.args.first()?),
        _ => None,
    }
}

/// `a || b || c`, with parentheses: calls `f` on `a`, `b` and `c`.
fn for_each_disjunct<'e>(e: &'e syn::Expr, f: &mut impl FnMut(&'e syn::Expr)) {
    match e {
        syn::Expr::Binary(b) if matches!(b.op, syn::BinOp::Or(_)) => {
            for_each_disjunct(&b.left, f);
            for_each_disjunct(&b.right, f);
        }
        syn::Expr::Paren(p) => for_each_disjunct(&p.expr, f),
        other => f(other),
    }
}

/// A block that ends in `return ..` (or `return ..;`): the code after it does not run.
fn leaves(block: &syn::Block) -> bool {
    match block.stmts.last() {
        Some(syn::Stmt::Expr(syn::Expr::Return(_), _)) => true,
        Some(syn::Stmt::Macro(m)) => m.mac.path.is_ident("bail"),
        _ => false,
    }
}

/// `q.role.clone()`, `&q.role`, `q.role.as_ref()`: the value itself (`q.role`).
fn unwrapped_value(e: &syn::Expr) -> &syn::Expr {
    match e {
        syn::Expr::MethodCall(m)
            if m.args.is_empty()
                && matches!(
                    m.method.to_string().as_str(),
                    "clone" | "as_ref" | "as_deref" | "as_mut" | "cloned" | "copied"
                ) =>
        {
            unwrapped_value(&m.receiver)
        }
        syn::Expr::Reference(r) => unwrapped_value(&r.expr),
        syn::Expr::Paren(p) => unwrapped_value(&p.expr),
        other => other,
    }
}

/// `application::ActiveModel::new(org_id)`: a type's `new`.
fn is_constructor_call(e: &syn::Expr) -> bool {
    matches!(e, syn::Expr::Call(c) if matches!(&*c.func, syn::Expr::Path(p)
        if p.path.segments.len() >= 2 && p.path.segments.last().is_some_and(|s| s.ident == "new")))
}

/// `Err(..)`, `Err(_)`, `None`: the pattern of a value that failed.
fn matches_failure(pat: &syn::Pat) -> bool {
    match pat {
        syn::Pat::TupleStruct(t) => t.path.is_ident("Err"),
        syn::Pat::Ident(i) => i.ident == "None",
        syn::Pat::Path(p) => p.path.is_ident("None"),
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
    fn checked_values() {
        let mut g = Guards::default();
        g.note_checks(&expr(
            r#"q.role.is_none() || q.role.eq(&Some(String::new()))"#,
        ));
        assert!(g.makes_safe(&expr("q.role.clone()")));
        assert!(g.makes_safe(&expr("q.role")));
        assert!(!g.makes_safe(&expr("q.name.clone()")));
        let stmt: syn::Stmt = syn::parse_str("if rows.is_empty() { return Err(e); }").unwrap();
        g.note_stmt(&stmt);
        assert!(g.makes_safe(&expr("rows.first()")));
        assert!(!g.makes_safe(&expr("rows.get(1)")));
        let stmt: syn::Stmt = syn::parse_str("if x.is_none() { return Err(e); }").unwrap();
        g.note_stmt(&stmt);
        assert!(g.makes_safe(&expr("x")));
        g.reset(0);
        assert!(!g.makes_safe(&expr("x")));
        // `if let Err(..) = query { return .. }`: the query is `Ok` after it.
        let stmt: syn::Stmt =
            syn::parse_str("if let Err(e) = query { return Err(bad(e)); }").unwrap();
        g.note_stmt(&stmt);
        assert!(g.makes_safe(&expr("query")));
        g.reset(0);
        // A check that does not leave makes nothing safe.
        let stmt: syn::Stmt = syn::parse_str("if y.is_none() { warn(); }").unwrap();
        g.note_stmt(&stmt);
        assert!(!g.makes_safe(&expr("y")));
    }

    #[test]
    fn fields_of_constructed_values() {
        let locals: Vec<syn::Local> = [
            "let app = application::ActiveModel::new(org_id);",
            "let body = serde_json::from_slice(&bytes);",
        ]
        .iter()
        .map(|s| match syn::parse_str::<syn::Stmt>(s).unwrap() {
            syn::Stmt::Local(l) => l,
            _ => unreachable!(),
        })
        .collect();
        let mut g = Guards::default();
        for l in &locals {
            g.note_local(l);
        }
        assert!(g.makes_safe(&expr("app.id.clone()")));
        assert!(!g.makes_safe(&expr("body.id.clone()")));
        assert!(!g.makes_safe(&expr("app.clone()")));
    }

    #[test]
    fn peeked_items() {
        let mut g = Guards::default();
        g.note_peeked(&expr(
            "let Some(Err(_)) = futures::stream::Peekable::peek(Pin::new(&mut rows)).await",
        ));
        assert!(g.makes_safe(&expr("rows.next().await")));
        assert!(!g.makes_safe(&expr("other.next().await")));
        let mut g = Guards::default();
        g.note_peeked(&expr("let Some(_) = it.peek()"));
        assert!(g.makes_safe(&expr("it.next()")));
        let mut g = Guards::default();
        g.note_peeked(&expr("let None = it.peek()"));
        assert!(!g.makes_safe(&expr("it.next()")));
    }
}
