use crate::rule::Rule;

crate::declare_rule! {
    /// ## What it does
    /// TODO: a dependency on another web framework (`actix-web`, `rocket`, `warp`, `tide`, `poem`, `salvo`, `gotham`, `iron`, `nickel`, `rouille`, `tiny_http`, `trillium`, `viz`, `ntex`)
    pub struct ForeignWebFramework {
        name: "foreign-web-framework",
        group: Framework,
        level: Deny,
        scope: Crate,
        summary: "a dependency on another web framework",
    }
}

impl Rule for ForeignWebFramework {}
