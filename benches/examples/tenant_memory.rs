//! The heap memory of one million tenant origins (`https://tenant{i}.customers.example`):
//! `SharedOrigins` next to `HashSet<String>`, measured with a counting global allocator.
//!
//! `cargo run --release -p cors-policy-benches --example tenant_memory [N]`
//!
//! "live" is what the set holds once built, "peak" the most the build had allocated at once
//! (the input strings are made one at a time, so neither counts a list of them). The sizes are
//! those requested from the allocator; glibc adds 8 bytes and rounds each block up to 16.

use std::alloc::{GlobalAlloc, Layout, System};
use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

use cors_policy_runtime::__private::tenants::{OriginTable, SharedOrigins};

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
static BLOCKS: AtomicUsize = AtomicUsize::new(0);

fn grew(bytes: usize) {
    let live = LIVE.fetch_add(bytes, Relaxed) + bytes;
    PEAK.fetch_max(live, Relaxed);
}

// SAFETY: every call is forwarded unchanged to the system allocator; the counters are atomics.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        grew(layout.size());
        BLOCKS.fetch_add(1, Relaxed);
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Relaxed);
        BLOCKS.fetch_sub(1, Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if new_size >= layout.size() {
            grew(new_size - layout.size());
        } else {
            LIVE.fetch_sub(layout.size() - new_size, Relaxed);
        }
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn tenant(i: usize) -> String {
    format!("https://tenant{i}.customers.example")
}

/// Builds a structure with `build` and reports its live and peak heap bytes per origin.
fn measure<T>(name: &str, n: usize, build: impl FnOnce() -> T, self_reported: impl Fn(&T) -> Option<usize>) {
    let (live_before, blocks_before) = (LIVE.load(Relaxed), BLOCKS.load(Relaxed));
    PEAK.store(live_before, Relaxed);
    let built = build();
    let live = LIVE.load(Relaxed) - live_before;
    let peak = PEAK.load(Relaxed) - live_before;
    let blocks = BLOCKS.load(Relaxed) - blocks_before;
    let per = |bytes: usize| bytes as f64 / n as f64;
    print!(
        "{name:<24} live {:>6.1} B/origin ({:>5.1} MB, {blocks} blocks)   peak {:>6.1} B/origin",
        per(live),
        live as f64 / 1e6,
        per(peak)
    );
    match self_reported(&built) {
        Some(bytes) => println!("   heap_bytes() {:.1} B/origin", per(bytes)),
        None => println!(),
    }
    drop(built);
}

fn main() {
    let n = std::env::args().nth(1).map_or(1_000_000, |arg| arg.parse().expect("N is a number"));
    let text: usize = (0..n).map(|i| tenant(i).len()).sum();
    println!("{n} origins, {:.1} bytes of text each on average\n", text as f64 / n as f64);

    measure(
        "SharedOrigins",
        n,
        || {
            let set = SharedOrigins::new();
            set.replace_all((0..n).map(tenant)).expect("valid origins");
            set
        },
        |set| Some(set.heap_bytes()),
    );
    measure(
        "OriginTable",
        n,
        || OriginTable::build((0..n).map(tenant)).expect("valid origins"),
        |table| Some(table.heap_bytes()),
    );
    measure("HashSet<String> collect", n, || (0..n).map(tenant).collect::<HashSet<String>>(), |_| None);
    measure(
        "HashSet<String> inserts",
        n,
        || {
            let mut set = HashSet::new();
            for i in 0..n {
                set.insert(tenant(i));
            }
            set
        },
        |_| None,
    );
}
