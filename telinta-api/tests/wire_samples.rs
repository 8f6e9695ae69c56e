//! Decoding real SOAP::Lite responses (`fixtures/wire-samples/`, copied from the project's
//! shared wire samples: a SOAP::Lite 1.27 server answering PHP's SoapClient and curl).

use std::path::Path;

use telinta_api::didapi::{
    DidapiOrderNumberResponse, GetDidapiCountriesListResponse, GetDidapiNumbersListResponse,
};
use telinta_api::encoding::Value;
use telinta_api::session::{LoginResponse, PingResponse};
use telinta_api::{decode_response, Fault};

/// The body of a captured HTTP message.
fn body(sample: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/wire-samples")
        .join(sample);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let (_, body) = text
        .split_once("\r\n\r\n")
        .or_else(|| text.split_once("\n\n"))
        .expect("headers");
    body.to_string()
}

fn ok<T: telinta_api::encoding::Decode>(sample: &str) -> T {
    decode_response::<T>(&body(sample))
        .unwrap_or_else(|e| panic!("{sample}: {e}"))
        .unwrap_or_else(|f| panic!("{sample}: unexpected fault {f}"))
}

fn fault(sample: &str) -> Fault {
    match decode_response::<Value>(&body(sample)).unwrap_or_else(|e| panic!("{sample}: {e}")) {
        Err(f) => f,
        Ok(v) => panic!("{sample}: expected a fault, got {v:?}"),
    }
}

#[test]
fn login_response_gives_the_session_id() {
    let r: LoginResponse = ok("php-client/login.resp.http");
    assert_eq!(
        r.session_id.as_deref(),
        Some("560511aae12b6ad254b7954d007efbf7")
    );
    let r: LoginResponse = ok("curl-login/login.resp.http");
    assert_eq!(
        r.session_id.as_deref(),
        Some("ff819909b7f81cb4969cfb72828f1ab6")
    );
}

#[test]
fn ping_user_id_with_a_trailing_newline_is_an_integer() {
    // SOAP::Lite sent `<user_id xsi:type="xsd:int">42\n</user_id>`.
    let r: PingResponse = ok("php-client/ping.resp.http");
    assert_eq!(r.user_id, Some(42));
}

#[test]
fn countries_array_decodes_in_order() {
    let r: GetDidapiCountriesListResponse =
        ok("curl-login-password-header/get_countries.resp.http");
    let values: Vec<_> = r
        .countries
        .iter()
        .map(|c| {
            (
                c.value.as_deref().unwrap(),
                c.name.as_deref().unwrap(),
                c.package.as_deref().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        values,
        [
            ("US", "United States", "standard"),
            ("CA", "Canada", "standard"),
            ("GB", "United Kingdom", "premium")
        ]
    );
}

#[test]
fn empty_any_type_array_is_an_empty_vec() {
    // `soapenc:arrayType="xsd:anyType[0]"`: SOAP::Lite cannot know the item type.
    let r: GetDidapiNumbersListResponse = ok("curl-empty-array/get_numbers.resp.http");
    assert!(r.numbers.is_empty());
}

#[test]
fn hundred_numbers_with_nil_and_non_ascii_members_decode_as_values() {
    let r: Value = ok("php-client/get_numbers.resp.http");
    let Some(Value::Array(numbers)) = r.get("numbers") else {
        panic!("numbers is not an array: {r:?}");
    };
    assert_eq!(numbers.len(), 100);
    assert_eq!(
        numbers[0].get("number").and_then(Value::as_str),
        Some("12125550000")
    );
    assert_eq!(
        numbers[0].get("monthly").and_then(Value::as_str),
        Some("0.99")
    );
    let cities: Vec<_> = numbers
        .iter()
        .filter_map(|n| n.get("city")?.as_str())
        .collect();
    assert_eq!(cities.iter().filter(|c| **c == "Saint-Jérôme").count(), 20);
    assert_eq!(numbers[99].get("error"), Some(&Value::Nil));
}

#[test]
fn a_member_of_the_wrong_type_names_its_path_and_what_was_expected() {
    // In these samples `code` is a string like "NY-212"; the reference document types it `int`.
    let err =
        decode_response::<GetDidapiNumbersListResponse>(&body("php-client/get_numbers.resp.http"))
            .expect_err("code is not an integer");
    assert_eq!(err.path(), "numbers[0].code");
    assert_eq!(
        err.to_string(),
        r#"at `numbers[0].code`: expected an integer, found "NY-212""#
    );
}

#[test]
fn order_result_with_long_and_datetime_values() {
    let r: Value = ok("php-client/order_number.resp.http");
    assert_eq!(
        r.get("order_id").and_then(Value::as_str),
        Some("9000000001")
    );
    assert_eq!(
        r.get("expiration_date").and_then(Value::as_str),
        Some("2027-01-31T23:59:59Z")
    );
    // Decoded into the document's structure, unknown members are skipped.
    let typed: DidapiOrderNumberResponse = ok("php-client/order_number.resp.http");
    assert_eq!(typed.result, None);
}

#[test]
fn faults_carry_code_string_and_actor() {
    let f = fault("php-client/login.fault.resp.http");
    assert_eq!(f.code, "soap:Server.Session.login.auth_failed");
    assert_eq!(f.code_path(), "Server.Session.login.auth_failed");
    assert_eq!(f.string, "Authentication failed: invalid login or password");
    assert_eq!(f.actor.as_deref(), Some("http://127.0.0.1:18181/"));
    assert_eq!(f.detail, None);
    assert!(f.is_auth_failure());

    let f = fault("php-client/get_countries.fault.resp.http");
    assert_eq!(f.code_path(), "Server.Session.check_auth.auth_failed");
    assert!(f.is_auth_failure());

    let f = fault("curl-ping-expired/ping.fault.resp.http");
    assert_eq!(f.code_path(), "Server.Session.alive_check.session_expired");
    assert!(f.is_auth_failure());

    let f = fault("php-client/order_number.fault.resp.http");
    assert_eq!(f.string, "Number '12125550000' is not available");
    assert!(!f.is_auth_failure());

    // SOAP::Lite's own faultstrings end in a newline; it is trimmed.
    let f = fault("curl-bad-soapaction/ping.fault.resp.http");
    assert_eq!(f.code, "soap:Client");
    assert!(f.string.starts_with("SOAPAction shall match 'uri#method'"));
    assert!(!f.string.ends_with('\n'));
    let f = fault("curl-malformed-xml/unknown.fault.resp.http");
    assert!(f
        .string
        .starts_with("Application failed during request deserialization"));
    let f = fault("curl-unknown-method/nosuch.fault.resp.http");
    assert!(f
        .string
        .starts_with("Failed to access class (Porta::SOAP::Session)"));
}

#[test]
fn fault_detail_is_kept_as_xml() {
    let body = r#"<?xml version="1.0"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><soap:Fault><faultcode>soap:Server</faultcode><faultstring>boom</faultstring><detail><reason code="7">quota</reason></detail></soap:Fault></soap:Body></soap:Envelope>"#;
    let f = decode_response::<Value>(body).unwrap().unwrap_err();
    assert_eq!(
        f.detail.as_deref(),
        Some(r#"<detail><reason code="7">quota</reason></detail>"#)
    );
    assert_eq!(f.actor, None);
}

#[test]
fn multi_references_are_followed() {
    // SOAP::Lite writes shared values once, as `id`-ed siblings at the end of Body.
    let body = r##"<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soap:Body><get_countriesResponse><r href="#ref-1"/></get_countriesResponse><x id="ref-1"><countries href="#ref-2"/></x><y id="ref-2" xsi:type="soapenc:Array" xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/"><item><value>US</value><name>United &amp; States</name></item></y></soap:Body></soap:Envelope>"##;
    let r: GetDidapiCountriesListResponse = decode_response(body).unwrap().unwrap();
    assert_eq!(r.countries.len(), 1);
    assert_eq!(r.countries[0].name.as_deref(), Some("United & States"));
}

#[test]
fn reference_cycles_and_dangling_references_are_errors() {
    let cycle = r##"<Envelope><Body><r><p href="#a"/></r><a id="a" href="#b"/><b id="b" href="#a"/></Body></Envelope>"##;
    let err = decode_response::<Value>(cycle).unwrap_err();
    assert!(err.to_string().contains("cycle"), "{err}");
    let dangling = r##"<Envelope><Body><r><p href="#nowhere"/></r></Body></Envelope>"##;
    let err = decode_response::<Value>(dangling).unwrap_err();
    assert!(err.to_string().contains("#nowhere"), "{err}");
}

#[test]
fn not_a_soap_message_is_an_error_not_a_panic() {
    for (body, expected) in [
        (
            "<html><body>502 Bad Gateway</body></html>",
            "expected a SOAP Envelope, found <html>",
        ),
        ("", "no root element"),
        ("<Envelope><Body>", "truncated"),
        (
            "<Envelope><Body></Body></Envelope>",
            "the SOAP Body is empty",
        ),
        (
            r#"<!DOCTYPE x [<!ENTITY a "b">]><Envelope/>"#,
            "DTD is not allowed",
        ),
        (
            "<Envelope><Body><r><p>&unknown;</p></r></Body></Envelope>",
            "unknown entity",
        ),
    ] {
        let err = decode_response::<Value>(body).expect_err(body);
        assert!(err.to_string().contains(expected), "{body}: {err}");
    }
}

#[test]
fn long_wrong_values_are_quoted_shortened() {
    let long = "x".repeat(500);
    let body = format!("<Envelope><Body><r><p><user_id>{long}</user_id></p></r></Body></Envelope>");
    let err = decode_response::<PingResponse>(&body).unwrap_err();
    let text = err.to_string();
    assert!(
        text.starts_with("at `user_id`: expected an integer, found \"xxx"),
        "{text}"
    );
    assert!(text.ends_with("…\""), "{text}");
    assert!(text.len() < 150, "{text}");
}

#[test]
fn a_reference_to_an_enclosing_element_is_an_error_not_a_stack_overflow() {
    let body = r##"<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><mResponse><r id="R"><a href="#R"/></r></mResponse></soap:Body></soap:Envelope>"##;
    let err = decode_response::<Value>(body).unwrap_err();
    assert!(err.to_string().contains("nested deeper than"), "{err}");
}

#[test]
fn many_references_to_one_large_value_are_refused() {
    // 20,000 items all pointing at one 10 KB element: about 200 MB if each were expanded.
    let big = "9".repeat(10_000);
    let items = r##"<item href="#B"/>"##.repeat(20_000);
    let body = format!(
        r##"<Envelope><Body><r><p><numbers>{items}</numbers></p></r><B id="B"><number>{big}</number></B></Body></Envelope>"##
    );
    let err = decode_response::<GetDidapiNumbersListResponse>(&body).unwrap_err();
    assert!(err.to_string().contains("references followed"), "{err}");
    // A doubling chain: each level's two children point at the next level.
    let mut levels = String::new();
    for i in 0..40 {
        levels.push_str(&format!(
            r##"<L{i} id="l{i}"><a href="#l{n}"/><b href="#l{n}"/></L{i}>"##,
            n = i + 1
        ));
    }
    let body = format!(
        r##"<Envelope><Body><r><p href="#l0"/></r>{levels}<L40 id="l40">x</L40></Body></Envelope>"##
    );
    let err = decode_response::<Value>(&body).unwrap_err();
    assert!(err.to_string().contains("references followed"), "{err}");
}

#[test]
fn an_element_with_very_many_attributes_decodes_in_linear_time() {
    // With quick-xml's duplicate-attribute check this took seconds; the test only asserts the
    // result (timing is for benchmarks), but would time out in CI if it regressed badly.
    let attrs: String = (0..100_000).map(|i| format!(" a{i}=\"1\"")).collect();
    let body =
        format!("<Envelope><Body><r><p{attrs}><user_id>5</user_id></p></r></Body></Envelope>");
    let r: PingResponse = decode_response(&body).unwrap().unwrap();
    assert_eq!(r.user_id, Some(5));
}

#[test]
fn text_where_a_structure_is_expected_is_an_error() {
    let body = "<Envelope><Body><r><p><numbers>hello</numbers></p></r></Body></Envelope>";
    let err = decode_response::<GetDidapiNumbersListResponse>(body).unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"at `numbers`: expected a structure, found "hello""#
    );
}

#[test]
fn shared_references_cannot_multiply_the_work() {
    // Four levels of ten references, ending in an element with 10,000 children: 41 KB that
    // would expand to 100 million values (found by reading the decoder while fuzzing).
    let leaf = format!(r##"<L4 id="l4">{}</L4>"##, "<x/>".repeat(10_000));
    let mut levels = String::new();
    for i in 0..4 {
        let refs = format!(r##"<r href="#l{}"/>"##, i + 1).repeat(10);
        levels.push_str(&format!(r##"<L{i} id="l{i}">{refs}</L{i}>"##));
    }
    let body =
        format!(r##"<Envelope><Body><m><p href="#l0"/></m>{levels}{leaf}</Body></Envelope>"##);
    let err = decode_response::<Value>(&body).unwrap_err();
    assert!(err.to_string().contains("expands to more than"), "{err}");
    // Ten thousand items sharing one element of 100,000 children, decoded as numbers.
    let big = format!(r##"<B id="b">{}</B>"##, "<y/>".repeat(100_000));
    let items = r##"<item href="#b"/>"##.repeat(10_000);
    let body = format!(
        r##"<Envelope><Body><m><p><numbers>{items}</numbers></p></m>{big}</Body></Envelope>"##
    );
    let err = decode_response::<GetDidapiNumbersListResponse>(&body).unwrap_err();
    assert!(err.to_string().contains("expands to more than"), "{err}");
}
