//! Macro bodies where real code hides. `syn` leaves a macro's body as tokens; the walker
//! parses the bodies of the macros listed here and walks the expressions it finds, so an
//! `.unwrap()` inside `tokio::select!` or a test path inside `assert_eq!` is seen.
//!
//! What stays unseen: bodies of every other macro (`tracing::info!` fields such as
//! `?x`/`%x`, `matches!` patterns, `sqlx::query!`, user `macro_rules!` macros and their
//! definitions, attribute macros such as `#[tokio::main]` bodies are fine since they
//! are ordinary items), bodies that fail to parse (silently skipped), and the parts of
//! `tokio::select!` other than futures, `if` guards and handlers (patterns hold no code).

use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};
use syn::parse::{ParseStream, Parser};
use syn::punctuated::Punctuated;
use syn::{Expr, Token};

const EXPR_MACROS: &[&str] = &[
    "join",
    "try_join",
    "vec",
    "format",
    "format_args",
    "print",
    "println",
    "eprint",
    "eprintln",
    "write",
    "writeln",
    "assert",
    "assert_eq",
    "assert_ne",
    "debug_assert",
    "debug_assert_eq",
    "debug_assert_ne",
    "panic",
    "unreachable",
    "todo",
    "unimplemented",
    "dbg",
];

/// The kind of body a macro has, by the macro's last path segment (compared without
/// allocating: this runs for every macro of every file).
fn kind(name: &proc_macro2::Ident) -> Option<Kind> {
    if name == "select" {
        Some(Kind::Select)
    } else if name == "json" {
        Some(Kind::Json)
    } else if EXPR_MACROS.iter().any(|m| name == m) {
        Some(Kind::Exprs)
    } else {
        None
    }
}

enum Kind {
    Select,
    Json,
    Exprs,
}

/// The expressions in a macro's body, or nothing when it is not one of ours or does not parse.
pub fn body_exprs(mac: &syn::Macro) -> Vec<Expr> {
    let Some(last) = mac.path.segments.last() else {
        return Vec::new();
    };
    let Some(kind) = kind(&last.ident) else {
        return Vec::new();
    };
    if mac.tokens.is_empty() {
        return Vec::new();
    }
    match kind {
        Kind::Exprs => {
            if let Some(plain) = plain_arguments(&mac.tokens) {
                return plain;
            }
            let parsed =
                (|input: ParseStream| Punctuated::<Expr, Token![,]>::parse_terminated(input))
                    .parse2(mac.tokens.clone());
            match parsed {
                Ok(list) => list.into_iter().collect(),
                // `vec![x; n]`
                Err(_) => (|input: ParseStream| {
                    let a: Expr = input.parse()?;
                    input.parse::<Token![;]>()?;
                    let b: Expr = input.parse()?;
                    Ok(vec![a, b])
                })
                .parse2(mac.tokens.clone())
                .unwrap_or_default(),
            }
        }
        Kind::Select => parse_select.parse2(mac.tokens.clone()).unwrap_or_default(),
        Kind::Json => {
            let mut out = Vec::new();
            json_value(mac.tokens.clone(), &mut out);
            out
        }
    }
}

/// A body of literals and plain names separated by commas (`"{}: {}", key, value`), the
/// usual shape of a `format!`, `println!` or `assert_eq!` body, built without the parser:
/// `syn` would give the same expressions, at the cost of a token buffer per macro.
/// `None` for any other shape.
fn plain_arguments(tokens: &TokenStream) -> Option<Vec<Expr>> {
    let mut out = Vec::new();
    let mut expect_argument = true;
    for tt in tokens.clone() {
        match tt {
            TokenTree::Punct(p) if p.as_char() == ',' && !expect_argument => {
                expect_argument = true;
                continue;
            }
            _ if !expect_argument => return None,
            TokenTree::Literal(l) => out.push(Expr::Lit(syn::ExprLit {
                attrs: Vec::new(),
                lit: syn::Lit::new(l),
            })),
            TokenTree::Ident(i) if i == "true" || i == "false" => {
                out.push(Expr::Lit(syn::ExprLit {
                    attrs: Vec::new(),
                    lit: syn::Lit::Bool(syn::LitBool::new(i == "true", i.span())),
                }))
            }
            // A keyword starts an expression of its own (`return`, `if`, `async`).
            TokenTree::Ident(i) if is_plain_name(&i) => out.push(Expr::Path(syn::ExprPath {
                attrs: Vec::new(),
                qself: None,
                path: i.into(),
            })),
            _ => return None,
        }
        expect_argument = false;
    }
    Some(out)
}

/// A name that is a path on its own: not a keyword (`self` is one, and a path).
fn is_plain_name(ident: &proc_macro2::Ident) -> bool {
    const KEYWORDS: &[&str] = &[
        "as", "async", "await", "box", "break", "const", "continue", "crate", "dyn", "else",
        "enum", "extern", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod",
        "move", "mut", "pub", "ref", "return", "static", "struct", "super", "trait", "type",
        "unsafe", "use", "where", "while", "yield", "Self",
    ];
    !KEYWORDS.iter().any(|k| ident == k)
}

/// `tokio::select! { biased; pat = fut, if cond => handler, ..., else => handler }`
fn parse_select(input: ParseStream) -> syn::Result<Vec<Expr>> {
    let mut out = Vec::new();
    if input.peek(syn::Ident)
        && input
            .fork()
            .parse::<syn::Ident>()
            .is_ok_and(|i| i == "biased")
    {
        input.parse::<syn::Ident>()?;
        input.parse::<Token![;]>()?;
    }
    while !input.is_empty() {
        if input.peek(Token![else]) {
            input.parse::<Token![else]>()?;
        } else {
            syn::Pat::parse_multi(input)?;
            input.parse::<Token![=]>()?;
            out.push(input.parse::<Expr>()?);
            if input.peek(Token![,]) && input.peek2(Token![if]) {
                input.parse::<Token![,]>()?;
                input.parse::<Token![if]>()?;
                out.push(input.parse::<Expr>()?);
            }
        }
        input.parse::<Token![=>]>()?;
        out.push(input.parse::<Expr>()?);
        if input.peek(Token![,]) {
            input.parse::<Token![,]>()?;
        }
    }
    Ok(out)
}

/// A `json!` value: an object, an array, or a Rust expression.
fn json_value(tokens: TokenStream, out: &mut Vec<Expr>) {
    let mut iter = tokens.clone().into_iter();
    if let (Some(TokenTree::Group(g)), None) = (iter.next(), iter.next()) {
        match g.delimiter() {
            Delimiter::Brace => {
                for part in split_commas(g.stream()) {
                    if let Some(value) = after_colon(part) {
                        json_value(value, out);
                    }
                }
                return;
            }
            Delimiter::Bracket => {
                for part in split_commas(g.stream()) {
                    json_value(part, out);
                }
                return;
            }
            _ => {}
        }
    }
    if let Ok(e) = syn::parse2::<Expr>(tokens) {
        out.push(e);
    }
}

fn split_commas(tokens: TokenStream) -> Vec<TokenStream> {
    let mut parts = Vec::new();
    let mut current = Vec::new();
    for tt in tokens {
        match &tt {
            TokenTree::Punct(p) if p.as_char() == ',' => {
                parts.push(std::mem::take(&mut current).into_iter().collect())
            }
            _ => current.push(tt),
        }
    }
    if !current.is_empty() {
        parts.push(current.into_iter().collect());
    }
    parts
}

/// The tokens after the first lone `:` (not part of `::`) of an object entry.
fn after_colon(tokens: TokenStream) -> Option<TokenStream> {
    let mut iter = tokens.into_iter();
    let mut prev_joint_colon = false;
    for tt in iter.by_ref() {
        if let TokenTree::Punct(p) = &tt
            && p.as_char() == ':'
        {
            if p.spacing() == Spacing::Joint {
                prev_joint_colon = true;
                continue;
            }
            if !prev_joint_colon {
                return Some(iter.collect());
            }
        }
        prev_joint_colon = false;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exprs(src: &str) -> Vec<Expr> {
        let mac: syn::Macro = syn::parse_str(src).unwrap();
        body_exprs(&mac)
    }

    fn is_method(e: &Expr, name: &str) -> bool {
        matches!(e, Expr::MethodCall(m) if m.method == name)
    }

    #[test]
    fn parses_select_json_and_format_bodies() {
        let s = exprs(
            "tokio::select! { biased; v = rx.recv(), if ok => { v.unwrap() } _ = sleep(d) => (), else => x.unwrap() }",
        );
        assert_eq!(s.len(), 6);
        assert!(is_method(&s[0], "recv") && is_method(&s[5], "unwrap"));
        let j = exprs(r#"json!({"a": x.unwrap(), "b": [1, y::z()], "c": {"d": e}})"#);
        assert_eq!(j.len(), 4);
        assert!(is_method(&j[0], "unwrap"));
        assert_eq!(exprs(r#"format!("{}/ping", base)"#).len(), 2);
        assert_eq!(exprs("vec![0u8; n]").len(), 2);
        assert!(exprs("matches!(x, Some(_))").is_empty());
    }

    /// Each expression as tokens, with its kind (`true` prints alike as a literal and a path).
    fn shown(exprs: &[Expr]) -> Vec<(String, std::mem::Discriminant<Expr>)> {
        let tokens = |e: &Expr| quote::ToTokens::to_token_stream(e).to_string();
        exprs
            .iter()
            .map(|e| (tokens(e), std::mem::discriminant(e)))
            .collect()
    }

    #[test]
    fn plain_arguments_are_what_the_parser_makes_of_them() {
        let parser = |input: ParseStream| Punctuated::<Expr, Token![,]>::parse_terminated(input);
        for body in [
            r#""{}: {}", key, value"#,
            r#""done""#,
            "a, b,",
            "x, true, 3u8, 'c', self",
            "",
        ] {
            let tokens: TokenStream = body.parse().unwrap();
            let plain = plain_arguments(&tokens).expect("plain arguments");
            let by_parser: Vec<Expr> = parser.parse_str(body).unwrap().into_iter().collect();
            assert_eq!(shown(&plain), shown(&by_parser), "{body}");
        }
        // Anything else goes to the parser.
        for body in ["x.unwrap()", "a, -1", "return", "f(x)", "a,, b", "Self"] {
            let tokens: TokenStream = body.parse().unwrap();
            assert!(plain_arguments(&tokens).is_none(), "{body}");
        }
    }
}
