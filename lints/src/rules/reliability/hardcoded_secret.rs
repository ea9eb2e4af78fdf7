use crate::context::FileCx;
use crate::rule::{Rule, StrLit};

/// Words that make a name hold a secret.
const SECRET_WORDS: &[&str] = &[
    "password",
    "passwd",
    "secret",
    "token",
    "api_key",
    "apikey",
    "private_key",
    "privatekey",
];
/// Words after the secret word that make the name describe the secret rather than hold it:
/// `TOKEN_HEADER`, `PASSWORD_ENV`, `token_type`, `secret_path`, a JWT's `ACCESS_TOKEN_TYP`.
const QUALIFIERS: &[&str] = &[
    "type",
    "typ",
    "kind",
    "name",
    "names",
    "header",
    "field",
    "param",
    "env",
    "var",
    "variable",
    "key",
    "path",
    "file",
    "dir",
    "url",
    "uri",
    "endpoint",
    "prefix",
    "suffix",
    "len",
    "length",
    "ttl",
    "expiry",
    "expires",
    "lifetime",
    "duration",
    "timeout",
    "label",
    "placeholder",
    "pattern",
    "regex",
    "format",
    "column",
    "query",
    "hint",
    "prompt",
    "message",
    "msg",
    "error",
    "err",
    "scheme",
    "cookie",
    "cache",
    "attr",
    "attribute",
    "id",
    "route",
    "location",
    "store",
    "provider",
    "source",
    "policy",
    "rotation",
    "hash",
    "hasher",
    "algorithm",
    "alg",
    "size",
    "blob",
    "func",
    "info",
    "usage",
    "protection",
];
/// The shortest literal a well-known key format can match.
const MIN_KEY_LEN: usize = 20;

/// Splits `apiKey`, `API_KEY`, `db-password` into lowercase words.
fn words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if c == '_' || c == '-' {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            prev_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && prev_lower && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        cur.push(c.to_ascii_lowercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Words of keys that are public by design, shipped inside every client: publishable keys
/// and the write keys of product-analytics services (`SEGMENT_API_KEY`,
/// `POSTHOG_PROJECT_KEY`).
const PUBLIC_KEY_WORDS: &[&str] = &[
    "public",
    "publishable",
    "segment",
    "mixpanel",
    "amplitude",
    "posthog",
];

/// Prefixes of keys that their vendor makes public by design: PostHog project keys, Stripe
/// publishable keys.
const PUBLIC_KEY_PREFIXES: &[&str] = &["phc_", "pk_live_", "pk_test_"];

/// The secret word a binding name holds, unless a later word qualifies it away.
fn secret_name(name: &str) -> Option<&'static str> {
    // Cheap reject before splitting into words: every secret word contains one of these.
    let contains = |needle: &str| {
        name.as_bytes()
            .windows(needle.len())
            .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
    };
    if !(contains("pass") || contains("secret") || contains("token") || contains("key")) {
        return None;
    }
    let words = words(name);
    // Join adjacent words so `api_key`, `apiKey`, `private_key` match as one.
    let mut last_hit = None;
    for i in 0..words.len() {
        let one = words[i].as_str();
        let two = words.get(i + 1).map(|n| format!("{one}_{n}"));
        if let Some(w) = two
            .as_deref()
            .and_then(|t| SECRET_WORDS.iter().find(|s| **s == t))
        {
            last_hit = Some((i + 1, *w));
        } else if let Some(w) = SECRET_WORDS.iter().find(|s| one.ends_with(**s)) {
            last_hit = Some((i, *w));
        }
    }
    let (at, word) = last_hit?;
    // `szOID_USER_PASSWORD`: an object identifier naming a kind of secret;
    // `INSECURE_DEV_TOKEN`, `DUMMY_PASSWORD`, `TEST_API_TOKEN`: a value that says it is
    // not a secret.
    if words.iter().any(|w| {
        matches!(
            w.as_str(),
            "oid" | "insecure" | "dummy" | "fake" | "sample" | "example" | "test" | "mock"
        ) || PUBLIC_KEY_WORDS.contains(&w.as_str())
    }) {
        return None;
    }
    let qualified = words[at + 1..]
        .iter()
        .any(|w| QUALIFIERS.contains(&w.as_str()));
    (!qualified).then_some(word)
}

/// Values that cannot be a secret: placeholders, masks, references to where the secret
/// really is, prose, and names of the secret (`"x-api-token"`, `"DB_PASSWORD"`).
fn is_placeholder(value: &str) -> bool {
    let v = value.trim();
    if v.chars().count() < 4 || !v.chars().any(|c| c.is_alphanumeric()) {
        return true;
    }
    // Identifiers, not credentials: OIDs (`1.2.840.113549`), Rust and registry paths,
    // GUID references and templates, constant-like names (`TRUNCATE`).
    if v.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        || v.contains("::")
        || v.contains('\\')
        || v.contains('{') && v.contains('}')
        || v.bytes().all(|b| b.is_ascii_uppercase() || b == b'_')
    {
        return true;
    }
    // An HTTP header's name (`"x-qdrant-route-affinity"` in `HTTP_HEADER_ROUTING_TOKEN`).
    let header_name = v.len() > 2
        && v[..2].eq_ignore_ascii_case("x-")
        && v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !v.bytes().any(|b| b.is_ascii_digit());
    if header_name {
        return true;
    }
    let first = v.chars().next().unwrap_or(' ');
    if v.chars().all(|c| c == first) {
        return true; // "xxxx", "****"
    }
    if v.starts_with("${")
        || v.starts_with('$')
            && v[1..]
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b == b'_' || b.is_ascii_digit())
    {
        return true;
    }
    if (v.starts_with('<') && v.ends_with('>'))
        || (v.starts_with('{') && v.ends_with('}'))
        || v.contains("{}")
    {
        return true;
    }
    let lower = v.to_ascii_lowercase();
    if [
        "changeme",
        "change-me",
        "change_me",
        "redacted",
        "<redacted>",
        "todo",
        "placeholder",
        "example",
        "dummy",
        "none",
        "null",
    ]
    .contains(&lower.as_str())
    {
        // `changeme` is a real default password: it stays a finding.
        return !(lower == "changeme" || lower == "change-me" || lower == "change_me");
    }
    // Prose ("Enter your password:"), but `Bearer abc` / `Basic abc` still hold a credential.
    let spaces = v.matches(' ').count();
    if spaces > 1
        || spaces == 1
            && !["bearer ", "basic ", "token "]
                .iter()
                .any(|p| lower.starts_with(p))
    {
        return true;
    }
    // The name of the secret, not the secret: a delimited word such as `token` in
    // `x-api-token`, `DB_PASSWORD`, `api_key`, `auth.token`.
    let delimited = v
        .split(['-', '_', '.', ':', '/'])
        .flat_map(words)
        .any(|w| ["password", "passwd", "secret", "token", "key", "apikey"].contains(&w.as_str()));
    let name_like = v
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"-_.:/".contains(&b));
    if delimited && name_like {
        return true;
    }
    // A path or URL to a secret store or file (`/run/secrets/db`, `vault://..`).
    v.starts_with('/') || v.starts_with("./") || v.starts_with("~/") || v.contains("://")
}

/// The value spells words of the binding's own name (`ATTR_USERPASSWORD = "userpassword"`,
/// `COOKIE_BEARER_TOKEN = "bearer"`): a name or a key in a protocol, not a credential.
fn spells_the_name(name: &str, value: &str) -> bool {
    let letters: String = value
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    !letters.is_empty()
        && letters.chars().all(|c| c.is_ascii_lowercase())
        && words(name).concat().contains(&letters)
}

/// Words that mark a sample value in documentation, a pattern table or a test vector.
const SAMPLE_WORDS: &[&str] = &[
    "example",
    "sample",
    "dummy",
    "fake",
    "placeholder",
    "redacted",
    "your",
    "insert",
    "replace",
];

/// Whether a literal that matches a key format is evidently made up, as in the pattern
/// table of a secret detector: it contains a sample word (`AKIAIOSFODNN7EXAMPLE`,
/// `xoxb-your-token`), a template (`<..>`, `...`, `*`), five equal characters in a row
/// (`xxxxx`, `00000`), or six ascending ones (`123456`, `abcdef`). A random key has any of
/// these with a probability far below one in a million.
fn is_sample_key(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    if SAMPLE_WORDS.iter().any(|w| lower.contains(w))
        || value.contains(['<', '>', '*'])
        || value.contains("...")
    {
        return true;
    }
    let b = lower.as_bytes();
    let run = |same: bool| {
        let mut len = 1;
        for w in b.windows(2) {
            let next = if same { w[0] } else { w[0].wrapping_add(1) };
            len = if w[0].is_ascii_alphanumeric() && w[1] == next {
                len + 1
            } else {
                1
            };
            if len >= if same { 5 } else { 6 } {
                return true;
            }
        }
        false
    };
    run(true) || run(false)
}

/// A well-known credential format anywhere in the literal.
fn key_format(value: &str) -> Option<&'static str> {
    if value.len() < MIN_KEY_LEN {
        return None;
    }
    let bytes = value.as_bytes();
    let run =
        |from: usize, ok: &dyn Fn(u8) -> bool| bytes[from..].iter().take_while(|b| ok(**b)).count();
    let alnum = |b: u8| b.is_ascii_alphanumeric();
    let boundary = |i: usize| i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
    for (i, _) in value.match_indices("AKIA") {
        if boundary(i) && run(i + 4, &|b| b.is_ascii_uppercase() || b.is_ascii_digit()) == 16 {
            return Some("an AWS access key id");
        }
    }
    for (i, _) in value.match_indices("ghp_") {
        if boundary(i) && run(i + 4, &alnum) >= 30 {
            return Some("a GitHub personal access token");
        }
    }
    for (i, _) in value.match_indices("github_pat_") {
        if boundary(i) && run(i + 11, &|b| alnum(b) || b == b'_') >= 30 {
            return Some("a GitHub personal access token");
        }
    }
    for prefix in ["xoxb-", "xoxp-"] {
        for (i, _) in value.match_indices(prefix) {
            if boundary(i) && run(i + 5, &|b| alnum(b) || b == b'-') >= 15 {
                return Some("a Slack token");
            }
        }
    }
    for (i, _) in value.match_indices("sk_live_") {
        if boundary(i) && run(i + 8, &alnum) >= 16 {
            return Some("a Stripe live secret key");
        }
    }
    if let Some(begin) = value.find("-----BEGIN ") {
        let header_end = value[begin..]
            .find("PRIVATE KEY-----")
            .map(|i| begin + i + "PRIVATE KEY-----".len());
        if let Some(end) = header_end {
            let body = value[end..]
                .bytes()
                .filter(|b| b.is_ascii_alphanumeric() || *b == b'+' || *b == b'/')
                .take(40)
                .count();
            if body >= 40 && !value[begin..end].contains('\n') {
                return Some("a private key");
            }
        }
    }
    None
}

crate::declare_rule! {
    /// ## What it does
    /// Flags credentials written in the code:
    ///
    /// - a non-empty string literal bound (by `let`, `const`, `static` or a struct field) to
    ///   a name containing `password`, `passwd`, `secret`, `token`, `api_key`, `apikey` or
    ///   `private_key` (case-insensitive, `camelCase` too);
    /// - any string literal containing a well-known key format: an AWS access key id
    ///   (`AKIA` and 16 more), a PEM private key with its body, a GitHub token (`ghp_`,
    ///   `github_pat_`), a Slack token (`xoxb-`, `xoxp-`) or a Stripe live key (`sk_live_`).
    ///   A value that is evidently made up is not a key: one containing `example`, `sample`,
    ///   `dummy`, `fake`, `placeholder`, `redacted`, `your`, `insert` or `replace` (any
    ///   case), a template (`<..>`, `...`, `*`), five equal characters in a row (`xxxxx`,
    ///   `00000`) or six ascending ones (`123456`, `abcdef`), as in the pattern table of a
    ///   secret detector or a test vector (`"sk_live_1234567890abcdefghijklmnop"`,
    ///   `"AKIAIOSFODNN7EXAMPLE"`, AWS's documentation key). A random key contains one of
    ///   these far less often than once in a million.
    ///
    /// To keep findings worth reading, these are not flagged:
    ///
    /// - names where a later word says the value *describes* the secret: `TOKEN_HEADER =
    ///   "x-api-token"`, `PASSWORD_ENV = "DB_PASSWORD"`, `token_type = "Bearer"`,
    ///   `secret_path`, `token_url`, `api_key_name`, `password_hash`, `token_ttl`, ...;
    /// - values that are placeholders or references: `""`, fewer than 4 characters, `"****"`,
    ///   `"${DB_PASSWORD}"`, `"<your token>"`, format strings, prose (`"Enter your
    ///   password"`), a path or URL (`"/run/secrets/db"`), or the secret's own name
    ///   (`"x-api-token"`, `"DB_PASSWORD"`, `"PrivKeyVal"`), identifiers (object identifiers
    ///   such as `"2.5.4.35"`, Rust or registry paths, GUID references, constant-like names
    ///   such as `"TRUNCATE"`), or words of the binding's own name (`ATTR_USERPASSWORD =
    ///   "userpassword"`, `COOKIE_BEARER_TOKEN = "bearer"`); `"changeme"` is a real
    ///   default and is flagged;
    /// - names of object identifiers (`szOID_USER_PASSWORD`) and names that say the value
    ///   is not a secret (`INSECURE_DEV_TOKEN`, `DUMMY_PASSWORD`, `SAMPLE_API_KEY`, `TEST_API_TOKEN`)
    ///   or a key that is public by design, shipped in every client (`STRIPE_PUBLISHABLE_KEY`,
    ///   `PUBLIC_KEY`, an analytics write key: `SEGMENT_API_KEY`, `POSTHOG_PROJECT_KEY`),
    ///   also when the value says so whatever its name (PostHog's `phc_` project keys,
    ///   Stripe's `pk_live_`/`pk_test_` publishable keys);
    /// - bare key-format prefixes (`token.starts_with("ghp_")`) and a PEM header without a
    ///   key body (`"-----BEGIN PRIVATE KEY-----"` as a parsing constant);
    /// - sample data: values in a tuple, array or struct literal that also holds a regular
    ///   expression (a row of a secret detector's pattern table: `("GitHub PAT",
    ///   "ghp_[a-zA-Z0-9]{36}", Sample("ghp_..."))`), and the password of a throwaway local
    ///   container, a struct literal with an `image` (`EngineConfig { image:
    ///   "docker.io/library/mysql:8.0".into(), password: "mysql".into(), .. }`).
    ///
    /// Test code is not checked.
    ///
    /// ## Why
    /// A secret in the source is in every clone, every CI log and every laptop. When it
    /// leaks, the on-call engineer rotating it at 3am needs a build and a deploy instead of
    /// a config change, and every environment shares the one credential. Secrets come from
    /// the environment or a secret store, read by the config module.
    ///
    /// ## Example
    /// ```rust
    /// const API_TOKEN: &str = "f3a9c1d27e5b4c88a0e6";
    ///
    /// fn main() {
    ///     let client = format!("Bearer {API_TOKEN}");
    /// #   let _ = client;
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```rust
    /// mod config;
    ///
    /// fn main() {
    ///     let settings = config::Settings::from_env();
    ///     let client = format!("Bearer {}", settings.api_token);
    /// #   let _ = client;
    /// }
    /// ```
    ///
    /// ```rust,file=src/config.rs
    /// pub struct Settings {
    ///     pub api_token: String,
    /// }
    ///
    /// impl Settings {
    ///     pub fn from_env() -> Self {
    ///         let api_token = std::env::var("API_TOKEN").expect("API_TOKEN is set");
    ///         Settings { api_token }
    ///     }
    /// }
    /// ```
    pub struct HardcodedSecret {
        name: "hardcoded-secret",
        group: Reliability,
        level: Deny,
        scope: NotInTests,
        summary: "a password, token or key written in the code",
        roles: [Service, Worker, Cli, Library],
    }
}

impl Rule for HardcodedSecret {
    fn check_lit_str(&self, cx: &mut FileCx, str_lit: &StrLit, binding: Option<&syn::Ident>) {
        let (lit, value) = (str_lit.lit, str_lit.value);
        if cx.in_sample_data() {
            return;
        }
        let named = binding.and_then(|b| {
            let name = b.to_string();
            secret_name(&name).map(|w| (name, w))
        });
        if PUBLIC_KEY_PREFIXES.iter().any(|p| value.starts_with(p)) {
            return;
        }
        if let Some(format) = key_format(value).filter(|_| !is_sample_key(value)) {
            cx.report(lit.span(), format!("string literal contains {format}"))
                .help("revoke and rotate this credential, then read it from the environment or a secret store through the config module");
            return;
        }
        let Some((name, word)) = named else { return };
        if is_placeholder(value) || spells_the_name(&name, value) {
            return;
        }
        let what = match word {
            "password" | "passwd" => "a password",
            "secret" => "a secret",
            "token" => "a token",
            "api_key" | "apikey" => "an API key",
            _ => "a private key",
        };
        cx.report(lit.span(), format!("`{name}` holds {what} written in the code"))
            .help("read it from the environment or a secret store through the config module, and rotate the one committed here");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_names() {
        for n in [
            "password",
            "DB_PASSWORD",
            "api_key",
            "apiKey",
            "API_KEY",
            "client_secret",
            "githubToken",
            "access_token",
            "private_key",
            "dbpassword",
            "passwd",
            "SECRET",
        ] {
            assert!(secret_name(n).is_some(), "{n}");
        }
        for n in [
            "token_type",
            "TOKEN_HEADER",
            "PASSWORD_ENV",
            "secret_path",
            "token_url",
            "api_key_name",
            "password_hash",
            "token_ttl",
            "name",
            "key",
            "tokens_seen_total_metric_name",
            "password_prompt",
            "szOID_USER_PASSWORD",
            "BCRYPT_PRIVATE_KEY_BLOB",
        ] {
            assert!(secret_name(n).is_none(), "{n}");
        }
    }

    #[test]
    fn values_that_spell_the_name_are_names() {
        assert!(spells_the_name("ATTR_USERPASSWORD", "userpassword"));
        assert!(spells_the_name("COOKIE_BEARER_TOKEN", "bearer"));
        assert!(!spells_the_name("ADMIN_PASSWORD", "hunter2"));
        assert!(!spells_the_name("DB_PASSWORD", "s3cret"));
    }

    #[test]
    fn placeholders() {
        for v in [
            "",
            "abc",
            "****",
            "xxxxxxxx",
            "${DB_PASSWORD}",
            "$API_TOKEN",
            "<your token>",
            "{}",
            "Enter your password:",
            "x-api-token",
            "DB_PASSWORD",
            "api_key",
            "/run/secrets/db",
            "vault://kv/notes",
            "1.2.840.113549.1.9.16.1.4",
            "$serde_json::private::Number",
            "TRUNCATE",
            "x-qdrant-route-affinity",
            "X-Api-Token",
            "PrivKeyVal",
            "CryptDllImportPrivateKeyInfoEx",
            "_SA_{262E99C9-6160-4871-ACEC-4E61736B6F21}",
            "Software\\\\Policies",
        ] {
            assert!(is_placeholder(v), "{v}");
        }
        for v in [
            "hunter2!",
            "changeme",
            "f3a9c1d27e5b4c88a0e6",
            "Bearer abc123def",
            "s3cr3t-p4ss",
            "password123",
            "x-9f3a1c7e2b",
        ] {
            assert!(!is_placeholder(v), "{v}");
        }
    }

    #[test]
    fn sample_keys() {
        for v in [
            "sk_live_1234567890abcdefghijklmnop",
            "AKIAIOSFODNN7EXAMPLE",
            "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            "xoxb-your-slack-bot-token-here",
            "ghp_<YOUR_PERSONAL_ACCESS_TOKEN_HERE>",
            "sk_live_000000000000000000000000",
            "sk_live_...",
        ] {
            assert!(is_sample_key(v), "{v}");
        }
        for v in [
            "sk_live_4eC39HqLyjWDarjtT1zdp7dc",
            "AKIA2E0A8F3B244C9986",
            "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",
            "xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy",
        ] {
            assert!(!is_sample_key(v), "{v}");
        }
    }

    #[test]
    fn key_formats() {
        assert!(key_format("AKIAIOSFODNN7EXAMPLE").is_some());
        assert!(key_format("aws_access_key_id=AKIAIOSFODNN7EXAMPLE").is_some());
        assert!(key_format("ghp_0123456789abcdefghijABCDEFGHIJ012345").is_some());
        assert!(key_format("xoxb-123456789012-123456789012-abcdefABCDEF").is_some());
        assert!(key_format("sk_live_4eC39HqLyjWDarjtT1zdp7dc").is_some());
        let pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA0Z3VS5JJcds3xfn/ygWyF8PbnGy0AHB7MhgHcTz6sE2I2yPB\n-----END RSA PRIVATE KEY-----\n";
        assert!(key_format(pem).is_some());
        for v in [
            "ghp_",
            "sk_live_",
            "-----BEGIN PRIVATE KEY-----",
            "-----BEGIN PRIVATE KEY-----\n",
            "AKIA",
            "MAKIAIOSFODNN7EXAMPLEX",
            "xoxb-",
            "the prefix ghp_ marks a token",
        ] {
            assert!(key_format(v).is_none(), "{v}");
        }
    }
}
