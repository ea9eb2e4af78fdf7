//! A headless Chromium driven over the DevTools protocol, for the tests of the HTML that
//! `paved talk` and `paved report` write.
//!
//! `--remote-debugging-pipe` speaks the protocol as NUL-terminated JSON messages on file
//! descriptors 3 (commands) and 4 (replies and events): serde_json is the whole client, no
//! websocket or HTTP stack and no generated bindings for the handful of commands used here.
//! A shell maps the child's stdin and stdout onto 3 and 4 (`3<&0 4>&1`), so no unsafe
//! `pre_exec` is needed.

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

const CHROMIUM: &str = "chromium";
const INSTALL: &str = "apt-get install -y chromium (scripts/test installs it when run as root)";
const TIMEOUT: Duration = Duration::from_secs(30);
pub const WIDTH: u32 = 1280;
pub const HEIGHT: u32 = 720;

pub struct Browser {
    child: Child,
    commands: ChildStdin,
    replies: Receiver<Value>,
    next_id: u64,
    session: String,
    /// Every event received so far (console calls, exceptions, requests, ...).
    pub events: Vec<Value>,
    _profile: tempfile::TempDir,
}

/// Whether Chromium is installed. When it is not, the test fails naming the package to
/// install, unless PAVED_E2E_ALLOW_MISSING_TOOLS=1 (as for the end-to-end test's tools):
/// then it notes the skip and the test returns early.
pub fn available() -> bool {
    let found = Command::new(CHROMIUM)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !found {
        let message = format!(
            "`{CHROMIUM}` is not installed; the HTML of `paved talk` and `paved report` is \
             tested in a real headless browser: {INSTALL}"
        );
        if std::env::var("PAVED_E2E_ALLOW_MISSING_TOOLS").is_ok_and(|v| v == "1") {
            eprintln!("NOTE: skipped, {message}");
        } else {
            panic!("{message} (or set PAVED_E2E_ALLOW_MISSING_TOOLS=1 to skip this test)");
        }
    }
    found
}

impl Browser {
    /// Starts Chromium (no network, fresh profile) and opens a page at `url`, waiting for
    /// its load event.
    pub fn open(url: &str) -> Browser {
        let profile = tempfile::tempdir().expect("profile folder");
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(r#"exec "$0" "$@" 3<&0 4>&1 0</dev/null 1>&2"#)
            .arg(CHROMIUM)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--hide-scrollbars",
                "--remote-debugging-pipe",
                &format!("--window-size={WIDTH},{HEIGHT}"),
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {CHROMIUM}: {e}; {INSTALL}"));
        let commands = child.stdin.take().expect("piped stdin");
        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, replies) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            let mut message = Vec::new();
            while reader.read_until(0, &mut message).is_ok_and(|n| n > 0) {
                message.pop_if(|b| *b == 0);
                if let Ok(value) = serde_json::from_slice::<Value>(&message)
                    && tx.send(value).is_err()
                {
                    break;
                }
                message.clear();
            }
        });
        let mut browser = Browser {
            child,
            commands,
            replies,
            next_id: 0,
            session: String::new(),
            events: Vec::new(),
            _profile: profile,
        };
        let target = browser.call("Target.createTarget", json!({"url": "about:blank"}));
        let attached = browser.call(
            "Target.attachToTarget",
            json!({"targetId": target["targetId"], "flatten": true}),
        );
        browser.session = attached["sessionId"]
            .as_str()
            .expect("a session id")
            .to_string();
        for domain in ["Page", "Runtime", "Log", "Network"] {
            browser.call(&format!("{domain}.enable"), json!({}));
        }
        browser.call(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": WIDTH, "height": HEIGHT, "deviceScaleFactor": 1, "mobile": false}),
        );
        browser.call("Page.navigate", json!({"url": url}));
        browser.wait_for_event("Page.loadEventFired");
        browser
    }

    /// Sends a command (to the page once attached) and returns its result.
    pub fn call(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let mut message = json!({"id": id, "method": method, "params": params});
        if !self.session.is_empty() {
            message["sessionId"] = json!(self.session);
        }
        let mut bytes = serde_json::to_vec(&message).expect("json");
        bytes.push(0);
        self.commands
            .write_all(&bytes)
            .and_then(|()| self.commands.flush())
            .unwrap_or_else(|e| panic!("{CHROMIUM} went away before {method}: {e}"));
        let reply = self.receive_until(|m| m["id"] == id, method);
        if let Some(error) = reply.get("error") {
            panic!("{method} failed: {error}");
        }
        reply["result"].clone()
    }

    fn receive_until(&mut self, done: impl Fn(&Value) -> bool, what: &str) -> Value {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.replies.recv_timeout(left) {
                Ok(m) if done(&m) => return m,
                Ok(m) => {
                    if m.get("method").is_some() {
                        self.events.push(m);
                    }
                }
                Err(RecvTimeoutError::Timeout) => panic!("no answer to {what} in {TIMEOUT:?}"),
                Err(RecvTimeoutError::Disconnected) => panic!("{CHROMIUM} exited during {what}"),
            }
        }
    }

    fn wait_for_event(&mut self, method: &str) {
        if self.events.iter().any(|e| e["method"] == method) {
            return;
        }
        let event = self.receive_until(|m| m["method"] == method, method);
        self.events.push(event);
    }

    /// Evaluates a JavaScript expression in the page and returns its value.
    pub fn eval(&mut self, expression: &str) -> Value {
        let result = self.call(
            "Runtime.evaluate",
            json!({"expression": expression, "returnByValue": true}),
        );
        if let Some(e) = result.get("exceptionDetails") {
            panic!("`{expression}` threw: {e}");
        }
        result["result"]["value"].clone()
    }

    /// Presses and releases a key, as a person at the keyboard does.
    pub fn key(&mut self, key: &str) {
        let (code, vk, text) = match key {
            "ArrowRight" => ("ArrowRight", 39, ""),
            "ArrowLeft" => ("ArrowLeft", 37, ""),
            "Home" => ("Home", 36, ""),
            "End" => ("End", 35, ""),
            " " => ("Space", 32, " "),
            "n" => ("KeyN", 78, "n"),
            other => panic!("no key code for {other}"),
        };
        for kind in ["keyDown", "keyUp"] {
            let mut params = json!({"type": kind, "key": key, "code": code,
                "windowsVirtualKeyCode": vk, "nativeVirtualKeyCode": vk});
            if kind == "keyDown" && !text.is_empty() {
                params["text"] = json!(text);
            }
            self.call("Input.dispatchKeyEvent", params);
        }
    }

    /// Clicks at a point of the viewport with the left mouse button.
    pub fn click(&mut self, x: f64, y: f64) {
        for kind in ["mousePressed", "mouseReleased"] {
            self.call(
                "Input.dispatchMouseEvent",
                json!({"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1}),
            );
        }
    }

    /// Clicks the middle of the first element `selector` finds, scrolled into view.
    pub fn click_element(&mut self, selector: &str) {
        let rect = self.eval(&format!(
            "(() => {{ const e = document.querySelector({sel}); e.scrollIntoView({{block: 'center'}}); \
             const r = e.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; }})()",
            sel = serde_json::to_string(selector).unwrap()
        ));
        let (x, y) = (rect[0].as_f64().unwrap(), rect[1].as_f64().unwrap());
        self.click(x, y);
    }

    /// A PNG of the viewport.
    pub fn screenshot(&mut self) -> Vec<u8> {
        let shot = self.call("Page.captureScreenshot", json!({"format": "png"}));
        decode_base64(shot["data"].as_str().expect("screenshot data"))
    }

    /// The page printed to PDF with its print stylesheet.
    pub fn pdf(&mut self) -> Vec<u8> {
        let pdf = self.call("Page.printToPDF", json!({"preferCSSPageSize": true}));
        decode_base64(pdf["data"].as_str().expect("pdf data"))
    }

    /// Console errors and warnings, uncaught exceptions and browser log errors so far.
    pub fn problems(&mut self) -> Vec<String> {
        // A round trip flushes the events the page sent before it.
        self.eval("1");
        self.events
            .iter()
            .filter_map(|e| match e["method"].as_str()? {
                "Runtime.exceptionThrown" => {
                    Some(format!("exception: {}", e["params"]["exceptionDetails"]))
                }
                "Runtime.consoleAPICalled"
                    if matches!(
                        e["params"]["type"].as_str(),
                        Some("error" | "warning" | "assert")
                    ) =>
                {
                    Some(format!(
                        "console.{}: {}",
                        e["params"]["type"], e["params"]["args"]
                    ))
                }
                "Log.entryAdded" if e["params"]["entry"]["level"] == "error" => {
                    Some(format!("log: {}", e["params"]["entry"]["text"]))
                }
                _ => None,
            })
            .collect()
    }

    /// The URL of every request the page made.
    pub fn requests(&self) -> Vec<String> {
        self.events
            .iter()
            .filter(|e| e["method"] == "Network.requestWillBeSent")
            .filter_map(|e| e["params"]["request"]["url"].as_str().map(String::from))
            .collect()
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn decode_base64(text: &str) -> Vec<u8> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .expect("base64 from the browser")
}

/// Width, height and the share of pixels (0..=1) that differ from the top-left one: a
/// blank or unstyled page has almost none.
pub fn png_stats(png_bytes: &[u8]) -> (u32, u32, f64) {
    let decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    let mut reader = decoder.read_info().expect("a PNG");
    let mut buf = vec![0; reader.output_buffer_size().expect("a size")];
    let info = reader.next_frame(&mut buf).expect("a frame");
    let bytes = &buf[..info.buffer_size()];
    let step = info.color_type.samples();
    let first = &bytes[..step];
    let pixels = bytes.len() / step;
    let differing = bytes.chunks(step).filter(|p| *p != first).count();
    (info.width, info.height, differing as f64 / pixels as f64)
}
