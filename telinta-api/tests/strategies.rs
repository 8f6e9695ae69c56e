//! The two ways of reading a response, streaming (what the client does for every response
//! without `href`) and the parsed tree (for multi-references), must agree: same values, same
//! faults, same errors. Every captured response, the benchmark fixtures and hand-made edge
//! cases are decoded both ways.

use std::path::Path;

use telinta_api::didapi::{GetDidapiCountriesListResponse, GetDidapiNumbersListResponse};
use telinta_api::encoding::{decode_element, DecodeError, Strategy, Value};
use telinta_api::internal::GetRatesListResponse;
use telinta_api::session::{LoginResponse, PingResponse};
use telinta_api::{decode_response_with, Fault};

type Decoded<T> = Result<Result<T, Fault>, String>;

fn both<T: telinta_api::encoding::Decode + std::fmt::Debug + PartialEq>(body: &str) -> Decoded<T> {
    let tree: Decoded<T> = decode_response_with(body, Strategy::Tree).map_err(|e| e.to_string());
    let stream: Decoded<T> =
        decode_response_with(body, Strategy::Stream).map_err(|e| e.to_string());
    assert_eq!(stream, tree, "stream and tree differ on:\n{body}");
    stream
}

fn http_body(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let (_, body) = text
        .split_once("\r\n\r\n")
        .or_else(|| text.split_once("\n\n"))
        .expect("headers");
    body.to_string()
}

fn responses(dir: &Path, out: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            responses(&path, out);
        } else if path.to_string_lossy().ends_with(".resp.http") {
            out.push((path.display().to_string(), http_body(&path)));
        }
    }
}

#[test]
fn every_captured_response_decodes_the_same_both_ways() {
    let mut samples = Vec::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    responses(&root.join("tests/fixtures/wire-samples"), &mut samples);
    assert!(samples.len() >= 15, "{} samples", samples.len());
    let (mut values, mut faults) = (0, 0);
    for (name, body) in &samples {
        // Untyped, and as each response type the samples hold.
        match both::<Value>(body) {
            Ok(Ok(_)) => values += 1,
            Ok(Err(_)) => faults += 1,
            Err(e) => panic!("{name}: {e}"),
        }
        both::<LoginResponse>(body).ok();
        both::<PingResponse>(body).ok();
        both::<GetDidapiNumbersListResponse>(body).ok();
        both::<GetDidapiCountriesListResponse>(body).ok();
    }
    assert!(
        values >= 8 && faults >= 6,
        "{values} values, {faults} faults"
    );
}

#[test]
fn benchmark_fixtures_decode_the_same_both_ways() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../bench/fixtures");
    let numbers = std::fs::read_to_string(dir.join("get_numbers_100.xml")).unwrap();
    let decoded = both::<GetDidapiNumbersListResponse>(&numbers)
        .unwrap()
        .unwrap();
    assert_eq!(decoded.numbers.len(), 100);
    assert_eq!(decoded.numbers[0].city.as_deref(), Some("Española"));
    both::<Value>(&numbers).unwrap().unwrap();
    let rates = std::fs::read_to_string(dir.join("get_rates_list_100.xml")).unwrap();
    let decoded = both::<GetRatesListResponse>(&rates).unwrap().unwrap();
    assert_eq!(decoded.rates_list.unwrap().rates.len(), 100);
    both::<Value>(&rates).unwrap().unwrap();
}

fn envelope(part: &str) -> String {
    format!(
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8"?><soap:Envelope"#,
            r#" xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/""#,
            r#" xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/""#,
            r#" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance""#,
            r#" xmlns:xsd="http://www.w3.org/2001/XMLSchema">"#,
            r#"<soap:Body><m:pingResponse xmlns:m="urn:x">{}</m:pingResponse>"#,
            r#"</soap:Body></soap:Envelope>"#
        ),
        part
    )
}

#[test]
fn edge_cases_decode_the_same_both_ways() {
    let parts = [
        // Untyped wrappers: an array when every child is an `item`, else a structure.
        "<r><item>1</item><item>2</item></r>",
        "<r><item>1</item><other>2</other></r>",
        "<r><a><item>x</item></a><b/></r>",
        // Mixed and odd content.
        "<r>text<a>1</a>tail</r>",
        "<r xsi:type=\"xsd:string\">a &amp; b &#233; <![CDATA[<c>]]></r>",
        "<r xsi:type=\"xsd:string\"><!-- c -->x<?pi y?></r>",
        "<r xsi:nil=\"true\"><a>ignored</a></r>",
        "<r soapenc:arrayType=\"xsd:int[2]\" xsi:type=\"soapenc:Array\"><x>1</x><y>2</y></r>",
        "<r soapenc:arrayType=\"xsd:int[99999999]\" xsi:type=\"soapenc:Array\"><item>1</item></r>",
        "<r xsi:type=\"ns:S\"><item>1</item><item>2</item></r>",
        "",
        "<r/>",
        "<r>  </r>",
    ];
    // A byte order mark before the document (quick-xml does not count it in its positions,
    // which an untyped element read into a tree of its own, or a fault's detail, rely on).
    let bom = format!(
        "\u{feff}{}",
        envelope("<r><a><item>1</item></a><b><c>2</c></b></r>")
    );
    let v: Value = both(&bom).unwrap().unwrap();
    assert_eq!(
        v.get("a"),
        Some(&Value::Array(vec![Value::Text("1".into())]))
    );
    let fault = "\u{feff}<e:Envelope xmlns:e=\"urn:e\"><e:Body><e:Fault><faultcode>c</faultcode><faultstring>s</faultstring><detail><x>1</x></detail></e:Fault></e:Body></e:Envelope>";
    let f = both::<Value>(fault).unwrap().unwrap_err();
    assert_eq!(f.detail.as_deref(), Some("<detail><x>1</x></detail>"));
    for part in parts {
        both::<Value>(&envelope(part)).ok();
        both::<PingResponse>(&envelope(part)).ok();
        both::<Vec<i64>>(&envelope(part)).ok();
        both::<Option<Vec<String>>>(&envelope(part)).ok();
    }
    // An untyped wrapper of items is an array, streamed too.
    let v: Vec<i64> = both(&envelope("<r><item>1</item><item>2</item></r>"))
        .unwrap()
        .unwrap();
    assert_eq!(v, vec![1, 2]);
}

#[test]
fn broken_documents_are_refused_both_ways() {
    let good = envelope("<r><item>1</item></r>");
    let cases = [
        // Truncated after the part was complete: not a complete response.
        good[..good.len() - 10].to_string(),
        format!("{good}<second/>"),
        format!("{good}trailing text"),
        good.replace("</m:pingResponse>", "</m:other>"),
        format!("<!DOCTYPE x [<!ENTITY a \"b\">]>{good}"),
        good.replace("1", "&unknown;"),
        "<a>".repeat(300) + &"</a>".repeat(300),
        // Outside the root only XML whitespace (space, tab, CR, LF) may appear.
        format!("{good}\u{a0}"),
        format!("\u{3000}{good}"),
        format!("{good}\x0c"),
        format!("{good}<![CDATA[x]]>"),
        format!("{good}&amp;"),
        format!("&#65;{good}"),
        String::new(),
        "just text".to_string(),
    ];
    // The first error found may differ (a tree reads the whole body first).
    for body in &cases {
        for strategy in [Strategy::Stream, Strategy::Tree] {
            let result = decode_response_with::<Value>(body, strategy);
            assert!(result.is_err(), "{strategy:?} accepted: {body:.200}");
        }
    }
}

#[test]
fn whitespace_around_the_root_is_accepted_both_ways() {
    let body = format!("\r\n \t{}\n\n", envelope("<r>7</r>"));
    let v: Vec<i64> = both(&body).unwrap().unwrap();
    assert_eq!(v, vec![7]);
}

#[test]
fn announced_array_lengths_do_not_reserve_beyond_the_body() {
    // Each nested array claims a billion items; the body holds one.
    let part = concat!(
        r#"<x xsi:type="ns:GetRatesListResponse"><rates_list soapenc:arrayType="xsd:anyType[2]">"#,
        r#"<item soapenc:arrayType="ns:RateInfo[999999999]"><item xsi:type="ns:RateInfo"/></item>"#,
        r#"<item>5</item></rates_list></x>"#
    );
    let body = format!("{}{}", envelope(part), " ".repeat(100_000));
    let decoded = both::<GetRatesListResponse>(&body).unwrap().unwrap();
    let rates = decoded.rates_list.unwrap().rates;
    assert_eq!(rates.len(), 1);
    // Not 100,000 bytes' worth of `RateInfo`s kept for one.
    assert!(rates.capacity() < 4, "capacity {}", rates.capacity());
    // Many arrays, each claiming the rest of the body, decode in memory and time linear in it.
    let many = r#"<i soapenc:arrayType="xsd:anyType[999999999]"><i/></i>"#.repeat(30_000);
    let body = envelope(&format!(r#"<p xsi:type="soapenc:Array">{many}</p>"#));
    let value = both::<Value>(&body).unwrap().unwrap();
    assert!(matches!(value, Value::Array(items) if items.len() == 30_000));
}

#[test]
fn the_client_streams_large_bodies_unless_a_reference_may_need_following() {
    // Small bodies: the tree (faster per element; its memory does not matter).
    assert_eq!(
        Strategy::Auto.resolve(&envelope("<r>1</r>")),
        Strategy::Tree
    );
    // From 1 MiB on: streamed, unless an `href` may need following.
    let large = envelope(&"<r>1</r>".repeat(150_000));
    assert!(large.len() >= 1 << 20);
    assert_eq!(Strategy::Auto.resolve(&large), Strategy::Stream);
    let with_ref = large.replacen("<r>1</r>", r##"<r href="#1"/>"##, 1);
    assert_eq!(Strategy::Auto.resolve(&with_ref), Strategy::Tree);
    // Streaming does not follow references, which is why Auto does not stream them.
    let element = r##"<v><a href="#x"/><b id="x">7</b></v>"##;
    let tree: Value = decode_element(element, Strategy::Tree).unwrap();
    assert_eq!(tree.get("a").and_then(Value::as_str), Some("7"));
    let auto: Result<Value, DecodeError> = decode_element(element, Strategy::Auto);
    assert_eq!(auto.unwrap(), tree);
}
