//! `cargo xtask diff` as a user runs it: against git revisions of this repository and on the
//! hand-made snapshot pairs of the generator's tests.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn pair(case: &str) -> [String; 2] {
    ["old", "new"].map(|side| {
        root()
            .join("codegen/tests/fixtures/diff")
            .join(case)
            .join(side)
            .display()
            .to_string()
    })
}

/// Exit code, stdout, stderr.
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

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .args(args)
        .current_dir(root())
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn head_against_the_working_tree() {
    if git(&["rev-parse", "--verify", "--quiet", "HEAD"]).is_none() {
        eprintln!("skipped: not in a git checkout");
        return;
    }
    // Tests run in xtask/: `wsdl-snapshots` is found in the workspace root.
    let (code, stdout, stderr) = xtask(&["diff", "--git", "HEAD", "wsdl-snapshots"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    // Uncommitted snapshot edits are real differences; only a clean folder must show none.
    let clean = git(&["status", "--porcelain", "--", "wsdl-snapshots"])
        .is_some_and(|s| s.trim().is_empty());
    if clean {
        assert_eq!(stdout, "No API changes.\n", "{stderr}");
    }
}

#[test]
fn two_revisions() {
    if git(&["rev-parse", "--verify", "--quiet", "HEAD"]).is_none() {
        eprintln!("skipped: not in a git checkout");
        return;
    }
    let (code, stdout, stderr) = xtask(&[
        "diff",
        "--git",
        "HEAD",
        "--git",
        "HEAD",
        "--format",
        "json",
        "--fail-on-breaking",
    ]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["changes"].as_array().unwrap().len(), 0, "{stdout}");
}

#[test]
fn fail_on_breaking_exits_1_when_something_breaks() {
    let [old, new] = pair("structures");
    let (code, stdout, stderr) = xtask(&["diff", &old, &new, "--fail-on-breaking"]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(stdout.starts_with("**API diff**: 9 breaking"), "{stdout}");
    // Without the flag the report is the same and the exit status 0.
    let (code, again, _) = xtask(&["diff", &old, &new]);
    assert_eq!(code, 0);
    assert_eq!(again, stdout);
}

#[test]
fn fail_on_breaking_exits_0_when_nothing_breaks() {
    let [old, new] = pair("docs");
    let (code, stdout, stderr) = xtask(&["diff", &old, &new, "--fail-on-breaking"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert_eq!(stdout, "No API changes (4 documentation-only changes).\n");
}

#[test]
fn json_format() {
    let [old, new] = pair("operations");
    let (code, stdout, stderr) = xtask(&["diff", &old, &new, "--format", "json"]);
    assert_eq!(code, 0, "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["summary"]["breaking"], 3, "{stdout}");
    assert_eq!(json["summary"]["additive"], 8, "{stdout}");
    let golden =
        std::fs::read_to_string(root().join("codegen/tests/golden/diff/operations.json")).unwrap();
    assert_eq!(stdout, golden);
}

#[test]
fn trouble_exits_2() {
    let [old, _] = pair("docs");
    let cases: &[(&[&str], &str)] = &[
        (&["diff", &old], "OLD and NEW"),
        (&["diff", &old, &old, "--format", "yaml"], "--format"),
        (
            &["diff", &old, &old, "--bogus"],
            "unknown argument `--bogus`",
        ),
        (&["diff", &old, "--git"], "--git needs a revision"),
        (&["diff", &old, "/no/such/folder"], "/no/such/folder"),
    ];
    for (args, message) in cases {
        let (code, _, stderr) = xtask(args);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(stderr.contains(message), "{args:?}: {stderr}");
    }
    if git(&["rev-parse", "--verify", "--quiet", "HEAD"]).is_some() {
        let (code, _, stderr) = xtask(&["diff", "--git", "no-such-revision", &old]);
        assert_eq!(code, 2, "{stderr}");
        assert!(
            stderr.contains("`no-such-revision` is not a revision"),
            "{stderr}"
        );
    }
}
