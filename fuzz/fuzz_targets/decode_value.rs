//! The dynamic value type (`encoding::Value`: nil, text, structure, array), which decodes any
//! shape recursively, following `href`/`id` references.
#![no_main]

use libfuzzer_sys::fuzz_target;
use telinta_api::{decode_response, encoding::Value};

fuzz_target!(|data: &[u8]| {
    let Ok(body) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(Ok(value)) = decode_response::<Value>(body) {
        // Exercise the accessors on what came out.
        let _ = value.as_str();
        let _ = value.get("item");
    }
});
