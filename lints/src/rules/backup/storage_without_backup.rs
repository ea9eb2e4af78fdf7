use crate::context::{CrateCx, FileCx};
use crate::rule::Rule;

/// Embedded storage: the data lives in the service's own files.
const EMBEDDED: &[&str] = &["rusqlite", "sled", "redb", "rocksdb", "heed", "fjall"];
/// Database clients that hold data in the service only with their `sqlite` feature; with
/// `postgres` or `mysql` the data lives in a database server, whose backups are its own.
const CLIENTS: &[&str] = &["sqlx", "diesel", "sea-orm"];
/// The house kit's implementations of the backup trait (templates/kit): a service that
/// imports one uses the house backup without implementing the trait itself.
const KIT_HOOKS: &[&[&str]] = &[&["paved_kit", "sqlite", "SqliteBackup"]];

crate::declare_rule! {
    /// ## What it does
    /// Flags a service that keeps data in its own files, through an embedded storage crate
    /// (`rusqlite`, `sled`, `redb`, `rocksdb`, `heed`, `fjall`, or `sqlx`, `diesel`,
    /// `sea-orm` with their `sqlite` feature), but has no backup: neither a type
    /// implementing the house backup trait (`house.backup_trait`, default `BackupHook`)
    /// outside test code, nor a `use` of the house kit's implementation
    /// (`paved_kit::sqlite::SqliteBackup`) outside test files, nor a `deploy/<package-name>-backup.timer` next to
    /// `Cargo.toml`. Either one is enough. The finding points at the `[package]` line. A
    /// service whose data lives in a database server (`sqlx` with `postgres`) is not
    /// flagged: backing up a server database is that server's job. Nor is a service whose
    /// code outside tests can run its database in memory (`Connection::open_in_memory()`
    /// when no file is configured): what it keeps there, a request log or a cache, is
    /// what it can lose.
    ///
    /// ## Why
    /// Data that lives in the service is data the platform team must be able to restore
    /// at 3am. Every service backs up the same way: a hook the backup job calls (which uses
    /// the storage's online backup API), run by a systemd timer.
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
    /// rusqlite = "0.37"
    /// ```
    ///
    /// ```rust
    /// # #[tokio::main]
    /// # async fn main() {}
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
    /// rusqlite = "0.37"
    /// ```
    ///
    /// ```rust
    /// # pub trait BackupHook { fn backup(&self, to: &std::path::Path) -> std::io::Result<()>; }
    /// struct Db;
    ///
    /// impl BackupHook for Db {
    ///     fn backup(&self, _to: &std::path::Path) -> std::io::Result<()> {
    ///         // rusqlite's online backup API copies a consistent snapshot.
    ///         Ok(())
    ///     }
    /// }
    /// # #[tokio::main]
    /// # async fn main() { let _ = Db; }
    /// ```
    ///
    /// ## Configuration
    /// `house.backup_trait` (default `BackupHook`).
    pub struct StorageWithoutBackup {
        name: "storage-without-backup",
        group: Backup,
        level: Deny,
        scope: Service,
        summary: "a storage crate but no backup hook and no backup timer",
    }
}

impl Rule for StorageWithoutBackup {
    fn check_call(&self, cx: &mut FileCx, call: &syn::ExprCall) {
        if let syn::Expr::Path(p) = &*call.func
            && p.path
                .segments
                .last()
                .is_some_and(|s| s.ident == "open_in_memory")
            && !cx.in_test()
        {
            cx.facts.opens_memory_db = true;
        }
    }

    fn check_crate(&self, cx: &mut CrateCx) {
        let krate = cx.krate;
        // A database the service itself may run in memory (`Connection::open_in_memory()`
        // when no file is configured) holds what it can lose: a request log, a cache.
        if krate.files.iter().any(|f| f.opens_memory_db) {
            return;
        }
        let embedded = krate.manifest.runtime_deps_on(EMBEDDED).next();
        let sqlite_client = || {
            krate
                .manifest
                .runtime_deps_on(CLIENTS)
                .find(|d| d.features.iter().any(|f| f == "sqlite"))
        };
        let Some(dep) = embedded.or_else(sqlite_client) else {
            return;
        };
        let house_trait = &krate.config.house.backup_trait;
        let trait_name = house_trait.rsplit("::").next().unwrap_or(house_trait);
        let has_hook = krate
            .files
            .iter()
            .any(|f| f.router.trait_impls.iter().any(|t| t == trait_name))
            || krate.files.iter().filter(|f| !f.is_test).any(|f| {
                f.router
                    .uses
                    .iter()
                    .any(|u| KIT_HOOKS.iter().any(|hook| u.target == *hook))
            });
        let timer = format!("{}-backup.timer", krate.name());
        let has_timer = krate.deploy_files.contains(&timer);
        if has_hook || has_timer {
            return;
        }
        let message = format!(
            "the service stores data with `{}` but has no backup hook (`impl {trait_name}`) and no `deploy/{timer}`",
            dep.package
        );
        cx.report_package(message)
            .help(format!("implement `{trait_name}` with the storage's online backup API, or add `deploy/{timer}` (`paved new --storage` writes both)"));
    }
}
