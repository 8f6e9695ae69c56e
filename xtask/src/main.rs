//! `cargo xtask <task>`: the project's tasks, thin wrappers over library code.
//!
//! - `codegen`: regenerate `telinta-api/src/generated/` from `wsdl-snapshots/`.
//! - `codegen --check`: exit 1, naming each stale file, when the checked-in code differs.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask codegen [--check] [--snapshots DIR] [--out DIR]";

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
    let files = match telinta_codegen::generate(&snapshots) {
        Ok(files) => files,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
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
                println!(
                    "{} generated files, {} changed",
                    files.len(),
                    written.len()
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: writing {}: {e}", out.display());
                ExitCode::FAILURE
            }
        }
    }
}
