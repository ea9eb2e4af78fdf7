use crate::context::{CrateCx, FileCx};
use crate::diagnostic::{Applicability, Edit, Fix};
use crate::model::Range;
use crate::router::handler_name;
use crate::rule::Rule;

crate::declare_rule! {
    /// ## What it does
    /// Flags a handler parameter of type axum's `Json<T>` (`axum::Json`,
    /// `axum::extract::Json`, or `Json` imported from axum). Carries an unsafe fix that
    /// replaces it (and a `Json(..)` pattern that destructures it) with the house
    /// extractor; the extractor must be in scope, which is why it is not applied by
    /// `--fix` alone. Handlers of the health and metrics routes are exempt. So is a crate
    /// with a middleware that rewrites plain-text error answers into JSON: a file that
    /// compares an answer's content type with a `"text/plain.."` literal (`==`, or inside
    /// `matches!`) and builds JSON (`json!`, `Json(..)`), in the crate or in a crate of the
    /// run it depends on (a shared `frontend-core` whose middleware each API layers). Its
    /// clients never see axum's plain-text rejections. Nor are handlers whose answers a standard or sender fixes
    /// (cargo's registry API, webhook receivers, SCIM, JSON-RPC and MCP endpoints, and the
    /// protocol and tooling paths that `handler-without-envelope` leaves alone, such as
    /// OAuth2's `/oauth2/authorise/permit`: the answers are not the house's, so neither are
    /// the rejections), nor the handlers of a crate built on a published protocol's server
    /// library (`ruma` for Matrix, `s3s`, `dav-server`, `activitypub_federation`), nor
    /// handlers of a page module (`views/`, `pages/`, a `frontend` module, as
    /// `handler-without-envelope` reads them), where the page's own script posts and reads
    /// the answer.
    ///
    /// ## Why
    /// When axum's `Json<T>` rejects a request (wrong content type, malformed body,
    /// missing field) it answers with a plain-text body, not the envelope: clients then
    /// get two error formats from one API. The house extractor (`ApiJson<T>`) rejects
    /// with `{"status_code": 400, "status_txt": "INVALID_ARG_...", "data": null}`.
    ///
    /// ## Example
    /// ```rust
    /// use axum::{Json, Router, routing::post};
    /// # pub struct Envelope<T>(T);
    /// # impl<T> axum::response::IntoResponse for Envelope<T> {
    /// #     fn into_response(self) -> axum::response::Response { todo!() }
    /// # }
    ///
    /// async fn create_user(Json(name): Json<String>) -> Envelope<String> {
    ///     Envelope(name)
    /// }
    ///
    /// # #[tokio::main]
    /// # async fn main() {
    /// #     let app: Router = Router::new().route("/users", post(create_user));
    /// #     let _ = app;
    /// # }
    /// ```
    ///
    /// ## Use instead
    /// ```rust
    /// use axum::{Router, routing::post};
    /// # pub struct Envelope<T>(T);
    /// # impl<T> axum::response::IntoResponse for Envelope<T> {
    /// #     fn into_response(self) -> axum::response::Response { todo!() }
    /// # }
    /// # pub struct ApiJson<T>(T);
    ///
    /// async fn create_user(ApiJson(name): ApiJson<String>) -> Envelope<String> {
    ///     Envelope(name)
    /// }
    ///
    /// # #[tokio::main]
    /// # async fn main() {
    /// #     let app: Router = Router::new().route("/users", post(create_user));
    /// #     let _ = app;
    /// # }
    /// ```
    ///
    /// ## Configuration
    /// `house.json_extractor` (default `ApiJson`), `house.health_path`,
    /// `house.metrics_path`.
    pub struct BareJsonExtractor {
        name: "bare-json-extractor",
        group: Envelope,
        level: Deny,
        scope: Handlers,
        summary: "a handler parameter of type axum's `Json<T>`",
    }
}

/// A `"text/plain.."` string literal among the tokens, at any depth.
fn has_text_plain_literal(tokens: proc_macro2::TokenStream) -> bool {
    tokens.into_iter().any(|t| match t {
        proc_macro2::TokenTree::Literal(l) => l.to_string().starts_with("\"text/plain"),
        proc_macro2::TokenTree::Group(g) => has_text_plain_literal(g.stream()),
        _ => false,
    })
}

fn edit(r: Range, content: &str) -> Edit {
    Edit {
        line: r.start.line,
        column: r.start.column,
        end_line: r.end.line,
        end_column: r.end.column,
        content: content.to_string(),
    }
}

impl Rule for BareJsonExtractor {
    fn check_binary(&self, cx: &mut FileCx, expr: &syn::ExprBinary) {
        if matches!(expr.op, syn::BinOp::Eq(_)) && !cx.in_test() {
            let text_plain = |e: &syn::Expr| matches!(e, syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) if s.value().starts_with("text/plain"));
            cx.facts.rewrites_text_errors.compares_text_plain |=
                text_plain(&expr.left) || text_plain(&expr.right);
        }
    }

    fn check_macro(&self, cx: &mut FileCx, mac: &syn::Macro) {
        if cx.in_test() {
            return;
        }
        let facts = &mut cx.facts.rewrites_text_errors;
        if mac.path.segments.last().is_some_and(|s| s.ident == "json") {
            facts.builds_json = true;
        } else if mac.path.is_ident("matches") && !facts.compares_text_plain {
            // `matches!(ct, Some(ct) if ct == "text/plain; charset=utf-8")`: the body is tokens.
            facts.compares_text_plain = has_text_plain_literal(mac.tokens.clone());
        }
    }

    fn check_call(&self, cx: &mut FileCx, call: &syn::ExprCall) {
        if !cx.in_test()
            && matches!(&*call.func, syn::Expr::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == "Json"))
        {
            cx.facts.rewrites_text_errors.builds_json = true;
        }
    }

    fn check_crate(&self, cx: &mut CrateCx) {
        let krate = cx.krate;
        // A middleware rewrites axum's plain-text rejections into JSON: clients never see
        // the plain text.
        // A crate built on a published protocol's server library (ruma for Matrix) answers
        // in that protocol's format, rejections too, as `handler-without-envelope` reads it.
        if krate.rewrites_text_errors || super::protocols::spoken_protocol(krate).is_some() {
            return;
        }
        let extractor = krate.config.house.json_extractor.clone();
        let mut found = Vec::new();
        let index = cx.router();
        for h in index.handlers.iter().filter(|h| !h.exempt) {
            // A protocol's or tool's endpoint (cargo's publish, a webhook receiver): the
            // other side fixes what an error looks like, not the house.
            if super::handler_without_envelope::serves_only_protocol_bodies(krate, index, h.fn_ref)
                || super::handler_without_envelope::serves_only_protocol_paths(
                    krate, index, h.fn_ref,
                )
            {
                continue;
            }
            // A page's own script posts here (a `views/` module: an htmx login step), and the
            // page, not an API client, reads the rejection.
            let file = &krate.files[h.fn_ref.file];
            let module = &file.router.fns[h.fn_ref.index].module;
            if super::handler_without_envelope::in_page_module(&file.path, module) {
                continue;
            }
            let f = &krate.files[h.fn_ref.file].router.fns[h.fn_ref.index];
            for p in &f.params {
                let Some((ty_path, pat_path)) = p.axum_json else {
                    continue;
                };
                let mut edits: Vec<Edit> = pat_path.iter().map(|r| edit(*r, &extractor)).collect();
                edits.push(edit(ty_path, &extractor));
                let inner = p.ty.args.first().map_or("T".to_string(), |a| a.to_string());
                let written = if p.ty.name == "Json" {
                    format!("`Json<{inner}>`")
                } else {
                    format!("`Json` (as `{}`)", p.ty)
                };
                found.push((
                    h.fn_ref.file,
                    p.range,
                    format!(
                        "{} takes axum's {written}, whose rejections are plain text",
                        handler_name(f)
                    ),
                    edits,
                    inner,
                ));
            }
        }
        for (file, range, message, edits, inner) in found {
            let fix = Fix {
                applicability: Applicability::Unsafe,
                message: format!("use `{extractor}<{inner}>`"),
                edits,
            };
            cx.report_in_file(file, range, message)
                .help(format!("extract with `{extractor}<{inner}>`, which rejects bad requests with the envelope"))
                .fix(fix);
        }
    }
}
