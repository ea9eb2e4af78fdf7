//! Literal groups that hold sample data, not settings: a row of a pattern table (a regular
//! expression beside the values it must match, as in a secret detector's tests) and the
//! specification of a throwaway local container (an `image` beside its password).

use super::Walker;

impl Walker<'_, '_, '_> {
    /// Runs `f` with `sample_depth` raised when `elems` (a tuple's or array's elements, a
    /// struct literal's field values) describe sample data.
    pub(super) fn in_group<'e>(
        &mut self,
        elems: impl Iterator<Item = (Option<&'e syn::Member>, &'e syn::Expr)>,
        f: impl FnOnce(&mut Self),
    ) {
        // Only `hardcoded-secret` asks, and never in test code: no literal is read there.
        let sample = !self.cx.in_test()
            && self.cx.hints().samples
            && elems
                .into_iter()
                .any(|(name, value)| is_sample_marker(name, value));
        self.cx.sample_depth += u32::from(sample);
        f(self);
        self.cx.sample_depth -= u32::from(sample);
    }
}

fn is_sample_marker(name: Option<&syn::Member>, value: &syn::Expr) -> bool {
    let Some(text) = literal_text(value) else {
        return false;
    };
    let is_image = matches!(name, Some(syn::Member::Named(n)) if n == "image");
    (is_image && text.contains(['/', ':'])) || looks_like_regex(&text)
}

/// A string literal, also behind `.to_string()`, `.into()`, `.to_owned()` or `&`.
fn literal_text(expr: &syn::Expr) -> Option<String> {
    match expr {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(s),
            ..
        }) => Some(s.value()),
        syn::Expr::Reference(r) => literal_text(&r.expr),
        syn::Expr::MethodCall(m)
            if m.args.is_empty()
                && matches!(
                    m.method.to_string().as_str(),
                    "to_string" | "into" | "to_owned"
                ) =>
        {
            literal_text(&m.receiver)
        }
        _ => None,
    }
}

/// A regular expression: a character class with a repetition (`[a-z0-9]{36}`, `[A-Z]+`) or
/// an escape class (`\d`, `\w`, `\s`).
fn looks_like_regex(text: &str) -> bool {
    let class_repeated = text
        .match_indices(']')
        .any(|(i, _)| text[..i].contains('[') && text[i + 1..].starts_with(['+', '*', '{', '?']));
    class_repeated || ["\\d", "\\w", "\\s"].iter().any(|e| text.contains(e))
}

#[cfg(test)]
mod tests {
    use super::looks_like_regex;

    #[test]
    fn regular_expressions() {
        for r in [
            "ghp_[a-zA-Z0-9]{36}",
            "xox[baprs]-[0-9]+",
            "^\\d{4}$",
            "key_\\w+",
        ] {
            assert!(looks_like_regex(r), "{r}");
        }
        for t in [
            "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",
            "[section]",
            "a[0]",
            "GitHub PAT",
        ] {
            assert!(!looks_like_regex(t), "{t}");
        }
    }
}
