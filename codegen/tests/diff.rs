//! `diff` on hand-made snapshot pairs (`tests/fixtures/diff/<case>/{old,new}/`), compared with
//! checked-in reports (`tests/golden/diff/<case>.md` and `.json`). After an intended change to
//! the report, regenerate them with `UPDATE_GOLDEN=1 cargo test -p telinta-codegen --test diff`
//! and review the diff.
//!
//! Cases: `services` (services, modules and endpoints), `operations`, `structures` (structures
//! and members), `overrides` (enums, positional structures, Rust names), `docs` (documentation
//! only).

use std::path::{Path, PathBuf};
use std::process::Command;

use telinta_codegen::diff::{self, Kind, Report};

const CASES: &[&str] = &["services", "operations", "structures", "overrides", "docs"];

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn side(case: &str, side: &str) -> PathBuf {
    manifest_dir()
        .join("tests/fixtures/diff")
        .join(case)
        .join(side)
}

fn report(case: &str) -> Report {
    diff::diff_dirs(&side(case, "old"), &side(case, "new"))
        .unwrap_or_else(|e| panic!("{case}: {e}"))
}

fn check_golden(case: &str) {
    let report = report(case);
    for (ext, text) in [("md", report.to_markdown()), ("json", report.to_json())] {
        let path = manifest_dir()
            .join("tests/golden/diff")
            .join(format!("{case}.{ext}"));
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &text).unwrap();
            continue;
        }
        let golden = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: {e} (UPDATE_GOLDEN=1 writes it)", path.display()));
        assert!(
            golden == text,
            "the {ext} report of case `{case}` differs from {}:\n{text}\n\
             (UPDATE_GOLDEN=1 regenerates it; review the diff)",
            path.display()
        );
    }
}

#[test]
fn services_case_matches_golden() {
    check_golden("services");
}

#[test]
fn operations_case_matches_golden() {
    check_golden("operations");
}

#[test]
fn structures_case_matches_golden() {
    check_golden("structures");
}

#[test]
fn overrides_case_matches_golden() {
    check_golden("overrides");
}

#[test]
fn docs_case_matches_golden() {
    check_golden("docs");
}

/// The classification of every change kind, spelled out (the goldens hold the same, less
/// readably): (case, item, kind, breaking).
#[test]
fn each_change_kind_is_classified() {
    use Kind::*;
    let expected: &[(&str, &str, Kind, bool)] = &[
        ("services", "service Legacy", Removed, true),
        ("services", "service Extra", Added, false),
        ("services", "module extras", Added, false),
        ("services", "endpoint Reseller", Added, false), // shop
        ("services", "endpoint Reseller", Removed, true), // stock
        ("services", "endpoint Admin", Changed, false),  // location
        ("services", "service Shop", Changed, false),    // namespace
        ("operations", "operation add_item", Added, false),
        ("operations", "operation add_item_old", Added, false),
        ("operations", "operation delete_item", Removed, true),
        ("operations", "operation find_item", Changed, true), // input part added
        ("operations", "operation get_total", Changed, true), // output type
        ("operations", "operation list_old", Deprecated, false),
        ("operations", "operation list_legacy", Changed, false), // no longer deprecated
        ("operations", "operation ping", Changed, false),        // SOAPAction, header
        ("operations", "operation count_items", Changed, false), // same Rust signature
        ("structures", "structure Discount", Removed, true),
        ("structures", "structure Promotion", Added, false),
        ("structures", "member Item.i_item", Changed, true), // type
        ("structures", "member Item.weight", Changed, false), // int -> long, both i64
        ("structures", "member Item.name", Changed, true),   // optional -> required
        ("structures", "member Item.code", Changed, true),   // required -> optional
        ("structures", "member Item.tags", Changed, true),   // array -> scalar
        ("structures", "member Item.label", Changed, true),  // scalar -> array
        ("structures", "member Item.old_field", Removed, true),
        ("structures", "member Item.note", Added, false), // optional
        ("structures", "member Item.aliases", Added, false), // array
        ("structures", "member Item.sku", Added, true),   // required
        ("structures", "member Category.sub", Changed, true), // now Box<Sub>
        ("structures", "member Sub.parent", Added, false), // makes Category.sub recursive
        ("overrides", "enum Size", Added, false),
        ("overrides", "enum Colour", Removed, true),
        ("overrides", "enum value SortOrder.RANDOM", Added, false),
        ("overrides", "enum value Status.archived", Removed, true),
        ("overrides", "enum SortOrder", Changed, false), // another default
        ("overrides", "member GetItemsRequest.order", Changed, true), // string -> enum
        ("overrides", "member GetItemsRequest.kind", Changed, true), // Rust field renamed
        ("overrides", "member GetItemsRequest.color", Changed, false), // XML name, same field
        ("overrides", "structure Page", Changed, false), // positional item order
        ("overrides", "structure Range", Changed, false), // now positional
    ];
    for case in CASES {
        let report = report(case);
        for (_, item, kind, breaking) in expected.iter().filter(|e| e.0 == *case) {
            let found: Vec<_> = report
                .changes
                .iter()
                .filter(|c| c.item == *item && c.kind == *kind)
                .collect();
            assert!(
                !found.is_empty(),
                "{case}: no `{}` change of {item}",
                kind.as_str()
            );
            for c in found {
                assert_eq!(c.breaking, *breaking, "{case}: {c:?}");
            }
        }
        // Nothing listed that the table above does not expect.
        for c in &report.changes {
            assert!(
                expected
                    .iter()
                    .any(|e| e.0 == *case && e.1 == c.item && e.2 == c.kind),
                "{case}: unexpected {c:?}"
            );
        }
    }
}

#[test]
fn wire_only_and_docs_only_differences_are_not_listed() {
    let structures = report("structures");
    // `minOccurs="0"` -> `nillable="true"`: `Option` either way.
    assert!(!structures
        .changes
        .iter()
        .any(|c| c.item == "member Item.price"));
    // Only the documentation of `colour` changed.
    assert!(!structures
        .changes
        .iter()
        .any(|c| c.item == "member Item.colour"));
    assert_eq!(structures.summary.docs, 1);
    let docs = report("docs");
    assert!(docs.changes.is_empty(), "{docs:?}");
    assert_eq!(docs.summary.docs, 4, "module, operation, structure, member");
    assert_eq!(
        docs.to_markdown(),
        "No API changes (4 documentation-only changes).\n"
    );
}

/// Numbers of the Markdown summary line, by the word after each.
fn markdown_counts(line: &str) -> [usize; 4] {
    let words: Vec<&str> = line
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '-')
        .collect();
    let before = |word: &str| {
        words
            .windows(2)
            .find(|w| w[1].starts_with(word))
            .map_or(0, |w| w[0].parse().unwrap_or(0))
    };
    // "N documentation-only change(s)"; the summary names no other count before "documentation".
    let docs = words
        .windows(2)
        .find(|w| w[1] == "documentation-only")
        .map_or(0, |w| w[0].parse().unwrap());
    [
        before("breaking"),
        before("additive"),
        // "N operation(s) newly deprecated"
        words
            .windows(3)
            .find(|w| w[2] == "newly")
            .map_or(0, |w| w[0].parse().unwrap()),
        docs,
    ]
}

#[test]
fn json_carries_the_counts_of_the_markdown_summary() {
    for case in CASES {
        let report = report(case);
        let json: serde_json::Value = serde_json::from_str(&report.to_json()).unwrap();
        let summary = &json["summary"];
        let n = |key: &str| summary[key].as_u64().unwrap() as usize;
        let markdown = report.to_markdown();
        let first = markdown.lines().next().unwrap();
        assert_eq!(
            markdown_counts(first),
            [n("breaking"), n("additive"), n("deprecated"), n("docs")],
            "{case}: {first}"
        );
        let changes = json["changes"].as_array().unwrap();
        let breaking = changes.iter().filter(|c| c["breaking"] == true).count();
        assert_eq!(breaking, n("breaking"), "{case}");
        assert_eq!(changes.len() - breaking, n("additive"), "{case}");
        // One table row per listed change (besides each table's header and rule).
        let rows = markdown.lines().filter(|l| l.starts_with("| ")).count();
        let tables = markdown.lines().filter(|l| l.starts_with("### ")).count();
        assert_eq!(rows - 2 * tables, changes.len(), "{case}: {markdown}");
        assert_eq!(tables, n("modules"), "{case}");
        // And the JSON reads back into the same report.
        let back: Report = serde_json::from_str(&report.to_json()).unwrap();
        assert_eq!(back, report, "{case}");
    }
}

#[test]
fn identical_snapshots_have_no_changes() {
    let dir = manifest_dir().join("tests/fixtures/struct_part");
    let report = diff::diff_dirs(&dir, &dir).unwrap();
    assert_eq!(report.to_markdown(), "No API changes.\n");
    assert!(!report.has_breaking());
    let json: serde_json::Value = serde_json::from_str(&report.to_json()).unwrap();
    assert_eq!(json["summary"]["breaking"], 0);
    assert_eq!(json["summary"]["additive"], 0);
    assert_eq!(json["changes"].as_array().unwrap().len(), 0);

    let snapshots = manifest_dir().join("../wsdl-snapshots");
    let report = diff::diff_dirs(&snapshots, &snapshots).unwrap();
    assert_eq!(report, Report::default());
}

/// What one direction adds, the other removes.
#[test]
fn reversed_pairs_swap_added_and_removed() {
    for case in CASES {
        let forward = report(case);
        let backward = diff::diff_dirs(&side(case, "new"), &side(case, "old")).unwrap();
        let items = |r: &Report, kind: Kind| {
            let mut items: Vec<(String, String)> = r
                .changes
                .iter()
                .filter(|c| c.kind == kind)
                .map(|c| (c.module.clone(), c.item.clone()))
                .collect();
            items.sort();
            items
        };
        assert_eq!(
            items(&forward, Kind::Added),
            items(&backward, Kind::Removed),
            "{case}"
        );
        assert_eq!(
            items(&forward, Kind::Removed),
            items(&backward, Kind::Added),
            "{case}"
        );
        assert_eq!(forward.summary.docs, backward.summary.docs, "{case}");
    }
}

fn in_git_checkout(repo: &Path) -> bool {
    Command::new("git")
        .args(["rev-parse", "--verify", "--quiet", "HEAD"])
        .current_dir(repo)
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn checkout_snapshots_of_a_revision() {
    let repo = manifest_dir().parent().unwrap();
    if !in_git_checkout(repo) {
        eprintln!("skipped: not in a git checkout");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    diff::checkout_snapshots(repo, "HEAD", "wsdl-snapshots", dir.path()).unwrap();
    // Loads like the folder it came from.
    telinta_codegen::load_model(dir.path()).unwrap();

    let err = diff::checkout_snapshots(repo, "HEAD", "no-such-folder", dir.path()).unwrap_err();
    assert!(
        err.to_string()
            .contains("revision `HEAD` has no no-such-folder/ folder"),
        "{err}"
    );
    let err = diff::checkout_snapshots(repo, "no-such-revision", "wsdl-snapshots", dir.path())
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("`no-such-revision` is not a revision"),
        "{err}"
    );
    let err =
        diff::checkout_snapshots(repo, "--output=x", "wsdl-snapshots", dir.path()).unwrap_err();
    assert!(err.to_string().contains("is not a revision"), "{err}");
}
