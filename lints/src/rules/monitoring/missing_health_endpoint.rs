use crate::rule::Rule;

crate::declare_rule! {
    /// ## What it does
    /// TODO: no route for the health path (`house.health_path`, default `/ping`); paths given through a `const` in the crate are resolved
    pub struct MissingHealthEndpoint {
        name: "missing-health-endpoint",
        group: Monitoring,
        level: Deny,
        scope: Service,
        summary: "no route for the health path (`house.health_path`, default `/ping`); paths given through a `const` in the crate are resolved",
    }
}

impl Rule for MissingHealthEndpoint {}
