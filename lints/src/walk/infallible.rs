//! `unwrap`/`expect` calls that cannot fail on any request, by what they unwrap: a reviewer
//! would not ask for error handling there, so `unwrap-in-handler` leaves them alone.
//! - a literal parsed (`"0.0.0.0".parse().unwrap()`): it parses or it never did;
//! - a value serialised to memory by serde_json (`serde_json::to_vec(&doc).expect(..)`):
//!   writing to a buffer fails only for a `Serialize` impl that refuses its own value;
//! - a global set once at start (`AUTH.get().unwrap()`, a `OnceLock`/`OnceCell` static):
//!   the router is built after it;
//! - a value built from literals only (`HeaderValue::from_str("NONE")`, `Regex::new(r"..")`):
//!   it fails on every run or on none, and the first test run tells;
//! - a MIME type's text as a header value (`HeaderValue::from_str(mime_type.as_ref())`):
//!   a parsed `Mime` always renders as a valid header value;
//! - a file embedded at build time, looked up by a literal name
//!   (`ASSETS.get_file("index.html").expect(..)`): it is there on every run or on none;
//! - `write!`/`writeln!` into a buffer (`writeln!(html, "</main>")`): formatting into a
//!   `String` cannot fail;
//! - a response built with `Response::builder()` from fixed parts (`.status(StatusCode::OK)
//!   .header(CONTENT_TYPE, mime.as_ref()).body(..)`): it fails only on an invalid status
//!   or header, and values that are literals, constants or plain variables are the
//!   program's own; a `format!`ed header value (a file name from the request) can fail;
//! - the operating system's random source filling a buffer (`rng.fill(&mut salt)`,
//!   `SystemRandom::new().fill(..)`): it fails only with the system;
//! - an extractor whose rejection is `Infallible`, extracted by hand
//!   (`let jar: PrivateCookieJar = parts.extract_with_state(state).await.unwrap();`).

/// axum's and axum-extra's extractors that cannot reject a request.
const INFALLIBLE_EXTRACTORS: &[&str] = &[
    "CookieJar",
    "PrivateCookieJar",
    "SignedCookieJar",
    "HeaderMap",
    "Method",
    "Uri",
    "Version",
];

/// `let jar: PrivateCookieJar = parts.extract_with_state(state).await.unwrap();`: the
/// `.unwrap()`/`.expect(..)` call of such a `let`, when its type is an extractor that
/// cannot reject and the value is extracted (`extract`, `extract_with_state`,
/// `from_request_parts`, `from_request`).
pub(crate) fn unwraps_infallible_extractor(l: &syn::Local) -> Option<&syn::ExprMethodCall> {
    let syn::Pat::Type(typed) = &l.pat else {
        return None;
    };
    let syn::Type::Path(ty) = &*typed.ty else {
        return None;
    };
    let name = &ty.path.segments.last()?.ident;
    if !INFALLIBLE_EXTRACTORS.iter().any(|n| name == n) {
        return None;
    }
    let syn::Expr::MethodCall(unwrap) = &*l.init.as_ref()?.expr else {
        return None;
    };
    if unwrap.method != "unwrap" && unwrap.method != "expect" {
        return None;
    }
    let syn::Expr::Await(awaited) = &*unwrap.receiver else {
        return None;
    };
    let extracts = |n: &syn::Ident| {
        [
            "extract",
            "extract_with_state",
            "from_request_parts",
            "from_request",
        ]
        .iter()
        .any(|m| n == m)
    };
    let extracted = match &*awaited.base {
        syn::Expr::MethodCall(m) => extracts(&m.method),
        syn::Expr::Call(c) => matches!(&*c.func, syn::Expr::Path(p)
            if p.path.segments.last().is_some_and(|s| extracts(&s.ident))),
        _ => false,
    };
    extracted.then_some(unwrap)
}

/// serde_json's functions that serialise into memory.
const SERIALISE_TO_MEMORY: &[&str] = &[
    "to_string",
    "to_string_pretty",
    "to_vec",
    "to_vec_pretty",
    "to_value",
];

/// The receiver of `.unwrap()`/`.expect(..)` cannot hold an error or `None` a request could cause.
pub(crate) fn cannot_fail(receiver: &syn::Expr) -> bool {
    match receiver {
        syn::Expr::Paren(p) => cannot_fail(&p.expr),
        syn::Expr::MethodCall(m) if m.method == "parse" && m.args.is_empty() => {
            matches!(
                &*m.receiver,
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(_),
                    ..
                })
            )
        }
        syn::Expr::MethodCall(m) if m.method == "get" && m.args.is_empty() => {
            is_static_name(&m.receiver)
        }
        syn::Expr::MethodCall(m) if m.method == "get_file" => {
            is_static_name(&m.receiver) && m.args.iter().all(is_literal)
        }
        syn::Expr::MethodCall(m) if m.method == "body" => is_fixed_response_builder(&m.receiver),
        syn::Expr::MethodCall(m) if m.method == "build" && m.args.is_empty() => {
            is_fixed_client_builder(&m.receiver)
        }
        syn::Expr::MethodCall(m) if m.method == "fill" || m.method == "try_fill_bytes" => {
            is_random_source(&m.receiver)
        }
        syn::Expr::Call(c) => is_serialise_to_memory(&c.func) || is_built_from_literals(c),
        syn::Expr::Macro(m) => m.mac.path.is_ident("write") || m.mac.path.is_ident("writeln"),
        _ => false,
    }
}

/// `HeaderValue::from_str("NONE")`, `Uri::try_from("/")`, `Regex::new(r"^\d+$")`: a
/// parsing constructor whose every argument is a literal.
fn is_built_from_literals(c: &syn::ExprCall) -> bool {
    const PARSERS: &[&str] = &["from_str", "from_static", "parse", "parse_str", "try_from"];
    let syn::Expr::Path(p) = &*c.func else {
        return false;
    };
    let segments = &p.path.segments;
    let Some(last) = segments.last() else {
        return false;
    };
    let is_regex =
        segments.len() >= 2 && segments[segments.len() - 2].ident == "Regex" && last.ident == "new";
    let is_header_value =
        segments.len() >= 2 && segments[segments.len() - 2].ident == "HeaderValue";
    (is_regex || PARSERS.iter().any(|f| last.ident == f))
        && !c.args.is_empty()
        && c.args
            .iter()
            .all(|a| is_literal(a) || (is_header_value && is_mime_text(a)))
}

/// `mime_type.as_ref()`, `mime::TEXT_HTML_UTF_8.as_ref()`: the text of a value named as a
/// MIME type.
fn is_mime_text(e: &syn::Expr) -> bool {
    match e {
        syn::Expr::Reference(r) => is_mime_text(&r.expr),
        syn::Expr::MethodCall(m)
            if m.args.is_empty()
                && matches!(
                    m.method.to_string().as_str(),
                    "as_ref" | "as_str" | "essence_str"
                ) =>
        {
            match &*m.receiver {
                syn::Expr::Path(p) => p
                    .path
                    .segments
                    .iter()
                    .any(|s| s.ident.to_string().to_ascii_lowercase().contains("mime")),
                // `data.mime.as_ref()`: a field named as a MIME type.
                syn::Expr::Field(f) => {
                    matches!(&f.member, syn::Member::Named(n) if n.to_string().to_ascii_lowercase().contains("mime"))
                }
                _ => false,
            }
        }
        _ => false,
    }
}

/// `Response::builder().status(StatusCode::OK).header(CONTENT_TYPE, "text/html")`: a chain
/// of `status`/`header` calls on `Response::builder()` whose arguments are fixed (see
/// `is_fixed_part`).
fn is_fixed_response_builder(e: &syn::Expr) -> bool {
    match e {
        syn::Expr::MethodCall(m) if m.method == "status" || m.method == "header" => {
            m.args.iter().all(is_fixed_part) && is_fixed_response_builder(&m.receiver)
        }
        syn::Expr::Call(c) => matches!(&*c.func, syn::Expr::Path(p)
            if p.path.segments.len() >= 2
                && p.path.segments.last().is_some_and(|s| s.ident == "builder")
                && p.path.segments[p.path.segments.len() - 2].ident == "Response"),
        _ => false,
    }
}

/// `Client::builder().redirect(Policy::none()).timeout(TIMEOUT)`: an HTTP client's builder
/// set from fixed values (literals, constants, variables, calls of fixed values), whose
/// `build()` fails only when the system's TLS backend cannot start, whatever the request.
fn is_fixed_client_builder(e: &syn::Expr) -> bool {
    fn fixed_arg(e: &syn::Expr) -> bool {
        match e {
            syn::Expr::Call(c) => {
                matches!(&*c.func, syn::Expr::Path(_)) && c.args.iter().all(fixed_arg)
            }
            e => is_fixed_part(e),
        }
    }
    match e {
        syn::Expr::MethodCall(m) => {
            m.args.iter().all(fixed_arg) && is_fixed_client_builder(&m.receiver)
        }
        syn::Expr::Call(c) => {
            matches!(&*c.func, syn::Expr::Path(p)
            if p.path.segments.len() >= 2
                && p.path.segments.last().is_some_and(|s| s.ident == "builder")
                && p.path.segments[p.path.segments.len() - 2].ident == "Client")
                && c.args.is_empty()
        }
        _ => false,
    }
}

/// A literal, a constant or variable (`header::CONTENT_TYPE`, `cache_control`), a field of
/// one (`object.mime_type`), or such a value converted without arguments (`mime.as_ref()`,
/// `len.to_string()`).
fn is_fixed_part(e: &syn::Expr) -> bool {
    match e {
        syn::Expr::Lit(_) | syn::Expr::Path(_) => true,
        syn::Expr::Field(f) => is_fixed_part(&f.base),
        syn::Expr::Reference(r) => is_fixed_part(&r.expr),
        syn::Expr::MethodCall(m) => m.args.is_empty() && is_fixed_part(&m.receiver),
        // `HeaderValue::from_str(mime_type.as_ref()).unwrap()`, itself unable to fail.
        syn::Expr::Call(c) => is_built_from_literals(c),
        _ => false,
    }
}

fn is_literal(e: &syn::Expr) -> bool {
    match e {
        syn::Expr::Lit(_) => true,
        syn::Expr::Reference(r) => is_literal(&r.expr),
        _ => false,
    }
}

/// `serde_json::to_vec(..)`, or one of its names that no other common crate exports,
/// imported (`to_value(..)`, `to_string_pretty(..)`).
pub(super) fn is_serialise_to_memory(func: &syn::Expr) -> bool {
    const DISTINCTIVE: &[&str] = &["to_value", "to_string_pretty", "to_vec_pretty"];
    let syn::Expr::Path(p) = func else {
        return false;
    };
    let segments = &p.path.segments;
    let last = &segments[segments.len() - 1].ident;
    match segments.len() {
        1 => DISTINCTIVE.iter().any(|f| last == f),
        n => segments[n - 2].ident == "serde_json" && SERIALISE_TO_MEMORY.iter().any(|f| last == f),
    }
}

/// `rng`, `SystemRandom::new()`, `OsRng`: the operating system's random source, which
/// fails only when the system itself is broken, whatever the request.
fn is_random_source(e: &syn::Expr) -> bool {
    let name = match e {
        syn::Expr::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        syn::Expr::Call(c) => match &*c.func {
            syn::Expr::Path(p) => p
                .path
                .segments
                .iter()
                .rev()
                .nth(1)
                .map(|s| s.ident.to_string()),
            _ => None,
        },
        syn::Expr::Reference(r) => return is_random_source(&r.expr),
        _ => None,
    };
    name.is_some_and(|n| {
        let n = n.to_ascii_lowercase();
        n == "rng" || n.ends_with("_rng") || n == "osrng" || n == "systemrandom"
    })
}

/// `AUTH`, `config::SETTINGS`: a `static`, by Rust's naming convention.
pub(super) fn is_static_name(e: &syn::Expr) -> bool {
    let syn::Expr::Path(p) = e else { return false };
    p.path.segments.last().is_some_and(|s| {
        let name = s.ident.to_string();
        name.len() > 1
            && name.chars().any(|c| c.is_ascii_uppercase())
            && name
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
    })
}

#[cfg(test)]
mod tests {
    use super::cannot_fail;

    fn receiver(src: &str) -> syn::Expr {
        match syn::parse_str::<syn::Expr>(src).unwrap() {
            syn::Expr::MethodCall(m) => *m.receiver,
            _ => panic!("not a method call: {src}"),
        }
    }

    #[test]
    fn literals_statics_and_serialisation_cannot_fail() {
        assert!(cannot_fail(&receiver(r#""0.0.0.0".parse().unwrap()"#)));
        assert!(cannot_fail(&receiver(
            r#""127.0.0.1:80".parse::<SocketAddr>().expect("addr")"#
        )));
        assert!(cannot_fail(&receiver("AUTH.get().unwrap()")));
        assert!(cannot_fail(&receiver("config::SETTINGS.get().unwrap()")));
        assert!(cannot_fail(&receiver(
            "serde_json::to_vec(&doc).expect(\"json\")"
        )));
        assert!(cannot_fail(&receiver("to_value(pull).unwrap()")));
        assert!(cannot_fail(&receiver("rng.fill(&mut salt).unwrap()")));
        assert!(cannot_fail(&receiver(
            "SystemRandom::new().fill(&mut salt).unwrap()"
        )));
        assert!(!cannot_fail(&receiver("buffer.fill(&mut salt).unwrap()")));
        assert!(cannot_fail(&receiver(
            "Response::builder().status(StatusCode::OK).header(header::CONTENT_TYPE, mime.as_ref()).body(Body::from(data)).unwrap()"
        )));
    }

    #[test]
    fn mime_header_values_and_embedded_files_cannot_fail() {
        assert!(cannot_fail(&receiver(
            "HeaderValue::from_str(mime_type.as_ref()).unwrap()"
        )));
        assert!(cannot_fail(&receiver(
            "Response::builder().header(CONTENT_TYPE, HeaderValue::from_str(mime::TEXT_HTML_UTF_8.as_ref()).unwrap()).body(body).unwrap()"
        )));
        assert!(cannot_fail(&receiver(
            r#"ASSETS.get_file("index.html").expect("present")"#
        )));
        assert!(!cannot_fail(&receiver("ASSETS.get_file(path).unwrap()")));
        assert!(!cannot_fail(&receiver(
            "HeaderValue::from_str(name.as_ref()).unwrap()"
        )));
        assert!(cannot_fail(&receiver(
            "HeaderValue::from_str(data.mime.as_ref()).unwrap()"
        )));
        assert!(cannot_fail(&receiver(
            r#"Response::builder().header("Content-Type", object.mime_type).body(Body::from(bytes)).unwrap()"#
        )));
    }

    #[test]
    fn clients_built_from_fixed_values_cannot_fail() {
        assert!(cannot_fail(&receiver(
            r#"Client::builder().redirect(Policy::none()).build().expect("client")"#
        )));
        assert!(cannot_fail(&receiver(
            "reqwest::Client::builder().timeout(Duration::from_secs(5)).build().unwrap()"
        )));
        assert!(!cannot_fail(&receiver(
            "Client::builder().proxy(Proxy::all(format!(\"{url}\"))).build().unwrap()"
        )));
        assert!(!cannot_fail(&receiver(
            "Message::builder().to(addr).build().unwrap()"
        )));
    }

    #[test]
    fn request_data_can_fail() {
        assert!(!cannot_fail(&receiver("id.parse().unwrap()")));
        assert!(!cannot_fail(&receiver("cache.get().unwrap()")));
        assert!(!cannot_fail(&receiver("map.get(KEY).unwrap()")));
        assert!(!cannot_fail(&receiver(
            "serde_json::from_slice(&body).unwrap()"
        )));
        assert!(!cannot_fail(&receiver(
            "serde_json::to_writer(file, &doc).unwrap()"
        )));
        assert!(!cannot_fail(&receiver("to_vec(&doc).unwrap()")));
        assert!(!cannot_fail(&receiver(
            r#"Response::builder().header(CONTENT_DISPOSITION, format!("attachment; filename={name}")).body(body).unwrap()"#
        )));
        assert!(!cannot_fail(&receiver(
            "Response::builder().status(u16::from(code)).body(body).unwrap()"
        )));
        assert!(!cannot_fail(&receiver(
            "HeaderValue::from_str(&name).unwrap()"
        )));
        assert!(!cannot_fail(&receiver(
            r#"tera::Tera::new("templates/**/*").unwrap()"#
        )));
    }
}
