//! The test server checks itself: `tests/server/check-services.pl` calls every operation of
//! the Internal, Callmon, LS_Conference and Queues services with envelopes shaped like the
//! client's and checks values, wire types and state changes (207 checks). The Rust tests rely
//! on that server, so its own checks run with them.

use std::path::Path;
use std::process::Command;

#[test]
fn the_soap_lite_server_passes_its_own_checks() {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("server/check-services.pl");
    let out = Command::new("perl")
        .arg(&script)
        .output()
        .expect("perl runs (cargo xtask test installs libsoap-lite-perl)");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let failed: Vec<&str> = stdout.lines().filter(|l| l.starts_with("not ok")).collect();
    assert!(
        out.status.success() && failed.is_empty(),
        "{} failed:\n{}\n{}",
        script.display(),
        failed.join("\n"),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("# all "), "no summary line:\n{stdout}");
}
