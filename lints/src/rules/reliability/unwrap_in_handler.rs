use crate::rule::Rule;

crate::declare_rule! {
    /// ## What it does
    /// TODO: `.unwrap()`, `.expect(..)`, `panic!`, `unreachable!`, `todo!`, `unimplemented!` inside a handler's body (closures and async blocks inside it included, but not items defined inside it)
    pub struct UnwrapInHandler {
        name: "unwrap-in-handler",
        group: Reliability,
        level: Deny,
        scope: Handlers,
        summary: "`.unwrap",
    }
}

impl Rule for UnwrapInHandler {}
