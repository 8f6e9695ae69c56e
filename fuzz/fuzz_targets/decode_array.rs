//! Arrays of structures: `didapi::GetDidapiNumbersListResponse` (`numbers`, a `soapenc:Array` of
//! `DIDAPINumber`), decoded from a whole response envelope.
#![no_main]

use libfuzzer_sys::fuzz_target;
use telinta_api::{decode_response, didapi::GetDidapiNumbersListResponse};

fuzz_target!(|data: &[u8]| {
    let Ok(body) = std::str::from_utf8(data) else {
        return;
    };
    let _ = decode_response::<GetDidapiNumbersListResponse>(body);
});
