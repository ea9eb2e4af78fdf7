use crate::rule::Rule;

crate::declare_rule! {
    /// ## What it does
    /// TODO: no `deploy/<crate-name>.service` (systemd unit) next to the crate's `Cargo.toml`
    pub struct MissingServiceUnit {
        name: "missing-service-unit",
        group: Process,
        level: Deny,
        scope: Service,
        summary: "no `deploy/<crate-name>.service` (systemd unit) next to the crate's `Cargo.toml`",
    }
}

impl Rule for MissingServiceUnit {}
