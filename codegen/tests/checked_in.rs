//! The checked-in generated crate must be what the checked-in snapshots generate (like
//! rust-analyzer's codegen tests): a stale file fails this test, naming the file.

use std::path::{Path, PathBuf};

use telinta_codegen::Stale;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

#[test]
fn checked_in_generated_code_is_up_to_date() {
    let files =
        telinta_codegen::generate(&root().join("wsdl-snapshots")).expect("snapshots generate");
    let stale = telinta_codegen::check(&files, &root().join("telinta-api/src/generated")).unwrap();
    assert!(
        stale.is_empty(),
        "the generated crate is stale; run `cargo xtask codegen` and commit:\n{}",
        stale
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    );
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
}

#[test]
fn an_edited_snapshot_makes_the_check_name_the_stale_file() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&root().join("wsdl-snapshots"), dir.path());
    // The realms of a service must agree, so edit both.
    for realm in ["Admin", "Reseller"] {
        let wsdl = dir.path().join(format!("DIDAPI{realm}Service.wsdl"));
        let text = std::fs::read_to_string(&wsdl).unwrap();
        let edited = text.replace("Cancel a DID number.", "Cancel a DID number (edited).");
        assert_ne!(text, edited);
        std::fs::write(&wsdl, edited).unwrap();
    }
    let files = telinta_codegen::generate(dir.path()).unwrap();
    let stale = telinta_codegen::check(&files, &root().join("telinta-api/src/generated")).unwrap();
    let names: Vec<String> = stale
        .iter()
        .map(|s| match s {
            Stale::Changed(p) | Stale::Missing(p) | Stale::Extra(p) => Path::new(p)
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned(),
        })
        .collect();
    // The module's text and its source digest change; nothing else does.
    assert_eq!(names, ["didapi.rs"]);
    assert!(matches!(stale[0], Stale::Changed(_)));
}

#[test]
fn regenerating_twice_writes_nothing_the_second_time() {
    let dir = tempfile::tempdir().unwrap();
    let files = telinta_codegen::generate(&root().join("wsdl-snapshots")).unwrap();
    let first = telinta_codegen::write(&files, dir.path()).unwrap();
    assert_eq!(first.len(), files.len());
    let again = telinta_codegen::generate(&root().join("wsdl-snapshots")).unwrap();
    assert_eq!(
        telinta_codegen::write(&again, dir.path()).unwrap(),
        Vec::<String>::new()
    );
}

#[test]
fn realms_that_disagree_are_an_error_naming_both_files() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&root().join("wsdl-snapshots"), dir.path());
    let wsdl = dir.path().join("DIDAPIResellerService.wsdl");
    let text = std::fs::read_to_string(&wsdl).unwrap();
    std::fs::write(&wsdl, text.replace("Cancel a DID number.", "Cancel it.")).unwrap();
    let err = telinta_codegen::generate(dir.path())
        .unwrap_err()
        .to_string();
    assert!(err.contains("service `DIDAPI`"), "{err}");
    assert!(
        err.contains("DIDAPIAdminService.wsdl") && err.contains("DIDAPIResellerService.wsdl"),
        "{err}"
    );
}

/// Loose members (declared `string`/`array` while holding structures) must each have an override
/// or a `[[loose]]` entry with a reason in overrides.toml; today every one has an override. A new
/// snapshot with a new loose member fails here, naming it.
#[test]
fn every_loose_member_of_the_snapshots_is_handled() {
    let (_, loose) = telinta_codegen::load_model(&root().join("wsdl-snapshots")).unwrap();
    let unhandled: Vec<String> = loose
        .iter()
        .filter(|l| l.reason.is_none())
        .map(|l| l.to_string())
        .collect();
    assert!(
        unhandled.is_empty(),
        "loose members without override: {unhandled:#?}"
    );
    let pinned: Vec<String> = loose.iter().map(|l| l.to_string()).collect();
    assert_eq!(
        pinned,
        Vec::<String>::new(),
        "members deliberately left loose"
    );
}

/// Every generated service module has its cargo feature in telinta-api/Cargo.toml, on by default.
#[test]
fn every_gated_module_has_a_default_feature() {
    let (api, _) = telinta_codegen::load_model(&root().join("wsdl-snapshots")).unwrap();
    let manifest = std::fs::read_to_string(root().join("telinta-api/Cargo.toml")).unwrap();
    let default_line = manifest
        .lines()
        .find(|l| l.starts_with("default = "))
        .expect("default features");
    for m in &api.modules {
        if let Some(f) = telinta_codegen::emit::feature(m) {
            assert!(
                manifest.lines().any(|l| l == format!("{f} = []")),
                "no feature `{f}` in telinta-api/Cargo.toml"
            );
            assert!(
                default_line.contains(&format!("\"{f}\"")),
                "feature `{f}` is not on by default"
            );
        }
    }
}

/// Removing an override's target from a copy of the snapshots stops generation with an error
/// naming the entry.
#[test]
fn an_override_whose_target_is_gone_names_the_entry() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&root().join("wsdl-snapshots"), dir.path());
    for realm in ["Admin", "Reseller"] {
        let wsdl = dir.path().join(format!("Internal{realm}Service.wsdl"));
        let text = std::fs::read_to_string(&wsdl).unwrap();
        let start = text
            .find(r#"<xsd:element name="rates_list""#)
            .expect("rates_list in the snapshot");
        let end = start + text[start..].find("</xsd:element>").unwrap() + "</xsd:element>".len();
        std::fs::write(&wsdl, format!("{}{}", &text[..start], &text[end..])).unwrap();
    }
    let err = telinta_codegen::generate(dir.path())
        .unwrap_err()
        .to_string();
    assert!(err.contains("overrides.toml:"), "{err}");
    assert!(
        err.contains("[[member]] internal.GetRatesListResponse.rates_list: member `rates_list` is gone from structure `GetRatesListResponse`"),
        "{err}"
    );
}
