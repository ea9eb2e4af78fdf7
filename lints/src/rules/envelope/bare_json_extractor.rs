use crate::rule::Rule;

crate::declare_rule! {
    /// ## What it does
    /// TODO: a handler parameter of type axum's `Json<T>` (its rejections are plain text, not the envelope); use the house extractor (`house.json_extractor`, default `ApiJson`)
    pub struct BareJsonExtractor {
        name: "bare-json-extractor",
        group: Envelope,
        level: Deny,
        scope: Handlers,
        summary: "a handler parameter of type axum's `Json<T>`",
    }
}

impl Rule for BareJsonExtractor {}
