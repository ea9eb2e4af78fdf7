use super::address_sinks::{self, Pending, Reach};
use super::xml_namespaces::{is_namespace_name, is_xmlns_attribute, literal_starts};
use crate::context::FileCx;
use crate::rule::{Rule, StrLit};
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};

/// URL schemes whose host is a place the service talks to.
const SCHEMES: &[&str] = &[
    "http",
    "https",
    "ws",
    "wss",
    "postgres",
    "postgresql",
    "redis",
    "rediss",
    "amqp",
    "amqps",
    "nats",
    "mysql",
    "mariadb",
    "mongodb",
    "mongodb+srv",
    "grpc",
    "grpcs",
    "tcp",
    "udp",
    "ftp",
    "ftps",
    "sftp",
    "ssh",
    "smtp",
    "smtps",
    "imap",
    "imaps",
    "ldap",
    "ldaps",
    "kafka",
    "memcached",
    "mqtt",
    "mqtts",
    "clickhouse",
    "cassandra",
    "mssql",
    "sqlserver",
    "neo4j",
    "bolt",
    "nats+tls",
    "tls",
    "couchdb",
    "elasticsearch",
    "etcd",
    "consul",
    "zookeeper",
];

/// Hosts of URLs that are identifiers (XML namespaces, JSON schema ids), not places to connect to.
const NAMESPACE_HOSTS: &[&str] = &[
    "www.w3.org",
    "w3.org",
    "json-schema.org",
    "schemas.xmlsoap.org",
    "schemas.openxmlformats.org",
    "schemas.microsoft.com",
    "purl.org",
    "xmlns.com",
    "ns.adobe.com",
    "schema.org",
];

/// Last labels that make `name.ext:12` a file and line rather than a host and port.
const FILE_EXTENSIONS: &[&str] = &[
    "rs", "toml", "json", "yaml", "yml", "txt", "log", "md", "py", "js", "ts", "go", "c", "h",
    "cc", "cpp", "hpp", "html", "css", "lock", "sh", "sql", "proto", "csv", "xml", "java", "rb",
    "tmp", "bak",
];

/// What kind of address a literal is, if it is one as a whole.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum AddressKind {
    Url,
    Ip,
    SocketAddr,
    HostPort,
    Localhost,
}

impl AddressKind {
    fn describe(self) -> &'static str {
        match self {
            AddressKind::Url => "URL",
            AddressKind::Ip => "IP address",
            AddressKind::SocketAddr => "socket address",
            AddressKind::HostPort => "host and port",
            AddressKind::Localhost => "address",
        }
    }
}

/// A URL with an evidently made-up part, as in a secret detector's pattern table
/// (`https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXX`): eight or more equal
/// characters in a row; or a regular expression (`[`, `(`, `\\` or `*` in the path).
fn is_sample_url(url: &str) -> bool {
    let path = url
        .split_once("://")
        .and_then(|(_, rest)| rest.find('/').map(|i| &rest[i..]))
        .unwrap_or("");
    if path.contains(['[', '(', '\\', '*']) {
        return true;
    }
    let mut run = 1;
    for w in url.as_bytes().windows(2) {
        run = if w[0] == w[1] && w[0].is_ascii_alphanumeric() {
            run + 1
        } else {
            1
        };
        if run >= 8 {
            return true;
        }
    }
    false
}

/// Whether `s`, as a whole, is an address. Deliberately strict: prose, paths, times,
/// versions and Rust paths are not addresses.
pub(crate) fn classify(s: &str) -> Option<AddressKind> {
    if s.len() < 2
        || s.len() > 2048
        || s.bytes()
            .any(|b| b.is_ascii_whitespace() || b == b'{' || b == b'"')
    {
        return None;
    }
    if names_cloud_metadata(s) {
        return None;
    }
    if let Some(i) = s.find("://") {
        return url_has_host(&s[..i], &s[i + 3..]).then_some(AddressKind::Url);
    }
    if s.eq_ignore_ascii_case("localhost") {
        return Some(AddressKind::Localhost);
    }
    if let Some((host, port)) = s.rsplit_once(':')
        && host.eq_ignore_ascii_case("localhost")
        && is_port(port)
    {
        return Some(AddressKind::Localhost);
    }
    if let Ok(addr) = s.parse::<SocketAddr>() {
        // `1.2.3.4:80`, `[::1]:8080`; but `0.0.0.0:0`, `127.0.0.1:0`, `[::]:0` are "any free
        // local port", the same in every environment.
        let ephemeral = addr.port() == 0 && (addr.ip().is_unspecified() || addr.ip().is_loopback());
        return (!ephemeral).then_some(AddressKind::SocketAddr);
    }
    if let Ok(ip) = s.parse::<Ipv4Addr>() {
        return (ip.is_unspecified() || !looks_like_version(s) && !looks_like_oid(ip))
            .then_some(AddressKind::Ip);
    }
    if s.starts_with('[') && s.ends_with(']') && s[1..s.len() - 1].parse::<Ipv6Addr>().is_ok() {
        return Some(AddressKind::Ip);
    }
    if s.contains("::")
        && s != "::"
        && s.bytes().any(|b| b.is_ascii_digit())
        && s.parse::<Ipv6Addr>().is_ok()
    {
        return Some(AddressKind::Ip);
    }
    let (host, port) = s.rsplit_once(':')?;
    // A public name on the HTTPS port (`spanner.googleapis.com:443`) is a public web
    // endpoint without its scheme, as fixed as its `https://` URL.
    let public_tls = port == "443" && is_public_name(&host.to_ascii_lowercase());
    (is_port(port) && is_dotted_hostname(host) && !public_tls).then_some(AddressKind::HostPort)
}

/// The cloud's instance metadata service (`169.254.169.254`, `metadata.google.internal`):
/// the platform fixes the address, the same on every instance of every environment.
fn names_cloud_metadata(s: &str) -> bool {
    let host = s.split_once("://").map_or(s, |(_, rest)| rest);
    [
        "169.254.169.254",
        "metadata.google.internal",
        "[fd00:ec2::254]",
    ]
    .iter()
    .any(|m| host.starts_with(m))
}

/// `1.2.3.4` with every part a single digit reads as a version as much as an address.
fn looks_like_version(s: &str) -> bool {
    s.split('.').all(|p| p.len() == 1)
}

/// `2.5.4.3`: four-arc object identifiers (X.500 attribute types, ...) start with 0, 1 or 2.
fn looks_like_oid(ip: Ipv4Addr) -> bool {
    ip.octets()[0] <= 2
}

fn is_port(p: &str) -> bool {
    !p.is_empty()
        && p.len() <= 5
        && p.bytes().all(|b| b.is_ascii_digit())
        && p.parse::<u32>().is_ok_and(|n| (1..=65535).contains(&n))
}

/// `db.internal`, `api.example.com`: at least two labels, the last alphabetic, and not a
/// file name (`main.rs`).
fn is_dotted_hostname(host: &str) -> bool {
    let Some((_, tld)) = host.rsplit_once('.') else {
        return false;
    };
    tld.len() >= 2
        && tld.bytes().all(|b| b.is_ascii_alphabetic())
        && !FILE_EXTENSIONS.iter().any(|e| tld.eq_ignore_ascii_case(e))
        && host.split('.').all(is_label)
}

fn is_label(l: &str) -> bool {
    !l.is_empty()
        && l.len() <= 63
        && l.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        && !l.starts_with('-')
}

/// `scheme://[user[:pass]@]host[:port][/...]` with a known scheme and a real host.
fn url_has_host(scheme: &str, rest: &str) -> bool {
    if !SCHEMES.iter().any(|k| scheme.eq_ignore_ascii_case(k)) {
        return false;
    }
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    // Several hosts (`mongodb://a:1,b:2`): the first one decides.
    let host_port = host_port.split(',').next().unwrap_or("");
    // `http://[::]:50051`, `http://0.0.0.0`: no host can be dialled at the unspecified
    // address; it is the placeholder a Unix-socket connector ignores.
    let host = if let Some(v6) = host_port.strip_prefix('[') {
        match v6.split_once(']') {
            Some((ip, _)) => return ip.parse::<Ipv6Addr>().is_ok_and(|ip| !ip.is_unspecified()),
            None => return false,
        }
    } else {
        match host_port.rsplit_once(':') {
            Some((h, port)) if port.is_empty() || is_port(port) => h,
            Some(_) => return false,
            None => host_port,
        }
    };
    !host.is_empty()
        && host != "0.0.0.0"
        && host.split('.').all(is_label)
        && !NAMESPACE_HOSTS.iter().any(|n| host.eq_ignore_ascii_case(n))
        && !names_a_specification(&rest[authority.len()..])
        && !is_placeholder_or_page_host(&host.to_ascii_lowercase())
        && !is_public_web_url(scheme, host)
}

/// A web URL to a public host name: the same place in every environment.
fn is_public_web_url(scheme: &str, host: &str) -> bool {
    is_web_scheme(scheme) && is_public_name(&host.to_ascii_lowercase())
}

/// `DEFAULT_SERVER_ADDRESS`, `listen_default`: the default of a setting that
/// configuration overrides, not an address the code is stuck with. So is a constant that
/// names the local or development one of several (`LOCALHOST_API_URL`, `DEV_API_URL`
/// beside `PROD_API_URL`): choosing among them is the configuration's job.
fn names_a_default(binding: &syn::Ident) -> bool {
    binding
        .to_string()
        .to_ascii_lowercase()
        .split('_')
        .any(|w| {
            matches!(
                w,
                "default" | "localhost" | "local" | "dev" | "devel" | "compose"
            )
        })
}

fn is_web_scheme(scheme: &str) -> bool {
    ["http", "https", "ws", "wss"]
        .iter()
        .any(|w| scheme.eq_ignore_ascii_case(w))
}

/// Labels that make a DNS name one of the organisation's own networks, whose addresses
/// differ between environments.
const INTERNAL_LABELS: &[&str] = &[
    "internal",
    "intranet",
    "local",
    "localdomain",
    "lan",
    "corp",
    "svc",
    "cluster",
    "private",
];

/// A DNS name on the public internet: two labels or more, an alphabetic top-level label,
/// and no label that names an internal network.
fn is_public_name(host: &str) -> bool {
    let labels: Vec<&str> = host.split('.').collect();
    let Some(top) = labels.last() else {
        return false;
    };
    labels.len() >= 2
        && top.len() >= 2
        && top.bytes().all(|b| b.is_ascii_alphabetic())
        && !labels.iter().any(|l| INTERNAL_LABELS.contains(l))
}

/// Hosts that are no place a service connects to: the reserved top-level domains of
/// RFC 2606 (`*.example`, `*.invalid`, `*.test`), placeholders (`unused`, `dummy`, a
/// single letter), and web pages for people (`www.`,
/// `docs.` sites, GitHub and GitLab pages) linked from answers and logs.
fn is_placeholder_or_page_host(host: &str) -> bool {
    // A single-label host that says it goes nowhere (`Uri::from_static("http://unused")`,
    // `http://S`): the value a type needs where no request is ever sent.
    const PLACEHOLDER_LABELS: &[&str] = &[
        "unused",
        "default",
        "placeholder",
        "dummy",
        "unknown",
        "none",
        "null",
        "invalid",
        "example",
    ];
    matches!(host, "github.com" | "gitlab.com")
        || host.len() == 1
        || PLACEHOLDER_LABELS.contains(&host)
        || [".example", ".invalid", ".test"]
            .iter()
            .any(|tld| host.ends_with(tld))
        || host.starts_with("www.")
        || host.starts_with("docs.")
}

/// Paths of URLs that name a specification rather than a place to connect to: link
/// relations and schema identifiers of protocols (`http://webfinger.net/rel/profile-page`,
/// `http://nodeinfo.diaspora.software/ns/schema/2.1`,
/// `http://openid.net/specs/connect/1.0/issuer`).
fn names_a_specification(path: &str) -> bool {
    path.split(['/', '#'])
        .any(|segment| matches!(segment, "ns" | "rel" | "specs" | "schema"))
}

crate::declare_rule! {
    /// ## What it does
    /// Flags a string literal that is, as a whole, an address: an IPv4 or IPv6 address
    /// (`"0.0.0.0"`, `"[::1]"`), a socket address (`"127.0.0.1:8080"`), a host and port
    /// (`"db.internal:5432"`), `localhost` with or without a port, or a URL with a host for a
    /// service scheme (`http`, `https`, `ws`, `postgres`, `redis`, `amqp`, `nats`, `mysql`,
    /// `mongodb`, `grpc`, ...), when the program listens on it or dials it: the literal is
    /// given to `bind`, `listen`, `connect` (`connect_lazy`, `connect_timeout`,
    /// `connect_with`), `open`, `from_url`, `from_static`/`from_shared` (tonic endpoints),
    /// `with_uri_str`, `endpoint`/`endpoint_url`/`with_endpoint`, `base_url`/`with_base_url`,
    /// or, for a URL, to an HTTP request (`get`, `post`, `put`, `patch`, `delete`, `head`,
    /// `request`); directly, converted on the way (`"..".parse()?`, `&`, `.to_string()`,
    /// `format!("{BASE}/v1")`), or through a `let`, `const` or `static` of the same file that
    /// is given to one. Test code and the config module are not checked.
    ///
    /// An address that reaches none of these is not flagged: in code nobody here wrote, such
    /// a literal was a label, a sample, a lookup key, a comparison or a default far more
    /// often than a setting, and a reviewer cannot act on it. Nor is the host of a
    /// configured port (`bind(("0.0.0.0", port))`): all interfaces, or this machine, are
    /// the same in every environment, and the port is the setting.
    ///
    /// Deliberately not flagged either, so that a finding is always worth reading:
    /// web URLs (`http`, `https`, `ws`, `wss`) to a public host name
    /// (`https://api.github.com`, `https://hooks.slack.com/...`), and such a name on the
    /// HTTPS port without a scheme (`spanner.googleapis.com:443`): a vendor's API, a page or
    /// an identifier is the same place in every environment, so configuration would not
    /// change where it points. Web URLs to `localhost`, an IP address, a single-label host
    /// (`http://billing/`) or an internal name (a label `internal`, `intranet`, `local`,
    /// `localdomain`, `lan`, `corp`, `svc`, `cluster`, `private`: `billing.internal.example.com`,
    /// `notes.svc.cluster.local`) are flagged, and so are URLs of every other scheme
    /// (`postgres://db.example.com/notes`). Nor is the value of a binding named as a
    /// setting's default (`const DEFAULT_SERVER_ADDRESS: &str = "127.0.0.1:8443"`) or as the
    /// local or development choice among several (`LOCALHOST_API_URL`, `DEV_API_URL`,
    /// `DOCKER_COMPOSE` beside `PROD_API_URL`, also wrapped in a newtype:
    /// `const LOCALHOST: ApiUrl = ApiUrl("ws://localhost:8081")`): the configuration
    /// overrides or chooses it; nor what a function that returns a setting's default returns
    /// (`fn default_listen_addr()`, serde's `default = ".."`, `impl Default`). Nor are:
    /// placeholder hosts (`Uri::from_static("http://unused")`, `http://dummy`, `http://S`,
    /// and the unspecified address `http://[::]:50051` or `http://0.0.0.0`, which nothing
    /// can dial: the URI a Unix-socket connector is built with and ignores),
    /// the cloud's instance metadata service (`169.254.169.254`, `metadata.google.internal`,
    /// the same on every instance),
    /// prose that merely contains a URL (`"see https://example.com"`), format strings
    /// (`"http://{host}/"`), a scheme without a host (`"https://"`), schemes without a network
    /// host (`sqlite://`, `file://`), XML namespace and JSON-schema URLs
    /// (`http://www.w3.org/...`, `purl.org`, `schemas.xmlsoap.org`, `json-schema.org`, ...),
    /// URLs whose path names a specification (a `/ns/`, `/rel/`, `/specs/` or `/schema/`
    /// segment: link relations and protocol schema identifiers), URLs of the reserved
    /// top-level domains (`*.invalid`, `*.test`, `*.example`) and of web pages for people
    /// (`www.` and `docs.` sites, GitHub and GitLab pages: links in answers and messages),
    /// any URL bound as an XML namespace (an argument next to an `"xmlns"`/`"xmlns:x"`
    /// attribute name, as in `attr("xmlns:media", "http://search.yahoo.com/mrss/")`; a value
    /// of a binding named like a namespace: `ATOM_NS`, `CRATES_NAMESPACE`, `let namespaces =
    /// vec![("crates", "https://crates.io/")]`), sample URLs with a made-up part of eight or
    /// more equal characters (`https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXX`
    /// in a secret detector's pattern table) and regular expressions of URLs (`[`, `(`,
    /// `\\` or `*` in the path), times and ratios (`"12:30"`, `"16:9"`), Rust paths
    /// (`"std::io"`), MIME types, versions (`"1.2.3"`, and four single digits `"1.2.3.4"`
    /// read as a version), object identifiers (a bare IPv4 starting with `0.`, `1.` or `2.`
    /// other than `0.0.0.0`, such as `"2.5.4.3"`), `file.rs:12` locations, bare host names
    /// without a port (`"api.example.com"`), single-label `host:port` (`"db:5432"` cannot be
    /// told from a cache key such as `"user:1000"`), and port 0 on a wildcard or loopback
    /// address (`"0.0.0.0:0"`, `"127.0.0.1:0"`, `"[::]:0"`: "any free local port" is the same
    /// in every environment). Nor are literals that test a value rather than set one: an
    /// operand of `==`/`!=` (`host == "localhost"`) or of `.eq(..)`, `.ne(..)`,
    /// `.eq_ignore_ascii_case(..)`, a string in a `match` arm's pattern
    /// (`Host::Domain("localhost") =>`), and the receiver of `.len()`
    /// (`"255.255.255.255".len()`), and the arguments of a string method that tests or
    /// rewrites a value (`domain.starts_with("127.0.0.1")`, `.contains(..)`,
    /// `addr.replace("localhost", "127.0.0.1")` to compare two addresses), and the subject
    /// of a self-signed certificate (`generate_self_signed_certificate("localhost")`). Nor
    /// the fallback of an optional value
    /// (`spec.base_url.unwrap_or_else(|| "http://localhost".to_string())`,
    /// `host.unwrap_or("localhost")`, `if cfg.addr.is_empty() { "0.0.0.0" } else { .. }`,
    /// `if bind.ip().is_loopback() { "127.0.0.1" } else { routable_ip() }`,
    /// the last argument of a `*_or_default(..)` helper), nor an address in a branch that
    /// runs only in development (`if config.dev_mode { Url::parse("http://localhost") }`, `if is_local { .. }`,
    /// `if env == Env::Development { .. }`, `#[cfg(debug_assertions)]`),
    /// nor the default handed to an environment getter
    /// (`get_env_var("CORS_ORIGIN", "http://localhost:3000")`): the environment overrides
    /// it, as it does a `DEFAULT_*` constant. Nor addresses in help text or a launch banner (the
    /// functions `print-logging` treats as a command line's interface): they are shown to
    /// a person, nothing connects to them. Nor in a function that a one-shot command calls
    /// (`send_test_email_command(opts: TestEmailOpts)` calling `mail::send_test_email`):
    /// the command's placeholder is no setting of the service. Nor the values of an API
    /// schema's examples (`.examples(vec!["https://my-host/".to_owned()])`): documentation.
    /// Nor a public DNS resolver a UDP socket is connected to (`socket.connect("1.1.1.1:80")`
    /// sends nothing; it finds the local address that routes outside), nor an address right
    /// under a comment that calls it a dummy or placeholder nothing uses.
    ///
    /// ## Why
    /// Where a service listens and what it connects to differ between a laptop, staging
    /// and production. An address in code is the one setting that cannot be changed without
    /// a rebuild, and the classic 3am page is production talking to the staging database
    /// because someone's `"postgres://localhost/notes"` was never moved out.
    ///
    /// ## Example
    /// ```rust
    /// #[tokio::main]
    /// async fn main() {
    ///     let listener = tokio::net::TcpListener::bind("0.0.0.0:3000").await.unwrap();
    /// #   let _ = listener;
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```rust
    /// mod config;
    ///
    /// #[tokio::main]
    /// async fn main() {
    ///     let settings = config::Settings::load();
    ///     let listener = tokio::net::TcpListener::bind(&settings.listen).await.unwrap();
    /// #   let _ = listener;
    /// }
    /// ```
    ///
    /// ```rust,file=src/config.rs
    /// pub struct Settings {
    ///     pub listen: String,
    /// }
    ///
    /// impl Settings {
    ///     pub fn load() -> Self {
    ///         // Defaults may live in the config module; config/<env>.toml overrides them.
    ///         Settings { listen: "0.0.0.0:3000".to_string() }
    ///     }
    /// }
    /// ```
    ///
    /// ## Configuration
    /// `house.config_modules` (default `["config", "settings"]`) names the modules where
    /// addresses may appear as defaults.
    /// A module that builds the settings counts as a config module whatever its name: one
    /// that calls `config::Config::builder()`, `figment::Figment` or `envy::from_env`/
    /// `envy::prefixed`, or that has a `#[derive(Deserialize)]` struct and reads the
    /// environment (`src/cfg.rs`). Crate roots (`src/main.rs`, `src/lib.rs`, `src/bin/*`)
    /// and files that define routes never do.
    pub struct HardcodedAddress {
        name: "hardcoded-address",
        group: Config,
        level: Deny,
        scope: NotInTestsOrConfig,
        summary: "a string literal address (IP, `host:port`, `localhost`, a URL with a host) that the program binds or dials",
    }
}

impl Rule for HardcodedAddress {
    fn check_binding(&self, cx: &mut FileCx, name: &syn::Ident, value: &syn::Expr) {
        // Whole-value bindings are judged in `check_lit_str`; this is for literals nested
        // in a value (`let addr = "0.0.0.0:3000".parse()?`) or in a collection (`let
        // namespaces = vec![("crates", "https://crates.io/")]`).
        if matches!(value, syn::Expr::Lit(_)) {
            return;
        }
        address_sinks::note_binding(cx, name, value);
        if is_namespace_name(&name.to_string(), false) {
            for start in literal_starts(value) {
                mark_not_a_setting(cx, start);
            }
        }
    }

    fn check_call(&self, cx: &mut FileCx, call: &syn::ExprCall) {
        if let syn::Expr::Path(p) = &*call.func
            && let Some(last) = p.path.segments.last()
        {
            place_call(cx, &last.ident, &call.args);
        }
        xmlns_arguments(cx, &call.args);
        // `get_env_var("CORS_ORIGIN", "http://localhost:3000")`: the default of a setting
        // that the environment overrides, like a `DEFAULT_*` constant.
        if is_env_getter_with_default(call) {
            literals_not_settings(cx, call.args.iter().skip(1));
            return;
        }
        // `generate_self_signed_certificate("localhost")`: the name a certificate is made out
        // to, not an address the program binds or connects to.
        if call.args.iter().any(|a| string_literal(a).is_some())
            && let syn::Expr::Path(p) = &*call.func
            && p.path
                .segments
                .last()
                .is_some_and(|s| s.ident.to_string().contains("self_signed"))
        {
            literals_not_settings(cx, &call.args);
            return;
        }
        // `header_or_default(&headers, "host", "localhost")`: the last argument is what an
        // absent value falls back to.
        // The literal first: this runs for every call, and reading the name allocates.
        if call.args.len() >= 2
            && let Some(lit) = call.args.last().and_then(string_literal)
            && let syn::Expr::Path(p) = &*call.func
            && p.path
                .segments
                .last()
                .is_some_and(|s| s.ident.to_string().ends_with("_or_default"))
        {
            not_a_setting(cx, lit);
        }
    }

    fn check_binary(&self, cx: &mut FileCx, expr: &syn::ExprBinary) {
        if matches!(expr.op, syn::BinOp::Eq(_) | syn::BinOp::Ne(_)) {
            literals_not_settings(cx, [&*expr.left, &*expr.right]);
        }
    }

    fn check_method_call(&self, cx: &mut FileCx, call: &syn::ExprMethodCall) {
        let method = call.method.to_string();
        place_call(cx, &call.method, &call.args);
        xmlns_arguments(cx, &call.args);
        // `cfg.base_url.unwrap_or_else(|| "http://localhost".into())`: the fallback of a
        // value the program was given, like a `DEFAULT_*` constant.
        if matches!(method.as_str(), "unwrap_or" | "unwrap_or_else") {
            for start in call.args.iter().flat_map(literal_starts) {
                mark_not_a_setting(cx, start);
            }
            return;
        }
        // `.examples(vec!["https://my-host/".to_owned()])` of a schema builder: values shown
        // in the API's documentation, not where the program connects.
        if matches!(method.as_str(), "example" | "examples") {
            for start in call.args.iter().flat_map(literal_starts) {
                mark_not_a_setting(cx, start);
            }
            return;
        }
        // `socket.connect("1.1.1.1:80")` of a UDP socket sends nothing: it asks the kernel
        // which local address routes to the internet. The resolver is only a landmark.
        if method == "connect"
            && let [arg] = call.args.iter().collect::<Vec<_>>().as_slice()
            && let Some(lit) = string_literal(arg)
            && is_public_resolver(&lit.value())
        {
            not_a_setting(cx, lit);
            return;
        }
        // `domain.starts_with("127.0.0.1")`, `addr.replace("localhost", "127.0.0.1")`: a
        // pattern a value is tested or rewritten with (to compare two addresses), not where
        // the program connects.
        if matches!(
            method.as_str(),
            "starts_with"
                | "ends_with"
                | "contains"
                | "strip_prefix"
                | "strip_suffix"
                | "replace"
                | "replacen"
                | "find"
        ) {
            literals_not_settings(cx, &call.args);
            return;
        }
        let tested = match method.as_str() {
            "len" => call.args.is_empty(),
            "eq" | "ne" | "eq_ignore_ascii_case" => call.args.len() == 1,
            _ => false,
        };
        if !tested {
            return;
        }
        literals_not_settings(cx, std::iter::once(&*call.receiver).chain(&call.args));
    }

    fn check_match(&self, cx: &mut FileCx, expr: &syn::ExprMatch) {
        for arm in &expr.arms {
            pattern_literals(&arm.pat, &mut |lit| not_a_setting(cx, lit));
        }
    }

    fn check_lit_str(&self, cx: &mut FileCx, str_lit: &StrLit, binding: Option<&syn::Ident>) {
        let (lit, value) = (str_lit.lit, str_lit.value);
        // Help text and launch banners show an address to a person; nothing connects to it.
        if take_not_a_setting(cx, lit) || cx.in_usage_fn() || cx.in_fallback() || cx.in_dev_only() {
            return;
        }
        let Some(kind) = classify(value) else { return };
        if kind == AddressKind::Ip
            && binding.is_some_and(|b| b.to_string().to_ascii_lowercase().contains("version"))
        {
            return;
        }
        if kind == AddressKind::Url
            && binding.is_some_and(|b| is_namespace_name(&b.to_string(), true))
        {
            return;
        }
        if kind == AddressKind::Url && is_sample_url(value) {
            return;
        }
        if binding.is_some_and(names_a_default) {
            return;
        }
        let message = || {
            if value.contains('@') || value.len() > 80 {
                format!("hardcoded {}", kind.describe())
            } else {
                format!("hardcoded {} `{value}`", kind.describe())
            }
        };
        let is_url = kind == AddressKind::Url;
        match address_sinks::reaches_place(cx, start_of(lit), binding, is_url) {
            Reach::Now => report(cx, lit.span(), message()),
            Reach::Later(name) => address_sinks::hold(
                cx,
                Pending {
                    name,
                    is_url,
                    span: lit.span(),
                    message: message(),
                },
            ),
            Reach::Never => {}
        }
    }
}

fn report(cx: &mut FileCx, span: proc_macro2::Span, message: String) {
    // A one-shot command's placeholder address (`send_test_email`'s `http://localhost`)
    // is no setting.
    cx.note_command_site(span.start());
    cx.report(span, message).help(
        "read it from configuration (`config/<env>.toml` through the config module), so each environment sets its own",
    );
}

/// Notes a call that may take places, and reports the held findings whose binding it is
/// given.
fn place_call<'e>(
    cx: &mut FileCx,
    name: &syn::Ident,
    args: impl IntoIterator<Item = &'e syn::Expr>,
) {
    for p in address_sinks::note_call(cx, name, args) {
        report(cx, p.span, p.message);
    }
}

/// The well-known public DNS resolvers (`1.1.1.1:80`, `[2001:4860:4860::8888]:53`), which
/// a route probe connects a UDP socket to.
fn is_public_resolver(addr: &str) -> bool {
    const RESOLVERS: &[&str] = &[
        "1.1.1.1",
        "1.0.0.1",
        "8.8.8.8",
        "8.8.4.4",
        "9.9.9.9",
        "2606:4700:4700::1111",
        "2001:4860:4860::8888",
    ];
    let host = addr
        .rsplit_once(':')
        .filter(|(_, port)| port.parse::<u16>().is_ok())
        .map_or(addr, |(host, _)| host);
    RESOLVERS.contains(&host.trim_start_matches('[').trim_end_matches(']'))
}

/// `get_env_var("NAME", default)`, `env_or("NAME", default)`: a function named for the
/// environment, called with a variable's name first.
fn is_env_getter_with_default(call: &syn::ExprCall) -> bool {
    // The cheap tests first: this runs for every call of the file.
    let syn::Expr::Path(p) = &*call.func else {
        return false;
    };
    let screaming = |name: &str| {
        !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
    };
    // `"CORS_ORIGIN"`, or a constant that holds the name (`AWSLOCAL_HOST_ENV`); and a
    // literal default after it, the only thing this excuses.
    let names_a_variable = call.args.len() >= 2
        && call
            .args
            .iter()
            .skip(1)
            .any(|a| string_literal(a).is_some())
        && call.args.first().is_some_and(|arg| match arg {
            syn::Expr::Path(c) => c
                .path
                .segments
                .last()
                .is_some_and(|s| screaming(&s.ident.to_string())),
            _ => string_literal(arg).is_some_and(|name| screaming(&name.value())),
        });
    names_a_variable
        && p.path
            .segments
            .last()
            .is_some_and(|s| s.ident.to_string().to_ascii_lowercase().contains("env"))
}

/// Start positions of the string literals, in the file being walked, that the hooks above
/// saw compared or matched against: the walk calls a parent's hook before `check_lit_str`
/// for the literals inside it (kept in the file's rule state, see `FileCx::state`).
#[derive(Default)]
struct NotSettings(Vec<(usize, usize)>);

fn start_of(lit: &syn::LitStr) -> (usize, usize) {
    let lc = lit.span().start();
    (lc.line, lc.column)
}

fn not_a_setting(cx: &mut FileCx, lit: &syn::LitStr) {
    if classify(&lit.value()).is_none() {
        return;
    }
    mark_not_a_setting(cx, start_of(lit));
}

/// The string literals among `exprs` (through references and newtypes) are no settings.
fn literals_not_settings<'e>(cx: &mut FileCx, exprs: impl IntoIterator<Item = &'e syn::Expr>) {
    for lit in exprs.into_iter().filter_map(string_literal) {
        not_a_setting(cx, lit);
    }
}

fn mark_not_a_setting(cx: &mut FileCx, start: (usize, usize)) {
    cx.state::<NotSettings>().0.push(start);
}

/// The arguments of `attr("xmlns:atom", url)` or `insert("xmlns:m".into(), url.into())`:
/// next to an `xmlns` attribute name, a URL is the namespace it binds.
fn xmlns_arguments(cx: &mut FileCx, args: &syn::punctuated::Punctuated<syn::Expr, syn::Token![,]>) {
    if args.len() < 2 {
        return;
    }
    let literals: Vec<&syn::LitStr> = args.iter().filter_map(converted_literal).collect();
    if literals.len() >= 2 && literals.iter().any(|l| is_xmlns_attribute(&l.value())) {
        for lit in literals {
            not_a_setting(cx, lit);
        }
    }
}

/// A string literal, also as `"..".into()`, `.to_string()` or `.to_owned()`.
fn converted_literal(expr: &syn::Expr) -> Option<&syn::LitStr> {
    match expr {
        syn::Expr::MethodCall(m)
            if m.args.is_empty()
                && (m.method == "into" || m.method == "to_string" || m.method == "to_owned") =>
        {
            converted_literal(&m.receiver)
        }
        _ => string_literal(expr),
    }
}

fn take_not_a_setting(cx: &mut FileCx, lit: &syn::LitStr) -> bool {
    let starts = &mut cx.state::<NotSettings>().0;
    if starts.is_empty() {
        return false;
    }
    let start = start_of(lit);
    match starts.iter().position(|s| *s == start) {
        Some(i) => {
            starts.swap_remove(i);
            true
        }
        None => false,
    }
}

/// The string literal an expression is, looking through `&` and parentheses.
fn string_literal(expr: &syn::Expr) -> Option<&syn::LitStr> {
    match expr {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(s),
            ..
        }) => Some(s),
        syn::Expr::Reference(r) => string_literal(&r.expr),
        syn::Expr::Paren(p) => string_literal(&p.expr),
        syn::Expr::Group(g) => string_literal(&g.expr),
        _ => None,
    }
}

/// Calls `f` on every string literal in a pattern (`"a" | Some(Host::Domain("b"))`).
fn pattern_literals<'p>(pat: &'p syn::Pat, f: &mut impl FnMut(&'p syn::LitStr)) {
    match pat {
        syn::Pat::Lit(syn::ExprLit {
            lit: syn::Lit::Str(s),
            ..
        }) => f(s),
        syn::Pat::Or(p) => p.cases.iter().for_each(|c| pattern_literals(c, f)),
        syn::Pat::Paren(p) => pattern_literals(&p.pat, f),
        syn::Pat::Guard(g) => pattern_literals(&g.pat, f),
        syn::Pat::Reference(r) => pattern_literals(&r.pat, f),
        syn::Pat::Tuple(t) => t.elems.iter().for_each(|e| pattern_literals(e, f)),
        syn::Pat::TupleStruct(t) => t.elems.iter().for_each(|e| pattern_literals(e, f)),
        syn::Pat::Slice(s) => s.elems.iter().for_each(|e| pattern_literals(e, f)),
        syn::Pat::Struct(s) => s.fields.iter().for_each(|fp| pattern_literals(&fp.pat, f)),
        syn::Pat::Ident(i) => {
            if let Some((_, sub)) = &i.subpat {
                pattern_literals(sub, f);
            }
        }
        syn::Pat::Type(t) => pattern_literals(&t.pat, f),
        _ => {}
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn environment_getters_with_a_default() {
        let call = |src: &str| -> syn::ExprCall { syn::parse_str(src).unwrap() };
        assert!(super::is_env_getter_with_default(&call(
            r#"get_env_var("CORS_ORIGIN", "http://localhost:3000")"#
        )));
        assert!(super::is_env_getter_with_default(&call(
            r#"config::env_or("DB_URL", "postgres://localhost/app")"#
        )));
        for src in [
            r#"env_label("upstream", "http://billing.internal:8080")"#,
            r#"get_env_var("CORS_ORIGIN")"#,
            r#"connect("DB_URL", "postgres://db.internal/app")"#,
        ] {
            assert!(!super::is_env_getter_with_default(&call(src)), "{src}");
        }
    }
    use super::*;

    #[test]
    fn addresses() {
        for s in [
            "0.0.0.0",
            "127.0.0.1",
            "10.1.2.30",
            "0.0.0.0:3000",
            "127.0.0.1:8080",
            "[::1]:8080",
            "[::]:443",
            "[::1]",
            "::1",
            "fe80::1",
            "localhost",
            "LOCALHOST",
            "localhost:5432",
            "db.internal:5432",
            "redis.prod.svc.cluster.local:6379",
            "http://localhost:3000",
            "https://billing.internal.example.com/v1/users",
            "http://notes.svc.cluster.local/ping",
            "http://billing:8080/",
            "https://10.0.0.7/v1",
            "postgres://user:pw@db.internal:5432/notes",
            "redis://127.0.0.1/",
            "amqp://guest:guest@rabbit:5672/%2f",
            "nats://nats:4222",
            "mongodb+srv://cluster0.example.net/db",
            "mongodb://a.example.com:27017,b.example.com:27017/db",
            "http://[::1]:8080/ping",
            "https://api.github.com/repos/{owner}",
            "10.0.0.5:0",
            "0.0.0.0:80",
        ] {
            let expected = !s.contains('{');
            assert_eq!(classify(s).is_some(), expected, "{s}");
        }
    }

    #[test]
    fn sample_urls() {
        for u in [
            "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
            "https://hooks.slack.com/services/T[A-Z0-9]+/B[A-Z0-9]+",
            "https://api.example.com/v1/(users|teams)",
        ] {
            assert!(is_sample_url(u), "{u}");
        }
        for u in [
            "https://api.example.com/v1/users",
            "http://[::1]:8080/ping",
            "https://hooks.slack.com/services/T0A1B2C3D/B9Z8Y7X6W/abcdefghij",
        ] {
            assert!(!is_sample_url(u), "{u}");
        }
    }

    #[test]
    fn not_addresses() {
        for s in [
            "",
            "a:b",
            "12:30",
            "12:30:00",
            "16:9",
            "HH:MM:SS",
            "%H:%M:%S",
            "1.2.3",
            "1.2.3.4",
            "v1.2.3",
            "std::io",
            "::",
            "text/plain",
            "application/json; charset=utf-8",
            "see https://example.com for details",
            "https://",
            "http://",
            "http://{}/path",
            "http://{host}:{port}",
            "sqlite://notes.db",
            "file:///var/lib/notes",
            "http://www.w3.org/2000/svg",
            "http://json-schema.org/draft-07/schema#",
            "api.example.com",
            "main.rs:42",
            "config.toml:3",
            "user:1000",
            "db:5432",
            "cache:users:42",
            "00:1A:2B:3C:4D:5E",
            "dead:beef",
            "Bearer abc",
            "x-request-id",
            "/ping",
            "ab::cd",
            "foo::bar::baz",
            "error: 12:30",
            "localhost is down",
            "s3://bucket/key",
            "https://api.example.com/v1/users",
            "https://api.github.com/repos",
            "wss://stream.vendor.io/feed",
            "http://*",
            "1:2",
            "2.5.4.17",
            "1.3.6.1",
            "0.0.0.0:0",
            "127.0.0.1:0",
            "[::]:0",
            "[::1]:0",
            "http://169.254.169.254/latest/meta-data/",
            "http://metadata.google.internal",
        ] {
            assert_eq!(classify(s), None, "{s}");
        }
    }
}
