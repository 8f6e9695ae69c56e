//! The envelope and fault parser, and the tree every decoder walks: `decode_response::<Value>`
//! (fault -> `code_path`, `is_auth_failure`), then `Tree::parse` and a walk of every node
//! calling each public accessor.
#![no_main]

use libfuzzer_sys::fuzz_target;
use telinta_api::decode_response;
use telinta_api::encoding::{Node, Tree, Value};

/// Deeper than the parser accepts (256), so the depth guard of `children()` is reached too.
const MAX_WALK_DEPTH: usize = 300;
/// Bound on nodes visited: `href`s can make a DAG whose walk is exponential.
const MAX_WALK_NODES: usize = 200_000;

fn walk(node: &mut Node<'_, '_>, depth: usize, budget: &mut usize) {
    if depth > MAX_WALK_DEPTH || *budget == 0 {
        return;
    }
    *budget -= 1;
    let _ = node.name();
    let _ = node.xsi_type();
    let _ = node.is_nil();
    let _ = node.is_array();
    let _ = node.has_children();
    let _ = node.text("text");
    let _ = format!("{node:?}");
    let Ok(mut children) = node.children() else {
        return;
    };
    loop {
        match children.next() {
            Ok(Some(mut child)) => walk(&mut child, depth + 1, budget),
            Ok(None) => break,
            Err(e) => {
                let _ = e.to_string();
                break;
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(body) = std::str::from_utf8(data) else {
        return;
    };
    match decode_response::<Value>(body) {
        Ok(Err(fault)) => {
            let _ = fault.code_path();
            let _ = fault.is_auth_failure();
            let _ = fault.to_string();
        }
        Ok(Ok(_)) => {}
        Err(e) => {
            let _ = e.to_string();
        }
    }
    if let Ok(tree) = Tree::parse(body) {
        let mut budget = MAX_WALK_NODES;
        walk(&mut tree.root(), 0, &mut budget);
        let _ = tree.root().raw_xml();
    }
});
