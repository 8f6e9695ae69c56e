//! End-to-end `get_numbers` calls over loopback to the Perl SOAP::Lite test server, through the
//! real client (one `Client`, reused for every call), in two modes:
//!
//! - `keepalive`: the server keeps connections open (its default, as PortaBilling's Apache
//!   does), so every call goes over the one connection the client keeps in its pool;
//! - `close`: the server runs with `--close` and closes every connection after its response, so
//!   every call also pays a TCP connect (the mode of the figures before keep-alive).
//!
//! Not a criterion bench (`harness = false`): it prints, per mode, the median wall time per call
//! and the median client CPU time per call (CLOCK_PROCESS_CPUTIME_ID, every thread of this
//! process: runtime, reqwest, request building, decoding), which is what `bench/compare.sh`
//! compares with gSOAP and PHP, and how many connections the client opened during the timed calls
//! (from the server's counters).
//!
//! Before timing, one call goes to a one-shot loopback listener that answers with the captured
//! 100-number response: the request bytes the client sends must equal `common::request`'s
//! (which the `decode` bench times as "request"), and the answer must decode.
//!
//! Prints `RESULT ours e2e_<mode>_get_numbers_100_{wall,cpu} <median ms>` (`ours_mt` with the
//! multi-thread runtime).
//!
//! Environment: `E2E_MODES` (`keepalive,close`, the default, or one of them), `E2E_PORT` (a
//! running server, used for every mode asked: then the server decides whether connections are
//! kept; default: start one per mode, with a 100-number data file, `--close` for `close`),
//! `E2E_SESSION` (default: log in), `E2E_CALLS` (default 200), `E2E_RUNTIME` (`current_thread`,
//! the default, or `multi_thread`), `E2E_COUNT_CONNECTIONS=0` (do not ask the server how many
//! connections the timed calls opened: that costs two connections of its own).
//!
//! `cargo bench -p telinta-api --bench e2e`

#[path = "../../bench/rust/common.rs"]
mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use telinta_api::{Client, Config, Credentials, Realm, Session};

#[repr(C)]
struct Timespec {
    tv_sec: i64,
    tv_nsec: i64,
}

extern "C" {
    fn clock_gettime(clock: i32, ts: *mut Timespec) -> i32;
}

const CLOCK_PROCESS_CPUTIME_ID: i32 = 2;

/// CPU time of this process (all threads).
fn cpu_now() -> Duration {
    let mut ts = Timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: a valid pointer to a timespec; Linux's CLOCK_PROCESS_CPUTIME_ID.
    let rc = unsafe { clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime");
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// Serves one HTTP request with `body`, returning the request body it received.
fn one_shot(body: String) -> (u16, std::thread::JoinHandle<Vec<u8>>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let port = listener.local_addr().unwrap().port();
    let handle = std::thread::spawn(move || {
        let (stream, _) = listener.accept().expect("accept");
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut len = 0usize;
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            if line == "\r\n" || line.is_empty() {
                break;
            }
            if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                len = v.trim().parse().unwrap();
            }
        }
        let mut req = vec![0; len];
        reader.read_exact(&mut req).unwrap();
        let mut stream = stream;
        write!(
            stream,
            "HTTP/1.1 200 OK\r\nContent-Type: text/xml; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        )
        .unwrap();
        stream.write_all(body.as_bytes()).unwrap();
        req
    });
    (port, handle)
}

struct Server {
    child: Child,
    port: u16,
    _dir: std::path::PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts the SOAP::Lite server on a 100-number data file, with `options`.
fn start_server(options: &[&str]) -> Server {
    let dir = std::env::temp_dir().join(format!("telinta-e2e-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let data = dir.join("didapi-100.json");
    let status = Command::new("python3")
        .arg(common::bench_dir().join("gen-didapi-data.py"))
        .arg("100")
        .arg(&data)
        .status()
        .expect("python3");
    assert!(status.success(), "gen-didapi-data.py failed");
    let script = common::bench_dir()
        .join("..")
        .join("tests/server/telinta-soap-server.pl");
    let mut child = Command::new("perl")
        .arg(script)
        .args([
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--ignore-stdin",
            "--data",
        ])
        .arg(&data)
        .args(options)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("perl (libsoap-lite-perl)");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port = line
        .trim()
        .strip_prefix("LISTENING ")
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("the server did not start: {line:?}"));
    Server {
        child,
        port,
        _dir: dir,
    }
}

async fn check_request_bytes() {
    let body = common::fixture("get_numbers_100.xml");
    let (port, handle) = one_shot(body);
    let config = Config::new(&format!("http://127.0.0.1:{port}"), Realm::Reseller)
        .unwrap()
        .with_session_id(common::SESSION_ID);
    let client = Client::new(config).unwrap();
    let req = common::get_numbers_request();
    let got = client.didapi().get_numbers(&req).await.expect("decodes");
    assert_eq!(got.numbers.len(), 100);
    let sent = handle.join().unwrap();
    let ours = common::get_numbers_envelope(&req);
    assert!(
        sent == ours,
        "the client's request differs from common::request:\n{}\n{}",
        String::from_utf8_lossy(&sent),
        String::from_utf8_lossy(&ours)
    );
    eprintln!(
        "e2e: request bytes checked ({} bytes, identical to the decode bench's)",
        sent.len()
    );
}

/// The server's count of accepted connections (`GET /_telinta-soap-server/stats`, on a
/// connection of its own, counted too).
fn accepted_connections(port: u16) -> u64 {
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
    write!(
        stream,
        "GET /_telinta-soap-server/stats HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let at = response.find("\"accepted\":").expect("the server's stats") + "\"accepted\":".len();
    response[at..]
        .split(|c: char| !c.is_ascii_digit())
        .next()
        .and_then(|n| n.parse().ok())
        .expect("a count")
}

async fn run(mode: &str, port: u16, calls: usize) {
    let base = format!("http://127.0.0.1:{port}");
    let config = Config::new(&base, Realm::Reseller).unwrap();
    let session_id = match std::env::var("E2E_SESSION") {
        Ok(s) => s,
        Err(_) => {
            let s = Session::login(
                config.clone(),
                &Credentials::password("api-user", "s3cr3t-pass"),
            )
            .await
            .expect("login");
            use telinta_api::ExposeSecret as _;
            s.client().session_id().unwrap().expose_secret().to_string()
        }
    };
    let client = Client::new(config.with_session_id(session_id)).unwrap();
    let did = client.didapi();
    let req = common::get_numbers_request();
    for _ in 0..10 {
        let r = did.get_numbers(&req).await.expect("get_numbers");
        assert_eq!(r.numbers.len(), 100, "the server must hold 100 numbers");
    }
    // The connection count costs two connections of its own: compare.sh, which counts every
    // client's connections itself, turns it off.
    let count = std::env::var("E2E_COUNT_CONNECTIONS").as_deref() != Ok("0");
    let accepted_before = count.then(|| accepted_connections(port));
    let mut wall = Vec::with_capacity(calls);
    let mut cpu = Vec::with_capacity(calls);
    let (t0, c0) = (Instant::now(), cpu_now());
    for _ in 0..calls {
        let (t, c) = (Instant::now(), cpu_now());
        let r = did.get_numbers(&req).await.expect("get_numbers");
        let (c1, t1) = (cpu_now(), Instant::now());
        std::hint::black_box(r);
        wall.push((t1 - t).as_secs_f64() * 1e3);
        cpu.push((c1 - c).as_secs_f64() * 1e3);
    }
    let (total_wall, total_cpu) = (t0.elapsed(), cpu_now() - c0);
    // Minus the stats connection of accepted_before.
    let opened = accepted_before.map(|before| accepted_connections(port) - before - 1);
    let runtime = std::env::var("E2E_RUNTIME").unwrap_or_else(|_| "current_thread".into());
    eprintln!(
        "e2e ours ({mode}, {runtime}): {calls} calls over {} new connection(s), total wall {:.1} ms, total CPU {:.1} ms ({:.3} ms/call)",
        opened.map_or("?".to_string(), |n| n.to_string()),
        total_wall.as_secs_f64() * 1e3,
        total_cpu.as_secs_f64() * 1e3,
        total_cpu.as_secs_f64() * 1e3 / calls as f64
    );
    if mode == "keepalive" && opened.is_some_and(|n| n > 0) {
        eprintln!("e2e: WARNING: the client opened new connections in keep-alive mode");
    }
    let who = if runtime == "multi_thread" {
        "ours_mt"
    } else {
        "ours"
    };
    println!(
        "RESULT {who} e2e_{mode}_get_numbers_100_wall {:.4}",
        median(&mut wall)
    );
    println!(
        "RESULT {who} e2e_{mode}_get_numbers_100_cpu {:.4}",
        median(&mut cpu)
    );
}

fn main() {
    // `cargo bench` passes `--bench` and maybe a filter; a filter not naming us skips us.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    if !args.is_empty() && !args.iter().any(|a| "e2e".contains(a.as_str())) {
        return;
    }
    let calls = std::env::var("E2E_CALLS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(200);
    let modes = std::env::var("E2E_MODES").unwrap_or_else(|_| "keepalive,close".into());
    let given_port: Option<u16> = std::env::var("E2E_PORT").ok().and_then(|p| p.parse().ok());
    let rt = match std::env::var("E2E_RUNTIME").as_deref() {
        Ok("multi_thread") => tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build(),
        _ => tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build(),
    }
    .unwrap();
    rt.block_on(check_request_bytes());
    for mode in modes.split(',').map(str::trim).filter(|m| !m.is_empty()) {
        let options: &[&str] = match mode {
            "keepalive" => &[],
            "close" => &["--close"],
            _ => panic!("E2E_MODES: {mode:?} is neither keepalive nor close"),
        };
        let (_server, port) = match given_port {
            Some(port) => (None, port),
            None => {
                let s = start_server(options);
                let port = s.port;
                (Some(s), port)
            }
        };
        rt.block_on(run(mode, port, calls));
    }
}
