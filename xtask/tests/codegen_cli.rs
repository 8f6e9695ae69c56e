//! `cargo xtask codegen` and `cargo xtask codegen --check` as a user runs them.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn xtask(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn check_passes_on_the_checked_in_crate() {
    let (code, stdout, stderr) = xtask(&["codegen", "--check"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("up to date"), "{stdout}");
}

#[test]
fn check_fails_naming_the_file_when_a_snapshot_changed() {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(root().join("wsdl-snapshots")).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            std::fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
        }
    }
    // The realms of a service must agree, so edit both.
    for realm in ["Admin", "Reseller"] {
        let wsdl = dir.path().join(format!("Session{realm}Service.wsdl"));
        let text = std::fs::read_to_string(&wsdl).unwrap();
        let edited = text.replace("ID of newly opened session", "ID of the new session");
        std::fs::write(&wsdl, edited).unwrap();
    }
    let (code, _, stderr) = xtask(&[
        "codegen",
        "--check",
        "--snapshots",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("session.rs: differs"), "{stderr}");
    assert!(!stderr.contains("didapi.rs"), "{stderr}");
}

#[test]
fn codegen_twice_changes_nothing() {
    let out = tempfile::tempdir().unwrap();
    let out_arg = out.path().to_str().unwrap();
    let (code, first, stderr) = xtask(&["codegen", "--out", out_arg]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!first.contains(" 0 changed"), "{first}");
    let (code, second, stderr) = xtask(&["codegen", "--out", out_arg]);
    assert_eq!(code, 0, "{stderr}");
    assert!(second.trim_end().ends_with(", 0 changed"), "{second}");
}

#[test]
fn a_broken_snapshot_is_reported_with_its_location() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("BrokenAdminService.wsdl"),
        "<definitions>\n  <oops>\n",
    )
    .unwrap();
    let (code, _, stderr) = xtask(&[
        "codegen",
        "--check",
        "--snapshots",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("BrokenAdminService.wsdl:1:1: malformed XML"),
        "{stderr}"
    );
    assert!(stderr.contains("never closed"), "{stderr}");
}

#[test]
fn unknown_arguments_print_usage() {
    let (code, _, stderr) = xtask(&["codegen", "--frobnicate"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("usage: cargo xtask codegen"), "{stderr}");
}

/// The reference document's methods, listed by hand in `tests/inventory.txt` (67 lines: service,
/// method, and for the 21 deprecated ones the replacement the document names).
#[test]
fn inventory_matches_the_reference_document() {
    let (code, stdout, stderr) = xtask(&["inventory"]);
    assert_eq!(code, 0, "{stderr}");
    let expected =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/inventory.txt"))
            .unwrap();
    let got: Vec<&str> = stdout.lines().collect();
    let want: Vec<&str> = expected.lines().collect();
    assert_eq!(want.len(), 67);
    assert_eq!(want.iter().filter(|l| l.ends_with(']')).count(), 21);
    assert_eq!(got, want);
}
