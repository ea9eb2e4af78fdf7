//! Where a program listens or dials: the calls that take an address as a place
//! (`TcpListener::bind(..)`, `PgPool::connect(..)`, `Endpoint::from_static(..)`,
//! `client.get(url)`), and the literals and names of one file that reach them. An address
//! literal that reaches none of them is as likely a label, a sample, a default or a
//! comparison as a setting, and a reviewer cannot act on it; `hardcoded-address` reports
//! only the ones that get there.

use crate::context::FileCx;
use std::collections::HashMap;
use syn::visit::Visit;

/// Calls whose arguments are where the program listens or what it connects to.
const PLACE_TAKERS: &[&str] = &[
    "bind",
    "listen",
    "connect",
    "connect_lazy",
    "connect_timeout",
    "connect_with",
    "open",
    "from_url",
    "from_static",
    "from_shared",
    "with_uri_str",
    "endpoint",
    "endpoint_url",
    "with_endpoint",
    "base_url",
    "with_base_url",
];

/// HTTP requests: their argument is a place when it is a URL (`client.get(url)`); any
/// other address given to them is a key (`map.get("localhost")`).
const REQUESTS: &[&str] = &["get", "post", "put", "patch", "delete", "head", "request"];

/// What a call is, for the addresses given to it.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Taker {
    /// Binds or connects to any address it is given.
    Any,
    /// Sends a request to a URL it is given.
    UrlOnly,
}

impl Taker {
    /// Compares the identifier in place: this runs for every call of every file.
    pub(super) fn of(name: &syn::Ident) -> Option<Taker> {
        if PLACE_TAKERS.iter().any(|t| name == t) {
            Some(Taker::Any)
        } else if REQUESTS.iter().any(|t| name == t) {
            Some(Taker::UrlOnly)
        } else {
            None
        }
    }

    pub(super) fn takes(self, is_url: bool) -> bool {
        self == Taker::Any || is_url
    }

    fn widest(self, other: Taker) -> Taker {
        if self == Taker::Any || other == Taker::Any {
            Taker::Any
        } else {
            Taker::UrlOnly
        }
    }
}

/// A finding held back until its binding's name is seen given to a place-taking call.
pub(super) struct Pending {
    pub name: String,
    pub is_url: bool,
    pub span: proc_macro2::Span,
    pub message: String,
}

/// The file's places so far (kept in the file's rule state, see `FileCx::state`).
#[derive(Default)]
pub(super) struct Places {
    /// Start positions of literals inside a place-taking call's arguments.
    literals: HashMap<(usize, usize), Taker>,
    /// Names given to place-taking calls (`bind(addr)`, `connect(&DATABASE_URL)`).
    names: HashMap<String, Taker>,
    /// Start positions of literals inside a binding's value (`let addr = "..".parse()?`),
    /// with the binding's name.
    bound: HashMap<(usize, usize), String>,
    pending: Vec<Pending>,
}

/// Notes the arguments of a call named `name` when it takes places, and returns the held
/// findings whose binding it is given.
pub(super) fn note_call<'e>(
    cx: &mut FileCx,
    name: &syn::Ident,
    args: impl IntoIterator<Item = &'e syn::Expr>,
) -> Vec<Pending> {
    let Some(taker) = Taker::of(name) else {
        return Vec::new();
    };
    let mut parts = Parts::default();
    for arg in args {
        parts.visit_expr(arg);
    }
    let places = cx.state::<Places>();
    for start in parts.literals {
        places.literals.insert(start, taker);
    }
    for name in &parts.names {
        let seen = places.names.entry(name.clone()).or_insert(taker);
        *seen = seen.widest(taker);
    }
    let (ready, held): (Vec<Pending>, Vec<Pending>) = std::mem::take(&mut places.pending)
        .into_iter()
        .partition(|p| parts.names.contains(&p.name) && taker.takes(p.is_url));
    places.pending = held;
    ready
}

/// Notes the literals inside a binding's value as bound to `name`.
pub(super) fn note_binding(cx: &mut FileCx, name: &syn::Ident, value: &syn::Expr) {
    let mut parts = Parts::default();
    parts.visit_expr(value);
    if parts.literals.is_empty() {
        return;
    }
    let name = name.to_string();
    let places = cx.state::<Places>();
    for start in parts.literals {
        places.bound.insert(start, name.clone());
    }
}

/// Whether the literal at `start` reaches a place: directly, or through a binding already
/// given to one. Otherwise, a finding for a bound literal is held under its binding's name.
pub(super) fn reaches_place(
    cx: &mut FileCx,
    start: (usize, usize),
    binding: Option<&syn::Ident>,
    is_url: bool,
) -> Reach {
    let places = cx.state::<Places>();
    if places.literals.get(&start).is_some_and(|t| t.takes(is_url)) {
        return Reach::Now;
    }
    let name = binding
        .map(|b| b.to_string())
        .or_else(|| places.bound.get(&start).cloned());
    match name {
        Some(name) if places.names.get(&name).is_some_and(|t| t.takes(is_url)) => Reach::Now,
        Some(name) => Reach::Later(name),
        None => Reach::Never,
    }
}

pub(super) enum Reach {
    Now,
    /// Held until the binding of this name is given to a place.
    Later(String),
    Never,
}

pub(super) fn hold(cx: &mut FileCx, pending: Pending) {
    cx.state::<Places>().pending.push(pending);
}

/// The literals and names an argument is made of: `"0.0.0.0:3000".parse()?`,
/// `&DATABASE_URL`, `format!("{BASE}/v1")`, `format!("{}/v1", BASE)`.
#[derive(Default)]
struct Parts {
    literals: Vec<(usize, usize)>,
    names: Vec<String>,
}

impl Parts {
    fn tokens(&mut self, tokens: proc_macro2::TokenStream) {
        for tt in tokens {
            match tt {
                proc_macro2::TokenTree::Literal(l) => {
                    let lc = l.span().start();
                    self.literals.push((lc.line, lc.column));
                    self.inline_names(&l.to_string());
                }
                proc_macro2::TokenTree::Ident(i) => self.names.push(i.to_string()),
                proc_macro2::TokenTree::Group(g) => self.tokens(g.stream()),
                proc_macro2::TokenTree::Punct(_) => {}
            }
        }
    }

    /// `{BASE}` and `{base_url}` of a format string.
    fn inline_names(&mut self, text: &str) {
        for piece in text.split('{').skip(1) {
            let name = piece.split(['}', ':']).next().unwrap_or("");
            if !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
                self.names.push(name.to_string());
            }
        }
    }
}

impl<'ast> Visit<'ast> for Parts {
    fn visit_lit_str(&mut self, lit: &'ast syn::LitStr) {
        let lc = lit.span().start();
        self.literals.push((lc.line, lc.column));
    }

    fn visit_expr_path(&mut self, p: &'ast syn::ExprPath) {
        if let Some(last) = p.path.segments.last() {
            self.names.push(last.ident.to_string());
        }
    }

    fn visit_macro(&mut self, m: &'ast syn::Macro) {
        self.tokens(m.tokens.clone());
    }

    /// `bind(("0.0.0.0", port))`: the host of a configured port is the same in every
    /// environment (all interfaces, or this machine); the port is the setting.
    fn visit_expr_tuple(&mut self, t: &'ast syn::ExprTuple) {
        let configured_port = t.elems.len() == 2
            && matches!(
                &t.elems[0],
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(_),
                    ..
                })
            )
            && !matches!(&t.elems[1], syn::Expr::Lit(_));
        if configured_port {
            self.visit_expr(&t.elems[1]);
        } else {
            syn::visit::visit_expr_tuple(self, t);
        }
    }

    // A closure's body is not what the call is given.
    fn visit_expr_closure(&mut self, _: &'ast syn::ExprClosure) {}
}
