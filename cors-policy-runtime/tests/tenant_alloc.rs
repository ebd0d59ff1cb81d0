//! `SharedOrigins::contains` allocates nothing, even while a writer replaces the set.
//!
//! A test binary of its own: it installs a counting global allocator, which would count the
//! allocations of every other test running in the same process. The count is per thread, so
//! the writer thread and the test harness do not disturb it.
#![cfg(feature = "tenants")]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicBool, Ordering};

use cors_policy_runtime::__private::tenants::SharedOrigins;

struct CountingAllocator;

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

fn count() {
    // `try_with`: the allocator also runs while thread-locals are torn down.
    let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
}

fn allocations() -> usize {
    ALLOCATIONS.with(Cell::get)
}

// SAFETY: every call is forwarded unchanged to the system allocator; the counter is a
// const-initialized thread-local without a destructor, so touching it never allocates.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count();
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count();
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count();
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

fn origin(i: usize) -> String {
    format!("https://tenant{i}.customers.example")
}

#[test]
fn lookups_allocate_nothing_even_during_writes() {
    let set = SharedOrigins::new();
    set.replace_all((0..10_000).map(origin)).unwrap();
    set.insert("https://added.example").unwrap();
    set.remove(&origin(3)).unwrap();

    let probes: Vec<String> = (0..20_000).map(origin).collect();
    let huge = vec![b'x'; 100 * 1024];
    let hostile: [&[u8]; 4] =
        [b"", &huge, b"\xff\xfe https://tenant1.customers.example", b"https://added.example"];

    // The first `ArcSwap` load of a thread may allocate the thread's debt list node: warm up.
    assert!(set.contains(probes[0].as_bytes()));

    let writing = AtomicBool::new(true);
    std::thread::scope(|scope| {
        scope.spawn(|| {
            let mut round = 0;
            while writing.load(Ordering::Relaxed) {
                set.replace_all((round % 2..10_000).map(origin)).unwrap();
                set.insert(&origin(50_000 + round)).unwrap();
                round += 1;
            }
        });

        let before = allocations();
        let mut hits = 0;
        for _ in 0..20 {
            for probe in &probes {
                hits += usize::from(set.contains(probe.as_bytes()));
            }
            for probe in hostile {
                hits += usize::from(set.contains(probe));
            }
        }
        let during = allocations() - before;
        writing.store(false, Ordering::Relaxed);
        assert_eq!(during, 0, "allocations during {} lookups", 20 * (probes.len() + hostile.len()));
        assert!(hits > 0);
    });
}
