//! Compile-time cost of the checks and the trust analysis, for BENCHMARKS.md.
//!
//! `cargo run --release -p cors-policy --example compile_time` prints one Markdown row per
//! policy: how long `compile_yaml` takes (the median of five runs) and what it found. It is a
//! timing script, not a test: times depend on the machine.

use std::time::{Duration, Instant};

fn policy(entries: impl Iterator<Item = String>) -> String {
    let mut yaml = String::from("allow_origins:\n");
    for entry in entries {
        yaml.push_str("  - ");
        yaml.push_str(&entry);
        yaml.push('\n');
    }
    yaml
}

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

fn main() {
    let cases: Vec<(&str, String)> = vec![
        (
            "64 preview regexes (accepted)",
            policy((0..64).map(|i| format!(r"regex: '^https://pr-[0-9]+\.app{i}\.example\.com$'"))),
        ),
        (
            "64 two-domain regexes with ports (accepted)",
            policy(
                (0..64)
                    .map(|i| format!(r"regex: '^https://(app|admin)\.t{i}\.example\.(com|org)(:[0-9]+)?$'")),
            ),
        ),
        (
            "64 entries `([a-z]{1,9}){1,150}` (each CORS049, over the NFA budget)",
            policy((0..64).map(|i| format!(r"regex: '^https://([a-z]{{1,9}}){{1,150}}\.example{i}\.com$'"))),
        ),
        (
            "64 entries `([a-z]{1,9}\\.){1,40}` (847-state DFAs, analysed)",
            policy((0..64).map(|i| format!(r"regex: '^https://([a-z]{{1,9}}\.){{1,40}}example{i}\.com$'"))),
        ),
        (
            "64 entries `([a-z]{1,9}\\.){1,40}` with only a leading-zero port (847+ states, each CORS049: nothing browsers send)",
            policy((0..64).map(|i| format!(r"regex: '^https://([a-z]{{1,9}}\.){{1,40}}example{i}\.com:0[0-9]{{1,4}}$'"))),
        ),
        (
            "64 entries with open schemes and no port a browser sends (each CORS009, the scheme)",
            policy((0..64).map(|i| {
                format!(r"regex: '^(h|ht|htt|http|https|w|ws|wss)+://[a-z0-9]{{1,60}}{i}\.example\.com:(0|80|443|65536|[7-9][0-9]{{4}})$'")
            })),
        ),
        (
            "64 open regexes `[a-z]{1,3}` (each CORS009)",
            policy((0..64).map(|i| format!(r"regex: '^https://[a-z]{{1,3}}\.x{i}\.com$'"))),
        ),
        ("10,000 exact origins", policy((0..10_000).map(|i| format!("https://tenant-{i}.example.com")))),
        ("10,000 `*.` patterns", policy((0..10_000).map(|i| format!("'https://*.tenant-{i}.example.com'")))),
    ];
    println!("| policy | compile_yaml (median of 5) | errors |");
    println!("|---|---|---|");
    for (name, yaml) in cases {
        let mut runs = Vec::new();
        let mut errors = 0;
        for _ in 0..5 {
            let began = Instant::now();
            let compilation = cors_policy::compile_yaml(&yaml);
            runs.push(began.elapsed());
            errors = compilation.diagnostics.iter().filter(|d| d.is_error()).count();
        }
        println!("| {name} | {:.1?} | {errors} |", median(runs));
    }
}
