use crate::context::{CrateCx, FileCx};
use crate::model::Dependency;
use crate::role::Role;
use crate::rule::Rule;

/// Web frameworks: the house one (axum unless `house.web_framework` says otherwise) and
/// the others. Crate roles use the list too: a binary on one of them serves HTTP.
pub(crate) const FRAMEWORKS: &[&str] = &[
    "axum",
    "actix-web",
    "rocket",
    "warp",
    "tide",
    "poem",
    "salvo",
    "gotham",
    "iron",
    "nickel",
    "rouille",
    "tiny_http",
    "trillium",
    "viz",
    "ntex",
    "dropshot",
];

/// crates.io treats `-` and `_` in package names as the same name.
pub(crate) fn same_package(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .all(|(x, y)| x == y || (x == b'-' || x == b'_') && (y == b'-' || y == b'_'))
}

/// How a dependency is named in a message: `web` (package `actix-web`) or `actix-web`.
pub(crate) fn dependency_name(dep: &Dependency) -> String {
    if dep.key == dep.package {
        format!("`{}`", dep.package)
    } else {
        format!("`{}` (package `{}`)", dep.key, dep.package)
    }
}

crate::declare_rule! {
    /// ## What it does
    /// Flags a runtime dependency on a web framework other than the house one: `actix-web`,
    /// `rocket`, `warp`, `tide`, `poem`, `salvo`, `gotham`, `iron`, `nickel`, `rouille`,
    /// `tiny_http`, `trillium`, `viz`, `ntex` or `dropshot`. The finding points at the
    /// dependency's key in the crate's own `Cargo.toml`, also when it is renamed
    /// (`web = { package = "actix-web" }`), inherited from the workspace
    /// (`web = { workspace = true }`) or target-specific
    /// (`[target.'cfg(unix)'.dependencies]`). `[dev-dependencies]` and
    /// `[build-dependencies]` do not count, and neither does an entry in
    /// `[workspace.dependencies]` that no member uses.
    ///
    /// A library is not flagged: the program that serves decides the framework, and a
    /// service split into crates would otherwise repeat the finding once per crate (and an
    /// adapter library for several frameworks is not a choice of framework at all). The
    /// exception is a library that is the server itself, which no service of the run
    /// uses: it serves or builds routes, or turns on the framework's `server` feature, and
    /// a command-line program of the run starts it (`quickwit-cli run` starts
    /// `quickwit-serve`). Then it is the crate that chose the framework. A command-line
    /// crate's `optional` framework counts only when its code starts a server with it
    /// (`rouille::Server::new`, `actix_web::HttpServer::new`, `warp::serve`): behind a
    /// feature for its error types, it serves nothing.
    ///
    /// A crate with no Rust code of its own (a generated manifest that lists crates for
    /// users' code) is not checked: nothing here uses its dependencies.
    ///
    /// ## Why
    /// The platform team knows one framework's middleware, error shapes, extractors and
    /// shutdown behaviour. At 3am, a service on another framework is a service whose request
    /// logs, timeouts, body limits and envelope nobody on call has seen before.
    ///
    /// ## Example
    /// ```toml
    /// [package]
    /// name = "notes"
    /// version = "0.1.0"
    /// edition = "2024"
    ///
    /// [dependencies]
    /// actix-web = "4"
    /// ```
    ///
    /// ## Use instead
    /// ```toml
    /// [package]
    /// name = "notes"
    /// version = "0.1.0"
    /// edition = "2024"
    ///
    /// [dependencies]
    /// axum = "0.8"
    /// tokio = { version = "1", features = ["full"] }
    /// ```
    ///
    /// ## Configuration
    /// `house.web_framework` (default `"axum"`) names the house framework; it is never
    /// flagged, and `axum` counts as foreign when another framework is the house one.
    pub struct ForeignWebFramework {
        name: "foreign-web-framework",
        group: Framework,
        level: Deny,
        scope: Crate,
        summary: "a dependency on a web framework other than the house one (axum)",
        roles: [Service, Worker, Cli, Library],
    }
}

/// The names of a framework's server in a call (`actix_web::HttpServer::new`,
/// `rouille::Server::new`, `rouille::start_server`, `warp::serve`, `rocket::build`).
const SERVER_TYPES: &[&str] = &["Server", "HttpServer", "HttpServerStarter", "ServerBuilder"];
const SERVER_FNS: &[&str] = &[
    "start_server",
    "serve",
    "build",
    "custom",
    "launch",
    "ignite",
];

impl Rule for ForeignWebFramework {
    fn check_call(&self, cx: &mut FileCx, call: &syn::ExprCall) {
        let syn::Expr::Path(p) = &*call.func else {
            return;
        };
        let segments = &p.path.segments;
        let (Some(first), Some(last)) = (segments.first(), segments.last()) else {
            return;
        };
        // `rocket::build()`, not `HttpResponse::build(..)`: a server function is called on
        // the framework's crate itself.
        let starts_server = segments
            .iter()
            .any(|s| SERVER_TYPES.iter().any(|t| s.ident == t))
            || (segments.len() == 2
                && SERVER_FNS.iter().any(|f| last.ident == f)
                && FRAMEWORKS
                    .iter()
                    .any(|f| same_package(f, &first.ident.to_string())));
        if !starts_server || cx.in_test() {
            return;
        }
        let root = match cx.uses.import_root(&first.ident) {
            Some(root) => root.to_string(),
            None if segments.len() > 1 => first.ident.to_string(),
            None => return,
        };
        if FRAMEWORKS.iter().any(|f| same_package(f, &root))
            && !cx.facts.framework_servers.contains(&root)
        {
            cx.facts.framework_servers.push(root);
        }
    }

    fn check_crate(&self, cx: &mut CrateCx) {
        let krate = cx.krate;
        if !krate.has_code() {
            return;
        }
        let house = cx.house().web_framework.clone();
        // A library counts only as the server that a command of the run starts and no
        // service does, and only for the framework it serves with.
        let library_server = match krate.role.role {
            Role::Library if krate.used_by_command && !krate.used_by_service => {
                Some(krate.serving_framework())
            }
            Role::Library => Some(None),
            _ => None,
        };
        if library_server == Some(None) {
            return;
        }
        let starts = |dep: &Dependency| {
            krate.files.iter().any(|f| {
                f.framework_servers
                    .iter()
                    .any(|s| same_package(s, &dep.package) || same_package(s, &dep.key))
            })
        };
        for dep in krate.manifest.deps.iter().filter(|d| d.is_runtime()) {
            if library_server.is_some_and(|web| web != Some(dep.package.as_str())) {
                continue;
            }
            // A command's optional framework serves only if it starts a server with it.
            if krate.role.role == Role::Cli && dep.optional && !starts(dep) {
                continue;
            }
            if same_package(&dep.package, &house)
                || !FRAMEWORKS.iter().any(|f| same_package(f, &dep.package))
            {
                continue;
            }
            let target = dep
                .target
                .as_deref()
                .map(|t| format!(" on `{t}`"))
                .unwrap_or_default();
            cx.report_dependency(dep, format!("{} is a web framework other than `{house}`{target}", dependency_name(dep)))
                .help(format!("write the service's HTTP layer with `{house}` (the house framework) and drop this dependency"));
        }
    }
}
