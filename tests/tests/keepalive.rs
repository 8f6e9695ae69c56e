//! HTTP keep-alive: the SOAP::Lite test server keeps connections open as PortaBilling's Apache
//! does (several requests per connection, `Connection: close` and HTTP/1.0 honoured, idle
//! connections closed after a timeout, a cap on open connections), without an idle connection
//! ever holding up the others; and the client reuses one connection for every call of every
//! service client of one `Client`.
//!
//! The server's counters (`SoapLiteServer::stats`, a `GET` on a connection of its own) tell how
//! many connections were accepted.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use telinta_api::didapi::{GetDidapiCountriesListRequest, GetDidapiNumbersListRequest};
use telinta_api::internal::GetRatesListRequest;
use telinta_api::session::PingRequest;
use telinta_api::{Client, Realm, Session};
use telinta_e2e::{SoapLiteServer, LOGIN, PASSWORD, STATS_PATH};

fn login_envelope() -> String {
    format!(
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:ns="http://schemas.portaone.com/soap" soap:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/">"#,
            r#"<soap:Body><m:login xmlns:m="https://mybilling.telinta.com/Porta/SOAP/Session"><LoginRequest xsi:type="ns:LoginRequest">"#,
            r#"<login xsi:type="xsd:string">{}</login><password xsi:type="xsd:string">{}</password>"#,
            r#"</LoginRequest></m:login></soap:Body></soap:Envelope>"#
        ),
        LOGIN, PASSWORD
    )
}

/// A SOAP `login` POST; `extra` headers end with `\r\n`.
fn login_request(version: &str, extra: &str) -> String {
    let body = login_envelope();
    format!(
        "POST /soap/ {version}\r\nHost: 127.0.0.1\r\nContent-Type: text/xml; charset=utf-8\r\n\
         SOAPAction: \"https://mybilling.telinta.com/Porta/SOAP/Session#login\"\r\n\
         Content-Length: {}\r\n{extra}\r\n{body}",
        body.len()
    )
}

/// One raw HTTP connection: write requests, read responses (framed by `Content-Length`).
struct Raw {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
}

struct Answer {
    status: String,
    /// Header lines, names lower-cased.
    headers: Vec<(String, String)>,
    body: String,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

impl Raw {
    fn connect(server: &SoapLiteServer) -> Raw {
        let stream = TcpStream::connect(("127.0.0.1", server.port())).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        Raw {
            reader: BufReader::new(stream.try_clone().unwrap()),
            writer: stream,
        }
    }

    fn send(&mut self, request: &str) {
        self.writer.write_all(request.as_bytes()).expect("send");
    }

    fn read_answer(&mut self) -> Answer {
        let mut status = String::new();
        self.reader.read_line(&mut status).expect("status line");
        assert!(!status.is_empty(), "the server closed the connection");
        let mut headers = Vec::new();
        loop {
            let mut line = String::new();
            self.reader.read_line(&mut line).expect("header line");
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            let (k, v) = line.split_once(':').expect("a header");
            headers.push((k.to_ascii_lowercase(), v.trim().to_string()));
        }
        let mut answer = Answer {
            status: status.trim_end().to_string(),
            headers,
            body: String::new(),
        };
        let len: usize = answer
            .header("content-length")
            .expect("Content-Length")
            .parse()
            .unwrap();
        let mut body = vec![0; len];
        self.reader.read_exact(&mut body).expect("body");
        answer.body = String::from_utf8(body).unwrap();
        answer
    }

    fn exchange(&mut self, request: &str) -> Answer {
        self.send(request);
        self.read_answer()
    }

    /// The server closed its side: the next read gets end of file (not a reset).
    fn assert_closed_by_server(&mut self) {
        let mut rest = Vec::new();
        let n = self
            .reader
            .read_to_end(&mut rest)
            .expect("a clean end of file");
        assert_eq!(n, 0, "unexpected bytes after the response: {rest:?}");
    }
}

fn assert_login_ok(answer: &Answer) {
    assert!(
        answer.status.starts_with("HTTP/1.1 200 "),
        "{}",
        answer.status
    );
    assert!(answer.body.contains("<session_id"), "{}", answer.body);
}

fn stats_request(extra: &str) -> String {
    format!("GET {STATS_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\n{extra}\r\n")
}

#[test]
fn several_requests_are_answered_on_one_connection() {
    let server = SoapLiteServer::start();
    let mut conn = Raw::connect(&server);
    for _ in 0..3 {
        let answer = conn.exchange(&login_request("HTTP/1.1", ""));
        assert_login_ok(&answer);
        assert_eq!(answer.header("connection"), None, "HTTP/1.1 is persistent");
        assert_eq!(answer.header("keep-alive"), Some("timeout=30"));
    }
    // Two requests sent at once (pipelined) are answered in order.
    conn.send(&format!(
        "{}{}",
        login_request("HTTP/1.1", ""),
        stats_request("")
    ));
    assert_login_ok(&conn.read_answer());
    let stats = conn.read_answer();
    assert!(
        stats.body.contains(r#""accepted":1,"#),
        "every request came on this one connection: {}",
        stats.body
    );
    assert!(stats.body.contains(r#""requests":5"#), "{}", stats.body);
    // And it stays open.
    assert_login_ok(&conn.exchange(&login_request("HTTP/1.1", "")));
}

#[test]
fn connection_close_from_the_client_is_honoured() {
    let server = SoapLiteServer::start();
    let mut conn = Raw::connect(&server);
    assert_login_ok(&conn.exchange(&login_request("HTTP/1.1", "")));
    let answer = conn.exchange(&login_request("HTTP/1.1", "Connection: close\r\n"));
    assert_login_ok(&answer);
    assert_eq!(answer.header("connection"), Some("close"));
    conn.assert_closed_by_server();

    // HTTP/1.0: closed unless the client asks for keep-alive.
    let mut conn = Raw::connect(&server);
    let answer = conn.exchange(&login_request("HTTP/1.0", ""));
    assert_login_ok(&answer);
    assert_eq!(answer.header("connection"), Some("close"));
    conn.assert_closed_by_server();

    let mut conn = Raw::connect(&server);
    for _ in 0..2 {
        let answer = conn.exchange(&login_request("HTTP/1.0", "Connection: keep-alive\r\n"));
        assert_login_ok(&answer);
        assert_eq!(answer.header("connection"), Some("keep-alive"));
    }
    assert_eq!(server.stats().accepted, 4);
}

#[test]
fn the_close_option_closes_every_connection() {
    let server = SoapLiteServer::start_with(&["--close"]);
    let mut conn = Raw::connect(&server);
    let answer = conn.exchange(&login_request("HTTP/1.1", ""));
    assert_login_ok(&answer);
    assert_eq!(answer.header("connection"), Some("close"));
    assert_eq!(answer.header("keep-alive"), None);
    conn.assert_closed_by_server();
}

#[test]
fn idle_and_half_sent_connections_do_not_hold_up_others() {
    let server = SoapLiteServer::start();
    // A kept-alive connection left idle, one that sent nothing, one that sent half a request.
    let mut idle = Raw::connect(&server);
    assert_login_ok(&idle.exchange(&login_request("HTTP/1.1", "")));
    let _silent = Raw::connect(&server);
    let mut half = Raw::connect(&server);
    let request = login_request("HTTP/1.1", "");
    half.send(&request[..request.len() - 100]);

    let start = Instant::now();
    let mut other = Raw::connect(&server);
    for _ in 0..3 {
        assert_login_ok(&other.exchange(&login_request("HTTP/1.1", "")));
    }
    assert!(
        start.elapsed() < Duration::from_secs(3),
        "served in {:?}",
        start.elapsed()
    );
    // The half-sent request completes later and is answered.
    half.send(&request[request.len() - 100..]);
    assert_login_ok(&half.read_answer());
    assert_login_ok(&idle.exchange(&login_request("HTTP/1.1", "")));
}

#[test]
fn idle_connections_are_closed_after_the_timeout() {
    let server = SoapLiteServer::start_with(&["--idle-timeout", "0.5"]);
    let mut conn = Raw::connect(&server);
    assert_login_ok(&conn.exchange(&login_request("HTTP/1.1", "")));
    let start = Instant::now();
    conn.assert_closed_by_server();
    let waited = start.elapsed();
    assert!(
        waited >= Duration::from_millis(300) && waited < Duration::from_secs(5),
        "closed after {waited:?}"
    );
}

#[test]
fn at_the_connection_cap_the_least_recently_used_idle_connection_makes_room() {
    let server = SoapLiteServer::start_with(&["--max-connections", "2"]);
    let mut first = Raw::connect(&server);
    assert_login_ok(&first.exchange(&login_request("HTTP/1.1", "")));
    std::thread::sleep(Duration::from_millis(50));
    let mut second = Raw::connect(&server);
    assert_login_ok(&second.exchange(&login_request("HTTP/1.1", "")));
    // A third connection: the first (least recently used) is closed to make room.
    let mut third = Raw::connect(&server);
    assert_login_ok(&third.exchange(&login_request("HTTP/1.1", "")));
    first.assert_closed_by_server();
    assert_login_ok(&second.exchange(&login_request("HTTP/1.1", "")));
}

#[tokio::test]
async fn the_client_reuses_one_connection_across_calls_and_service_clients() {
    let server = SoapLiteServer::start();
    let session = Session::login(server.config(Realm::Admin), &SoapLiteServer::credentials())
        .await
        .expect("login");
    let client: &Client = session.client();
    let did = client.didapi();
    for _ in 0..3 {
        did.get_countries(&GetDidapiCountriesListRequest {})
            .await
            .expect("get_countries");
    }
    did.get_numbers(&GetDidapiNumbersListRequest::default())
        .await
        .expect("get_numbers");
    // Another service client of the same Client, and a clone of the Client.
    client
        .internal()
        .get_rates_list(&GetRatesListRequest {
            i_tariff: Some(3001),
            ..Default::default()
        })
        .await
        .expect("get_rates_list");
    let id = {
        use telinta_api::ExposeSecret as _;
        client.session_id().unwrap().expose_secret().to_string()
    };
    client
        .clone()
        .session()
        .ping(&PingRequest {
            session_id: Some(id),
        })
        .await
        .expect("ping");

    let stats = server.stats();
    // login + 3 + 1 + 1 + 1 calls, then the stats request.
    assert_eq!(stats.requests, 8, "{stats:?}");
    assert_eq!(
        stats.accepted, 2,
        "one connection for every call of the client, one for the stats: {stats:?}"
    );
    assert_eq!(
        stats.open, 2,
        "the client's connection is still open: {stats:?}"
    );
}

#[tokio::test]
async fn the_client_opens_a_new_connection_when_the_server_closed_the_old_one() {
    let server = SoapLiteServer::start_with(&["--idle-timeout", "0.3"]);
    let session = Session::login(server.config(Realm::Admin), &SoapLiteServer::credentials())
        .await
        .expect("login");
    let did = session.client().didapi();
    did.get_countries(&GetDidapiCountriesListRequest {})
        .await
        .expect("get_countries");
    tokio::time::sleep(Duration::from_millis(800)).await;
    did.get_countries(&GetDidapiCountriesListRequest {})
        .await
        .expect("get_countries after the server closed the idle connection");
    assert_eq!(server.stats().accepted, 3);

    // With --close, every call is a new connection.
    let server = SoapLiteServer::start_with(&["--close"]);
    let session = Session::login(server.config(Realm::Admin), &SoapLiteServer::credentials())
        .await
        .expect("login");
    let did = session.client().didapi();
    for _ in 0..3 {
        did.get_countries(&GetDidapiCountriesListRequest {})
            .await
            .expect("get_countries");
    }
    assert_eq!(server.stats().accepted, 5);
}
