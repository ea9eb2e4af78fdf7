//! The prose of a rule's documentation, as HTML.

use pulldown_cmark::{Options, Parser, html};

/// Markdown to HTML. The input is the rules' own documentation (compiled into paved), so
/// raw HTML in it is trusted; pulldown-cmark escapes everything else.
pub fn to_html(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, Parser::new_ext(markdown, Options::ENABLE_TABLES));
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn code_and_escaping() {
        assert_eq!(
            super::to_html("a `<b>` c"),
            "<p>a <code>&lt;b&gt;</code> c</p>\n"
        );
    }
}
