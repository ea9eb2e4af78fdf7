use crate::context::CrateCx;
use crate::rule::Rule;

crate::declare_rule! {
    /// ## What it does
    /// Flags a service with no systemd unit `deploy/<package-name>.service` next to its
    /// `Cargo.toml`. A unit elsewhere in the linted tree that is named for the service or
    /// one of its binaries counts too (`systemd/atuin-server.service`,
    /// `dist/rustdesk-hbbs.service` for binary `hbbs`), and so does one whose `ExecStart=`
    /// runs the program named for the package (`deployment/playground.service` with
    /// `ExecStart=/srv/artifacts/ui` for the `ui` crate), and so does a unit named so that a
    /// shell script of the tree writes into systemd's folder (a machine image's provisioner:
    /// `sudo tee /etc/systemd/system/edge.service <<'UNIT'`): the service has a unit, only the
    /// folder or the name differs. The finding points at the `[package]` line.
    ///
    /// ## Why
    /// Every service is started, restarted, stopped and given its environment the same
    /// way, by systemd: the on-call engineer runs `systemctl status <name>` and
    /// `journalctl -u <name>` on any host and finds the same thing. A service without a
    /// unit is a service nobody knows how to restart.
    ///
    /// ## Example
    /// ```rust
    /// # #[tokio::main]
    /// # async fn main() {}
    /// ```
    ///
    /// ## Use instead
    /// ```rust
    /// # #[tokio::main]
    /// # async fn main() {}
    /// ```
    ///
    /// ```text,file=deploy/notes.service
    /// [Unit]
    /// Description=notes
    ///
    /// [Service]
    /// ExecStart=/usr/local/bin/notes
    /// Restart=on-failure
    ///
    /// [Install]
    /// WantedBy=multi-user.target
    /// ```
    pub struct MissingServiceUnit {
        name: "missing-service-unit",
        group: Process,
        level: Deny,
        scope: Service,
        summary: "no `deploy/<crate-name>.service` (systemd unit) next to the crate's `Cargo.toml`",
    }
}

impl Rule for MissingServiceUnit {
    fn check_crate(&self, cx: &mut CrateCx) {
        let unit = format!("{}.service", cx.krate.name());
        if cx.krate.deploy_files.contains(&unit) || cx.krate.unit_elsewhere.is_some() {
            return;
        }
        cx.report_package(format!("no systemd unit `deploy/{unit}` for this service"))
            .help(format!("add `deploy/{unit}` next to `Cargo.toml` (`paved new` writes one) so systemd runs the service"));
    }
}
