use crate::rule::Rule;

crate::declare_rule! {
    /// ## What it does
    /// TODO: `async-std`, `smol`, `glommio` or `monoio` beside/instead of tokio
    pub struct ForeignAsyncRuntime {
        name: "foreign-async-runtime",
        group: Framework,
        level: Deny,
        scope: Crate,
        summary: "`async-std`, `smol`, `glommio` or `monoio` beside/instead of tokio",
    }
}

impl Rule for ForeignAsyncRuntime {}
