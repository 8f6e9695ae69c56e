//! Overrides on a fixture: each kind applies, and an override that no longer applies stops
//! generation with a message naming the entry.

use std::path::{Path, PathBuf};

use telinta_codegen::model::{Builtin, TypeRef};

fn fixture_copy(overrides: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/struct_part");
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
    }
    std::fs::write(dir.path().join("overrides.toml"), overrides).unwrap();
    dir
}

const OVERRIDES: &str = r#"
[[structure]]
module = "items"
name = "Page"
positional = true
source = "test: an array of two elements"
members = [
  { name = "items", type = "Item[]", doc = "The items" },
  { name = "total", type = "xsd:int" },
]

[[enum]]
module = "items"
name = "YesNo"
source = "test: Y|N"
values = [{ value = "Y", doc = "yes" }, { value = "N", doc = "no" }]

[[member]]
target = "items.Item.extra"
expect = "soapenc:Array"
type = "Page"
source = "test section 1"

[[member]]
target = "items.Item.type"
expect = "xsd:string"
type = "YesNo"
rust_name = "kind"
doc = "Whether the item is special."
source = "test section 2"

[[member]]
target = "items.GetItemsRequest.filter"
expect = "xsd:string"
type = "xsd:dateTime"
source = "test section 3"
"#;

fn load(
    dir: &Path,
) -> telinta_codegen::Result<(
    telinta_codegen::model::Api,
    Vec<telinta_codegen::overrides::LooseSpot>,
)> {
    telinta_codegen::load_model(dir)
}

#[test]
fn every_kind_applies() {
    let dir = fixture_copy(OVERRIDES);
    let (api, loose) = load(dir.path()).unwrap();
    assert!(loose.is_empty(), "{loose:?}");
    let item = api.type_def("items", "Item").unwrap();
    let member = |n: &str| item.members.iter().find(|m| m.name == n).unwrap();
    assert_eq!(
        member("extra").ty,
        TypeRef::Named {
            module: "items".into(),
            name: "Page".into()
        }
    );
    assert_eq!(
        member("type").ty,
        TypeRef::Enum {
            module: "items".into(),
            name: "YesNo".into()
        }
    );
    assert_eq!(member("type").rust_name.as_deref(), Some("kind"));
    assert_eq!(
        member("type").doc.as_deref(),
        Some("Whether the item is special.")
    );
    assert_eq!(
        member("type").override_source.as_deref(),
        Some("test section 2")
    );
    let page = api.type_def("items", "Page").unwrap();
    assert!(page.positional);
    assert_eq!(
        page.members[0].ty,
        TypeRef::Array(Box::new(TypeRef::Named {
            module: "items".into(),
            name: "Item".into()
        }))
    );
    let req = api.type_def("items", "GetItemsRequest").unwrap();
    assert_eq!(req.members[0].ty, TypeRef::Builtin(Builtin::DateTime));

    let files = telinta_codegen::generate(dir.path()).unwrap();
    let items = &files
        .iter()
        .find(|f| f.path == "items.rs")
        .unwrap()
        .contents;
    assert!(items.contains("pub kind: Option<YesNo>,"), "{items}");
    assert!(items.contains("pub extra: Option<Page>,"), "{items}");
    assert!(items.contains("pub enum YesNo {"), "{items}");
    assert!(items.contains("Other(String),"), "{items}");
    assert!(
        items.contains("Typed from the reference document (test section 1)"),
        "{items}"
    );
}

#[test]
fn without_overrides_loose_members_are_reported_and_kept_dynamic() {
    let dir = fixture_copy("");
    let (api, loose) = load(dir.path()).unwrap();
    let names: Vec<_> = loose.iter().map(|l| l.to_string()).collect();
    assert_eq!(names, ["items.Item.extra (soapenc:Array)"]);
    let item = api.type_def("items", "Item").unwrap();
    let extra = item.members.iter().find(|m| m.name == "extra").unwrap();
    assert_eq!(
        extra.ty,
        TypeRef::Array(Box::new(TypeRef::Builtin(Builtin::AnyType)))
    );
}

#[test]
fn an_acknowledged_loose_member_carries_its_reason() {
    let dir = fixture_copy(
        "[[loose]]\ntarget = \"items.Item.extra\"\nreason = \"the document does not say\"\n",
    );
    let (_, loose) = load(dir.path()).unwrap();
    assert_eq!(
        loose[0].reason.as_deref(),
        Some("the document does not say")
    );
}

fn error(overrides: &str, edit: impl Fn(&Path)) -> String {
    let dir = fixture_copy(overrides);
    edit(dir.path());
    load(dir.path()).map(|_| ()).unwrap_err().to_string()
}

fn edit_both_realms(dir: &Path, from: &str, to: &str) {
    for f in ["ItemsAdminService.wsdl", "ItemsResellerService.wsdl"] {
        let p: PathBuf = dir.join(f);
        let text = std::fs::read_to_string(&p).unwrap();
        assert!(text.contains(from), "{from}");
        std::fs::write(&p, text.replace(from, to)).unwrap();
    }
}

#[test]
fn a_target_removed_from_the_snapshot_is_an_error_naming_the_entry() {
    let err = error(OVERRIDES, |dir| {
        edit_both_realms(
            dir,
            r#"<xsd:element name="extra" type="soapenc:Array" minOccurs="0"/>"#,
            "",
        )
    });
    assert!(err.contains("overrides.toml:"), "{err}");
    assert!(
        err.contains("[[member]] items.Item.extra: member `extra` is gone from structure `Item`"),
        "{err}"
    );
}

#[test]
fn a_target_no_longer_loose_is_an_error_naming_the_entry() {
    let err = error(OVERRIDES, |dir| {
        edit_both_realms(
            dir,
            r#"<xsd:element name="extra" type="soapenc:Array" minOccurs="0"/>"#,
            r#"<xsd:element name="extra" type="ns:ArrayOfItem" minOccurs="0"/>"#,
        )
    });
    assert!(
        err.contains(
            "[[member]] items.Item.extra: the snapshot now declares `Item[]`, not `soapenc:Array`"
        ),
        "{err}"
    );
}

#[test]
fn a_loose_entry_whose_member_is_typed_now_is_an_error() {
    let err = error(
        "[[loose]]\ntarget = \"items.Item.name\"\nreason = \"x\"\n",
        |_| {},
    );
    assert!(
        err.contains("[[loose]] items.Item.name: the member is no longer loose"),
        "{err}"
    );
    assert!(err.contains("overrides.toml:2:"), "{err}");
}

#[test]
fn malformed_overrides_name_line_and_column() {
    let err = error(
        "[[member]]\ntarget = \"items.Item.extra\"\nexpect = \n",
        |_| {},
    );
    assert!(err.contains("overrides.toml:3:"), "{err}");
    assert!(err.contains("malformed overrides"), "{err}");
    let err = error(
        "[[member]]\ntarget = \"items.Item.extra\"\nsource = \"x\"\ncolour = \"red\"\n",
        |_| {},
    );
    assert!(err.contains("unknown field `colour`"), "{err}");
    let err = error(
        "[[member]]\ntarget = \"items.Item.extra\"\ntype = \"Item[]\"\nsource = \"x\"\n",
        |_| {},
    );
    assert!(err.contains("`type` needs `expect`"), "{err}");
    let err = error("[[member]]\ntarget = \"items.Item.extra\"\nexpect = \"soapenc:Array\"\ntype = \"Nope[]\"\nsource = \"x\"\n", |_| {});
    assert!(err.contains("unknown type `Nope`"), "{err}");
}
