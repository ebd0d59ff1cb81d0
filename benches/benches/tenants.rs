//! `tenants`: the run-time tenant origin set, `SharedOrigins`, next to what an application would
//! write without it, `RwLock<HashSet<String>>`, in the same run. Origins are
//! `https://tenant{i}.customers.example`.
//!
//! * `tenants-lookup`: a hit and a miss (same shape, `i` in `n..2n`) at n = 1,000 and
//!   1,000,000. Each iteration takes the next of 16,384 random probes, so the 1M case pays the
//!   cache misses a server with many active tenants would. `ours-table` is the bare
//!   `OriginTable`, without the `ArcSwap` load; `rwlock-hashset` takes the read lock and hashes
//!   a `&str` (SipHash-1-3), as `HeaderValue::to_str` would hand it over.
//! * `tenants-refresh`: replacing all 1M origins with a fresh list from "the database" (an owned
//!   `Vec<String>`, made outside the timed region): build and swap, the old set dropped inside.
//! * `tenants-insert`: one new origin into a set of 1M (it grows by one each iteration).
//!   `SharedOrigins` merges its overlay into a new base every ~4,000 inserts: the time is the
//!   amortized cost. The `HashSet` does not reach its next resize (at 1,835,008) in a run.
//! * `tenants-contended`: the lookup hit of 1M while another thread inserts and removes an
//!   origin in a loop.

use std::collections::HashSet;
use std::hint::black_box;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::RwLock;

use cors_policy_benches::criterion;
use cors_policy_runtime::__private::tenants::SharedOrigins;
use criterion::{criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion, SamplingMode};

const SIZES: [usize; 2] = [1_000, 1_000_000];
const MILLION: usize = 1_000_000;
/// Probes per case, a power of two so that the next index is a mask.
const PROBES: usize = 1 << 14;

fn tenant(i: usize) -> String {
    format!("https://tenant{i}.customers.example")
}

/// The baseline: what an application would write.
type Baseline = RwLock<HashSet<String>>;

fn both(n: usize) -> (SharedOrigins, Baseline) {
    let ours = SharedOrigins::new();
    ours.replace_all((0..n).map(tenant)).expect("valid origins");
    (ours, RwLock::new((0..n).map(tenant).collect()))
}

/// xorshift64*: the probe order, the same in every run.
fn random_indices(count: usize, range: std::ops::Range<usize>) -> Vec<usize> {
    let mut state = 0x9E37_79B9_7F4A_7C15_u64;
    (0..count)
        .map(|_| {
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            let r = state.wrapping_mul(0x2545_F491_4F6C_DD1D);
            range.start + ((r as u128 * range.len() as u128) >> 64) as usize
        })
        .collect()
}

/// Cycles through `probes`: one probe per call.
struct Cycle<'p> {
    probes: &'p [String],
    next: usize,
}

impl<'p> Cycle<'p> {
    fn new(probes: &'p [String]) -> Self {
        assert!(probes.len().is_power_of_two());
        Cycle { probes, next: 0 }
    }

    #[inline]
    fn next(&mut self) -> &'p str {
        self.next = (self.next + 1) & (self.probes.len() - 1);
        &self.probes[self.next]
    }
}

fn lookup(c: &mut Criterion) {
    let mut group = c.benchmark_group("tenants-lookup");
    for n in SIZES {
        let (ours, baseline) = both(n);
        let table = cors_policy_runtime::__private::tenants::OriginTable::build((0..n).map(tenant))
            .expect("valid origins");
        let hits: Vec<String> = random_indices(PROBES, 0..n).into_iter().map(tenant).collect();
        let misses: Vec<String> = random_indices(PROBES, n..2 * n).into_iter().map(tenant).collect();
        for (case, probes, expected) in [("hit", &hits, true), ("miss", &misses, false)] {
            assert!(probes.iter().all(|p| ours.contains(p.as_bytes()) == expected));
            assert!(probes.iter().all(|p| table.contains(p.as_bytes()) == expected));
            assert!(probes.iter().all(|p| baseline.read().unwrap().contains(p.as_str()) == expected));
            let mut cycle = Cycle::new(probes);
            group.bench_function(BenchmarkId::new(format!("{case}/ours"), n), |b| {
                b.iter(|| ours.contains(black_box(cycle.next().as_bytes())))
            });
            group.bench_function(BenchmarkId::new(format!("{case}/ours-table"), n), |b| {
                b.iter(|| table.contains(black_box(cycle.next().as_bytes())))
            });
            group.bench_function(BenchmarkId::new(format!("{case}/rwlock-hashset"), n), |b| {
                b.iter(|| baseline.read().unwrap().contains(black_box(cycle.next())))
            });
        }
    }
    group.finish();
}

fn refresh(c: &mut Criterion) {
    let mut group = c.benchmark_group("tenants-refresh");
    group.sampling_mode(SamplingMode::Flat).sample_size(10);
    let (ours, baseline) = both(MILLION);
    // The next list differs from the current one, as after a day of sign-ups.
    let rows = || (MILLION / 10..MILLION + MILLION / 10).map(tenant).collect::<Vec<String>>();
    group.bench_function(BenchmarkId::new("ours", MILLION), |b| {
        b.iter_batched(rows, |rows| ours.replace_all(rows).expect("valid origins"), BatchSize::PerIteration)
    });
    group.bench_function(BenchmarkId::new("rwlock-hashset", MILLION), |b| {
        b.iter_batched(
            rows,
            |rows| {
                let fresh: HashSet<String> = rows.into_iter().collect();
                let old = std::mem::replace(&mut *baseline.write().unwrap(), fresh);
                drop(old); // outside the lock, as a careful application would
            },
            BatchSize::PerIteration,
        )
    });
    assert_eq!(ours.len(), MILLION);
    assert_eq!(baseline.read().unwrap().len(), MILLION);
    group.finish();
}

fn insert(c: &mut Criterion) {
    let mut group = c.benchmark_group("tenants-insert");
    let (ours, baseline) = both(MILLION);
    let mut next = MILLION;
    let mut fresh = || {
        next += 1;
        tenant(next)
    };
    group.bench_function(BenchmarkId::new("ours", MILLION), |b| {
        b.iter_batched(&mut fresh, |o| ours.insert(&o).expect("valid origin"), BatchSize::SmallInput)
    });
    group.bench_function(BenchmarkId::new("rwlock-hashset", MILLION), |b| {
        b.iter_batched(&mut fresh, |o| baseline.write().unwrap().insert(o), BatchSize::SmallInput)
    });
    group.finish();
}

fn contended(c: &mut Criterion) {
    let mut group = c.benchmark_group("tenants-contended");
    let (ours, baseline) = both(MILLION);
    let hits: Vec<String> = random_indices(PROBES, 0..MILLION).into_iter().map(tenant).collect();
    let transient: Vec<String> = (0..1024).map(|i| tenant(10 * MILLION + i)).collect();

    let writing = AtomicBool::new(true);
    std::thread::scope(|scope| {
        scope.spawn(|| {
            for o in transient.iter().cycle() {
                if !writing.load(Ordering::Relaxed) {
                    break;
                }
                ours.insert(o).expect("valid origin");
                ours.remove(o).expect("memory");
            }
        });
        let mut cycle = Cycle::new(&hits);
        group.bench_function(BenchmarkId::new("hit/ours", MILLION), |b| {
            b.iter(|| ours.contains(black_box(cycle.next().as_bytes())))
        });
        writing.store(false, Ordering::Relaxed);
    });

    writing.store(true, Ordering::Relaxed);
    std::thread::scope(|scope| {
        scope.spawn(|| {
            for o in transient.iter().cycle() {
                if !writing.load(Ordering::Relaxed) {
                    break;
                }
                let owned = o.clone(); // allocated before the lock is taken
                baseline.write().unwrap().insert(owned);
                baseline.write().unwrap().remove(o);
            }
        });
        let mut cycle = Cycle::new(&hits);
        group.bench_function(BenchmarkId::new("hit/rwlock-hashset", MILLION), |b| {
            b.iter(|| baseline.read().unwrap().contains(black_box(cycle.next())))
        });
        writing.store(false, Ordering::Relaxed);
    });
    group.finish();
}

criterion_group! { name = benches; config = criterion(); targets = lookup, refresh, insert, contended }
criterion_main!(benches);
