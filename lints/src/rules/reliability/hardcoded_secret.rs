use crate::rule::Rule;

crate::declare_rule! {
    /// ## What it does
    /// TODO: a non-empty string literal bound to a name (let, const, static, struct field, named argument) containing `password`, `passwd`, `secret`, `token`, `api_key`, `apikey`, `private_key`; or a literal matching a well-known key format (`AKIA[0-9A-Z]{16}`, `-----BEGIN ... PRIVATE KEY-----`, `ghp_`/`github_pat_`, `xox[bp]-`, `sk_live_`)
    pub struct HardcodedSecret {
        name: "hardcoded-secret",
        group: Reliability,
        level: Deny,
        scope: NotInTests,
        summary: "a non-empty string literal bound to a name",
    }
}

impl Rule for HardcodedSecret {}
