use crate::rule::Rule;

crate::declare_rule! {
    /// ## What it does
    /// TODO: a handler whose return type is not an envelope type (`Json<T>`, `String`, `&str`, `Html`, `StatusCode`, tuples, `impl IntoResponse`, `Result<Json<T>, E>` ...); closures returning a non-envelope value count too
    pub struct HandlerWithoutEnvelope {
        name: "handler-without-envelope",
        group: Envelope,
        level: Deny,
        scope: Handlers,
        summary: "a handler whose return type is not an envelope type",
    }
}

impl Rule for HandlerWithoutEnvelope {}
