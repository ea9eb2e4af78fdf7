use crate::context::CrateCx;
use crate::line_index::LineIndex;
use crate::manifest::parse_toml;
use crate::model::TextFile;
use crate::rule::Rule;
use toml::de::{DeTable, DeValue};

const DEFAULT_FILE: &str = "default.toml";

/// A key of an environment file that `default.toml` does not define.
struct Drift {
    /// Dotted path, tables flattened (`database.pool_size`).
    key: String,
    span: std::ops::Range<usize>,
    /// The closest key `default.toml` has at the same level, for a likely typo.
    suggestion: Option<String>,
}

fn lookup<'a, 'i>(table: &'a DeTable<'i>, name: &str) -> Option<&'a DeValue<'i>> {
    table
        .iter()
        .find(|(k, _)| k.get_ref().as_ref() == name)
        .map(|(_, v)| v.get_ref())
}

/// Some file of `config/` is named for an environment (`production.toml`, `dev.toml`): the
/// layering this rule checks is in use, or was meant to be. With no file at all, the
/// service has none of its own settings files, and the house's are missing.
fn names_an_environment(files: &[TextFile]) -> bool {
    const ENVIRONMENTS: &[&str] = &[
        "default",
        "development",
        "dev",
        "production",
        "prod",
        "staging",
        "stage",
        "test",
        "testing",
        "local",
        "ci",
        "qa",
        "sandbox",
    ];
    files.is_empty()
        || files.iter().any(|f| {
            f.path
                .file_stem()
                .and_then(|s| s.to_str())
                .is_some_and(|stem| ENVIRONMENTS.contains(&stem))
        })
}

/// Walks `env` against `default`; a missing table is reported once, at its own key.
fn compare(env: &DeTable<'_>, default: &DeTable<'_>, prefix: &str, out: &mut Vec<Drift>) {
    for (key, value) in env.iter() {
        let name: &str = key.get_ref().as_ref();
        let path = if prefix.is_empty() {
            name.to_string()
        } else {
            format!("{prefix}.{name}")
        };
        match (lookup(default, name), value.get_ref()) {
            (None, _) => {
                let suggestion = default
                    .iter()
                    .map(|(k, _)| k.get_ref().as_ref())
                    .filter(|k: &&str| {
                        strsim::damerau_levenshtein(k, name) <= 2.min(name.len() / 3 + 1)
                    })
                    .min_by_key(|k| strsim::damerau_levenshtein(k, name))
                    .map(|k| {
                        if prefix.is_empty() {
                            k.to_string()
                        } else {
                            format!("{prefix}.{k}")
                        }
                    });
                out.push(Drift {
                    key: path,
                    span: key.span(),
                    suggestion,
                });
            }
            (Some(DeValue::Table(d)), DeValue::Table(e)) => compare(e, d, &path, out),
            // A value where default.toml has a table (or the reverse) is a type question,
            // not a missing key.
            (Some(_), _) => {}
        }
    }
}

crate::declare_rule! {
    /// ## What it does
    /// Checks a service's environment files against each other: every key set in a
    /// `config/<env>.toml` (tables flattened, so `[database] pool_size` is
    /// `database.pool_size`) must also be defined in `config/default.toml`. A key that is
    /// not is reported at its line in the environment file, with the closest key of
    /// `default.toml` when it looks like a typo; a whole table that `default.toml` lacks is
    /// reported once, at the table's key. A service without `config/default.toml` gets one
    /// finding at the `[package]` line of its `Cargo.toml`, unless it keeps its settings
    /// in its workspace's `config/default.toml` (or `config/defaults.toml`: one file of
    /// defaults for the workspace's programs), or in a TOML file next to `Cargo.toml` under
    /// another name (`config.default.toml`,
    /// `settings.toml`: a name with the word `config` or `settings`; or named for the
    /// package, `atuin-server/server.toml`), whose keys this rule
    /// cannot pair with environment files, or a `config/` folder whose files are named for
    /// what they configure rather than for an environment (`config/rustic_server.toml`,
    /// `config/acl.toml`), or whose command line reads a settings file by default
    /// (`#[arg(long, default_value = "alexandrie.toml")]`) or cannot start without one
    /// (`#[clap(value_parser)] config_file: String`, written by its operator; an optional
    /// `Option<PathBuf>` one leaves the defaults in code and is not enough), or that looks for one under a
    /// list of names (`for name in ["svix-bridge.yaml", "svix-bridge.yml"]`) or keeps the
    /// path of its settings file in a constant named for it (`const DEFAULT_CONFIG_PATH:
    /// &str = "sample_configs/distributed.yaml"`), or that opens
    /// one named for the package or for the product it is part of, itself or through a
    /// crate of the run it depends on (a settings crate's `PathBuf::from("kellnr.toml")` for
    /// the service `kellnr`; `["Revolt.toml", "Revolt.overrides.toml"]` searched by the
    /// settings crate of `revolt-autumn`; a name only
    /// mentioned, such as the file a bot reads from the repositories it serves, is not
    /// enough): the file lists the settings, in the program's own layout. A key only in `default.toml` is
    /// fine: that is what defaults are for. Applies to services only.
    ///
    /// ## Why
    /// An override for a key the service never reads is silently ignored: the on-call
    /// engineer raises `databse.pool_size` in production at 3am and nothing changes. And a
    /// setting that only one environment knows about is a setting the other environments run
    /// without, untested.
    ///
    /// A service without `config/default.toml` has the problem before it starts: its
    /// settings are environment variables and flags read wherever the code needs them, so
    /// no file lists what can be set and to what, and no environment can override one by
    /// name. The on-call engineer learns a setting exists by reading the code. The house
    /// layout (`config/default.toml`, then `config/<env>.toml` and the environment on top)
    /// is what makes the other half of this rule, and the config module, possible.
    ///
    /// ## Example
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
    /// ```toml,file=config/default.toml
    /// [database]
    /// pool_size = 5
    /// ```
    ///
    /// ```toml,file=config/production.toml
    /// [database]
    /// pool_sise = 20
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
    /// ```toml,file=config/default.toml
    /// [database]
    /// pool_size = 5
    /// ```
    ///
    /// ```toml,file=config/production.toml
    /// [database]
    /// pool_size = 20
    /// ```
    pub struct ConfigKeyDrift {
        name: "config-key-drift",
        group: Config,
        level: Deny,
        scope: Service,
        summary: "`config/default.toml` missing, or a key in `config/<env>.toml` that `config/default.toml` does not define",
    }
}

impl Rule for ConfigKeyDrift {
    fn check_crate(&self, cx: &mut CrateCx) {
        let krate = cx.krate;
        let is_default = |f: &&TextFile| f.path.file_name().is_some_and(|n| n == DEFAULT_FILE);
        let Some(default_file) = krate.env_files.iter().find(is_default) else {
            let file_by_default = krate.names_own_settings_file
                || krate.files.iter().any(|f| f.settings.file_by_default);
            if krate.config_elsewhere.is_some()
                || file_by_default
                || !names_an_environment(&krate.env_files)
            {
                // Layered settings under another name, or a `config/` folder of settings files
                // named for what they configure (`config/rustic_server.toml`): no environment
                // files to compare, nothing missing.
                return;
            }
            cx.report_package("the service has no `config/default.toml`: no file lists its settings and their defaults for the environments to override")
                .help("add `config/default.toml` next to `Cargo.toml` with every setting and its default; `config/<env>.toml` files override it");
            return;
        };
        // A file that is not valid TOML is a parse error, not drift.
        let Ok(default) = parse_toml(&default_file.text) else {
            return;
        };
        for env in krate.env_files.iter().filter(|f| !is_default(f)) {
            let Ok(table) = parse_toml(&env.text) else {
                continue;
            };
            let mut drifts = Vec::new();
            compare(table.get_ref(), default.get_ref(), "", &mut drifts);
            if drifts.is_empty() {
                continue;
            }
            let index = LineIndex::new(&env.text);
            let file_name = env
                .path
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
            for d in drifts {
                let help = match &d.suggestion {
                    Some(s) => format!(
                        "did you mean `{s}`? otherwise add `{}` to `config/default.toml` with its default value",
                        d.key
                    ),
                    None => format!(
                        "add `{}` to `config/default.toml` with its default value, or remove it here",
                        d.key
                    ),
                };
                cx.report_at(&env.path, Some(&env.text), index.position(d.span.start), index.position(d.span.end), format!("`{}` is set in `config/{file_name}` but not defined in `config/default.toml`", d.key))
                    .help(help);
            }
        }
    }
}
