//! XML namespace URIs, for `hardcoded-address`: `"https://crates.io/"` bound as a namespace
//! names a vocabulary; nothing ever connects to it.

use syn::visit::Visit;

/// Whether a binding's name says it holds namespaces: `namespaces`, `ATOM_NAMESPACE`,
/// `xmlns`, `ATOM_NS` (`ns` only as a whole word, and only for URLs, see `hardcoded_address`).
pub(super) fn is_namespace_name(name: &str, allow_ns: bool) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.contains("namespace")
        || lower.contains("xmlns")
        || allow_ns && lower.split('_').any(|w| w == "ns")
}

/// Whether a literal is an `xmlns` attribute name (`"xmlns"`, `"xmlns:atom"`).
pub(super) fn is_xmlns_attribute(value: &str) -> bool {
    value == "xmlns" || value.starts_with("xmlns:")
}

/// The start (line, column) of every literal inside an expression, macro bodies included.
pub(super) fn literal_starts(expr: &syn::Expr) -> Vec<(usize, usize)> {
    let mut v = Literals(Vec::new());
    v.visit_expr(expr);
    v.0
}

struct Literals(Vec<(usize, usize)>);

impl Literals {
    fn tokens(&mut self, tokens: proc_macro2::TokenStream) {
        for tt in tokens {
            match tt {
                proc_macro2::TokenTree::Literal(l) => {
                    let lc = l.span().start();
                    self.0.push((lc.line, lc.column));
                }
                proc_macro2::TokenTree::Group(g) => self.tokens(g.stream()),
                _ => {}
            }
        }
    }
}

impl<'ast> Visit<'ast> for Literals {
    fn visit_lit_str(&mut self, lit: &'ast syn::LitStr) {
        let lc = lit.span().start();
        self.0.push((lc.line, lc.column));
    }

    fn visit_macro(&mut self, m: &'ast syn::Macro) {
        self.tokens(m.tokens.clone());
    }
}
