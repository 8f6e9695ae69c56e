//! Criterion bench of the generator: the full regeneration of `telinta-api/src/generated/` from
//! every snapshot of `wsdl-snapshots/` (`telinta_codegen::generate`), and its two halves
//! (`load_model`: WSDL/XSD parsing, model, overrides; `emit`: quote/syn/prettyplease).
//! Files are generated in memory; nothing is written.
//!
//! `cargo bench -p telinta-codegen --bench regenerate`

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};

fn snapshots() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("wsdl-snapshots")
}

fn regenerate(c: &mut Criterion) {
    let dir = snapshots();
    let files = telinta_codegen::generate(&dir).expect("the snapshots generate");
    let bytes: usize = files.iter().map(|f| f.contents.len()).sum();
    eprintln!(
        "codegen: {} files, {} bytes of Rust generated",
        files.len(),
        bytes
    );
    let (api, _) = telinta_codegen::load_model(&dir).expect("model");

    let mut g = c.benchmark_group("codegen");
    g.sample_size(20).measurement_time(Duration::from_secs(10));
    g.bench_function("generate_all_snapshots", |b| {
        b.iter(|| telinta_codegen::generate(black_box(&dir)).expect("generates"))
    });
    g.bench_function("load_model", |b| {
        b.iter(|| telinta_codegen::load_model(black_box(&dir)).expect("loads"))
    });
    g.bench_function("emit", |b| {
        b.iter(|| telinta_codegen::emit::emit(black_box(&api)).expect("emits"))
    });
    g.finish();
}

criterion_group!(benches, regenerate);
criterion_main!(benches);
