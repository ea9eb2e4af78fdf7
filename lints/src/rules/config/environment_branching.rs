use crate::rule::Rule;

crate::declare_rule! {
    /// ## What it does
    /// TODO: code that compares against an environment's name (`== "production"`, `!= "staging"`, match arms `"development" =>`, `"prod"`, `"dev"`, `"test"` when the other side is a variable named like `env`/`environment`/`app_env`/`profile`); behaviour differences belong in config values, not in `if env == ...`
    pub struct EnvironmentBranching {
        name: "environment-branching",
        group: Config,
        level: Warn,
        scope: NotInTests,
        summary: "code that compares against an environment's name",
    }
}

impl Rule for EnvironmentBranching {}
