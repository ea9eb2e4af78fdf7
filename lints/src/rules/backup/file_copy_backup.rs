use crate::context::FileCx;
use crate::resolve::last_ident_is;
use crate::rule::Rule;

crate::declare_rule! {
    /// ## What it does
    /// Flags `std::fs::copy`, `tokio::fs::copy` or `fs::copy` where either path argument
    /// names a database: a string literal ending in `.db`, `.db3`, `.sqlite` or `.sqlite3`
    /// (or mentioning `sqlite`/`database`), or a variable, field or method whose name
    /// mentions `db`, `sqlite` or `database` (`db_path`, `config.database_file`). Test
    /// code is not checked.
    ///
    /// ## Why
    /// Copying the file of a live database copies whatever is on disk at that moment: a
    /// half-written page, a write-ahead log left behind. The copy looks fine until the day
    /// it is restored. The storage's online backup API (SQLite's backup API or
    /// `VACUUM INTO`) makes a consistent copy while the service runs.
    ///
    /// ## Example
    /// ```rust
    /// fn backup() -> std::io::Result<u64> {
    ///     std::fs::copy("data/app.db", "backup/app.db")
    /// }
    /// # fn main() { let _ = backup(); }
    /// ```
    ///
    /// ## Use instead
    /// ```rust
    /// # struct Connection;
    /// # impl Connection { fn execute(&self, _sql: &str, _p: [&str; 1]) -> Result<usize, ()> { Ok(0) } }
    /// fn backup(conn: &Connection) -> Result<usize, ()> {
    ///     // A consistent snapshot of the live database.
    ///     conn.execute("VACUUM INTO ?1", ["backup/app.db"])
    /// }
    /// # fn main() { let _ = backup(&Connection); }
    /// ```
    pub struct FileCopyBackup {
        name: "file-copy-backup",
        group: Backup,
        level: Deny,
        scope: NotInTests,
        summary: "a live database file copied with `fs::copy` instead of the online backup API",
    }
}

/// Whether an identifier names a database (`db_path`, `sqlite_file`, `database`).
fn names_db(ident: &str) -> bool {
    let lower = ident.to_ascii_lowercase();
    lower.contains("sqlite")
        || lower.contains("database")
        || lower.split('_').any(|part| {
            part == "db"
                || (part.starts_with("db") && !part.starts_with("dbg"))
                || (part.ends_with("db") && part.len() <= 6)
        })
}

fn literal_is_db(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    [".db", ".db3", ".sqlite", ".sqlite3"]
        .iter()
        .any(|ext| lower.ends_with(ext))
        || lower.contains("sqlite")
        || lower.contains("database")
}

/// Whether a path argument names a database file.
fn mentions_db(e: &syn::Expr) -> bool {
    match e {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(s),
            ..
        }) => literal_is_db(&s.value()),
        syn::Expr::Path(p) => p
            .path
            .segments
            .last()
            .is_some_and(|s| names_db(&s.ident.to_string())),
        syn::Expr::Field(f) => match &f.member {
            syn::Member::Named(n) => names_db(&n.to_string()) || mentions_db(&f.base),
            syn::Member::Unnamed(_) => mentions_db(&f.base),
        },
        syn::Expr::Reference(r) => mentions_db(&r.expr),
        syn::Expr::Paren(p) => mentions_db(&p.expr),
        syn::Expr::MethodCall(m) => {
            names_db(&m.method.to_string())
                || mentions_db(&m.receiver)
                || m.args.iter().any(mentions_db)
        }
        syn::Expr::Call(c) => c.args.iter().any(mentions_db),
        _ => false,
    }
}

impl Rule for FileCopyBackup {
    fn check_call(&self, cx: &mut FileCx, call: &syn::ExprCall) {
        let syn::Expr::Path(p) = &*call.func else {
            return;
        };
        let aliased = p.path.segments.len() == 1 && cx.uses.imports(&p.path.segments[0].ident);
        if !aliased && !last_ident_is(&p.path, &["copy"]) {
            return;
        }
        let resolved = cx.resolve(&p.path);
        if !(resolved == "std::fs::copy"
            || resolved == "tokio::fs::copy"
            || resolved == "fs::copy"
            || resolved == "async_std::fs::copy")
        {
            return;
        }
        if call.args.len() != 2 || !call.args.iter().any(mentions_db) {
            return;
        }
        let start = crate::router::extract::expr_start(&call.func);
        cx.report_between(start, call.paren_token.span.close(), format!("`{resolved}` of a live database file can copy a torn, inconsistent database"))
            .help("back up through the storage's online backup API (SQLite backup API or `VACUUM INTO`) in the service's `BackupHook`");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn db_names() {
        assert!(
            names_db("db_path")
                && names_db("DB")
                && names_db("sqlite_file")
                && names_db("database_url")
                && names_db("userdb")
        );
        assert!(!names_db("feedback_file") && !names_db("dbg_out") && !names_db("config"));
        assert!(
            literal_is_db("data/app.db")
                && literal_is_db("x.sqlite3")
                && !literal_is_db("config/default.toml")
        );
    }
}
