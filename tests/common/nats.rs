//! A NATS server for a test (`nats-server -js` on a free loopback port, its own
//! store, stopped on drop), and just enough of the NATS text protocol to
//! publish, subscribe and ask JetStream's API: like the raw HTTP of
//! tests/e2e_service.rs, the test talks to the worker's broker without sharing a
//! client library with the code under test.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct NatsServer {
    child: Child,
    pub port: u16,
    _store: tempfile::TempDir,
}

impl NatsServer {
    /// Starts `nats-server -js` and waits until it accepts connections.
    pub fn start(port: u16) -> Self {
        let store = tempfile::tempdir().expect("temp dir");
        let child = Command::new("nats-server")
            .args(["-js", "-a", "127.0.0.1", "-p", &port.to_string(), "-sd"])
            .arg(store.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("nats-server runs (apt-get install -y nats-server)");
        let server = Self {
            child,
            port,
            _store: store,
        };
        let deadline = Instant::now() + Duration::from_secs(10);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "nats-server listens on {port}");
            std::thread::sleep(Duration::from_millis(20));
        }
        server
    }

    pub fn url(&self) -> String {
        format!("nats://127.0.0.1:{}", self.port)
    }
}

impl Drop for NatsServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A message received on a subscription.
#[derive(Debug, Clone)]
pub struct Message {
    pub subject: String,
    /// The raw header block (`NATS/1.0` then `Name: value` lines), empty without.
    pub headers: String,
    pub payload: Vec<u8>,
}

impl Message {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.lines().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.trim().eq_ignore_ascii_case(name).then(|| value.trim())
        })
    }
}

/// One client connection.
pub struct Connection {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
    next_sid: u64,
}

impl Connection {
    pub fn open(port: u16) -> Self {
        let stream = TcpStream::connect(("127.0.0.1", port)).expect("connect to nats-server");
        stream
            .set_read_timeout(Some(Duration::from_millis(200)))
            .unwrap();
        let mut connection = Self {
            reader: BufReader::new(stream.try_clone().unwrap()),
            writer: stream,
            next_sid: 1,
        };
        let info = connection.line(Duration::from_secs(5)).expect("INFO");
        assert!(info.starts_with("INFO "), "{info}");
        connection.send(b"CONNECT {\"verbose\":false,\"headers\":true,\"protocol\":1}\r\n");
        connection.flush();
        connection
    }

    fn send(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).expect("write to nats-server");
    }

    pub fn publish(&mut self, subject: &str, payload: &[u8]) {
        self.publish_with_reply(subject, None, payload);
    }

    fn publish_with_reply(&mut self, subject: &str, reply: Option<&str>, payload: &[u8]) {
        let reply = reply.map(|r| format!(" {r}")).unwrap_or_default();
        let mut frame = format!("PUB {subject}{reply} {}\r\n", payload.len()).into_bytes();
        frame.extend_from_slice(payload);
        frame.extend_from_slice(b"\r\n");
        self.send(&frame);
    }

    /// Subscribes to `subject`; messages come from [`Connection::next_message`].
    pub fn subscribe(&mut self, subject: &str) {
        let sid = self.next_sid;
        self.next_sid += 1;
        self.send(format!("SUB {subject} {sid}\r\n").as_bytes());
    }

    /// Round trip: everything sent before has been processed by the server.
    /// Panics if a message arrives meanwhile (flush before subscribing).
    pub fn flush(&mut self) {
        self.send(b"PING\r\n");
        loop {
            let line = self.line(Duration::from_secs(5)).expect("PONG");
            match line.as_str() {
                "PONG" => return,
                "+OK" | "PING" => {}
                other if other.starts_with("INFO ") => {}
                other => panic!("unexpected from nats-server during flush: {other}"),
            }
        }
    }

    /// The next message on any subscription within `timeout`.
    pub fn next_message(&mut self, timeout: Duration) -> Option<Message> {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.checked_duration_since(Instant::now())?;
            let line = self.line(left)?;
            let words: Vec<&str> = line.split(' ').collect();
            match words[0] {
                "PING" => self.send(b"PONG\r\n"),
                "MSG" => {
                    let total: usize = words[words.len() - 1].parse().unwrap();
                    let body = self.body(total);
                    return Some(Message {
                        subject: words[1].to_owned(),
                        headers: String::new(),
                        payload: body,
                    });
                }
                "HMSG" => {
                    let header_len: usize = words[words.len() - 2].parse().unwrap();
                    let total: usize = words[words.len() - 1].parse().unwrap();
                    let mut body = self.body(total);
                    let payload = body.split_off(header_len);
                    return Some(Message {
                        subject: words[1].to_owned(),
                        headers: String::from_utf8_lossy(&body).into_owned(),
                        payload,
                    });
                }
                "-ERR" => panic!("nats-server: {line}"),
                _ => {}
            }
        }
    }

    /// A request to JetStream's API (`$JS.API.…`), its JSON answer.
    pub fn request(&mut self, subject: &str, payload: &[u8]) -> serde_json::Value {
        let inbox = format!("_INBOX.e2e{}", self.next_sid);
        self.subscribe(&inbox);
        self.publish_with_reply(subject, Some(&inbox), payload);
        let answer = self
            .next_message(Duration::from_secs(5))
            .unwrap_or_else(|| panic!("no answer to {subject}"));
        assert_eq!(answer.subject, inbox, "flush other subscriptions first");
        serde_json::from_slice(&answer.payload).expect("JSON answer")
    }

    /// `$JS.API.CONSUMER.INFO`: the consumer's state (num_pending, num_ack_pending, ...).
    pub fn consumer_info(&mut self, stream: &str, durable: &str) -> serde_json::Value {
        self.request(&format!("$JS.API.CONSUMER.INFO.{stream}.{durable}"), b"")
    }

    fn line(&mut self, timeout: Duration) -> Option<String> {
        let deadline = Instant::now() + timeout;
        let mut line = String::new();
        loop {
            match self.reader.read_line(&mut line) {
                Ok(0) => panic!("nats-server closed the connection"),
                Ok(_) if line.ends_with("\r\n") => {
                    line.truncate(line.len() - 2);
                    return Some(line);
                }
                Ok(_) => {}
                Err(error)
                    if matches!(
                        error.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) =>
                {
                    if Instant::now() >= deadline {
                        assert!(line.is_empty(), "half a line from nats-server: {line:?}");
                        return None;
                    }
                }
                Err(error) => panic!("reading from nats-server: {error}"),
            }
        }
    }

    fn body(&mut self, len: usize) -> Vec<u8> {
        let mut body = vec![0; len + 2];
        let mut read = 0;
        let deadline = Instant::now() + Duration::from_secs(5);
        while read < body.len() {
            match self.reader.read(&mut body[read..]) {
                Ok(0) => panic!("nats-server closed the connection"),
                Ok(n) => read += n,
                Err(_) if Instant::now() < deadline => {}
                Err(error) => panic!("reading a message body: {error}"),
            }
        }
        body.truncate(len);
        body
    }
}
