//! `cargo xtask fetch` against a small HTTP server on loopback that serves
//! `tests/fixtures/fetch/served/` (see the README there), with some paths made to fail.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

// The normalisation `fetch` applies, to compute what the written files must be.
#[allow(dead_code)]
#[path = "../src/fetch/normalize.rs"]
mod normalize;

/// What the server answers for a path.
#[derive(Clone)]
enum Reply {
    Xml(String),
    Status(u16),
    Html,
    /// Accepts the connection and never answers.
    Silent,
}

struct Server {
    base: String,
    /// Paths requested, in order.
    log: Arc<Mutex<Vec<String>>>,
    served: BTreeMap<String, String>,
}

impl Server {
    /// Serves the fixtures, `{{BASE}}` replaced, with `overrides` taking precedence.
    fn start(overrides: &[(&str, Reply)]) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let mut served = BTreeMap::new();
        for dir in ["wsdl", "schemas"] {
            for entry in std::fs::read_dir(fixtures().join(dir)).unwrap() {
                let entry = entry.unwrap();
                let text = std::fs::read_to_string(entry.path()).unwrap();
                let path = format!("/{dir}/{}", entry.file_name().to_str().unwrap());
                served.insert(path, text.replace("{{BASE}}", &base));
            }
        }
        let mut routes: BTreeMap<String, Reply> = served
            .iter()
            .map(|(p, t)| (p.clone(), Reply::Xml(t.clone())))
            .collect();
        for (path, reply) in overrides {
            routes.insert(path.to_string(), reply.clone());
        }
        let log = Arc::new(Mutex::new(Vec::new()));
        let server_log = Arc::clone(&log);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let routes = routes.clone();
                let log = Arc::clone(&server_log);
                std::thread::spawn(move || answer(stream, &routes, &log));
            }
        });
        Server { base, log, served }
    }

    fn requests(&self, path: &str) -> usize {
        self.log
            .lock()
            .unwrap()
            .iter()
            .filter(|p| *p == path)
            .count()
    }
}

/// One request per connection, answered with `Connection: close`.
fn answer(mut stream: TcpStream, routes: &BTreeMap<String, Reply>, log: &Mutex<Vec<String>>) {
    let mut request = Vec::new();
    let mut buf = [0; 1024];
    while !request.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => request.extend_from_slice(&buf[..n]),
        }
    }
    let request = String::from_utf8_lossy(&request);
    let path = request.split(' ').nth(1).unwrap_or("").to_string();
    log.lock().unwrap().push(path.clone());
    let (status, content_type, body) = match routes.get(&path) {
        Some(Reply::Xml(text)) => (200, "text/xml", text.clone()),
        Some(Reply::Status(code)) => (*code, "text/plain", "error\n".to_string()),
        Some(Reply::Html) => (
            200,
            "text/html",
            "<!DOCTYPE html>\n<html><body><h1>Service temporarily unavailable</h1></body></html>\n"
                .to_string(),
        ),
        Some(Reply::Silent) => {
            // Longer than the client's --timeout; the connection is dropped afterwards.
            std::thread::sleep(Duration::from_secs(10));
            return;
        }
        None => (404, "text/plain", "not found\n".to_string()),
    };
    let reason = match status {
        200 => "OK",
        404 => "Not Found",
        _ => "Internal Server Error",
    };
    let head = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(body.as_bytes());
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fetch/served")
}

/// Runs `cargo xtask fetch`; (exit code, stdout and stderr together).
fn fetch(server: &Server, out: &Path, args: &[&str]) -> (i32, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["fetch", "--base-url", &server.base, "--out"])
        .arg(out)
        .args(args)
        // Loopback must not go through a proxy the environment may name.
        .env_remove("http_proxy")
        .env_remove("HTTP_PROXY")
        .env_remove("all_proxy")
        .env_remove("ALL_PROXY")
        .output()
        .unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned()
            + &String::from_utf8_lossy(&output.stderr),
    )
}

/// The served file `path`, normalised with its locations pointing at local file names.
fn expected(server: &Server, path: &str) -> String {
    let local_name = |location: &str| location.rsplit('/').next().unwrap().to_string();
    normalize::normalize(&server.served[path], &local_name).unwrap()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    names
}

#[test]
fn fetch_writes_normalised_files_and_a_second_fetch_changes_nothing() {
    let server = Server::start(&[]);
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("snapshots");
    let args = ["--services", "Session,DIDAPI", "--realm", "both"];
    let (code, report) = fetch(&server, &out, &args);
    assert_eq!(code, 0, "{report}");

    let files = [
        ("SessionAdminService.wsdl", "/wsdl/SessionAdminService.wsdl"),
        (
            "SessionResellerService.wsdl",
            "/wsdl/SessionResellerService.wsdl",
        ),
        ("DIDAPIAdminService.wsdl", "/wsdl/DIDAPIAdminService.wsdl"),
        (
            "DIDAPIResellerService.wsdl",
            "/wsdl/DIDAPIResellerService.wsdl",
        ),
        ("Common.xsd", "/schemas/Common.xsd"),
        ("CommonTypes.xsd", "/schemas/CommonTypes.xsd"),
    ];
    let mut names: Vec<String> = files.iter().map(|(n, _)| n.to_string()).collect();
    names.sort();
    assert_eq!(listing(&out), names);
    for (name, path) in files {
        let written = read(&out.join(name));
        assert_eq!(written, expected(&server, path), "{name}");
        assert!(report.contains(&format!("{name}: fetched")), "{report}");
        // The host stays out of the files (the fixtures name none but through {{BASE}}).
        assert!(!written.contains("127.0.0.1"), "{name}");
    }
    // Relative (`../schemas/`) and absolute imports both point at the local copy.
    for name in ["DIDAPIAdminService.wsdl", "DIDAPIResellerService.wsdl"] {
        assert!(read(&out.join(name)).contains(r#"schemaLocation="Common.xsd""#));
    }
    // Imported by two WSDLs and by CommonTypes.xsd (a cycle), downloaded once.
    assert_eq!(server.requests("/schemas/Common.xsd"), 1);
    assert_eq!(server.requests("/schemas/CommonTypes.xsd"), 1);
    // Served in another layout, written in the snapshots' own: the Admin snapshot, renamed.
    let admin = read(&fixtures().join("wsdl/SessionAdminService.wsdl"));
    let reseller = admin
        .replace("AdminService", "ResellerService")
        .replace("AdminPort", "ResellerPort")
        .replace(":443/soap/", ":8444/soap/");
    assert_eq!(read(&out.join("SessionResellerService.wsdl")), reseller);
    // Nothing left beside --out.
    assert_eq!(listing(work.path()), ["snapshots"]);

    // The generator loads the fetched folder.
    let api = telinta_codegen::load::load_dir(&out).unwrap();
    let inventory = telinta_codegen::inventory(&api);
    for op in ["Session login", "Session logout", "DIDAPI get_countries"] {
        assert!(inventory.iter().any(|l| l == op), "{op}: {inventory:?}");
    }

    let before: Vec<_> = names
        .iter()
        .map(|n| {
            let path = out.join(n);
            (
                read(&path),
                std::fs::metadata(&path).unwrap().modified().unwrap(),
            )
        })
        .collect();
    let (code, report) = fetch(&server, &out, &args);
    assert_eq!(code, 0, "{report}");
    for (name, (text, modified)) in names.iter().zip(before) {
        assert!(report.contains(&format!("{name}: unchanged")), "{report}");
        let path = out.join(name);
        assert_eq!(read(&path), text, "{name}");
        assert_eq!(
            std::fs::metadata(&path).unwrap().modified().unwrap(),
            modified,
            "{name}"
        );
    }
    assert!(
        report.contains("0 fetched, 6 unchanged, 0 failed"),
        "{report}"
    );
}

#[test]
fn a_file_answering_500_is_reported_and_its_old_copy_kept() {
    let server = Server::start(&[("/wsdl/DIDAPIAdminService.wsdl", Reply::Status(500))]);
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("snapshots");
    std::fs::create_dir(&out).unwrap();
    let old = "<!-- the old copy, not XML the fetch would write -->\n";
    std::fs::write(out.join("DIDAPIAdminService.wsdl"), old).unwrap();

    let (code, report) = fetch(
        &server,
        &out,
        &["--services", "Session,DIDAPI", "--realm", "admin"],
    );
    assert_eq!(code, 1, "{report}");
    let url = format!("{}/wsdl/DIDAPIAdminService.wsdl", server.base);
    assert!(
        report.contains(&format!(
            "DIDAPIAdminService.wsdl: FAILED: GET {url}: HTTP 500"
        )),
        "{report}"
    );
    assert_eq!(read(&out.join("DIDAPIAdminService.wsdl")), old);
    // What succeeded is written all the same.
    assert!(
        report.contains("SessionAdminService.wsdl: fetched"),
        "{report}"
    );
    assert_eq!(
        read(&out.join("SessionAdminService.wsdl")),
        expected(&server, "/wsdl/SessionAdminService.wsdl")
    );
    assert_eq!(
        listing(&out),
        ["DIDAPIAdminService.wsdl", "SessionAdminService.wsdl"]
    );
    assert_eq!(listing(work.path()), ["snapshots"]);
}

#[test]
fn a_failing_import_keeps_the_old_copy_of_every_file_that_needs_it() {
    let server = Server::start(&[("/schemas/CommonTypes.xsd", Reply::Status(500))]);
    let out = tempfile::tempdir().unwrap();
    let old = "old\n";
    std::fs::write(out.path().join("DIDAPIResellerService.wsdl"), old).unwrap();
    std::fs::write(out.path().join("Common.xsd"), old).unwrap();

    let (code, report) = fetch(&server, out.path(), &["--services", "Session,DIDAPI"]);
    assert_eq!(code, 1, "{report}");
    let types = format!("{}/schemas/CommonTypes.xsd", server.base);
    assert!(
        report.contains(&format!("CommonTypes.xsd: FAILED: GET {types}: HTTP 500")),
        "{report}"
    );
    // Common.xsd includes it; the DIDAPI WSDLs import Common.xsd.
    for name in [
        "Common.xsd",
        "DIDAPIAdminService.wsdl",
        "DIDAPIResellerService.wsdl",
    ] {
        assert!(
            report.contains(&format!("{name}: FAILED: needs {types}, which failed")),
            "{report}"
        );
    }
    assert_eq!(read(&out.path().join("DIDAPIResellerService.wsdl")), old);
    assert_eq!(read(&out.path().join("Common.xsd")), old);
    assert!(!out.path().join("DIDAPIAdminService.wsdl").exists());
    assert!(
        report.contains("SessionAdminService.wsdl: fetched"),
        "{report}"
    );
    assert!(
        report.contains("SessionResellerService.wsdl: fetched"),
        "{report}"
    );
}

#[test]
fn an_html_page_is_reported_as_not_xml() {
    let server = Server::start(&[("/wsdl/SessionAdminService.wsdl", Reply::Html)]);
    let out = tempfile::tempdir().unwrap();
    let (code, report) = fetch(
        &server,
        out.path(),
        &["--services", "Session", "--realm", "admin"],
    );
    assert_eq!(code, 1, "{report}");
    let url = format!("{}/wsdl/SessionAdminService.wsdl", server.base);
    assert!(
        report.contains(&format!(
            r#"GET {url}: not XML (starts with "<!DOCTYPE html> <html><body>"#
        )),
        "{report}"
    );
    assert!(listing(out.path()).is_empty());
}

#[test]
fn malformed_xml_and_a_dtd_are_reported_with_the_url() {
    let broken = "<?xml version=\"1.0\"?>\n<wsdl:definitions xmlns:wsdl=\"http://schemas.xmlsoap.org/wsdl/\">\n <oops>\n</wsdl:definitions>\n";
    let dtd = "<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY e \"e\">]>\n<x/>\n";
    let server = Server::start(&[
        ("/wsdl/SessionAdminService.wsdl", Reply::Xml(broken.into())),
        ("/wsdl/SessionResellerService.wsdl", Reply::Xml(dtd.into())),
    ]);
    let out = tempfile::tempdir().unwrap();
    let (code, report) = fetch(&server, out.path(), &["--services", "Session"]);
    assert_eq!(code, 1, "{report}");
    let admin = format!("{}/wsdl/SessionAdminService.wsdl", server.base);
    assert!(
        report.contains(&format!("GET {admin}: malformed XML at line 4 column 1: expected 'oops' tag, not 'wsdl:definitions'")),
        "{report}"
    );
    let reseller = format!("{}/wsdl/SessionResellerService.wsdl", server.base);
    assert!(
        report.contains(&format!("GET {reseller}: refused: the document has a DTD")),
        "{report}"
    );
}

#[test]
fn a_server_that_never_answers_times_out_naming_the_url() {
    let server = Server::start(&[("/wsdl/SessionAdminService.wsdl", Reply::Silent)]);
    let out = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let (code, report) = fetch(
        &server,
        out.path(),
        &[
            "--services",
            "Session",
            "--realm",
            "admin",
            "--timeout",
            "1",
        ],
    );
    assert_eq!(code, 1, "{report}");
    let url = format!("{}/wsdl/SessionAdminService.wsdl", server.base);
    assert!(
        report.contains(&format!("GET {url}: timed out after 1 s")),
        "{report}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn a_missing_service_is_a_failure_naming_the_url() {
    let server = Server::start(&[]);
    let out = tempfile::tempdir().unwrap();
    let (code, report) = fetch(
        &server,
        out.path(),
        &["--services", "Queues", "--realm", "reseller"],
    );
    assert_eq!(code, 1, "{report}");
    let url = format!("{}/wsdl/QueuesResellerService.wsdl", server.base);
    assert!(
        report.contains(&format!("GET {url}: HTTP 404 Not Found")),
        "{report}"
    );
}

#[test]
fn same_file_names_get_numbered_and_wsdl_imports_are_followed() {
    let wsdl = |body: &str| {
        format!(
            "<?xml version=\"1.0\"?>\n<wsdl:definitions xmlns:wsdl=\"http://schemas.xmlsoap.org/wsdl/\" xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\">{body}</wsdl:definitions>\n"
        )
    };
    let schema = |ns: &str| {
        format!(
            "<xsd:schema xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" targetNamespace=\"{ns}\"/>"
        )
    };
    let server = Server::start(&[
        (
            "/wsdl/SessionAdminService.wsdl",
            Reply::Xml(wsdl(
                "<wsdl:import namespace=\"urn:parts\" location=\"parts/Types.wsdl\"/>\
                 <wsdl:types><xsd:schema>\
                 <xsd:import namespace=\"urn:b\" schemaLocation=\"/b/Common.xsd\"/>\
                 <xsd:import namespace=\"urn:a\" schemaLocation=\"../a/Common.xsd\"/>\
                 </xsd:schema></wsdl:types>",
            )),
        ),
        (
            "/wsdl/parts/Types.wsdl",
            Reply::Xml(wsdl(
                "<wsdl:import namespace=\"urn:root\" location=\"../SessionAdminService.wsdl\"/>",
            )),
        ),
        ("/a/Common.xsd", Reply::Xml(schema("urn:a"))),
        ("/b/Common.xsd", Reply::Xml(schema("urn:b"))),
    ]);
    let out = tempfile::tempdir().unwrap();
    let (code, report) = fetch(
        &server,
        out.path(),
        &["--services", "Session", "--realm", "admin"],
    );
    assert_eq!(code, 0, "{report}");
    // Sorted by URL: /a/ keeps the name, /b/ gets `-2`.
    assert_eq!(
        listing(out.path()),
        [
            "Common-2.xsd",
            "Common.xsd",
            "SessionAdminService.wsdl",
            "Types.wsdl"
        ]
    );
    // Namespace declarations go on lines of their own, after the other attributes.
    assert_eq!(
        read(&out.path().join("Common.xsd")),
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<xsd:schema targetNamespace=\"urn:a\"\n  xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\"/>\n"
    );
    let root = read(&out.path().join("SessionAdminService.wsdl"));
    for location in [
        r#"location="Types.wsdl""#,
        r#"schemaLocation="Common-2.xsd""#,
        r#"schemaLocation="Common.xsd""#,
    ] {
        assert!(root.contains(location), "{location}:\n{root}");
    }
    // The import back to the root (a cycle) points at the root's own name.
    assert!(read(&out.path().join("Types.wsdl")).contains(r#"location="SessionAdminService.wsdl""#));
    assert_eq!(server.requests("/wsdl/SessionAdminService.wsdl"), 1);
}

#[test]
fn bad_arguments_are_usage_errors() {
    for args in [
        &["fetch"][..],
        &["fetch", "--base-url", "ftp://example.invalid/"],
        &[
            "fetch",
            "--base-url",
            "http://127.0.0.1:9/",
            "--realm",
            "all",
        ],
        &[
            "fetch",
            "--base-url",
            "http://127.0.0.1:9/",
            "--services",
            "../etc",
        ],
        &[
            "fetch",
            "--base-url",
            "http://127.0.0.1:9/",
            "--timeout",
            "0",
        ],
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
            .args(args)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains("usage: cargo xtask fetch"),
            "{args:?}: {stderr}"
        );
    }
}
