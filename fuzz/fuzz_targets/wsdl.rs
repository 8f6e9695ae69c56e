//! The WSDL/XSD loader and the emitter. The input is written as `XAdminService.wsdl` into a fresh
//! temporary folder; if it holds a NUL byte, what follows the first NUL is written as
//! `Common.xsd` (the schema the snapshots import). Then `load_model` and, on success,
//! `emit::emit`. Both must return Ok or Err, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (wsdl, xsd) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], Some(&data[i + 1..])),
        None => (data, None),
    };
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("XAdminService.wsdl"), wsdl).expect("write wsdl");
    if let Some(xsd) = xsd {
        std::fs::write(dir.path().join("Common.xsd"), xsd).expect("write xsd");
    }
    if let Ok((api, _loose)) = telinta_codegen::load_model(dir.path()) {
        let _ = telinta_codegen::emit::emit(&api);
    }
});
