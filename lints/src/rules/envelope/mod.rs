//! Every API answer is the bitly envelope `{"status_code","status_txt","data"}`.

pub mod bare_json_extractor;
pub mod error_without_envelope;
pub mod handler_without_envelope;
pub mod missing_fallback;
pub(crate) mod protocols;
mod responders;
mod site;
