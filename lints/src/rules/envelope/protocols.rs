//! Services whose whole HTTP API is a published protocol: a Matrix homeserver answers in
//! the Matrix specification's format, an S3-compatible store in S3's, a WebDAV server in
//! WebDAV's, a restic REST backend in restic's, a federation crate in ActivityPub's. Their clients are that protocol's clients,
//! so the envelope rules do not apply.

use crate::model::Crate;

/// Crates that implement a protocol's server side, and the protocol they speak. A crate
/// name ending in `*` stands for the family (`ruma-common`, `ruma-client-api`).
const PROTOCOL_CRATES: &[(&str, &str)] = &[
    ("ruma", "Matrix"),
    ("ruma-*", "Matrix"),
    ("s3s", "S3"),
    ("dav-server", "WebDAV"),
    ("activitypub_federation", "ActivityPub"),
];

/// Media types that only a protocol's own API answers with, by prefix, and the protocol.
/// (Not `application/vnd.*` at large: clients send vendor types too, such as GitHub's.)
const PROTOCOL_MEDIA_TYPES: &[(&str, &str)] =
    &[("application/vnd.x.restic.rest.", "restic's REST backend")];

/// The protocol of a media type that only that protocol's API answers with
/// (`application/vnd.x.restic.rest.v2`).
pub fn protocol_of_media_type(value: &str) -> Option<&'static str> {
    PROTOCOL_MEDIA_TYPES
        .iter()
        .find(|(prefix, _)| value.starts_with(prefix))
        .map(|(_, protocol)| *protocol)
}

/// The protocol a crate's API speaks: it always depends on a crate that implements one,
/// or its code names a media type only that protocol answers with.
pub fn spoken_protocol(krate: &Crate) -> Option<&'static str> {
    let by_media_type = || {
        krate.files.iter().find_map(|f| {
            f.protocol_media_type
                .as_deref()
                .and_then(protocol_of_media_type)
        })
    };
    by_dependency(krate).or_else(by_media_type)
}

/// The service answers AT Protocol XRPC methods (`/xrpc/app.bsky.video.uploadVideo`): its
/// clients expect XRPC's own errors, for an unknown method too (`XRPCNotSupported`).
pub fn serves_xrpc(index: &crate::router::RouterIndex) -> bool {
    index
        .routes
        .iter()
        .filter_map(|r| r.path.as_deref())
        .any(|p| p.starts_with("/xrpc/"))
}

fn by_dependency(krate: &Crate) -> Option<&'static str> {
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
