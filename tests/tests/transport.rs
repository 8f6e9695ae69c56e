//! Transport faults as distinct, typed errors, against a loopback server that misbehaves on
//! purpose. Each asserts the error kind and that the operation and URL are named.

use std::io::Write;
use std::time::Duration;

use telinta_api::didapi::{DidapiOrderNumberRequest, GetDidapiCountriesListRequest};
use telinta_api::{Client, Config, Error, Realm, TransportKind};
use telinta_e2e::misbehaving::{respond, MisbehavingServer};

const COUNTRIES: &str = r#"<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soap:Body><get_countriesResponse xmlns="https://mybilling.telinta.com/Porta/SOAP/DIDAPI"><GetDIDAPICountriesListResponse><countries soapenc:arrayType="ns:DIDAPICountry[1]" xsi:type="soapenc:Array"><item><value>US</value></item></countries></GetDIDAPICountriesListResponse></get_countriesResponse></soap:Body></soap:Envelope>"#;

fn client(server: &MisbehavingServer) -> Client {
    let config = Config::new(&server.base_url(), Realm::Admin)
        .unwrap()
        .with_timeout(Duration::from_secs(2))
        .with_session_id("5e55-10n-1d");
    Client::new(config).unwrap()
}

async fn countries(client: &Client) -> Result<Vec<String>, Error> {
    let r = client
        .didapi()
        .get_countries(&GetDidapiCountriesListRequest {})
        .await?;
    Ok(r.countries.into_iter().filter_map(|c| c.value).collect())
}

/// The error names `DIDAPI/get_countries` and the endpoint, and never the session id.
fn assert_named(err: &Error, server: &MisbehavingServer) {
    let text = err.to_string();
    assert!(text.contains("DIDAPI/get_countries"), "{text}");
    assert!(
        text.contains(&format!("{}/soap/", server.base_url())),
        "{text}"
    );
    assert!(!text.contains("5e55-10n-1d"), "{text}");
    assert!(!format!("{err:?}").contains("5e55-10n-1d"), "{err:?}");
}

#[tokio::test]
async fn a_server_that_never_answers_is_a_timeout() {
    let server = MisbehavingServer::start(|_, _, _| std::thread::sleep(Duration::from_secs(6)));
    let err = countries(&client(&server)).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Transport {
                kind: TransportKind::Timeout,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.is_transient());
    assert_named(&err, &server);
}

#[tokio::test]
async fn a_gateway_error_page_is_an_http_error() {
    let server = MisbehavingServer::start(|_, _, s| {
        respond(
            s,
            "503 Service Unavailable",
            "text/html",
            b"<html><body>Maintenance</body></html>",
        )
    });
    let err = countries(&client(&server)).await.unwrap_err();
    let Error::Http {
        status, body_start, ..
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(*status, 503);
    assert!(body_start.contains("Maintenance"));
    assert!(err.is_transient());
    assert_named(&err, &server);
}

#[tokio::test]
async fn a_500_without_a_soap_fault_is_an_http_error() {
    let server = MisbehavingServer::start(|_, _, s| {
        respond(
            s,
            "500 Internal Server Error",
            "text/plain",
            b"Internal Server Error",
        )
    });
    let err = countries(&client(&server)).await.unwrap_err();
    assert!(matches!(err, Error::Http { status: 500, .. }), "{err:?}");
    assert!(!err.is_transient());
    assert_named(&err, &server);
}

#[tokio::test]
async fn an_html_page_with_200_is_named_as_such() {
    let server = MisbehavingServer::start(|_, _, s| {
        respond(
            s,
            "200 OK",
            "text/html",
            b"<!DOCTYPE html><html><body>Please log in</body></html>",
        )
    });
    let err = countries(&client(&server)).await.unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    assert!(
        err.to_string().contains("an HTML page, not a SOAP message"),
        "{err}"
    );
    assert_named(&err, &server);
}

#[tokio::test]
async fn a_connection_closed_mid_body_is_a_truncated_body() {
    let server = MisbehavingServer::start(|_, _, s| {
        let _ = s.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 5000\r\n\r\n<soap:Envelope>");
    });
    let err = countries(&client(&server)).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Transport {
                kind: TransportKind::Body,
                ..
            }
        ),
        "{err:?}"
    );
    assert_named(&err, &server);
}

#[tokio::test]
async fn truncated_xml_in_a_complete_response_is_a_decode_error() {
    let server = MisbehavingServer::start(|_, _, s| {
        respond(s, "200 OK", "text/xml", &COUNTRIES.as_bytes()[..300])
    });
    let err = countries(&client(&server)).await.unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    assert!(err.to_string().contains("truncated"), "{err}");
    assert_named(&err, &server);
}

#[tokio::test]
async fn faults_with_and_without_detail() {
    let server = MisbehavingServer::start(|n, _, s| {
        let detail = if n == 0 {
            "<detail><code>42</code></detail>"
        } else {
            ""
        };
        let body = format!(
            r#"<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><soap:Fault><faultcode>soap:Server.DIDAPI.busy</faultcode><faultstring>Busy</faultstring>{detail}</soap:Fault></soap:Body></soap:Envelope>"#
        );
        respond(s, "500 Internal Server Error", "text/xml", body.as_bytes())
    });
    let client = client(&server);
    let err = countries(&client).await.unwrap_err();
    let fault = err.fault().expect("fault");
    assert_eq!(fault.code_path(), "Server.DIDAPI.busy");
    assert_eq!(
        fault.detail.as_deref(),
        Some("<detail><code>42</code></detail>")
    );
    assert_named(&err, &server);
    let err = countries(&client).await.unwrap_err();
    assert_eq!(err.fault().expect("fault").detail, None);
}

#[tokio::test]
async fn redirects_are_not_followed() {
    let elsewhere =
        MisbehavingServer::start(|_, _, s| respond(s, "200 OK", "text/xml", COUNTRIES.as_bytes()));
    let target = format!("{}/soap/", elsewhere.base_url());
    let server = MisbehavingServer::start(move |_, _, s| {
        let _ = s.write_all(format!("HTTP/1.1 307 Temporary Redirect\r\nLocation: {target}\r\nContent-Length: 0\r\n\r\n").as_bytes());
    });
    let err = countries(&client(&server)).await.unwrap_err();
    assert!(matches!(err, Error::Http { status: 307, .. }), "{err:?}");
    assert_named(&err, &server);
    assert_eq!(
        elsewhere.requests(),
        0,
        "the credentials must not be re-sent elsewhere"
    );
}

#[tokio::test]
async fn a_body_over_the_size_limit_is_refused_without_reading_it() {
    // Announced: 10 GB. Never sent.
    let server = MisbehavingServer::start(|_, _, s| {
        let _ = s.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 10000000000\r\n\r\n<soap:Envelope>");
        std::thread::sleep(Duration::from_secs(1));
    });
    let err = countries(&client(&server)).await.unwrap_err();
    assert!(matches!(err, Error::TooLarge { .. }), "{err:?}");
    assert_named(&err, &server);

    // Streamed without a length, far past the limit: generated on the fly, stopped by the client.
    let server = MisbehavingServer::start(|_, _, s| {
        let _ = s.write_all(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nTransfer-Encoding: chunked\r\n\r\n",
        );
        let chunk = format!("{:x}\r\n{}\r\n", 64 * 1024, "x".repeat(64 * 1024));
        for _ in 0..16 * 1024 {
            // 1 GiB in all, unless the client hangs up first.
            if s.write_all(chunk.as_bytes()).is_err() {
                return;
            }
        }
    });
    let config = Config::new(&server.base_url(), Realm::Admin)
        .unwrap()
        .with_timeout(Duration::from_secs(20))
        .with_max_response_bytes(1024 * 1024);
    let err = countries(&Client::new(config).unwrap()).await.unwrap_err();
    let Error::TooLarge { limit, .. } = err else {
        panic!("{err:?}")
    };
    assert_eq!(limit, 1024 * 1024);
}

#[tokio::test]
async fn a_billion_laughs_body_is_refused() {
    let server = MisbehavingServer::start(|_, _, s| {
        let body = r#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><r><p><value>&lol3;</value></p></r></soap:Body></soap:Envelope>"#;
        respond(s, "200 OK", "text/xml", body.as_bytes())
    });
    let err = countries(&client(&server)).await.unwrap_err();
    assert!(err.to_string().contains("DTD is not allowed"), "{err}");
    assert_named(&err, &server);
}

#[tokio::test]
async fn tls_to_a_server_that_does_not_speak_it_is_a_tls_error() {
    // Answers plain HTTP at once, whatever it is sent (here a TLS ClientHello).
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        if let Ok((mut s, _)) = listener.accept() {
            let _ = s.write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
            std::thread::sleep(Duration::from_millis(500));
        }
    });
    let url = format!("https://127.0.0.1:{port}");
    let config = Config::new(&url, Realm::Admin)
        .unwrap()
        .with_timeout(Duration::from_secs(3));
    let err = countries(&Client::new(config).unwrap()).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Transport {
                kind: TransportKind::Tls,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains(&url), "{err}");
}

#[tokio::test]
async fn reads_are_retried_when_enabled_and_writes_never() {
    let server = MisbehavingServer::start(|n, _, s| {
        if n < 2 {
            respond(
                s,
                "502 Bad Gateway",
                "text/html",
                b"<html>Bad Gateway</html>",
            )
        } else {
            respond(s, "200 OK", "text/xml", COUNTRIES.as_bytes())
        }
    });
    let config = Config::new(&server.base_url(), Realm::Admin)
        .unwrap()
        .with_read_retries(2);
    let client = Client::new(config).unwrap();
    assert_eq!(countries(&client).await.unwrap(), ["US"]);
    assert_eq!(server.requests(), 3);

    let server = MisbehavingServer::start(|_, _, s| {
        respond(
            s,
            "502 Bad Gateway",
            "text/html",
            b"<html>Bad Gateway</html>",
        )
    });
    let config = Config::new(&server.base_url(), Realm::Admin)
        .unwrap()
        .with_read_retries(5);
    let client = Client::new(config).unwrap();
    let err = client
        .didapi()
        .order_number(&DidapiOrderNumberRequest::default())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Http { status: 502, .. }), "{err:?}");
    assert_eq!(server.requests(), 1, "order_number is not a read: no retry");
}

/// A TLS server with a certificate from a private CA (made with the `openssl` command, which
/// also serves it: `openssl s_server`). It completes handshakes and then answers nothing useful.
struct PrivateCaServer {
    dir: tempfile::TempDir,
    child: std::process::Child,
    port: u16,
}

impl PrivateCaServer {
    fn start() -> PrivateCaServer {
        let dir = tempfile::tempdir().unwrap();
        let openssl = |args: &[&str]| {
            let status = std::process::Command::new("openssl")
                .args(args)
                .current_dir(dir.path())
                .stderr(std::process::Stdio::null())
                .status()
                .expect("the openssl command (Debian package openssl)");
            assert!(status.success(), "openssl {args:?}");
        };
        openssl(&[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "ca.key",
            "-out",
            "ca.pem",
            "-days",
            "2",
            "-subj",
            "/CN=telinta-api test CA",
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,keyCertSign",
        ]);
        openssl(&[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "srv.key",
            "-out",
            "srv.csr",
            "-subj",
            "/CN=127.0.0.1",
        ]);
        std::fs::write(
            dir.path().join("ext"),
            "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
        )
        .unwrap();
        openssl(&[
            "x509",
            "-req",
            "-in",
            "srv.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "srv.pem",
            "-days",
            "2",
            "-extfile",
            "ext",
        ]);
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = std::process::Command::new("openssl")
            .args([
                "s_server",
                "-accept",
                &format!("127.0.0.1:{port}"),
                "-cert",
                "srv.pem",
                "-key",
                "srv.key",
                "-www",
                "-quiet",
            ])
            .current_dir(dir.path())
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        // Wait until it listens.
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        PrivateCaServer { dir, child, port }
    }

    fn config(&self) -> Config {
        Config::new(&format!("https://127.0.0.1:{}", self.port), Realm::Admin)
            .unwrap()
            .with_timeout(Duration::from_secs(2))
    }

    fn ca_pem(&self) -> Vec<u8> {
        std::fs::read(self.dir.path().join("ca.pem")).unwrap()
    }
}

impl Drop for PrivateCaServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn is_tls(err: &Error) -> bool {
    matches!(
        err,
        Error::Transport {
            kind: TransportKind::Tls,
            ..
        }
    )
}

#[tokio::test]
async fn tls_is_verified_and_a_private_ca_can_be_trusted() {
    let server = PrivateCaServer::start();
    // Verified by default: a certificate from an unknown CA is refused.
    let err = countries(&Client::new(server.config()).unwrap())
        .await
        .unwrap_err();
    assert!(is_tls(&err), "{err:?}");
    assert!(
        err.to_string().to_lowercase().contains("certificate"),
        "{err}"
    );

    // Trusting the private CA: the handshake succeeds (the server then answers no SOAP).
    let trusted = server
        .config()
        .with_root_certificate_pem(&server.ca_pem())
        .unwrap();
    let err = countries(&Client::new(trusted).unwrap()).await.unwrap_err();
    assert!(!is_tls(&err), "the private CA is trusted: {err:?}");

    // Opting out of verification is explicit, and also gets past the handshake.
    let dangerous = server.config().danger_accept_invalid_certs(true);
    let err = countries(&Client::new(dangerous).unwrap())
        .await
        .unwrap_err();
    assert!(!is_tls(&err), "{err:?}");

    // A PEM without a certificate is a configuration error.
    let bad = server
        .config()
        .with_root_certificate_pem(b"not a certificate");
    assert!(matches!(bad, Err(Error::Config(_))), "{bad:?}");
}
