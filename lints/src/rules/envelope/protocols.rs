//! Services whose whole HTTP API is a published protocol: a Matrix homeserver answers in
//! the Matrix specification's format, an S3-compatible store in S3's, a WebDAV server in
//! WebDAV's. Their clients are that protocol's clients, so the envelope rules do not apply.

use crate::model::Crate;

/// Crates that implement a protocol's server side, and the protocol they speak. A crate
/// name ending in `*` stands for the family (`ruma-common`, `ruma-client-api`).
const PROTOCOL_CRATES: &[(&str, &str)] = &[
    ("ruma", "Matrix"),
    ("ruma-*", "Matrix"),
    ("s3s", "S3"),
    ("dav-server", "WebDAV"),
];

/// The protocol a crate's API speaks, when it always depends on a crate that implements
/// one.
pub fn spoken_protocol(krate: &Crate) -> Option<&'static str> {
    krate
        .manifest
        .deps
        .iter()
        .filter(|d| d.is_runtime() && !d.optional)
        .find_map(|d| {
            PROTOCOL_CRATES.iter().find_map(|(name, protocol)| {
                let hit = match name.strip_suffix('*') {
                    Some(prefix) => d.package.starts_with(prefix),
                    None => d.package == *name,
                };
                hit.then_some(*protocol)
            })
        })
}
