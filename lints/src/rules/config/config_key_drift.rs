use crate::rule::Rule;

crate::declare_rule! {
    /// ## What it does
    /// TODO: the environment files disagree: `config/default.toml` missing, or a key in `config/<env>.toml` that `config/default.toml` does not define (a typo or a setting only one environment knows about); reported at the file and line of the key
    pub struct ConfigKeyDrift {
        name: "config-key-drift",
        group: Config,
        level: Deny,
        scope: Service,
        summary: "the environment files disagree: `config/default.toml` missing, or a key in `config/<env>.toml` that `config/default.toml` does not define",
    }
}

impl Rule for ConfigKeyDrift {}
