//! Facts about how much a file tests and decides: doc comments that hold a doctest, and
//! the decision points of its code outside tests (for `missing-tests`).

use super::Walker;

impl Walker<'_, '_, '_> {
    /// Follows the code fences of doc comments: a fence that opens a Rust block (no info
    /// string, `rust`, `should_panic`, `editionN`) is a doctest that `cargo test` runs.
    pub(super) fn record_doc_fence(&mut self, attr: &syn::Attribute) {
        if self.cx.facts.has_doctest || self.cx.in_test() || !attr.path().is_ident("doc") {
            return;
        }
        // Most files have no code fence at all: one search of the text spares reading
        // every doc line.
        let text = self.cx.text;
        let fenced = *self
            .cx
            .has_fences
            .get_or_insert_with(|| text.contains("```") || text.contains("~~~"));
        if !fenced {
            return;
        }
        let syn::Meta::NameValue(nv) = &attr.meta else {
            return;
        };
        let syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(doc),
            ..
        }) = &nv.value
        else {
            return;
        };
        for line in doc.value().lines() {
            let line = line.trim_start();
            let Some(info) = line
                .strip_prefix("```")
                .or_else(|| line.strip_prefix("~~~"))
            else {
                continue;
            };
            self.cx.doc_fence_open = !self.cx.doc_fence_open;
            if self.cx.doc_fence_open && runs_as_doctest(info) {
                self.cx.facts.has_doctest = true;
                return;
            }
        }
    }

    /// Counts `n` decision points outside test code.
    pub(super) fn record_branches(&mut self, n: usize) {
        if !self.cx.in_test() {
            self.cx.facts.branches = self.cx.facts.branches.saturating_add(n as u32);
        }
    }
}

/// The info string of a fence that rustdoc compiles and runs.
fn runs_as_doctest(info: &str) -> bool {
    info.split([',', ' ', '\t'])
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .all(|t| t == "rust" || t == "should_panic" || t.starts_with("edition"))
}

#[cfg(test)]
mod tests {
    use super::runs_as_doctest;

    #[test]
    fn fences_that_run() {
        for info in ["", "rust", "rust,should_panic", "edition2021", " rust "] {
            assert!(runs_as_doctest(info), "{info:?}");
        }
        for info in [
            "text",
            "ignore",
            "rust,ignore",
            "no_run",
            "compile_fail",
            "toml",
            "sh",
        ] {
            assert!(!runs_as_doctest(info), "{info:?}");
        }
    }
}
