//! Golden tests: the generator's output for small fixture WSDLs, compared with checked-in
//! files under `tests/golden/<fixture>/`. After an intended change to the emitter, regenerate
//! them with `UPDATE_GOLDEN=1 cargo test -p telinta-codegen --test golden` and review the diff.

use std::path::Path;

use telinta_codegen::model::{Builtin, TypeRef};

fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn check_golden(name: &str) {
    let files = telinta_codegen::generate(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    let golden = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        let _ = std::fs::remove_dir_all(&golden);
        telinta_codegen::write(&files, &golden).unwrap();
        return;
    }
    let stale = telinta_codegen::check(&files, &golden).unwrap();
    assert!(
        stale.is_empty(),
        "generated code for fixture `{name}` differs from tests/golden/{name}:\n{}\n\
         (UPDATE_GOLDEN=1 regenerates; review the diff)",
        stale
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn struct_part_fixture_matches_golden() {
    check_golden("struct_part");
}

#[test]
fn several_simple_parts_fixture_matches_golden() {
    check_golden("params");
}

#[test]
fn struct_part_model() {
    let api = telinta_codegen::load::load_dir(&fixture("struct_part")).unwrap();
    let names: Vec<_> = api.modules.iter().map(|m| m.name.as_str()).collect();
    // The imported XSD becomes a module of its own; both realms merge into `items`.
    assert_eq!(names, ["items", "shared"]);
    let items = api.module("items").unwrap();
    let service = items.service.as_ref().unwrap();
    let realms: Vec<_> = service
        .endpoints
        .iter()
        .map(|e| (e.realm.as_str(), e.location.as_str()))
        .collect();
    assert_eq!(
        realms,
        [
            ("Admin", "https://example.test:443/soap/"),
            ("Reseller", "https://example.test:8444/soap/")
        ]
    );
    let op = &service.operations[0];
    assert_eq!(op.name, "get_items");
    let header = op.header.as_ref().unwrap();
    assert_eq!(header.name, "auth_info");
    assert_eq!(
        header.ty,
        TypeRef::Named {
            module: "shared".into(),
            name: "AuthInfoStructure".into()
        }
    );
    let item = api.type_def("items", "Item").unwrap();
    assert_eq!(item.doc.as_deref(), Some("An item on sale."));
    let ty = |n: &str| {
        item.members
            .iter()
            .find(|m| m.name == n)
            .unwrap()
            .ty
            .clone()
    };
    assert_eq!(
        ty("tags"),
        TypeRef::Array(Box::new(TypeRef::Builtin(Builtin::String)))
    );
    assert_eq!(
        ty("extra"),
        TypeRef::Array(Box::new(TypeRef::Builtin(Builtin::AnyType)))
    );
    assert_eq!(
        ty("type"),
        TypeRef::Builtin(Builtin::String),
        "simple type restriction"
    );
    assert!(!item.members[0].optional, "i_item has no minOccurs=0");
    // Array types are not structures of their own.
    assert!(api.type_def("items", "ArrayOfItem").is_none());
}

#[test]
fn generation_is_deterministic() {
    let a = telinta_codegen::generate(&fixture("struct_part")).unwrap();
    let b = telinta_codegen::generate(&fixture("struct_part")).unwrap();
    assert_eq!(a, b);
}
