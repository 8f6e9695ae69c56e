//! Criterion benches of the SOAP runtime on responses captured from the SOAP::Lite test server
//! (`bench/fixtures/`, see `bench/README.md`):
//!
//! - `<fixture>/request+decode`: build the request envelope as the client does, then decode the
//!   response into the generated types (what one call costs the client besides the network);
//! - `<fixture>/decode`: `telinta_api::decode_response::<T>` alone (`Strategy::Auto`: a tree
//!   under 1 MiB, streaming from 1 MiB on);
//! - `<fixture>/decode-tree`, `<fixture>/decode-stream`: the same with the strategy forced;
//! - `<fixture>/tree`: `encoding::Tree::parse` alone (the first of decode-tree's two passes);
//! - `<fixture>/scan`: the floor, a bare quick-xml event scan of the same bytes;
//! - `<fixture>/scan+attrs`: the floor plus iterating every attribute;
//! - `encode/*`: building a request envelope alone.
//!
//! `cargo bench -p telinta-api --bench decode`

#[path = "../../bench/rust/common.rs"]
mod common;

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use telinta_api::didapi::GetDidapiNumbersListResponse;
use telinta_api::encoding::{Decode, Strategy, Tree};
use telinta_api::internal::GetRatesListResponse;

/// The benches of one response, decoded as `T`; `envelope` builds the request it answers.
fn response<T: Decode>(c: &mut Criterion, name: &str, body: &str, envelope: impl Fn() -> Vec<u8>) {
    let mut g = c.benchmark_group(name);
    g.throughput(Throughput::Bytes(body.len() as u64));
    if body.len() > 1 << 20 {
        g.sample_size(20).measurement_time(Duration::from_secs(8));
    }
    g.bench_function("request+decode", |b| {
        b.iter(|| {
            (
                envelope(),
                telinta_api::decode_response::<T>(black_box(body)),
            )
        })
    });
    g.bench_function("decode", |b| {
        b.iter(|| telinta_api::decode_response::<T>(black_box(body)))
    });
    for (id, strategy) in [
        ("decode-tree", Strategy::Tree),
        ("decode-stream", Strategy::Stream),
    ] {
        g.bench_function(id, |b| {
            b.iter(|| telinta_api::decode_response_with::<T>(black_box(body), strategy))
        });
    }
    g.bench_function("tree", |b| {
        b.iter(|| Tree::parse(black_box(body)).map(|t| t.root().name().len()))
    });
    g.bench_function("scan", |b| b.iter(|| common::scan(black_box(body))));
    g.bench_function("scan+attrs", |b| {
        b.iter(|| common::scan_with_attributes(black_box(body)))
    });
    g.finish();
}

fn numbers(c: &mut Criterion, name: &str, body: &str, expected: usize) {
    let req = common::get_numbers_request();
    // Sanity: the fixture decodes to what it should.
    let decoded = telinta_api::decode_response::<GetDidapiNumbersListResponse>(body)
        .expect("decodes")
        .expect("not a fault");
    assert_eq!(decoded.numbers.len(), expected);
    response::<GetDidapiNumbersListResponse>(c, name, body, || {
        common::get_numbers_envelope(black_box(&req))
    });
}

fn rates(c: &mut Criterion, body: &str) {
    let req = common::get_rates_list_request();
    let decoded = telinta_api::decode_response::<GetRatesListResponse>(body)
        .expect("decodes")
        .expect("not a fault");
    assert!(format!("{decoded:?}").matches("i_rate: Some(").count() == 100);
    response::<GetRatesListResponse>(c, "get_rates_list_100", body, || {
        common::get_rates_list_envelope(black_box(&req))
    });
}

fn encode(c: &mut Criterion) {
    let numbers = common::get_numbers_request();
    let rates = common::get_rates_list_request();
    let mut g = c.benchmark_group("encode");
    g.bench_function("get_numbers_request", |b| {
        b.iter(|| common::get_numbers_envelope(black_box(&numbers)))
    });
    g.bench_function("get_rates_list_request", |b| {
        b.iter(|| common::get_rates_list_envelope(black_box(&rates)))
    });
    g.finish();
}

fn all(c: &mut Criterion) {
    let n100 = common::fixture("get_numbers_100.xml");
    let n10k = common::numbers_response(10_000);
    let rates_body = common::fixture("get_rates_list_100.xml");
    numbers(c, "get_numbers_100", &n100, 100);
    rates(c, &rates_body);
    numbers(c, "get_numbers_10000", &n10k, 10_000);
    encode(c);
}

criterion_group!(benches, all);
criterion_main!(benches);
