//! Test support: starts the Perl SOAP::Lite server of `tests/server/` on a free loopback port
//! and reads the data it serves, so that tests assert what the server really holds.

pub mod misbehaving;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};

use telinta_api::{Config, Credentials, Realm};

/// Credentials the server accepts (its defaults).
pub const LOGIN: &str = "api-user";
pub const PASSWORD: &str = "s3cr3t-pass";
pub const TOKEN: &str = "7f9d2c1e-3b4a-4c5d-9e8f-0a1b2c3d4e5f";
/// The user id the server's `ping` reports.
pub const USER_ID: i64 = 1042;

fn server_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("server")
}

/// A running `telinta-soap-server.pl`. Dropping it stops the server; if the test process dies
/// instead, the server sees its stdin close and exits by itself.
pub struct SoapLiteServer {
    child: Child,
    _stdin: ChildStdin,
    port: u16,
}

impl SoapLiteServer {
    /// Starts a server with fresh state. Panics (failing the test) when Perl or SOAP::Lite is
    /// missing: `.ci/run` installs them (`apt-get install libsoap-lite-perl`).
    pub fn start() -> SoapLiteServer {
        SoapLiteServer::start_with(&[])
    }

    /// As [`start`](SoapLiteServer::start), with more command-line options (`--close`,
    /// `--idle-timeout S`, `--max-connections N`, ...: see `tests/server/README.md`).
    pub fn start_with(options: &[&str]) -> SoapLiteServer {
        let script = server_dir().join("telinta-soap-server.pl");
        let mut child = Command::new("perl")
            .arg(&script)
            .args(["--host", "127.0.0.1", "--port", "0"])
            .args(options)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run perl {}: {e}", script.display()));
        let stdin = child.stdin.take().expect("piped stdin");
        let stdout = child.stdout.take().expect("piped stdout");
        let mut line = String::new();
        let read = BufReader::new(stdout).read_line(&mut line);
        let port = line
            .trim()
            .strip_prefix("LISTENING ")
            .and_then(|p| p.parse::<u16>().ok());
        let Some(port) = port else {
            let _ = child.kill();
            let mut stderr = String::new();
            if let Some(mut e) = child.stderr.take() {
                let _ = e.read_to_string(&mut stderr);
            }
            panic!(
                "the SOAP::Lite test server did not start ({read:?}, stdout {line:?}).\n\
                 Is libsoap-lite-perl installed? stderr:\n{stderr}"
            );
        };
        SoapLiteServer {
            child,
            _stdin: stdin,
            port,
        }
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// `http://127.0.0.1:<port>`.
    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The server's counters, read over a connection of its own (counted in `accepted`):
    /// connections accepted since start, connections open, requests served (this one included).
    pub fn stats(&self) -> ServerStats {
        use std::io::Write as _;
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        write!(
            stream,
            "GET {STATS_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        )
        .expect("send");
        let mut response = String::new();
        stream.read_to_string(&mut response).expect("read");
        let (head, body) = response.split_once("\r\n\r\n").expect("an HTTP response");
        assert!(head.starts_with("HTTP/1.1 200 "), "{head}");
        serde_json::from_str(body).unwrap_or_else(|e| panic!("stats {body:?}: {e}"))
    }

    /// A client configuration pointing at this server.
    pub fn config(&self, realm: Realm) -> Config {
        Config::new(&self.base_url(), realm).expect("loopback URL is valid")
    }

    pub fn credentials() -> Credentials {
        Credentials::password(LOGIN, PASSWORD)
    }
}

impl Drop for SoapLiteServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Where the server answers `GET` with its [`ServerStats`] (any other path is SOAP).
pub const STATS_PATH: &str = "/_telinta-soap-server/stats";

/// The test server's connection counters (`GET` [`STATS_PATH`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
pub struct ServerStats {
    /// Connections accepted since the server started.
    pub accepted: u64,
    /// Connections open when the stats were taken (the stats' own included).
    pub open: u64,
    /// Requests served since the server started (the stats' own included).
    pub requests: u64,
}

/// `tests/server/data/didapi.json`: what the server offers.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct DidData {
    pub countries: Vec<Choice>,
    pub states: BTreeMap<String, Vec<Choice>>,
    /// Keyed by `<country>/<state>`.
    pub ratecenters: BTreeMap<String, Vec<Ratecenter>>,
    pub numbers: Vec<Number>,
}

#[derive(Debug, Clone, serde::Deserialize)]
pub struct Choice {
    pub package: String,
    pub value: String,
    pub name: String,
}

#[derive(Debug, Clone, serde::Deserialize)]
pub struct Ratecenter {
    pub package: String,
    pub value: String,
    pub name: String,
    pub city_id: i64,
}

#[derive(Debug, Clone, serde::Deserialize)]
pub struct Number {
    pub package: String,
    pub number: String,
    pub country: String,
    pub state: String,
    pub ratecenter: String,
    pub city: String,
    pub area_code: String,
    pub monthly: String,
    pub city_id: i64,
}

impl DidData {
    pub fn load() -> DidData {
        let path = server_dir().join("data/didapi.json");
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    /// Numbers in a ratecenter, in the order the server lists them.
    pub fn numbers_in(&self, country: &str, state: &str, ratecenter: &str) -> Vec<&Number> {
        self.numbers
            .iter()
            .filter(|n| n.country == country && n.state == state && n.ratecenter == ratecenter)
            .collect()
    }
}
