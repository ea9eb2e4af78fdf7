//! End to end: `paved new` both variants of the default template, then build,
//! test, clippy and rustfmt them, run the sqlite one and talk to it over real
//! HTTP (raw TCP, no client library), back it up and restore it through its
//! CLI, stop it with SIGTERM, and check its CI workflow and systemd units with
//! their own tools (`promtool`, `actionlint`, `systemd-analyze`).
//!
//! The generated services share one target dir: `PAVED_E2E_TARGET_DIR`, or
//! `target/e2e` in this repository. A missing external tool fails the test
//! with what to install, unless `PAVED_E2E_ALLOW_MISSING_TOOLS=1`.

#[path = "common/e2e.rs"]
mod e2e;

use e2e::{
    actionlint, assert_lints_clean, assert_success, cargo, free_port, promtool_check, step,
    target_dir, tool_available,
};
use serde_json::Value;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

const SQLITE: &str = "e2e-notes";
const NONE: &str = "e2e-memo";

/// The two generated services, made once for all tests in this file.
struct Generated {
    _root: tempfile::TempDir,
    sqlite: PathBuf,
    none: PathBuf,
}

fn generated() -> &'static Generated {
    static GENERATED: OnceLock<Generated> = OnceLock::new();
    GENERATED.get_or_init(|| {
        let root = tempfile::tempdir().expect("temp dir");
        let sqlite = root.path().join(SQLITE);
        let none = root.path().join(NONE);
        for (name, dest, storage) in [(SQLITE, &sqlite, "sqlite"), (NONE, &none, "none")] {
            let started = Instant::now();
            let output = Command::new(env!("CARGO_BIN_EXE_paved"))
                .args(["new", name, "--yes", "--vcs", "none", "--storage", storage])
                .arg("--dest")
                .arg(dest)
                .output()
                .expect("paved runs");
            assert_success(&output, &format!("paved new {name} --storage {storage}"));
            step(&format!(
                "generated {name} (--storage {storage}) in {:.2?}",
                started.elapsed()
            ));
        }
        Generated {
            _root: root,
            sqlite,
            none,
        }
    })
}

/// Both services built (`cargo build`); returns the sqlite binary.
fn built() -> &'static PathBuf {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT.get_or_init(|| {
        let services = generated();
        for dir in [&services.sqlite, &services.none] {
            cargo(dir, &["build"]);
        }
        let binary = target_dir().join("debug").join(SQLITE);
        assert!(binary.exists(), "{} was built", binary.display());
        binary
    })
}

#[test]
fn generated_services_build_test_and_pass_clippy_and_rustfmt() {
    let services = generated();
    built();
    for dir in [&services.sqlite, &services.none] {
        cargo(dir, &["fmt", "--check"]);
        cargo(dir, &["test"]);
        cargo(dir, &["clippy", "--all-targets", "--", "-D", "warnings"]);
    }
}

/// Two services generated into one Cargo workspace share one kit at its root (the
/// second `paved new` reuses it), and the workspace builds and passes its tests, the
/// kit's own included.
#[test]
fn services_of_one_workspace_share_one_kit_and_build() {
    let root = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        root.path().join("Cargo.toml"),
        "[workspace]\nmembers = []\nresolver = \"3\"\n",
    )
    .expect("workspace manifest");
    for (name, storage) in [("e2e-ws-notes", "sqlite"), ("e2e-ws-memo", "none")] {
        let output = Command::new(env!("CARGO_BIN_EXE_paved"))
            .args(["new", name, "--yes", "--vcs", "none", "--storage", storage])
            .arg("--dest")
            .arg(root.path().join("services").join(name))
            .output()
            .expect("paved runs");
        assert_success(&output, &format!("paved new {name} in a workspace"));
    }
    let paved_toml = std::fs::read_to_string(root.path().join("paved.toml")).expect("paved.toml");
    assert!(paved_toml.contains("[kit]\npath = \"kit\""), "{paved_toml}");
    assert!(!root.path().join("services/e2e-ws-notes/kit").exists());
    cargo(root.path(), &["test", "--workspace"]);
}

#[test]
fn sqlite_service_over_real_http_with_backup_restore_and_sigterm() {
    let dir = &generated().sqlite;
    let binary = built();
    let data = tempfile::tempdir().expect("temp dir");
    let env = ServiceEnv::new(data.path());

    step("start the service with APP_ENV=test on a free loopback port");
    let server = Server::start(binary, dir, &env);

    step("GET /ping");
    let ping = server.request("GET", "/ping", &[], "");
    assert_eq!((ping.status, ping.body.as_str()), (200, "OK"));

    step("POST /v1/notes, then GET /v1/notes/{id}: envelope successes");
    let created = server.post_json("/v1/notes", r#"{"text":"before the backup"}"#);
    let note = created.envelope(201, "CREATED");
    let id = note["id"].as_i64().expect("note has an id");
    let read = server.request("GET", &format!("/v1/notes/{id}"), &[], "");
    assert_eq!(read.envelope(200, "OK")["text"], "before the backup");

    step("404 for an unknown path, 405 with allow for a wrong method");
    server
        .request("GET", "/no/such/path", &[], "")
        .envelope(404, "NOT_FOUND");
    let wrong_method = server.request("DELETE", "/ping", &[], "");
    wrong_method.envelope(405, "METHOD_NOT_ALLOWED");
    assert!(
        wrong_method
            .header("allow")
            .is_some_and(|allow| allow.contains("GET"))
    );

    step("bad JSON is a 400 envelope, an oversize body a 413 envelope");
    server
        .post_json("/v1/notes", "{this is not json")
        .envelope(400, "INVALID_JSON");
    server
        .post_json("/v1/notes", "{}")
        .envelope(400, "MISSING_ARG_TEXT");
    let oversize = format!(r#"{{"text":"{}"}}"#, "x".repeat(env.body_limit * 2));
    server
        .post_json("/v1/notes", &oversize)
        .envelope(413, "PAYLOAD_TOO_LARGE");

    step("x-request-id is generated, or propagated when given");
    let generated_id = server.request("GET", "/ping", &[], "");
    assert!(
        generated_id
            .header("x-request-id")
            .is_some_and(|id| !id.is_empty())
    );
    let propagated = server.request("GET", "/ping", &[("x-request-id", "e2e-trace-1")], "");
    assert_eq!(propagated.header("x-request-id"), Some("e2e-trace-1"));

    step("GET /metrics after traffic, then promtool check metrics");
    let metrics = server.request("GET", "/metrics", &[], "");
    assert_eq!(metrics.status, 200);
    for expected in [
        "# TYPE http_requests_total counter",
        "# TYPE http_request_duration_seconds histogram",
        r#"http_requests_total{method="GET",route="/v1/notes/{id}",status="200"} 1"#,
        r#"http_requests_total{method="POST",route="/v1/notes",status="413"} 1"#,
        r#"route="unmatched",status="404""#,
    ] {
        assert!(
            metrics.body.contains(expected),
            "{expected} in:\n{}",
            metrics.body
        );
    }
    assert!(
        !metrics.body.contains("/no/such/path"),
        "raw paths never become labels"
    );
    promtool_check(&metrics.body);

    step("backup while the service runs");
    let backup = env
        .command(binary, dir)
        .arg("backup")
        .output()
        .expect("backup runs");
    assert_success(&backup, "backup");
    let backup_file = single_backup(&env.backup_dir);
    assert!(
        backup_file.with_extension("db.sha256").exists(),
        "checksum file next to {}",
        backup_file.display()
    );
    server
        .post_json("/v1/notes", r#"{"text":"after the backup"}"#)
        .envelope(201, "CREATED");

    step("SIGTERM: graceful shutdown, exit code 0");
    let (status, logs) = server.terminate();
    assert_eq!(
        status.code(),
        Some(0),
        "exit status {status}; logs:\n{logs}"
    );
    check_logs(&logs, id);

    step("restore refuses a tampered copy");
    let tampered = env.backup_dir.join("tampered.db");
    let mut bytes = std::fs::read(&backup_file).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x55;
    std::fs::write(&tampered, bytes).unwrap();
    std::fs::copy(
        backup_file.with_extension("db.sha256"),
        tampered.with_extension("db.sha256"),
    )
    .unwrap();
    let refused = env
        .command(binary, dir)
        .arg("restore")
        .arg(&tampered)
        .output()
        .unwrap();
    assert!(!refused.status.success(), "tampered backup refused");
    assert!(
        String::from_utf8_lossy(&refused.stdout).contains("checksum"),
        "says why: {}",
        String::from_utf8_lossy(&refused.stdout)
    );

    step("restore onto a missing database, then the old data is back");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", env.db_path.display()));
    }
    let restore = env
        .command(binary, dir)
        .arg("restore")
        .arg(&backup_file)
        .output()
        .unwrap();
    assert_success(&restore, "restore");
    let server = Server::start(binary, dir, &env);
    let notes = server
        .request("GET", "/v1/notes", &[], "")
        .envelope(200, "OK");
    let texts: Vec<&str> = notes["notes"]
        .as_array()
        .expect("a page of notes")
        .iter()
        .filter_map(|note| note["text"].as_str())
        .collect();
    assert_eq!(
        texts,
        ["before the backup"],
        "restored to the backup's content"
    );
    let (status, logs) = server.terminate();
    assert_eq!(
        status.code(),
        Some(0),
        "exit status {status}; logs:\n{logs}"
    );
}

#[test]
fn deploy_units_pass_systemd_analyze_verify() {
    let services = generated();
    let binary = built();
    if !tool_available(
        "systemd-analyze",
        &["--version"],
        "apt-get install -y systemd",
    ) {
        return;
    }
    for (name, dir, expected) in [(SQLITE, &services.sqlite, 3), (NONE, &services.none, 1)] {
        let units = tempfile::tempdir().unwrap();
        let mut paths = Vec::new();
        for entry in std::fs::read_dir(dir.join("deploy")).unwrap() {
            let path = entry.unwrap().path();
            // verify checks that ExecStart exists: point it at the binary
            // just built instead of where the README installs it.
            let text = std::fs::read_to_string(&path).unwrap().replace(
                &format!("/usr/local/bin/{name}"),
                &binary.display().to_string(),
            );
            let copy = units.path().join(path.file_name().unwrap());
            std::fs::write(&copy, text).unwrap();
            paths.push(copy);
        }
        assert_eq!(paths.len(), expected, "deploy units of {name}: {paths:?}");
        let output = Command::new("systemd-analyze")
            .arg("verify")
            .args(&paths)
            .output()
            .unwrap();
        // It exits 0 on unknown keys: any output at all is a finding.
        let said = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(
            output.status.success() && said.trim().is_empty(),
            "systemd-analyze verify on {name}'s units:\n{said}"
        );
    }
}

#[test]
fn ci_workflow_passes_actionlint() {
    let services = generated();
    for dir in [&services.sqlite, &services.none] {
        let workflow = dir.join(".github/workflows/ci.yml");
        let text = std::fs::read_to_string(&workflow).unwrap();
        assert!(
            text.contains("paved lint --format github"),
            "CI runs paved lint"
        );
        if let Some(findings) = actionlint(&workflow) {
            assert!(
                findings.trim().is_empty(),
                "actionlint on {}:\n{findings}",
                workflow.display()
            );
        }
    }
}

#[test]
fn generated_services_lint_clean() {
    let services = generated();
    assert_lints_clean(&services.sqlite);
    assert_lints_clean(&services.none);
}

// ---------------------------------------------------------------------------
// The running service.

/// Where the service under test keeps its data, and its overrides.
struct ServiceEnv {
    port: u16,
    db_path: PathBuf,
    backup_dir: PathBuf,
    body_limit: usize,
}

impl ServiceEnv {
    fn new(data: &Path) -> Self {
        Self {
            port: free_port(),
            db_path: data.join("db/notes.db"),
            backup_dir: data.join("backups"),
            body_limit: 1024,
        }
    }

    /// The binary, run from the service's folder (for `config/`) with
    /// APP_ENV=test and APP__* overrides.
    fn command(&self, binary: &Path, dir: &Path) -> Command {
        let mut command = Command::new(binary);
        command
            .current_dir(dir)
            .env_remove("RUST_LOG")
            .env("APP_ENV", "test")
            .env("APP__SERVER__PORT", self.port.to_string())
            .env("APP__STORAGE__PATH", &self.db_path)
            .env("APP__BACKUP__DIR", &self.backup_dir)
            .env("APP__HTTP__BODY_LIMIT_BYTES", self.body_limit.to_string())
            .env("APP__LOG__LEVEL", "info");
        command
    }
}

struct Server {
    child: Child,
    address: SocketAddr,
}

impl Server {
    fn start(binary: &Path, dir: &Path, env: &ServiceEnv) -> Self {
        let child = env
            .command(binary, dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("service starts");
        let mut server = Self {
            child,
            address: SocketAddr::from(([127, 0, 0, 1], env.port)),
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(server.address).is_err() {
            if let Ok(Some(status)) = server.child.try_wait() {
                let (_, logs) = server.collect(status);
                panic!("service exited at startup with {status}:\n{logs}");
            }
            assert!(
                Instant::now() < deadline,
                "service did not listen within 20 s"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        server
    }

    fn request(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> Reply {
        let mut stream = TcpStream::connect(self.address).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let mut request = format!(
            "{method} {path} HTTP/1.1\r\nhost: {}\r\nconnection: close\r\ncontent-length: {}\r\n",
            self.address,
            body.len()
        );
        for (name, value) in headers {
            request.push_str(&format!("{name}: {value}\r\n"));
        }
        request.push_str("\r\n");
        stream.write_all(request.as_bytes()).unwrap();
        // A server may answer (413) before reading the body; that is fine.
        let _ = stream.write_all(body.as_bytes());
        let mut raw = Vec::new();
        let _ = stream.read_to_end(&mut raw);
        Reply::parse(&raw, &format!("{method} {path}"))
    }

    fn post_json(&self, path: &str, json: &str) -> Reply {
        self.request("POST", path, &[("content-type", "application/json")], json)
    }

    /// SIGTERM, then wait (at most 20 s) for the exit; returns it with stdout.
    fn terminate(mut self) -> (ExitStatus, String) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success(), "kill -TERM");
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return self.collect(status);
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                let status = self.child.wait().unwrap();
                let (_, logs) = self.collect(status);
                panic!("no exit within 20 s of SIGTERM; logs:\n{logs}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn collect(&mut self, status: ExitStatus) -> (ExitStatus, String) {
        let mut logs = String::new();
        if let Some(mut stdout) = self.child.stdout.take() {
            let _ = stdout.read_to_string(&mut logs);
        }
        if let Some(mut stderr) = self.child.stderr.take() {
            let mut errors = String::new();
            let _ = stderr.read_to_string(&mut errors);
            if !errors.is_empty() {
                logs.push_str("\n--- stderr ---\n");
                logs.push_str(&errors);
            }
        }
        (status, logs)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // Only when a test failed half-way: do not leave it running.
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
    what: String,
}

impl Reply {
    fn parse(raw: &[u8], what: &str) -> Self {
        let text = String::from_utf8_lossy(raw);
        let (head, body) = text
            .split_once("\r\n\r\n")
            .unwrap_or_else(|| panic!("{what}: no HTTP response in {text:?}"));
        let mut lines = head.lines();
        let status = lines
            .next()
            .and_then(|line| line.split_whitespace().nth(1))
            .and_then(|code| code.parse().ok())
            .unwrap_or_else(|| panic!("{what}: no status line in {head:?}"));
        let headers = lines
            .filter_map(|line| line.split_once(':'))
            .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
            .collect();
        Self {
            status,
            headers,
            body: body.to_owned(),
            what: what.to_owned(),
        }
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// Asserts the envelope (`status_code` == HTTP status) and returns `data`.
    fn envelope(&self, status: u16, status_txt: &str) -> Value {
        let what = &self.what;
        assert_eq!(self.status, status, "{what}: body {}", self.body);
        assert_eq!(
            self.header("content-type"),
            Some("application/json"),
            "{what}"
        );
        assert!(
            self.header("x-request-id").is_some(),
            "{what}: x-request-id"
        );
        let json: Value = serde_json::from_str(&self.body)
            .unwrap_or_else(|error| panic!("{what}: not JSON ({error}): {}", self.body));
        assert_eq!(json.as_object().map(|o| o.len()), Some(3), "{what}: {json}");
        assert_eq!(json["status_code"], status, "{what}: {json}");
        assert_eq!(json["status_txt"], status_txt, "{what}: {json}");
        if status >= 400 {
            assert!(
                json["data"].is_null(),
                "{what}: errors carry no data: {json}"
            );
        }
        json["data"].clone()
    }
}

/// Every stdout line is a JSON object, and each request left an access line.
fn check_logs(logs: &str, note_id: i64) {
    let lines: Vec<Value> = logs
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            serde_json::from_str(line)
                .unwrap_or_else(|error| panic!("log line is not JSON ({error}): {line}"))
        })
        .collect();
    let access = lines
        .iter()
        .find(|line| line["target"] == "access" && line["route"] == "/v1/notes/{id}")
        .unwrap_or_else(|| panic!("an access line for GET /v1/notes/{note_id}:\n{logs}"));
    assert_eq!(access["method"], "GET");
    assert_eq!(access["status"], 200);
    assert!(access["latency_seconds"].is_number(), "{access}");
    assert!(
        access["request_id"]
            .as_str()
            .is_some_and(|id| !id.is_empty()),
        "{access}"
    );
    assert!(
        lines.iter().any(|line| line["request_id"] == "e2e-trace-1"),
        "the propagated request id is logged"
    );
}

fn single_backup(dir: &Path) -> PathBuf {
    let backups: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "db"))
        .collect();
    assert_eq!(
        backups.len(),
        1,
        "one backup in {}: {backups:?}",
        dir.display()
    );
    backups.into_iter().next().unwrap()
}
