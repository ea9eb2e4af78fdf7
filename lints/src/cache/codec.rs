//! How cache files are laid out on disk, and the serde helpers for the `&'static str`
//! fields of diagnostics and facts.
//!
//! A cache file is `MAGIC`, the build id (16 bytes), the body length (u64 LE), the body
//! (postcard: a list of [`StoredEntry`]) and an xxh3 checksum of the body (u64 LE). A file
//! that is truncated, altered or written by another build fails one of these checks and is
//! read as empty; it is rewritten at the end of the run.

use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::sync::{OnceLock, RwLock};

/// Names the format; bump the digit when `StoredEntry` or `FileAnalysis` change shape
/// without a new build id (never: the build id changes with every build).
const MAGIC: &[u8; 8] = b"PAVEDC\x00\x01";

/// One file's phase-1 result as stored: its keys and the encoded `FileAnalysis`.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub(crate) struct StoredEntry {
    /// The path as the walk spelled it (`OsStr` bytes).
    pub path: Vec<u8>,
    /// xxh3-128 of the file's bytes.
    pub content: u128,
    /// xxh3-128 of what else phase 1 read (see `cache::settings_key`).
    pub settings: u128,
    /// postcard of the `FileAnalysis`.
    pub data: Vec<u8>,
}

/// The bytes of a cache file holding `entries`.
pub(crate) fn encode_file(build: u128, entries: &[StoredEntry]) -> Vec<u8> {
    let body = postcard::to_allocvec(entries).unwrap_or_default();
    let mut out = Vec::with_capacity(body.len() + 40);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&build.to_le_bytes());
    out.extend_from_slice(&(body.len() as u64).to_le_bytes());
    out.extend_from_slice(&body);
    out.extend_from_slice(&xxhash_rust::xxh3::xxh3_64(&body).to_le_bytes());
    out
}

/// The entries of a cache file, or `None` when it is not one this build wrote intact.
pub(crate) fn decode_file(build: u128, bytes: &[u8]) -> Option<Vec<StoredEntry>> {
    let rest = bytes.strip_prefix(MAGIC.as_slice())?;
    let (stored_build, rest) = rest.split_first_chunk::<16>()?;
    if u128::from_le_bytes(*stored_build) != build {
        return None;
    }
    let (len, rest) = rest.split_first_chunk::<8>()?;
    let len = usize::try_from(u64::from_le_bytes(*len)).ok()?;
    if rest.len() != len.checked_add(8)? {
        return None;
    }
    let (body, sum) = rest.split_at(len);
    if sum != xxhash_rust::xxh3::xxh3_64(body).to_le_bytes() {
        return None;
    }
    postcard::from_bytes(body).ok()
}

/// The one copy of a string that facts and diagnostics keep as `&'static str`: rule and
/// group names come from the registry; anything else is leaked once per distinct value
/// (the walk only ever stores a few dozen distinct words there).
fn intern(s: &str) -> &'static str {
    if let Some(rule) = crate::registry::RULES.iter().find(|r| r.name == s) {
        return rule.name;
    }
    if let Some(group) = crate::rule::Group::ALL.iter().find(|g| g.as_str() == s) {
        return group.as_str();
    }
    static SEEN: OnceLock<RwLock<HashSet<&'static str>>> = OnceLock::new();
    let seen = SEEN.get_or_init(RwLock::default);
    if let Some(found) = seen.read().ok().and_then(|set| set.get(s).copied()) {
        return found;
    }
    let mut set = seen
        .write()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    match set.get(s) {
        Some(found) => found,
        None => {
            let leaked: &'static str = Box::leak(s.to_owned().into_boxed_str());
            set.insert(leaked);
            leaked
        }
    }
}

/// `#[serde(with = ..)]` for a `&'static str` field.
pub(crate) mod static_str {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(value: &&'static str, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(value)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<&'static str, D::Error> {
        Ok(super::intern(&String::deserialize(d)?))
    }
}

/// `#[serde(with = ..)]` for an `Option<&'static str>` field.
pub(crate) mod opt_static_str {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(value: &Option<&'static str>, s: S) -> Result<S::Ok, S::Error> {
        value.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<&'static str>, D::Error> {
        Ok(Option::<String>::deserialize(d)?.map(|v| super::intern(&v)))
    }
}

/// `#[serde(with = ..)]` for a `Vec<&'static str>` field.
pub(crate) mod vec_static_str {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(value: &[&'static str], s: S) -> Result<S::Ok, S::Error> {
        value.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<&'static str>, D::Error> {
        let words = Vec::<String>::deserialize(d)?;
        Ok(words.iter().map(|v| super::intern(v)).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(path: &str) -> StoredEntry {
        StoredEntry {
            path: path.as_bytes().to_vec(),
            content: 7,
            settings: 9,
            data: vec![1, 2, 3],
        }
    }

    #[test]
    fn a_file_reads_back_what_was_written() {
        let entries = vec![entry("src/a.rs"), entry("src/b.rs")];
        let bytes = encode_file(42, &entries);
        assert_eq!(decode_file(42, &bytes), Some(entries));
    }

    #[test]
    fn a_truncated_altered_or_foreign_file_reads_as_nothing() {
        let bytes = encode_file(42, &[entry("src/a.rs")]);
        for cut in 0..bytes.len() {
            assert_eq!(decode_file(42, &bytes[..cut]), None, "cut at {cut}");
        }
        for i in 0..bytes.len() {
            let mut flipped = bytes.clone();
            flipped[i] ^= 0x40;
            assert_eq!(decode_file(42, &flipped), None, "byte {i} flipped");
        }
        assert_eq!(decode_file(43, &bytes), None, "another build");
    }

    #[test]
    fn interned_words_are_shared() {
        let a = intern(&String::from("unwrap-like-word"));
        let b = intern("unwrap-like-word");
        assert!(std::ptr::eq(a, b));
        assert!(std::ptr::eq(
            intern("parse-error"),
            crate::registry::get("parse-error")
                .map(|r| r.name)
                .unwrap_or_default()
        ));
    }
}
