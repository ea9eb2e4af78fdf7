//! Facts that make a file a config module by what it does (docs/idioms.md "Scope"): it
//! builds the settings with `config::Config::builder()`, `figment::Figment` or
//! `envy::from_env`/`envy::prefixed`, or it has a `serde::Deserialize` struct and reads the
//! environment. Recorded outside test code only; the engine decides (`engine::is_config_by_behaviour`).

use super::Walker;
use syn::visit::Visit;

/// A struct literal with at least this many fields read from the environment builds the
/// settings (`Self { port: env::var("PORT")?.parse()?, host: env::var("HOST")?, .. }`).
const SETTINGS_STRUCT_FIELDS: usize = 3;

impl Walker<'_, '_, '_> {
    /// A call that builds settings or reads the environment.
    pub(super) fn record_settings_call(&mut self, c: &syn::ExprCall) {
        let settings = &self.cx.facts.settings;
        if settings.builder && settings.env_read {
            return;
        }
        let Some(path) = crate::resolve::callee_path(c) else {
            return;
        };
        let segments = &path.segments;
        let last = &segments[segments.len() - 1].ident;
        let prev = segments.len().checked_sub(2).map(|i| &segments[i].ident);
        let (builder, env) = (
            (last == "builder" && prev.is_some_and(|p| p == "Config"))
                || segments.iter().any(|s| s.ident == "Figment")
                || last == "from_env"
                || last == "prefixed",
            last == "var" || last == "var_os" || last == "vars" || last == "vars_os",
        );
        if !(builder || env) || self.cx.in_test() {
            return;
        }
        let resolved = self.cx.resolve(path);
        let facts = &mut self.cx.facts.settings;
        if env && resolved.starts_with("std::env::") {
            facts.env_read = true;
        } else if resolved.starts_with("config::Config::builder")
            || resolved.starts_with("figment::Figment")
            || resolved == "envy::from_env"
            || resolved == "envy::prefixed"
        {
            facts.builder = true;
        }
    }

    /// `static MAX_TASKS: LazyLock<usize> = LazyLock::new(|| env::var("MAX_TASKS")..)` or
    /// `= lazy_env_parse!("MAX_TASKS", usize, 64)`: a setting read from the environment once,
    /// with its default (`SettingsFacts::env_statics`).
    pub(super) fn record_env_static(&mut self, init: &syn::Expr) {
        if self.cx.in_test() || !reads_environment(init) {
            return;
        }
        self.cx.facts.settings.env_statics += 1;
    }

    /// `#[derive(Deserialize)]` / `#[derive(serde::Deserialize)]` on a struct.
    pub(super) fn record_deserialize(&mut self, attrs: &[syn::Attribute]) {
        if self.cx.facts.settings.deserialize || self.cx.in_test() {
            return;
        }
        self.cx.facts.settings.deserialize = derives(attrs, "Deserialize");
    }

    /// `errors: Vec<ErrorDetail>` and `detail: String` fields (`FileFacts::error_list_shape`).
    pub(super) fn record_error_list_fields(&mut self, fields: &syn::Fields) {
        if self.cx.in_test() {
            return;
        }
        for f in fields {
            let Some(name) = &f.ident else { continue };
            let list = matches!(&f.ty, syn::Type::Path(p)
                if p.path.segments.last().is_some_and(|s| s.ident == "Vec"));
            let shape = &mut self.cx.facts.error_list_shape;
            shape.0 |= name == "errors" && list;
            shape.1 |= name == "detail";
        }
    }

    /// `json!({"errors": [{"detail": ..}]})` outside tests: the same body as the fields of
    /// `record_error_list_fields`, written inline.
    pub(super) fn record_error_list_json(&mut self, m: &syn::Macro) {
        if self.cx.facts.error_list_shape == (true, true)
            || self.cx.in_test()
            || m.path.segments.last().is_none_or(|s| s.ident != "json")
        {
            return;
        }
        if error_list_tokens(m.tokens.clone()) {
            self.cx.facts.error_list_shape = (true, true);
        }
    }

    /// `#[derive(Template)]` outside tests (`FileFacts::renders_templates`).
    pub(super) fn record_template(&mut self, attrs: &[syn::Attribute]) {
        if self.cx.facts.renders_templates || self.cx.in_test() {
            return;
        }
        self.cx.facts.renders_templates = derives(attrs, "Template");
    }

    /// `#[arg(short, long, default_value = "alexandrie.toml")]` outside tests: the program
    /// reads its settings from that file unless told otherwise
    /// (`SettingsFacts::file_by_default`).
    pub(super) fn record_settings_file_arg(&mut self, attr: &syn::Attribute) {
        if self.cx.facts.settings.file_by_default || !is_arg_attr(attr) || self.cx.in_test() {
            return;
        }
        let syn::Meta::List(list) = &attr.meta else {
            return;
        };
        let tokens: Vec<proc_macro2::TokenTree> = list.tokens.clone().into_iter().collect();
        self.cx.facts.settings.file_by_default = tokens.windows(3).any(|w| {
            matches!(&w[0], proc_macro2::TokenTree::Ident(i) if i == "default_value")
                && matches!(&w[1], proc_macro2::TokenTree::Punct(p) if p.as_char() == '=')
                && syn::parse2::<syn::LitStr>(w[2].clone().into())
                    .is_ok_and(|l| names_settings_file(&l.value()))
        });
    }
}

impl Walker<'_, '_, '_> {
    /// `#[clap(value_parser)] config_file: String` outside tests: the program cannot start
    /// without the settings file its command line names, which its operator writes
    /// (`SettingsFacts::file_by_default`). An optional one (`Option<PathBuf>`) leaves the
    /// defaults in code.
    pub(super) fn record_settings_file_field(&mut self, f: &syn::Field) {
        if self.cx.facts.settings.file_by_default || self.cx.in_test() {
            return;
        }
        let named = f.ident.as_ref().is_some_and(|n| {
            matches!(
                n.to_string().as_str(),
                "config" | "config_file" | "config_path" | "settings" | "settings_file"
            )
        });
        let optional = matches!(&f.ty, syn::Type::Path(p)
            if p.path.segments.last().is_some_and(|s| s.ident == "Option"));
        self.cx.facts.settings.file_by_default =
            named && !optional && f.attrs.iter().any(is_arg_attr);
    }

    /// `const DEFAULT_CONFIG_PATH: &str = "sample_configs/distributed.yaml"` outside tests:
    /// a constant named as the default settings file, which the program reads unless told
    /// otherwise (`SettingsFacts::file_by_default`). A name without `DEFAULT`
    /// (`CONFIG_FILE_NAME = "triagebot.toml"`) may be a file the program reads from
    /// elsewhere, such as the repositories a bot serves.
    pub(super) fn record_settings_file_const(&mut self, ident: &syn::Ident, value: &str) {
        if self.cx.facts.settings.file_by_default || !names_settings_file(value) {
            return;
        }
        let name = ident.to_string();
        let words = || name.split('_');
        self.cx.facts.settings.file_by_default = words().any(|w| w == "DEFAULT")
            && words().any(|w| matches!(w, "CONFIG" | "CONF" | "SETTINGS"));
    }

    /// `["svix-bridge.yaml", "svix-bridge.yml", "svix-bridge.json"]` outside tests: the
    /// names a program looks for its settings file under (`SettingsFacts::file_by_default`).
    pub(super) fn record_settings_file_names(&mut self, e: &syn::ExprArray) {
        if self.cx.facts.settings.file_by_default || e.elems.len() < 2 || self.cx.in_test() {
            return;
        }
        let names: Vec<String> = e
            .elems
            .iter()
            .filter_map(|v| match v {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) => Some(s.value()),
                _ => None,
            })
            .collect();
        if names.len() < e.elems.len() || !names.iter().all(|n| names_settings_file(n)) {
            return;
        }
        self.cx.facts.settings.file_by_default = true;
        // The bare names are the program's own settings files, for the services that
        // depend on this crate (`Crate::names_own_settings_file`).
        for name in names.into_iter().filter(|n| !n.contains(['/', '\\'])) {
            let known = &mut self.cx.facts.settings_file_names;
            if known.len() < 8 && !known.contains(&name) {
                known.push(name);
            }
        }
    }
}

/// `#[arg(..)]`, `#[clap(..)]`, `#[structopt(..)]`: a command-line option's attribute.
fn is_arg_attr(attr: &syn::Attribute) -> bool {
    ["arg", "clap", "structopt"]
        .iter()
        .any(|a| attr.path().is_ident(a))
}

impl Walker<'_, '_, '_> {
    /// `PathBuf::from("kellnr.toml")` outside tests: a settings file the program opens by a
    /// bare name, its own settings file when it is named for the package
    /// (`Crate::names_own_settings_file`). A name only mentioned (`CONFIG_FILE_NAME =
    /// "triagebot.toml"`, the file a bot reads from the repositories it serves) is not one.
    pub(super) fn record_settings_file_name(&mut self, call: &syn::ExprCall) {
        const MAX_NAMES: usize = 8;
        // Most calls take no string literal first: decided before looking at the path.
        let Some(syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(lit),
            ..
        })) = call.args.first()
        else {
            return;
        };
        let syn::Expr::Path(p) = &*call.func else {
            return;
        };
        let mut rev = p.path.segments.iter().rev().map(|s| &s.ident);
        let (Some(f), Some(ty)) = (rev.next(), rev.next()) else {
            return;
        };
        let opens = (ty == "PathBuf" && f == "from")
            || (ty == "Path" && f == "new")
            || (ty == "File" && f == "open");
        if !opens || self.cx.in_test() {
            return;
        }
        let value = lit.value();
        let names = &self.cx.facts.settings_file_names;
        let bare = value.len() < 64
            && !value.contains(['/', '\\', ' ', '{'])
            && names_settings_file(&value)
            && !value.ends_with(".json");
        if bare && names.len() < MAX_NAMES && !names.contains(&value) {
            self.cx.facts.settings_file_names.push(value);
        }
    }
}

/// `alexandrie.toml`, `config/app.yaml`: a path to a settings file, by its extension.
fn names_settings_file(path: &str) -> bool {
    std::path::Path::new(path)
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| {
            matches!(
                e,
                "toml" | "yaml" | "yml" | "json" | "json5" | "ron" | "ini"
            )
        })
}

/// `"errors": [{ "detail": .. }]` in a `json!` body, at any depth.
fn error_list_tokens(tokens: proc_macro2::TokenStream) -> bool {
    use proc_macro2::{Delimiter, TokenTree};
    // `name` with its quotes, as the literal token prints.
    let key =
        |t: &TokenTree, quoted: &str| matches!(t, TokenTree::Literal(l) if l.to_string() == quoted);
    let tts: Vec<TokenTree> = tokens.into_iter().collect();
    tts.iter().enumerate().any(|(i, t)| match t {
        TokenTree::Group(g) => {
            let list = g.delimiter() == Delimiter::Bracket
                && i >= 2
                && key(&tts[i - 2], r#""errors""#)
                && g.stream().into_iter().any(|item| {
                    matches!(&item, TokenTree::Group(o) if o.delimiter() == Delimiter::Brace
                        && o.stream().into_iter().any(|k| key(&k, r#""detail""#)))
                });
            list || error_list_tokens(g.stream())
        }
        _ => false,
    })
}

/// `#[derive(.., Name, ..)]` among `attrs`.
fn derives(attrs: &[syn::Attribute], name: &str) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("derive")
            && matches!(&a.meta, syn::Meta::List(list) if list.tokens.clone().into_iter().any(
                |t| matches!(t, proc_macro2::TokenTree::Ident(i) if i == name)
            ))
    })
}

/// A struct literal whose fields are filled from the environment, three or more: it is the
/// program's settings being built, config code wherever it sits.
pub(super) fn builds_settings_from_env(e: &syn::ExprStruct) -> bool {
    e.fields.len() >= SETTINGS_STRUCT_FIELDS
        && e.fields.iter().filter(|f| reads_env(&f.expr)).count() >= SETTINGS_STRUCT_FIELDS
}

/// The expression calls `env::var`, `var_os` or `dotenvy::var` somewhere.
fn reads_env(expr: &syn::Expr) -> bool {
    struct Finder(bool);
    impl<'ast> Visit<'ast> for Finder {
        fn visit_expr_call(&mut self, c: &'ast syn::ExprCall) {
            if let Some(path) = crate::resolve::callee_path(c)
                && path
                    .segments
                    .last()
                    .is_some_and(|s| s.ident == "var" || s.ident == "var_os")
            {
                self.0 |= path
                    .segments
                    .iter()
                    .any(|s| s.ident == "env" || s.ident == "dotenv" || s.ident == "dotenvy");
            }
            syn::visit::visit_expr_call(self, c);
        }
    }
    let mut finder = Finder(false);
    finder.visit_expr(expr);
    finder.0
}

/// The expression reads the environment: `env::var(..)`/`var_os(..)` by path, or a macro
/// named for it (`lazy_env_parse!`, `env_or!`; not `env!`, which the compiler expands).
fn reads_environment(e: &syn::Expr) -> bool {
    struct Reads(bool);
    impl<'a> Visit<'a> for Reads {
        fn visit_expr_call(&mut self, c: &'a syn::ExprCall) {
            if let syn::Expr::Path(p) = &*c.func
                && crate::resolve::last_ident_is(&p.path, &["var", "var_os"])
                && p.path.segments.iter().any(|s| s.ident == "env")
            {
                self.0 = true;
            }
            syn::visit::visit_expr_call(self, c);
        }
        fn visit_macro(&mut self, m: &'a syn::Macro) {
            let name = m.path.segments.last().map(|s| s.ident.to_string());
            if name.is_some_and(|n| n != "env" && n != "option_env" && n.contains("env")) {
                self.0 = true;
            }
        }
    }
    let mut reads = Reads(false);
    reads.visit_expr(e);
    reads.0
}
