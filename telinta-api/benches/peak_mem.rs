//! Peak memory of decoding the 10,000-number `get_numbers` response, next to its size. Not a
//! criterion bench (`harness = false`): a counting global allocator gives the peak of live heap
//! bytes *allocated by the decode* (the body itself, already held by the caller as the client
//! holds the received bytes, is not counted), split into the parse tree and the decoded value;
//! the kernel's peak resident set (VmHWM, reset through /proc/self/clear_refs just before the
//! decode) is printed too, for the whole process.
//!
//! `cargo bench -p telinta-api --bench peak_mem` (or `-- FILE` to decode a captured file).

#[path = "../../bench/rust/common.rs"]
mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

use telinta_api::didapi::GetDidapiNumbersListResponse;
use telinta_api::encoding::Tree;

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
static ALLOCS: AtomicUsize = AtomicUsize::new(0);

fn grow(n: usize) {
    let live = LIVE.fetch_add(n, Relaxed) + n;
    PEAK.fetch_max(live, Relaxed);
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Relaxed);
        grow(l.size());
        System.alloc(l)
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        LIVE.fetch_sub(l.size(), Relaxed);
        System.dealloc(p, l)
    }
    unsafe fn alloc_zeroed(&self, l: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Relaxed);
        grow(l.size());
        System.alloc_zeroed(l)
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, new: usize) -> *mut u8 {
        ALLOCS.fetch_add(1, Relaxed);
        if new >= l.size() {
            grow(new - l.size());
        } else {
            LIVE.fetch_sub(l.size() - new, Relaxed);
        }
        System.realloc(p, l, new)
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn status_kib(field: &str) -> usize {
    let s = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    s.lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// Resets VmHWM to the current RSS (Linux >= 4.0).
fn reset_hwm() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

/// Starts a measurement: returns the live bytes now, and makes the peak start from here.
fn start() -> usize {
    let live = LIVE.load(Relaxed);
    PEAK.store(live, Relaxed);
    ALLOCS.store(0, Relaxed);
    live
}

fn mib(b: usize) -> f64 {
    b as f64 / (1024.0 * 1024.0)
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let file = args.iter().find(|a| std::path::Path::new(a).is_file());
    if file.is_none() && !args.is_empty() && !args.iter().any(|a| "peak_mem".contains(a.as_str())) {
        return;
    }
    let body = match file {
        Some(f) => std::fs::read_to_string(f).expect("read the response file"),
        None => common::numbers_response(10_000),
    };
    let size = body.len();
    if file.is_some() {
        let rebuilt = common::numbers_response(10_000);
        let same = rebuilt == body;
        eprintln!(
            "peak_mem: the file is {}identical to the 10,000-number response the benches rebuild",
            if same { "" } else { "NOT " }
        );
        println!("RESULT ours fixture_10000_identical {}", same as u8);
    }

    // Tree alone.
    let base = start();
    let tree = Tree::parse(&body).expect("parses");
    let tree_live = LIVE.load(Relaxed) - base;
    let tree_peak = PEAK.load(Relaxed) - base;
    drop(tree);

    // The whole decode, as the client does it (tree, then typed value; the tree is dropped
    // when decode_response returns).
    let hwm_reset = reset_hwm();
    let rss_before = status_kib("VmRSS:");
    let base = start();
    let decoded = telinta_api::decode_response::<GetDidapiNumbersListResponse>(&body)
        .expect("decodes")
        .expect("not a fault");
    let peak = PEAK.load(Relaxed) - base;
    let allocs = ALLOCS.load(Relaxed);
    let retained = LIVE.load(Relaxed) - base;
    let hwm = status_kib("VmHWM:");
    let n = decoded.numbers.len();
    drop(decoded);

    eprintln!(
        "peak_mem: response {size} bytes ({:.2} MiB), {n} numbers",
        mib(size)
    );
    eprintln!(
        "  Tree::parse alone: {} bytes live after ({:.2}x body), peak {} bytes",
        tree_live,
        tree_live as f64 / size as f64,
        tree_peak
    );
    eprintln!(
        "  decode_response: peak {} bytes above the body ({:.2}x body), {} allocations; decoded value retained {} bytes ({:.2}x body)",
        peak,
        peak as f64 / size as f64,
        allocs,
        retained,
        retained as f64 / size as f64
    );
    if hwm_reset {
        eprintln!(
            "  process RSS: {} KiB before decode (body held), VmHWM {} KiB during decode: +{} KiB",
            rss_before,
            hwm,
            hwm.saturating_sub(rss_before)
        );
    }
    println!("RESULT ours body_bytes_10000 {size}");
    println!("RESULT ours decode_peak_heap_bytes_10000 {peak}");
    println!(
        "RESULT ours decode_peak_ratio_10000 {:.3}",
        peak as f64 / size as f64
    );
    println!("RESULT ours tree_bytes_10000 {tree_live}");
    println!("RESULT ours decoded_value_bytes_10000 {retained}");
    println!("RESULT ours decode_allocations_10000 {allocs}");
    if hwm_reset {
        println!("RESULT ours vmhwm_kib_10000 {hwm}");
        println!("RESULT ours rss_before_decode_kib_10000 {rss_before}");
    }
}
