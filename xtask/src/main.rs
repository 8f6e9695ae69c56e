//! `cargo xtask <task>`: the project's tasks, thin wrappers over library code.
//!
//! - `codegen`: regenerate `telinta-api/src/generated/` from `wsdl-snapshots/`.
//! - `codegen --check`: exit 1, naming each stale file, when the checked-in code differs.
//! - `inventory`: one line per operation, `Service method [replacement]`, sorted.
//! - `fetch --base-url URL`: download fresh snapshots from a PortaBilling server.
//! - `diff OLD NEW`: API changes between two snapshot sets, breaking or additive.
//! - `test`: install what the tests need (Perl SOAP::Lite), then run every check and test.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod fetch;

const USAGE: &str =
    "usage: cargo xtask codegen [--check] [--snapshots DIR] [--out DIR]\n       cargo xtask test\n       cargo xtask inventory\n       cargo xtask fetch --base-url URL [--realm admin|reseller|both] [--services A,B] [--out DIR] [--timeout SECS]\n       cargo xtask diff OLD NEW [--format markdown|json] [--fail-on-breaking]   (OLD, NEW: a snapshot folder or --git REV)";

fn workspace_root() -> PathBuf {
    // xtask/ is one level below the workspace root.
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives inside the workspace")
        .to_path_buf()
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("codegen") => codegen(&args[1..]),
        Some("fetch") => fetch::main(&args[1..]),
        Some("diff") => diff(&args[1..]),
        Some("test") if args.len() == 1 => test(),
        Some("inventory") if args.len() == 1 => inventory(),
        Some("--help" | "-h" | "help") => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn codegen(args: &[String]) -> ExitCode {
    let root = workspace_root();
    let mut check = false;
    let mut snapshots = root.join("wsdl-snapshots");
    let mut out = root.join("telinta-api/src/generated");
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--check" => check = true,
            "--snapshots" | "--out" => {
                let Some(value) = it.next() else {
                    eprintln!("{arg} needs a value\n{USAGE}");
                    return ExitCode::from(2);
                };
                if arg == "--snapshots" {
                    snapshots = PathBuf::from(value);
                } else {
                    out = PathBuf::from(value);
                }
            }
            other => {
                eprintln!("unknown argument `{other}`\n{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    let generated = telinta_codegen::load_model(&snapshots)
        .and_then(|(api, loose)| Ok((telinta_codegen::emit::emit(&api)?, loose)));
    let (files, loose) = match generated {
        Ok(g) => g,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    // Loose members without an override decode into the dynamic `Value` type. The acknowledged
    // ones are listed in overrides.toml ([[loose]], with a reason); a new one is reported here.
    let unknown: Vec<_> = loose.iter().filter(|l| l.reason.is_none()).collect();
    if !unknown.is_empty() {
        eprintln!(
            "warning: {} loose member(s) with no override and no [[loose]] entry in overrides.toml:",
            unknown.len()
        );
        for l in unknown {
            eprintln!("  {l}");
        }
    }
    if !loose.is_empty() {
        println!(
            "{} loose member(s) left loose (dynamic `Value`)",
            loose.len()
        );
    }
    if check {
        match telinta_codegen::check(&files, &out) {
            Ok(stale) if stale.is_empty() => {
                println!("{} generated files are up to date", files.len());
                ExitCode::SUCCESS
            }
            Ok(stale) => {
                for s in &stale {
                    eprintln!("stale: {s}");
                }
                eprintln!("run `cargo xtask codegen` and commit the result");
                ExitCode::FAILURE
            }
            Err(e) => {
                eprintln!("error: reading {}: {e}", out.display());
                ExitCode::FAILURE
            }
        }
    } else {
        match telinta_codegen::write(&files, &out) {
            Ok(written) => {
                for w in &written {
                    println!("{w}");
                }
                println!("{} generated files, {} changed", files.len(), written.len());
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: writing {}: {e}", out.display());
                ExitCode::FAILURE
            }
        }
    }
}

/// Runs a command from the workspace root, echoing it; false when it fails.
fn run(program: &str, args: &[&str], env: &[(&str, &str)]) -> bool {
    println!("\n==> {program} {}", args.join(" "));
    let status = std::process::Command::new(program)
        .args(args)
        .envs(env.iter().copied())
        .current_dir(workspace_root())
        .status();
    match status {
        Ok(s) if s.success() => true,
        Ok(s) => {
            eprintln!("`{program} {}` failed ({s})", args.join(" "));
            false
        }
        Err(e) => {
            eprintln!("cannot run `{program}`: {e}");
            false
        }
    }
}

/// What the end-to-end tests run: Perl SOAP::Lite (the test server) and the `openssl` command
/// (certificates and a TLS server for the TLS tests).
fn soap_lite_installed() -> bool {
    let ok = |program: &str, args: &[&str]| {
        std::process::Command::new(program)
            .args(args)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    ok(
        "perl",
        &["-MSOAP::Lite", "-MHTTP::Daemon", "-MJSON::PP", "-e1"],
    ) && ok("openssl", &["version"])
}

/// The end-to-end tests run a real Perl SOAP::Lite server: install Debian's package if needed.
fn ensure_soap_lite() -> bool {
    if soap_lite_installed() {
        return true;
    }
    println!("Perl SOAP::Lite or openssl is missing: installing libsoap-lite-perl and openssl with apt-get");
    let is_root = std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.trim_ascii() == b"0");
    let apt = |args: &[&str]| {
        if is_root {
            run("apt-get", args, &[("DEBIAN_FRONTEND", "noninteractive")])
        } else {
            let mut full = vec!["apt-get"];
            full.extend_from_slice(args);
            run("sudo", &full, &[("DEBIAN_FRONTEND", "noninteractive")])
        }
    };
    if !(apt(&["update", "-qq"]) && apt(&["install", "-y", "-qq", "libsoap-lite-perl", "openssl"]))
    {
        eprintln!("could not install libsoap-lite-perl and openssl; install them and run again");
        return false;
    }
    soap_lite_installed()
}

fn test() -> ExitCode {
    let steps: [&dyn Fn() -> bool; 7] = [
        &ensure_soap_lite,
        &|| run("cargo", &["fmt", "--all", "--", "--check"], &[]),
        &|| {
            run(
                "cargo",
                &["run", "--quiet", "-p", "xtask", "--", "codegen", "--check"],
                &[],
            )
        },
        &|| {
            run(
                "cargo",
                &[
                    "clippy",
                    "--workspace",
                    "--all-targets",
                    "--",
                    "-D",
                    "warnings",
                ],
                &[],
            )
        },
        // Each service is a cargo feature: the crate must build with none of them.
        &|| {
            run(
                "cargo",
                &["check", "-p", "telinta-api", "--no-default-features"],
                &[],
            )
        },
        &|| {
            run(
                "cargo",
                &["doc", "--workspace", "--no-deps"],
                &[("RUSTDOCFLAGS", "-D warnings")],
            )
        },
        // Last, so that the closing line of the run is the test summary.
        &cargo_test,
    ];
    for step in steps {
        if !step() {
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}

/// `cargo test --workspace --no-fail-fast` (every target runs even when one fails), echoing its
/// output, then one closing line adding up all targets: `tests: N passed, N failed`.
fn cargo_test() -> bool {
    use std::io::{BufRead, BufReader};
    let args = ["test", "--workspace", "--no-fail-fast"];
    println!("\n==> cargo {}", args.join(" "));
    let child = std::process::Command::new("cargo")
        .args(args)
        .current_dir(workspace_root())
        .stdout(std::process::Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) => {
            eprintln!("cannot run cargo: {e}");
            return false;
        }
    };
    let (mut passed, mut failed) = (0u64, 0u64);
    if let Some(out) = child.stdout.take() {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            println!("{line}");
            // `test result: ok. 12 passed; 0 failed; 0 ignored; ...`
            if let Some(rest) = line.strip_prefix("test result: ") {
                for part in rest.split(['.', ';']) {
                    let mut words = part.split_whitespace();
                    if let (Some(n), Some(kind)) = (words.next(), words.next()) {
                        match (n.parse::<u64>(), kind) {
                            (Ok(n), "passed") => passed += n,
                            (Ok(n), "failed") => failed += n,
                            _ => {}
                        }
                    }
                }
            }
        }
    }
    let ok = child.wait().is_ok_and(|s| s.success());
    println!("tests: {passed} passed, {failed} failed");
    ok && failed == 0
}

fn inventory() -> ExitCode {
    match telinta_codegen::load::load_dir(&workspace_root().join("wsdl-snapshots")) {
        Ok(api) => {
            for line in telinta_codegen::inventory(&api) {
                println!("{line}");
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `diff OLD NEW [--format markdown|json] [--fail-on-breaking]`: the API changes between two
/// snapshot sets, each a folder or `--git REV` (the `wsdl-snapshots/` of that revision).
/// Exit status as diff(1): 0, or 1 with `--fail-on-breaking` when something breaking changed,
/// 2 for trouble (bad arguments, a snapshot set that does not load).
fn diff(args: &[String]) -> ExitCode {
    enum Side {
        Dir(PathBuf),
        Git(String),
    }
    let root = workspace_root();
    let mut sides = Vec::new();
    let mut json = false;
    let mut fail_on_breaking = false;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--git" => match it.next() {
                Some(rev) => sides.push(Side::Git(rev.clone())),
                None => {
                    eprintln!("--git needs a revision\n{USAGE}");
                    return ExitCode::from(2);
                }
            },
            "--format" => match it.next().map(String::as_str) {
                Some("markdown") => json = false,
                Some("json") => json = true,
                _ => {
                    eprintln!("--format is `markdown` or `json`\n{USAGE}");
                    return ExitCode::from(2);
                }
            },
            "--fail-on-breaking" => fail_on_breaking = true,
            other if other.starts_with('-') => {
                eprintln!("unknown argument `{other}`\n{USAGE}");
                return ExitCode::from(2);
            }
            dir => sides.push(Side::Dir(PathBuf::from(dir))),
        }
    }
    let Ok([old, new]) = <[Side; 2]>::try_from(sides) else {
        eprintln!("diff compares two snapshot sets, OLD and NEW\n{USAGE}");
        return ExitCode::from(2);
    };
    // Kept alive until both models are loaded: the checked-out files live there.
    let mut temp_dirs = Vec::new();
    let mut models = Vec::new();
    for side in [old, new] {
        let (label, dir) = match side {
            Side::Dir(dir) => {
                // `cargo xtask` runs in the caller's directory; `wsdl-snapshots` from anywhere
                // in the workspace means the workspace's.
                let dir = if dir.is_relative() && !dir.exists() && root.join(&dir).exists() {
                    root.join(dir)
                } else {
                    dir
                };
                (dir.display().to_string(), dir)
            }
            Side::Git(rev) => {
                let tmp = match tempfile::tempdir() {
                    Ok(t) => t,
                    Err(e) => {
                        eprintln!("error: creating a temporary folder: {e}");
                        return ExitCode::from(2);
                    }
                };
                let checkout = telinta_codegen::diff::checkout_snapshots(
                    &root,
                    &rev,
                    "wsdl-snapshots",
                    tmp.path(),
                );
                if let Err(e) = checkout {
                    eprintln!("error: {e}");
                    return ExitCode::from(2);
                }
                let dir = tmp.path().to_path_buf();
                temp_dirs.push(tmp);
                (format!("wsdl-snapshots at {rev}"), dir)
            }
        };
        match telinta_codegen::load_model(&dir) {
            Ok((api, _)) => models.push(api),
            Err(e) => {
                eprintln!("error: {label}: {e}");
                return ExitCode::from(2);
            }
        }
    }
    let report = telinta_codegen::diff::diff(&models[0], &models[1]);
    if json {
        print!("{}", report.to_json());
    } else {
        print!("{}", report.to_markdown());
    }
    if fail_on_breaking && report.has_breaking() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
