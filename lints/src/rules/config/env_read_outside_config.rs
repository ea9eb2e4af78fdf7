use crate::rule::Rule;

crate::declare_rule! {
    /// ## What it does
    /// TODO: `std::env::var`, `env::var`, `var_os`, `vars`, `dotenv`/`dotenvy` calls outside the config module
    pub struct EnvReadOutsideConfig {
        name: "env-read-outside-config",
        group: Config,
        level: Deny,
        scope: NotInTestsOrConfig,
        summary: "`std::env::var`, `env::var`, `var_os`, `vars`, `dotenv`/`dotenvy` calls outside the config module",
    }
}

impl Rule for EnvReadOutsideConfig {}
