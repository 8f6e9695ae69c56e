//! Flat structures: `session::PingResponse` (one optional integer member) and
//! `didapi::DidapiOrderNumberResponse` (one optional nested structure), decoded from a whole
//! response envelope. A returned error is fine; a panic is a bug.
#![no_main]

use libfuzzer_sys::fuzz_target;
use telinta_api::{decode_response, didapi::DidapiOrderNumberResponse, session::PingResponse};

fuzz_target!(|data: &[u8]| {
    let Ok(body) = std::str::from_utf8(data) else {
        return;
    };
    let _ = decode_response::<PingResponse>(body);
    let _ = decode_response::<DidapiOrderNumberResponse>(body);
});
