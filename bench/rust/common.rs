//! Shared by the benches of `telinta-api/benches/` (included with `#[path]`): the captured
//! fixtures, the 10,000-number response rebuilt from the 100-number one, the request builder
//! and the raw quick-xml scan used as the floor.
#![allow(dead_code)]

use std::path::PathBuf;

use telinta_api::encoding::Encode;

/// `bench/` of the workspace.
pub fn bench_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("bench")
}

/// A captured response under `bench/fixtures/`.
pub fn fixture(name: &str) -> String {
    let path = bench_dir().join("fixtures").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (run bench/capture-fixtures.sh to capture it)",
            path.display()
        )
    })
}

const ITEM_OPEN: &str = r#"<item xsi:type="ns:DIDAPINumber">"#;
const NUMBER_OPEN: &str = r#"<number xsi:type="xsd:long">"#;

/// The `get_numbers` response SOAP::Lite sends for `n` numbers of a data file written by
/// `bench/gen-didapi-data.py n` (number i is number i % 100 of the 100-number response, with the
/// last six digits of `number` replaced by i from i = 100 on). `bench/capture-fixtures.sh`
/// checks that this is byte for byte what the server sends for n = 10,000.
pub fn numbers_response(n: usize) -> String {
    let base = fixture("get_numbers_100.xml");
    let first = base.find(ITEM_OPEN).expect("an item");
    let end = base.rfind("</item>").expect("an item") + "</item>".len();
    let (head, items, tail) = (&base[..first], &base[first..end], &base[end..]);
    let items: Vec<&str> = items
        .split(ITEM_OPEN)
        .skip(1) // each is an item without its opening tag
        .collect();
    assert_eq!(items.len(), 100, "get_numbers_100.xml has 100 items");
    let head = head.replace("ns:DIDAPINumber[100]", &format!("ns:DIDAPINumber[{n}]"));
    let mut out = String::with_capacity(head.len() + tail.len() + n * (base.len() / 100 + 8));
    out.push_str(&head);
    for i in 0..n {
        let item = items[i % items.len()];
        out.push_str(ITEM_OPEN);
        if i < items.len() {
            out.push_str(item);
            continue;
        }
        let at = item.find(NUMBER_OPEN).expect("a number") + NUMBER_OPEN.len();
        let close = at + item[at..].find('<').expect("number text");
        let digits = &item[at..close];
        out.push_str(&item[..at]);
        out.push_str(&digits[..digits.len() - 6]);
        out.push_str(&format!("{i:06}"));
        out.push_str(&item[close..]);
    }
    out.push_str(tail);
    out
}

/// A session id of the size the server hands out (32 hex digits).
pub const SESSION_ID: &str = "0123456789abcdef0123456789abcdef";

/// The request envelope exactly as `Client` writes it (`telinta_api::encode_request`; the
/// `e2e` bench checks the bytes against what the client sends).
pub fn request<T: Encode + ?Sized>(
    method_ns: &str,
    method: &str,
    session_id: &str,
    part_name: &str,
    part_type: &str,
    part: &T,
) -> Vec<u8> {
    telinta_api::encode_request(method_ns, method, Some(session_id), |w| {
        part.encode(w, part_name, part_type)
    })
}

pub const DIDAPI_NS: &str = "https://mybilling.telinta.com/Porta/SOAP/DIDAPI";
pub const INTERNAL_NS: &str = "https://mybilling.telinta.com/Porta/SOAP/Internal";

/// The `get_numbers` request of the benches: no filter.
pub fn get_numbers_request() -> telinta_api::didapi::GetDidapiNumbersListRequest {
    Default::default()
}

/// The `get_numbers` envelope, as the client sends it.
pub fn get_numbers_envelope(req: &telinta_api::didapi::GetDidapiNumbersListRequest) -> Vec<u8> {
    request(
        DIDAPI_NS,
        "get_numbers",
        SESSION_ID,
        "GetDIDAPINumbersListRequest",
        "ns:GetDIDAPINumbersListRequest",
        req,
    )
}

/// The `get_rates_list` request of the benches: tariff 3001, a page of 100.
pub fn get_rates_list_request() -> telinta_api::internal::GetRatesListRequest {
    telinta_api::internal::GetRatesListRequest {
        i_tariff: Some(3001),
        pager: Some(100),
        ..Default::default()
    }
}

/// The `get_rates_list` envelope, as the client sends it.
pub fn get_rates_list_envelope(req: &telinta_api::internal::GetRatesListRequest) -> Vec<u8> {
    request(
        INTERNAL_NS,
        "get_rates_list",
        SESSION_ID,
        "GetRatesListRequest",
        "ns:GetRatesListRequest",
        req,
    )
}

/// The floor: every quick-xml event of the document read and dropped (no attribute parsed, no
/// text unescaped, nothing kept). Returns the number of events so nothing is optimised away.
pub fn scan(src: &str) -> usize {
    let mut reader = quick_xml::Reader::from_str(src);
    reader.config_mut().trim_text(false);
    let mut n = 0;
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => return n,
            Ok(_) => n += 1,
            Err(e) => panic!("scan: {e}"),
        }
    }
}

/// The floor plus iterating every attribute (what any decoder that reads `xsi:type`/`xsi:nil`
/// must at least do).
pub fn scan_with_attributes(src: &str) -> usize {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(src);
    reader.config_mut().trim_text(false);
    let mut n = 0;
    loop {
        match reader.read_event() {
            Ok(Event::Eof) => return n,
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => {
                for a in e.attributes().with_checks(false) {
                    n += a.map(|a| a.value.len()).unwrap_or(0);
                }
                n += 1;
            }
            Ok(_) => n += 1,
            Err(e) => panic!("scan: {e}"),
        }
    }
}
