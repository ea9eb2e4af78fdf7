//! The generated service under test: generated once, built once in release
//! mode, started as many times as the tests need with `APP__*` overrides;
//! and a raw HTTP/1.1 client that tells a reset from a clean close.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

pub const NAME: &str = "faults-notes";

struct Built {
    _root: tempfile::TempDir,
    dir: PathBuf,
    binary: PathBuf,
}

/// The generated sqlite service and its release binary, made once.
fn built() -> &'static Built {
    static BUILT: OnceLock<Built> = OnceLock::new();
    BUILT.get_or_init(|| {
        let root = tempfile::tempdir().expect("temp dir");
        let dir = root.path().join(NAME);
        let output = Command::new(env!("CARGO_BIN_EXE_paved"))
            .args(["new", NAME, "--yes", "--vcs", "none", "--storage", "sqlite"])
            .arg("--dest")
            .arg(&dir)
            .output()
            .expect("paved runs");
        assert_success(&output, "paved new");
        let started = Instant::now();
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let output = Command::new(cargo)
            .args(["build", "--release"])
            .current_dir(&dir)
            .env("CARGO_TARGET_DIR", target_dir())
            .env_remove("RUSTFLAGS")
            .env_remove("CARGO_ENCODED_RUSTFLAGS")
            .env_remove("RUST_LOG")
            .output()
            .expect("cargo runs");
        assert_success(&output, "cargo build --release");
        eprintln!("faults: release build in {:.1?}", started.elapsed());
        let binary = target_dir().join("release").join(NAME);
        Built {
            _root: root,
            dir,
            binary,
        }
    })
}

fn target_dir() -> PathBuf {
    std::env::var_os("PAVED_E2E_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/e2e"))
}

/// The tests measure time and load: one at a time.
pub fn serial() -> MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    LOCK.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .expect("bind a free port")
        .local_addr()
        .unwrap()
        .port()
}

/// Where one service instance keeps its data, and its `APP__*` overrides.
pub struct Env {
    pub data: tempfile::TempDir,
    pub port: u16,
    pub vars: HashMap<String, String>,
}

impl Env {
    pub fn new(overrides: &[(&str, &str)]) -> Self {
        let data = tempfile::tempdir().expect("temp dir");
        let port = free_port();
        let mut vars: HashMap<String, String> = [
            ("APP__SERVER__PORT", port.to_string()),
            ("APP__LOG__LEVEL", "info,access=warn".to_owned()),
            (
                "APP__STORAGE__PATH",
                data.path().join("db/notes.db").display().to_string(),
            ),
            (
                "APP__BACKUP__DIR",
                data.path().join("backups").display().to_string(),
            ),
        ]
        .into_iter()
        .map(|(key, value)| (key.to_owned(), value))
        .collect();
        for (key, value) in overrides {
            vars.insert((*key).to_owned(), (*value).to_owned());
        }
        Self { data, port, vars }
    }

    pub fn address(&self) -> SocketAddr {
        SocketAddr::from(([127, 0, 0, 1], self.port))
    }

    pub fn backup_dir(&self) -> PathBuf {
        self.data.path().join("backups")
    }

    /// The binary with APP_ENV=test and the overrides, run from the service's
    /// folder (for `config/`).
    pub fn command(&self) -> Command {
        let built = built();
        let mut command = Command::new(&built.binary);
        command
            .current_dir(&built.dir)
            .env_remove("RUST_LOG")
            .env("APP_ENV", "test")
            .envs(&self.vars);
        command
    }

    /// Runs `args` to its end, killing it after `limit`; the output, or
    /// `None` when it had to be killed.
    pub fn run(&self, args: &[&str], limit: Duration) -> Option<Output> {
        static RUNS: AtomicU32 = AtomicU32::new(0);
        let n = RUNS.fetch_add(1, Ordering::Relaxed);
        let out = self.data.path().join(format!("run-{n}.out"));
        let err = self.data.path().join(format!("run-{n}.err"));
        let mut child = self
            .command()
            .args(args)
            .stdin(Stdio::null())
            .stdout(std::fs::File::create(&out).unwrap())
            .stderr(std::fs::File::create(&err).unwrap())
            .spawn()
            .expect("binary runs");
        let deadline = Instant::now() + limit;
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break Some(status);
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        status.map(|status| Output {
            status,
            stdout: std::fs::read(&out).unwrap_or_default(),
            stderr: std::fs::read(&err).unwrap_or_default(),
        })
    }

    pub fn start(&self) -> Server {
        self.start_with(self.command())
    }

    /// Starts `command` (from [`Env::command`], maybe wrapped) and waits
    /// until it answers `/ping`.
    pub fn start_with(&self, mut command: Command) -> Server {
        static STARTS: AtomicU32 = AtomicU32::new(0);
        let log = self.data.path().join(format!(
            "service-{}.log",
            STARTS.fetch_add(1, Ordering::Relaxed)
        ));
        let file = std::fs::File::create(&log).expect("log file");
        let child = command
            .stdout(file.try_clone().unwrap())
            .stderr(file)
            .stdin(Stdio::null())
            .spawn()
            .expect("service starts");
        let mut server = Server {
            child,
            address: self.address(),
            log,
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok(reply) = request(
                server.address,
                "GET /ping HTTP/1.1\r\nhost: t\r\nconnection: close\r\n\r\n",
            ) && reply.status == 200
            {
                return server;
            }
            if let Ok(Some(status)) = server.child.try_wait() {
                panic!(
                    "service exited at startup with {status}:\n{}",
                    server.logs()
                );
            }
            assert!(
                Instant::now() < deadline,
                "no /ping within 20 s:\n{}",
                server.logs()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

pub struct Server {
    pub child: Child,
    pub address: SocketAddr,
    log: PathBuf,
}

impl Server {
    pub fn logs(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Log lines whose `message` contains `text`.
    pub fn log_lines(&self, text: &str) -> Vec<serde_json::Value> {
        self.logs()
            .lines()
            .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
            .filter(|line| line["message"].as_str().is_some_and(|m| m.contains(text)))
            .collect()
    }

    /// Waits (at most `limit`) for a log line containing `text`.
    pub fn wait_for_log(&self, text: &str, limit: Duration) -> Vec<serde_json::Value> {
        self.wait_for_logs(text, 1, limit)
    }

    /// Waits (at most `limit`) for `count` log lines containing `text`: the
    /// service writes its log in batches, from a thread of its own.
    pub fn wait_for_logs(
        &self,
        text: &str,
        count: usize,
        limit: Duration,
    ) -> Vec<serde_json::Value> {
        let deadline = Instant::now() + limit;
        loop {
            let lines = self.log_lines(text);
            if lines.len() >= count || Instant::now() > deadline {
                return lines;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The value of the series starting with `series` in `/metrics`.
    pub fn metric(&self, series: &str) -> f64 {
        let reply = request(
            self.address,
            "GET /metrics HTTP/1.1\r\nhost: t\r\nconnection: close\r\n\r\n",
        )
        .expect("/metrics answers");
        reply
            .body
            .lines()
            .find(|line| line.starts_with(series))
            .and_then(|line| line.rsplit(' ').next())
            .and_then(|value| value.parse().ok())
            .unwrap_or(0.0)
    }

    pub fn signal(&self, signal: &str) {
        let status = Command::new("kill")
            .args([signal, &self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success(), "kill {signal}");
    }

    /// Waits at most `limit` for the exit.
    pub fn wait(&mut self, limit: Duration) -> ExitStatus {
        let deadline = Instant::now() + limit;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "no exit within {limit:?}:\n{}",
                self.logs()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

pub fn assert_success(output: &Output, what: &str) {
    assert!(
        output.status.success(),
        "{what} failed with {}:\n--- stdout ---\n{}\n--- stderr ---\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

// ---------------------------------------------------------------------------
// A raw HTTP/1.1 client.

#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    pub fn closes(&self) -> bool {
        self.header("connection")
            .is_some_and(|value| value.eq_ignore_ascii_case("close"))
    }
}

/// How a request on a connection ended, when it did not get an answer.
#[derive(Debug, PartialEq, Eq)]
pub enum Failure {
    /// The server closed the connection cleanly before answering.
    Closed,
    /// The connection was reset (or the write failed): the request may have
    /// been lost after the client sent it.
    Reset,
    /// No answer in time.
    TimedOut,
}

fn classify(error: &std::io::Error) -> Failure {
    use std::io::ErrorKind::*;
    match error.kind() {
        WouldBlock | TimedOut => Failure::TimedOut,
        UnexpectedEof => Failure::Closed,
        _ => Failure::Reset,
    }
}

/// One connection, kept alive across requests.
pub struct Client {
    reader: BufReader<TcpStream>,
}

impl Client {
    pub fn connect(address: SocketAddr) -> std::io::Result<Self> {
        let stream = TcpStream::connect(address)?;
        stream.set_read_timeout(Some(Duration::from_secs(10)))?;
        stream.set_nodelay(true)?;
        Ok(Self {
            reader: BufReader::new(stream),
        })
    }

    pub fn stream(&self) -> &TcpStream {
        self.reader.get_ref()
    }

    pub fn send(&mut self, raw: &[u8]) -> Result<Reply, Failure> {
        self.reader
            .get_mut()
            .write_all(raw)
            .map_err(|error| classify(&error))?;
        self.read_reply()
    }

    pub fn read_reply(&mut self) -> Result<Reply, Failure> {
        let mut line = String::new();
        match self.reader.read_line(&mut line) {
            Ok(0) => return Err(Failure::Closed),
            Ok(_) => {}
            Err(error) => return Err(classify(&error)),
        }
        let status = line
            .split_whitespace()
            .nth(1)
            .and_then(|code| code.parse().ok())
            .ok_or(Failure::Reset)?;
        let mut headers = Vec::new();
        loop {
            line.clear();
            match self.reader.read_line(&mut line) {
                Ok(0) => return Err(Failure::Closed),
                Ok(_) => {}
                Err(error) => return Err(classify(&error)),
            }
            let trimmed = line.trim_end();
            if trimmed.is_empty() {
                break;
            }
            if let Some((name, value)) = trimmed.split_once(':') {
                headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
            }
        }
        let length: usize = headers
            .iter()
            .find(|(name, _)| name == "content-length")
            .and_then(|(_, value)| value.parse().ok())
            .unwrap_or(0);
        let mut body = vec![0; length];
        self.reader
            .read_exact(&mut body)
            .map_err(|error| classify(&error))?;
        Ok(Reply {
            status,
            headers,
            body: String::from_utf8_lossy(&body).into_owned(),
        })
    }

    /// Waits for the server to end the connection: `Ok(when)` on a clean
    /// close (EOF), `Err` on a reset or when nothing happens within `limit`.
    pub fn wait_for_close(&mut self, limit: Duration) -> Result<Instant, Failure> {
        self.stream().set_read_timeout(Some(limit)).unwrap();
        let mut byte = [0u8; 1];
        match self.reader.read(&mut byte) {
            Ok(0) => Ok(Instant::now()),
            Ok(_) => Err(Failure::Reset),
            Err(error) => Err(classify(&error)),
        }
    }
}

/// One request on a fresh connection.
pub fn request(address: SocketAddr, raw: &str) -> Result<Reply, Failure> {
    Client::connect(address)
        .map_err(|error| classify(&error))?
        .send(raw.as_bytes())
}

pub fn post_note(text: &str) -> Vec<u8> {
    let body = serde_json::json!({ "text": text }).to_string();
    format!(
        "POST /v1/notes HTTP/1.1\r\nhost: t\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}
