use crate::rule::Rule;

crate::declare_rule! {
    /// ## What it does
    /// TODO: the service's top-level `Router` has no `.fallback(...)`: unknown paths answer with an empty 404 instead of the envelope
    pub struct MissingFallback {
        name: "missing-fallback",
        group: Envelope,
        level: Deny,
        scope: Service,
        summary: "the service's top-level `Router` has no `.fallback(...)`: unknown paths answer with an empty 404 instead of the envelope",
    }
}

impl Rule for MissingFallback {}
