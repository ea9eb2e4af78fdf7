use crate::context::FileCx;
use crate::rule::Rule;

/// Names that only ever mean a deployment environment.
const STRONG: &[&str] = &["production", "staging", "development"];
/// Names that mean an environment only when compared with something named like one.
const WEAK: &[&str] = &[
    "prod", "dev", "test", "testing", "stage", "qa", "uat", "local", "preprod", "sandbox",
    "develop",
];
/// Methods that pass a value through unchanged as far as its meaning goes.
const TRANSPARENT: &[&str] = &[
    "as_str",
    "as_ref",
    "as_deref",
    "to_lowercase",
    "to_ascii_lowercase",
    "to_uppercase",
    "to_ascii_uppercase",
    "trim",
    "to_string",
    "unwrap",
    "unwrap_or",
    "unwrap_or_default",
    "unwrap_or_else",
    "expect",
    "borrow",
    "deref",
];

/// The environment name a string literal is, and whether it counts on its own.
fn env_name(expr: &syn::Expr) -> Option<(&syn::LitStr, bool)> {
    let lit = match expr {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(s),
            ..
        }) => s,
        syn::Expr::Reference(r) => return env_name(&r.expr),
        syn::Expr::Paren(p) => return env_name(&p.expr),
        syn::Expr::Call(c)
            if c.args.len() == 1
                && matches!(&*c.func, syn::Expr::Path(p) if p.path.is_ident("Some")) =>
        {
            return env_name(&c.args[0]);
        }
        _ => return None,
    };
    let value = lit.value();
    if !(2..=11).contains(&value.len()) {
        return None;
    }
    if STRONG.iter().any(|s| value.eq_ignore_ascii_case(s)) {
        Some((lit, true))
    } else if WEAK.iter().any(|s| value.eq_ignore_ascii_case(s)) {
        Some((lit, false))
    } else {
        None
    }
}

/// Whether a name reads like a deployment environment: its last word is `env`,
/// `environment` or `profile` (`app_env`, `ENVIRONMENT`, `active_profile`, `appEnv`), or
/// it is such a word followed by `name`/`kind`/`mode` (`env_name`).
fn env_like_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let is_env_word = |w: &str| {
        matches!(
            w,
            "env" | "environment" | "profile" | "environ" | "rust_env" | "deploy_env"
        )
    };
    let words: Vec<&str> = lower.split('_').filter(|w| !w.is_empty()).collect();
    let camel_last = name
        .rfind(|c: char| c.is_ascii_uppercase())
        .filter(|&i| i > 0)
        .map(|i| name[i..].to_ascii_lowercase());
    match words.as_slice() {
        [.., prev, last] if matches!(*last, "name" | "kind" | "mode") => is_env_word(prev),
        [.., last] => is_env_word(last) || camel_last.as_deref().is_some_and(is_env_word),
        [] => false,
    }
}

/// Whether the other side of a comparison is named like an environment.
fn subject_is_env(expr: &syn::Expr) -> bool {
    match expr {
        syn::Expr::Path(p) => p
            .path
            .segments
            .last()
            .is_some_and(|s| env_like_name(&s.ident.to_string())),
        syn::Expr::Field(f) => match &f.member {
            syn::Member::Named(n) => env_like_name(&n.to_string()),
            syn::Member::Unnamed(_) => false,
        },
        syn::Expr::MethodCall(m) => {
            (m.args.is_empty() && env_like_name(&m.method.to_string()))
                || (TRANSPARENT.iter().any(|t| m.method == t) && subject_is_env(&m.receiver))
        }
        syn::Expr::Call(c) => {
            // `std::env::var("APP_ENV")`: the variable's name says what it is.
            c.args.len() == 1
                && matches!(&c.args[0], syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) if env_like_name(&s.value()))
                || matches!(&*c.func, syn::Expr::Path(p) if p.path.segments.last().is_some_and(|s| env_like_name(&s.ident.to_string())))
        }
        syn::Expr::Reference(r) => subject_is_env(&r.expr),
        syn::Expr::Paren(p) => subject_is_env(&p.expr),
        syn::Expr::Unary(u) => subject_is_env(&u.expr),
        syn::Expr::Try(t) => subject_is_env(&t.expr),
        _ => false,
    }
}

/// The environment name compared in `a == b`, when the comparison is about the environment.
fn compared_env<'e>(lhs: &'e syn::Expr, rhs: &'e syn::Expr) -> Option<&'e syn::LitStr> {
    let (lit, strong, other) = match (env_name(lhs), env_name(rhs)) {
        (Some(_), Some(_)) => return None,
        (Some((l, s)), None) => (l, s, rhs),
        (None, Some((l, s))) => (l, s, lhs),
        (None, None) => return None,
    };
    (strong || subject_is_env(other)).then_some(lit)
}

fn pattern_names<'p>(pat: &'p syn::Pat, out: &mut Vec<&'p syn::LitStr>) {
    match pat {
        syn::Pat::Lit(syn::ExprLit {
            lit: syn::Lit::Str(s),
            ..
        }) => out.push(s),
        syn::Pat::Or(o) => o.cases.iter().for_each(|c| pattern_names(c, out)),
        syn::Pat::Paren(p) => pattern_names(&p.pat, out),
        syn::Pat::Guard(g) => pattern_names(&g.pat, out),
        syn::Pat::Reference(r) => pattern_names(&r.pat, out),
        syn::Pat::TupleStruct(t) if t.path.is_ident("Some") => {
            t.elems.iter().for_each(|e| pattern_names(e, out))
        }
        _ => {}
    }
}

const HELP: &str = "put the behaviour difference in a config value (`config/<env>.toml`) and read that value instead of the environment's name";

crate::declare_rule! {
    /// ## What it does
    /// Flags code that branches on the name of a deployment environment: `== "production"`,
    /// `!= "staging"`, `.eq("development")`, or a `match` with an arm `"production" =>`.
    /// `"production"`, `"staging"` and `"development"` count against anything; shorter or
    /// more ambiguous names (`"prod"`, `"dev"`, `"test"`, `"stage"`, `"qa"`, `"uat"`,
    /// `"local"`, ...) count only when the other side is named like an environment: a
    /// variable, field or method whose last word is `env`, `environment` or `profile`
    /// (`env`, `app_env`, `settings.environment`, `active_profile`, `env_name`), or
    /// `std::env::var("APP_ENV")`. So `if token.kind == "test"` and `match cmd { "dev" => .. }`
    /// are not flagged. A `match` is reported once, at its first environment arm. Test code is not checked.
    /// Nor is an arm that only turns the name into a value (`"production" =>
    /// Ok(Self::Production)`, in a `FromStr`/`TryFrom` for the environment enum): the
    /// config layer parsing the name once is the house way; branching on the parsed value
    /// elsewhere is what the rule is for.
    ///
    /// ## Why
    /// `if env == "production"` makes production run code that no other environment ran,
    /// so staging cannot catch its bugs, and the on-call engineer cannot see or change the
    /// behaviour without reading the source. A config value (`cache.enabled = true` in
    /// `config/production.toml`) can be read, diffed and changed.
    ///
    /// ## Example
    /// ```rust
    /// fn cache_enabled(app_env: &str) -> bool {
    ///     app_env == "production"
    /// }
    /// # fn main() { let _ = cache_enabled("production"); }
    /// ```
    ///
    /// ## Use instead
    /// ```rust
    /// struct CacheSettings {
    ///     enabled: bool,
    /// }
    ///
    /// fn cache_enabled(settings: &CacheSettings) -> bool {
    ///     settings.enabled
    /// }
    /// # fn main() { let _ = cache_enabled(&CacheSettings { enabled: true }); }
    /// ```
    pub struct EnvironmentBranching {
        name: "environment-branching",
        group: Config,
        level: Warn,
        scope: NotInTests,
        summary: "code that branches on the environment's name (`if env == \"production\"`)",
    }
}

impl Rule for EnvironmentBranching {
    fn check_binary(&self, cx: &mut FileCx, expr: &syn::ExprBinary) {
        if !matches!(expr.op, syn::BinOp::Eq(_) | syn::BinOp::Ne(_)) {
            return;
        }
        if let Some(lit) = compared_env(&expr.left, &expr.right) {
            let name = lit.value();
            cx.report(
                lit.span(),
                format!("compares the environment's name with `\"{name}\"`"),
            )
            .help(HELP);
        }
    }

    fn check_method_call(&self, cx: &mut FileCx, call: &syn::ExprMethodCall) {
        let compare =
            call.method == "eq" || call.method == "ne" || call.method == "eq_ignore_ascii_case";
        if !compare || call.args.len() != 1 {
            return;
        }
        if let Some(lit) = compared_env(&call.receiver, &call.args[0]) {
            let name = lit.value();
            cx.report(
                lit.span(),
                format!("compares the environment's name with `\"{name}\"`"),
            )
            .help(HELP);
        }
    }

    fn check_match(&self, cx: &mut FileCx, expr: &syn::ExprMatch) {
        let mut literals = Vec::new();
        for arm in &expr.arms {
            let before = literals.len();
            pattern_names(&arm.pat, &mut literals);
            if literals.len() > before && names_a_value(&arm.body) {
                // `"production" => Ok(Self::Production)`: the name is parsed into a value
                // once, by the config layer; branching on that value is what to look for.
                literals.truncate(before);
            }
        }
        if literals.is_empty() {
            return;
        }
        let subject_env = subject_is_env(&expr.expr);
        let names: Vec<String> = literals
            .iter()
            .filter_map(|l| {
                let v = l.value();
                let strong = STRONG.iter().any(|s| v.eq_ignore_ascii_case(s));
                let weak = WEAK.iter().any(|s| v.eq_ignore_ascii_case(s));
                (strong || weak && subject_env).then(|| format!("`\"{v}\"`"))
            })
            .collect();
        if names.is_empty() {
            return;
        }
        let first = literals
            .iter()
            .find(|l| {
                names
                    .iter()
                    .any(|n| n.trim_matches(['`', '"']) == l.value())
            })
            .map_or(expr.match_token.span, |l| l.span());
        cx.report(
            first,
            format!("branches on the environment's name ({})", names.join(", ")),
        )
        .help(HELP);
    }
}

/// An arm body that is a value of a type: a path of two segments or more
/// (`Self::Production`, `Environment::Local`), or one wrapped in `Ok(..)`/`Some(..)`.
fn names_a_value(body: &syn::Expr) -> bool {
    match body {
        syn::Expr::Path(p) => p.path.segments.len() >= 2,
        syn::Expr::Call(c) if c.args.len() == 1 => {
            matches!(&*c.func, syn::Expr::Path(f) if f.path.is_ident("Ok") || f.path.is_ident("Some"))
                && names_a_value(&c.args[0])
        }
        syn::Expr::Block(b) => match b.block.stmts.as_slice() {
            [syn::Stmt::Expr(e, None)] => names_a_value(e),
            _ => false,
        },
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_like_names() {
        for n in [
            "env",
            "app_env",
            "APP_ENV",
            "environment",
            "ENVIRONMENT",
            "active_profile",
            "profile",
            "env_name",
            "appEnv",
            "rust_env",
        ] {
            assert!(env_like_name(n), "{n}");
        }
        for n in [
            "kind",
            "mode",
            "envelope",
            "env_var",
            "events",
            "token",
            "environment_variables",
            "seven",
            "name",
        ] {
            assert!(!env_like_name(n), "{n}");
        }
    }
}
