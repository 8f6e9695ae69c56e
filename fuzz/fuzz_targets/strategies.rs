//! Differential: streaming and the parsed tree must agree on every body without `href` (the
//! client streams those): both decode, to equal values, or both refuse. Typed (the 100-number
//! response type) and untyped (`Value`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use telinta_api::decode_response_with;
use telinta_api::didapi::GetDidapiNumbersListResponse;
use telinta_api::encoding::{Strategy, Value};

fn same<T: telinta_api::encoding::Decode + PartialEq + std::fmt::Debug>(body: &str) {
    let stream = decode_response_with::<T>(body, Strategy::Stream);
    let tree = decode_response_with::<T>(body, Strategy::Tree);
    match (&stream, &tree) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "values differ"),
        (Err(_), Err(_)) => {}
        _ => panic!("stream {stream:?} but tree {tree:?}"),
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(body) = std::str::from_utf8(data) else {
        return;
    };
    if body.contains("href") {
        return;
    }
    same::<Value>(body);
    same::<GetDidapiNumbersListResponse>(body);
});
