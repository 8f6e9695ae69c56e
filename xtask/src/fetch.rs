//! `cargo xtask fetch`: downloads the WSDL of every known service and realm from a
//! PortaBilling server, follows their imports, and writes them normalised into the snapshot
//! folder.
//!
//! Everything is downloaded first, then written into a temporary folder beside `--out`, and only
//! files that downloaded cleanly, together with everything they import, are moved in: a failure
//! keeps the old copy. The files carry no fetch metadata (host, date), so fetching an unchanged
//! server again changes no byte and no modification time.

mod normalize;

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use reqwest::blocking::Client;
use reqwest::Url;

/// The services whose WSDL is served as `/wsdl/<Service><Realm>Service.wsdl`.
const SERVICES: &[&str] = &[
    "Session",
    "Internal",
    "Callmon",
    "DIDAPI",
    "LS_Conference",
    "Queues",
];
const REALMS: &[&str] = &["Admin", "Reseller"];

const CONNECT_TIMEOUT_SECS: u64 = 30;
const DEFAULT_TIMEOUT_SECS: u64 = 120;

pub const USAGE: &str = "usage: cargo xtask fetch --base-url URL [--realm admin|reseller|both] \
[--services Session,DIDAPI,...] [--out DIR] [--timeout SECS] [--danger-accept-invalid-certs]";

struct Options {
    base_url: Url,
    realms: Vec<&'static str>,
    services: Vec<String>,
    out: PathBuf,
    timeout: u64,
    accept_invalid_certs: bool,
}

pub fn main(args: &[String]) -> ExitCode {
    let options = match parse_args(args) {
        Ok(options) => options,
        Err(e) => {
            eprintln!("{e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(&options) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn parse_args(args: &[String]) -> Result<Options, String> {
    let mut base_url = None;
    let mut realms = REALMS.to_vec();
    let mut services: Vec<String> = SERVICES.iter().map(|s| s.to_string()).collect();
    let mut out = crate::workspace_root().join("wsdl-snapshots");
    let mut timeout = DEFAULT_TIMEOUT_SECS;
    let mut accept_invalid_certs = false;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        if arg == "--danger-accept-invalid-certs" {
            accept_invalid_certs = true;
            continue;
        }
        let mut value = || it.next().ok_or_else(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--base-url" => {
                let url = Url::parse(value()?).map_err(|e| format!("--base-url: {e}"))?;
                if !matches!(url.scheme(), "http" | "https") {
                    return Err("--base-url must be an http:// or https:// URL".into());
                }
                base_url = Some(url);
            }
            "--realm" => {
                realms = match value()?.to_ascii_lowercase().as_str() {
                    "admin" => vec!["Admin"],
                    "reseller" => vec!["Reseller"],
                    "both" => REALMS.to_vec(),
                    other => {
                        return Err(format!(
                            "--realm `{other}`: expected admin, reseller or both"
                        ))
                    }
                }
            }
            "--services" => {
                services = value()?.split(',').map(|s| s.trim().to_string()).collect();
                // The name goes into a URL and a file name.
                if let Some(bad) = services.iter().find(|s| {
                    s.is_empty() || !s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                }) {
                    return Err(format!(
                        "--services: `{bad}` is not a service name (known: {})",
                        SERVICES.join(",")
                    ));
                }
            }
            "--out" => out = PathBuf::from(value()?),
            "--timeout" => {
                timeout = value()?
                    .parse()
                    .ok()
                    .filter(|&t| t > 0)
                    .ok_or("--timeout needs a whole number of seconds, at least 1")?;
            }
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(Options {
        base_url: base_url.ok_or("--base-url is required")?,
        realms,
        services,
        out,
        timeout,
        accept_invalid_certs,
    })
}

/// A downloaded file: its text (as served), where its locations point (resolved), and the
/// extension its content calls for.
struct Body {
    text: String,
    refs: BTreeMap<String, Url>,
    ext: &'static str,
}

/// Fetches, writes and reports; `Ok(false)` when some file failed.
fn run(options: &Options) -> Result<bool, String> {
    if options.accept_invalid_certs {
        eprintln!(
            "warning: --danger-accept-invalid-certs: the server's TLS certificate is not verified"
        );
    }
    let client = Client::builder()
        .connect_timeout(Duration::from_secs(
            CONNECT_TIMEOUT_SECS.min(options.timeout),
        ))
        .timeout(Duration::from_secs(options.timeout))
        .danger_accept_invalid_certs(options.accept_invalid_certs)
        .user_agent(concat!(
            "telinta-api-xtask-fetch/",
            env!("CARGO_PKG_VERSION")
        ))
        .build()
        .map_err(|e| format!("cannot build the HTTP client: {e}"))?;
    let mut roots = Vec::new();
    for service in &options.services {
        for realm in &options.realms {
            let name = format!("{service}{realm}Service.wsdl");
            let url = wsdl_url(&options.base_url, &name)?;
            roots.push((name, url));
        }
    }

    let files = crawl(&client, options.timeout, &roots);
    let names = assign_names(&roots, &files);
    let failures = failures(&files);

    std::fs::create_dir_all(&options.out)
        .map_err(|e| format!("creating {}: {e}", options.out.display()))?;
    // Beside --out, so that moving a file in is a rename on the same file system.
    let parent = match options.out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let tmp = tempfile::Builder::new()
        .prefix(".fetch-tmp-")
        .tempdir_in(parent)
        .map_err(|e| format!("creating a temporary folder in {}: {e}", parent.display()))?;

    // Roots first, in service and realm order, then what they import, by name.
    let mut order: Vec<&Url> = roots.iter().map(|(_, url)| url).collect();
    let mut imported: Vec<&Url> = files.keys().filter(|u| !order.contains(u)).collect();
    imported.sort_by_key(|u| &names[*u]);
    order.extend(imported);

    // Stage every file that can be written in the temporary folder; --out is not touched yet.
    let mut staged = Vec::new();
    for url in order {
        let name = &names[url];
        let status = match (&files[url], failures.get(url)) {
            (Ok(body), None) => stage(
                body,
                &names,
                &tmp.path().join(name),
                &options.out.join(name),
            ),
            (_, Some(why)) => Err(why.clone()),
            (Err(e), None) => Err(e.clone()),
        };
        staged.push((name, url, status));
    }

    // Swap in: a rename per changed file, so that --out never holds a half-written one.
    let (mut fetched, mut unchanged, mut failed) = (0, 0, 0);
    for (name, url, status) in staged {
        let dest = options.out.join(name);
        let status = status.and_then(|tmp| match tmp {
            Some(tmp) => std::fs::rename(&tmp, &dest)
                .map(|()| true)
                .map_err(|e| format!("moving into {}: {e}", dest.display())),
            None => Ok(false),
        });
        match status {
            Ok(true) => {
                fetched += 1;
                println!("{name}: fetched ({url})");
            }
            Ok(false) => {
                unchanged += 1;
                println!("{name}: unchanged ({url})");
            }
            Err(why) => {
                failed += 1;
                println!("{name}: FAILED: {why}");
            }
        }
    }
    println!(
        "{} files: {fetched} fetched, {unchanged} unchanged, {failed} failed",
        names.len()
    );
    if failed > 0 {
        eprintln!(
            "error: {failed} file(s) failed; their copies in {} were left as they were",
            options.out.display()
        );
    }
    Ok(failed == 0)
}

/// `<base>/wsdl/<name>`, keeping a path the base URL may have.
fn wsdl_url(base: &Url, name: &str) -> Result<Url, String> {
    let base = format!("{}/", base.as_str().trim_end_matches('/'));
    Url::parse(&base)
        .and_then(|b| b.join(&format!("wsdl/{name}")))
        .map_err(|e| format!("building the URL of {name}: {e}"))
}

/// Downloads the roots and, breadth first, every file they reference, each URL once (which
/// also ends import cycles). A file that fails is recorded with the reason.
fn crawl(
    client: &Client,
    timeout: u64,
    roots: &[(String, Url)],
) -> BTreeMap<Url, Result<Body, String>> {
    let mut files = BTreeMap::new();
    let mut queue: VecDeque<(Url, bool)> = roots.iter().map(|(_, u)| (u.clone(), true)).collect();
    while let Some((url, is_root)) = queue.pop_front() {
        if files.contains_key(&url) {
            continue;
        }
        let body = download(client, timeout, &url, is_root);
        if let Ok(body) = &body {
            queue.extend(body.refs.values().map(|u| (u.clone(), false)));
        }
        files.insert(url, body);
    }
    files
}

fn download(client: &Client, timeout: u64, url: &Url, is_root: bool) -> Result<Body, String> {
    let fail = |what: String| format!("GET {url}: {what}");
    let describe = |e: reqwest::Error| {
        if e.is_timeout() {
            let secs = if e.is_connect() {
                CONNECT_TIMEOUT_SECS.min(timeout)
            } else {
                timeout
            };
            return fail(format!("timed out after {secs} s"));
        }
        // reqwest's own message is vague ("error sending request"): add its causes.
        let e = e.without_url();
        let mut msg = e.to_string();
        let mut source = std::error::Error::source(&e);
        while let Some(s) = source {
            msg.push_str(": ");
            msg.push_str(&s.to_string());
            source = s.source();
        }
        fail(msg)
    };
    let response = client.get(url.clone()).send().map_err(describe)?;
    let status = response.status();
    if !status.is_success() {
        return Err(fail(format!("HTTP {status}")));
    }
    // Relative locations are relative to where a redirect led.
    let base = response.url().clone();
    let bytes = response.bytes().map_err(describe)?;
    let text = check_xml(&bytes).map_err(fail)?;
    let doc = normalize::parse(&text).map_err(fail)?;
    let root = doc.root_element().tag_name();
    let ext = match (root.namespace(), root.name()) {
        (Some(normalize::WSDL_NS), "definitions") => Some("wsdl"),
        (Some(normalize::XSD_NS), "schema") if !is_root => Some("xsd"),
        _ => None,
    };
    let Some(ext) = ext else {
        return Err(fail(format!(
            "expected {}, found <{}>",
            if is_root {
                "a WSDL (<wsdl:definitions>)"
            } else {
                "a WSDL or an XSD (<xsd:schema>)"
            },
            root.name()
        )));
    };
    let mut refs = BTreeMap::new();
    for location in normalize::locations(&doc) {
        let mut target = base
            .join(location)
            .map_err(|e| fail(format!("bad location `{location}`: {e}")))?;
        target.set_fragment(None);
        refs.insert(location.to_string(), target);
    }
    Ok(Body { text, refs, ext })
}

/// The body as text, unless it is plainly not XML: an HTML error page, or not markup at all.
fn check_xml(bytes: &[u8]) -> Result<String, String> {
    let lossy = String::from_utf8_lossy(bytes);
    let start = lossy.trim_start_matches('\u{feff}').trim_start();
    let lower = start.get(..14).unwrap_or(start).to_ascii_lowercase();
    if !start.starts_with('<') || lower.starts_with("<html") || lower.starts_with("<!doctype html")
    {
        let mut head: String = start.split_whitespace().collect::<Vec<_>>().join(" ");
        if head.chars().count() > 40 {
            head = head.chars().take(40).collect::<String>() + "...";
        }
        return Err(format!("not XML (starts with {head:?})"));
    }
    String::from_utf8(bytes.to_vec()).map_err(|e| {
        format!(
            "not UTF-8 (byte {}): only UTF-8 WSDL is supported",
            e.utf8_error().valid_up_to()
        )
    })
}

/// Local file names: a root keeps `<Service><Realm>Service.wsdl`, any other file the last
/// segment of its URL path, with `.xsd` or `.wsdl` added when that does not already say what
/// it holds (the generator goes by the extension). Same names from different URLs get `-2`,
/// `-3`, ... in sorted URL order (compared without case, for case-insensitive file systems).
/// The host never appears.
fn assign_names(
    roots: &[(String, Url)],
    files: &BTreeMap<Url, Result<Body, String>>,
) -> BTreeMap<Url, String> {
    let mut names = BTreeMap::new();
    let mut taken = BTreeSet::new();
    for (name, url) in roots {
        names.insert(url.clone(), name.clone());
        taken.insert(name.to_lowercase());
    }
    // A BTreeMap iterates in URL order.
    for (url, file) in files {
        if names.contains_key(url) {
            continue;
        }
        let segment = url
            .path_segments()
            .and_then(|mut s| s.next_back())
            .unwrap_or("");
        let mut base: String = segment
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || "._-".contains(c) {
                    c
                } else {
                    '_'
                }
            })
            .collect::<String>()
            .trim_start_matches('.')
            .to_string();
        // A file that failed is not written: its name only has to be stable.
        let ext = file.as_ref().map_or("xsd", |b| b.ext);
        if !base.to_lowercase().ends_with(&format!(".{ext}")) {
            base = if base.is_empty() {
                format!("schema.{ext}")
            } else {
                format!("{base}.{ext}")
            };
        }
        let (stem, ext) = base.split_at(base.len() - ext.len() - 1);
        let mut name = base.clone();
        for n in 2.. {
            if taken.insert(name.to_lowercase()) {
                break;
            }
            name = format!("{stem}-{n}{ext}");
        }
        names.insert(url.clone(), name);
    }
    names
}

/// Why each file that must keep its old copy does: its own download failed, or a file it
/// needs (directly or through other imports) did.
fn failures(files: &BTreeMap<Url, Result<Body, String>>) -> BTreeMap<Url, String> {
    let mut out = BTreeMap::new();
    for (url, file) in files {
        if let Err(e) = file {
            out.insert(url.clone(), e.clone());
            continue;
        }
        // Breadth first, so the reason names the nearest failure; `seen` ends cycles.
        let mut seen = BTreeSet::from([url]);
        let mut queue = VecDeque::from([url]);
        while let Some(u) = queue.pop_front() {
            match &files[u] {
                Err(_) => {
                    out.insert(url.clone(), format!("needs {u}, which failed"));
                    break;
                }
                Ok(body) => {
                    let mut next: Vec<&Url> =
                        body.refs.values().filter(|r| seen.insert(*r)).collect();
                    next.sort();
                    queue.extend(next);
                }
            }
        }
    }
    out
}

/// Writes the normalised file into the temporary folder, unless `dest` already holds the same
/// bytes (then it is left alone, modification time included). `Ok(Some(staged))` when `dest`
/// is to be replaced.
fn stage(
    body: &Body,
    names: &BTreeMap<Url, String>,
    tmp: &Path,
    dest: &Path,
) -> Result<Option<PathBuf>, String> {
    let rewrite = |location: &str| {
        body.refs
            .get(location)
            .and_then(|url| names.get(url))
            .cloned()
            .unwrap_or_else(|| location.to_string())
    };
    let text = normalize::normalize(&body.text, &rewrite)?;
    if std::fs::read(dest).is_ok_and(|old| old == text.as_bytes()) {
        return Ok(None);
    }
    std::fs::write(tmp, &text).map_err(|e| format!("writing {}: {e}", tmp.display()))?;
    Ok(Some(tmp.to_path_buf()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same(text: &str) -> String {
        normalize::normalize(text, &|l| l.to_string()).unwrap()
    }

    /// The hand-made snapshots are already in the normalised layout, byte for byte.
    #[test]
    fn existing_snapshots_normalise_to_themselves() {
        let mut checked = 0;
        for entry in std::fs::read_dir(crate::workspace_root().join("wsdl-snapshots")).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "wsdl" || e == "xsd") {
                let text = std::fs::read_to_string(&path).unwrap();
                assert!(
                    same(&text) == text,
                    "{} changes when normalised",
                    path.display()
                );
                checked += 1;
            }
        }
        assert!(checked >= 3);
    }

    #[test]
    fn layout_does_not_matter_and_normalising_twice_changes_nothing() {
        let a = "<?xml version='1.0' encoding='utf-8'?>\r\n<a:r xmlns:a=\"http://www.w3.org/2001/XMLSchema\" n='1'>\r\n\t<a:annotation>\r\n\t\t<a:documentation>  Some text.  </a:documentation>\r\n\t</a:annotation>\r\n\t<a:e></a:e><a:w>  </a:w>\r\n</a:r>";
        let b = "\u{feff}<a:r n=\"1\"\n      xmlns:a=\"http://www.w3.org/2001/XMLSchema\"><a:annotation><a:documentation>  Some text.  </a:documentation></a:annotation><a:e/><a:w>\n</a:w></a:r>";
        let expected = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<a:r n=\"1\"\n  xmlns:a=\"http://www.w3.org/2001/XMLSchema\">\n <a:annotation><a:documentation>Some text.</a:documentation></a:annotation>\n <a:e/>\n <a:w>\n </a:w>\n</a:r>\n";
        assert_eq!(same(a), expected);
        assert_eq!(same(b), expected);
        assert_eq!(same(expected), expected);
    }

    #[test]
    fn documentation_is_trimmed_mixed_content_and_comments_kept() {
        let text = "<w:definitions xmlns:w=\"http://schemas.xmlsoap.org/wsdl/\">\n  <!-- kept  as is -->\n  <w:documentation>\n    Line one\n    line two\n  </w:documentation>\n  <w:operation name=\"x\"><w:documentation>Use <b>this</b> one </w:documentation></w:operation>\n</w:definitions>";
        assert_eq!(
            same(text),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<w:definitions\n  xmlns:w=\"http://schemas.xmlsoap.org/wsdl/\">\n <!-- kept  as is -->\n <w:documentation>Line one\n    line two</w:documentation>\n <w:operation name=\"x\">\n  <w:documentation>Use <b>this</b> one </w:documentation>\n </w:operation>\n</w:definitions>\n"
        );
    }

    #[test]
    fn namespaces_stay_where_declared_and_escapes_round_trip() {
        let text = "<r xmlns=\"urn:d\"><s xmlns:p=\"urn:p&amp;q\" p:a=\"x&quot;&lt;&#10;y'\">a &amp; b &lt; c &gt; d ]]&gt; &#13;</s></r>";
        let out = same(text);
        assert_eq!(
            out,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<r\n  xmlns=\"urn:d\">\n <s p:a=\"x&quot;&lt;&#10;y'\"\n   xmlns:p=\"urn:p&amp;q\">a &amp; b &lt; c > d ]]&gt; &#13;</s>\n</r>\n"
        );
        let (a, b) = (
            normalize::parse(text).unwrap(),
            normalize::parse(&out).unwrap(),
        );
        let s = |d: &roxmltree::Document| {
            let n = d
                .descendants()
                .find(|n| n.has_tag_name(("urn:d", "s")))
                .unwrap();
            (
                n.attribute(("urn:p&q", "a")).map(str::to_string),
                n.text().map(str::to_string),
            )
        };
        assert_eq!(s(&a), s(&b));
    }

    #[test]
    fn only_file_locations_are_rewritten() {
        let text = r#"<w:definitions xmlns:w="http://schemas.xmlsoap.org/wsdl/" xmlns:x="http://www.w3.org/2001/XMLSchema" xmlns:s="http://schemas.xmlsoap.org/wsdl/soap/"><w:import location="a/B.wsdl"/><w:types><x:schema><x:include schemaLocation="../C.xsd"/></x:schema></w:types><w:service><w:port><s:address location="https://host/soap/"/></w:port></w:service></w:definitions>"#;
        let doc = normalize::parse(text).unwrap();
        assert_eq!(normalize::locations(&doc), ["a/B.wsdl", "../C.xsd"]);
        let out = normalize::normalize(text, &|l: &str| format!("<{l}>")).unwrap();
        assert!(out.contains(r#"location="&lt;a/B.wsdl>""#), "{out}");
        assert!(out.contains(r#"schemaLocation="&lt;../C.xsd>""#), "{out}");
        assert!(out.contains(r#"location="https://host/soap/""#), "{out}");
    }

    #[test]
    fn dtds_and_broken_xml_are_refused() {
        let dtd = normalize::parse("<!DOCTYPE r [<!ENTITY a \"b\">]><r>&a;</r>").unwrap_err();
        assert!(dtd.starts_with("refused: the document has a DTD"), "{dtd}");
        let broken = normalize::parse("<r>\n  <a></b>\n</r>").unwrap_err();
        assert!(
            broken.starts_with("malformed XML at line 2 column 6: "),
            "{broken}"
        );
        let unclosed = normalize::parse("<r>").unwrap_err();
        assert!(unclosed.starts_with("malformed XML: "), "{unclosed}");
    }

    #[test]
    fn html_and_plain_text_are_not_xml() {
        let e = check_xml(
            b"  <!doctype HTML>\n<html>\n<body>Internal Server Error: something went wrong</body>",
        )
        .unwrap_err();
        assert_eq!(
            e,
            r#"not XML (starts with "<!doctype HTML> <html> <body>Internal Se...")"#
        );
        assert!(check_xml(b"<HTML><body/></HTML>").is_err());
        assert!(check_xml(b"Service unavailable").is_err());
        assert!(check_xml(b"\xef\xbb\xbf<?xml version=\"1.0\"?><r/>").is_ok());
        assert!(check_xml(b"<r>\xff</r>")
            .unwrap_err()
            .starts_with("not UTF-8"));
    }

    #[test]
    fn names_are_deterministic_unique_and_hostless() {
        let url = |s: &str| Url::parse(s).unwrap();
        let body = |ext| {
            Ok(Body {
                text: String::new(),
                refs: BTreeMap::new(),
                ext,
            })
        };
        let root = url("https://h/wsdl/SessionAdminService.wsdl");
        let files = BTreeMap::from([
            (root.clone(), body("wsdl")),
            (url("https://h/b/Common.xsd"), body("xsd")),
            (url("https://h/a/common.XSD"), body("xsd")),
            (url("https://other/Common.xsd"), Err("failed".to_string())),
            (url("https://h/types?x=1"), body("wsdl")),
            (url("https://h/x/SessionAdminService.wsdl"), body("wsdl")),
            (url("https://h/"), body("xsd")),
        ]);
        let names = assign_names(&[("SessionAdminService.wsdl".into(), root)], &files);
        let names: Vec<&str> = names.values().map(String::as_str).collect();
        assert_eq!(
            names,
            [
                "schema.xsd",
                "common.XSD",
                "Common-2.xsd",
                "types.wsdl",
                "SessionAdminService.wsdl",
                "SessionAdminService-2.wsdl",
                "Common-3.xsd",
            ]
        );
    }

    #[test]
    fn the_wsdl_url_keeps_the_base_path() {
        let url = |base: &str| {
            wsdl_url(&Url::parse(base).unwrap(), "X.wsdl")
                .unwrap()
                .to_string()
        };
        assert_eq!(url("https://h"), "https://h/wsdl/X.wsdl");
        assert_eq!(url("https://h:8444/"), "https://h:8444/wsdl/X.wsdl");
        assert_eq!(url("http://h/porta"), "http://h/porta/wsdl/X.wsdl");
    }
}
