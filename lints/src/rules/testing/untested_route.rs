use crate::rule::Rule;

crate::declare_rule! {
    /// ## What it does
    /// TODO: a route path that no test mentions (no string literal in test code starting with that path, `:param`/`{param}` segments matching anything)
    pub struct UntestedRoute {
        name: "untested-route",
        group: Testing,
        level: Warn,
        scope: Service,
        summary: "a route path that no test mentions (no string literal in test code starting with that path, `:param`/`{param}` segments matching anything)",
    }
}

impl Rule for UntestedRoute {}
