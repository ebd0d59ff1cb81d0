//! Hostile policy files: each is refused (or compiled) with a clear, located diagnostic, after a
//! bounded amount of work and memory, and never hangs, panics or exhausts memory.
//!
//! Policy files may come from other people (a pull request, a vendored config), so the compiler
//! treats them as semi-trusted input. Every case prints how long it took and the most heap it
//! held (`hostile: ...` lines, visible with `--nocapture`). Time is printed, not asserted: timing
//! assertions flake on shared CI machines, and finishing at all is what shows the work is
//! bounded. Peak heap is counted by a global allocator and asserted, since it is deterministic.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::time::Instant;

use cors_policy::yaml::{self, ParsedFile};
use cors_policy::{Compilation, Diagnostic};

struct Counting;

thread_local! {
    /// Bytes currently allocated by this thread (frees by other threads are not expected).
    static LIVE: Cell<isize> = const { Cell::new(0) };
    /// The most `LIVE` has been since the last reset.
    static PEAK: Cell<isize> = const { Cell::new(0) };
}

fn grew(bytes: usize) {
    let _ = LIVE.try_with(|live| {
        live.set(live.get() + bytes as isize);
        let _ = PEAK.try_with(|peak| peak.set(peak.get().max(live.get())));
    });
}

fn shrank(bytes: usize) {
    let _ = LIVE.try_with(|live| live.set(live.get() - bytes as isize));
}

// SAFETY: forwards every call to the system allocator unchanged; it only keeps per-thread byte
// counts, so that tests running on other threads do not disturb each other's numbers.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            grew(layout.size());
        }
        ptr
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let ptr = unsafe { System.alloc_zeroed(layout) };
        if !ptr.is_null() {
            grew(layout.size());
        }
        ptr
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        shrank(layout.size());
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            shrank(layout.size());
            grew(new_size);
        }
        new
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

const KIB: usize = 1 << 10;
const MIB: usize = 1 << 20;

/// Runs `f`, prints its time and peak heap (above what was live before), returns both.
fn measure<R>(label: &str, f: impl FnOnce() -> R) -> (R, usize) {
    let base = LIVE.with(Cell::get);
    PEAK.with(|p| p.set(base));
    let started = Instant::now();
    let result = f();
    let elapsed = started.elapsed();
    let peak = (PEAK.with(Cell::get) - base).max(0) as usize;
    eprintln!("hostile: {label}: {elapsed:.2?}, peak heap {} KiB", peak / KIB);
    (result, peak)
}

/// `(code, line, column)` of a diagnostic.
fn at(d: &Diagnostic) -> (&'static str, u32, u32) {
    let (line, column) = d.span.line_column().expect("a file diagnostic has a line and column");
    (d.check.code(), line, column)
}

/// The only diagnostic, which must be an error with a help or a message that says what to do.
fn only_error(diagnostics: &[Diagnostic]) -> &Diagnostic {
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    let d = &diagnostics[0];
    assert!(d.is_error(), "{d:#?}");
    d
}

fn parsed_error(parsed: &ParsedFile) -> &Diagnostic {
    assert!(parsed.policies.is_empty(), "{:#?}", parsed.policies);
    only_error(&parsed.diagnostics)
}

fn compiled_error(compilation: &Compilation) -> &Diagnostic {
    assert!(compilation.policies.is_empty(), "{:#?}", compilation.policies);
    only_error(&compilation.diagnostics)
}

// ---------------------------------------------------------------------------------------------

#[test]
fn billion_laughs_alias_bomb() {
    // Nine levels of ten aliases: 10^9 nodes if expanded.
    let mut text = String::from("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for (prev, name) in "abcdefgh".chars().zip("bcdefghi".chars()) {
        let refs = vec![format!("*{prev}"); 10].join(", ");
        text.push_str(&format!("{name}: &{name} [{refs}]\n"));
    }
    text.push_str("allow_origins: *i\n");
    let (compilation, peak) = measure("billion laughs", || cors_policy::compile_yaml(&text));
    let d = compiled_error(&compilation);
    // `e` holds ten copies of `d` (11 111 nodes each); its eighth crosses 100 000.
    assert_eq!(at(d), ("CORS048", 5, 36));
    assert!(d.message.contains("expands to more than 100000 YAML nodes"), "{}", d.message);
    assert!(d.help.as_deref().is_some_and(|h| h.contains("aliases")), "{d:#?}");
    assert!(peak < 16 * MIB, "{} KiB", peak / KIB);
}

#[test]
fn one_large_anchor_aliased_by_many_policies() {
    // A realistic amplification: 5 000 origins defined once and aliased by every named policy.
    let origins: Vec<String> = (0..5_000).map(|i| format!("https://a{i}.example.com")).collect();
    let mut text = format!("shared: &o [{}]\npolicies:\n", origins.join(", "));
    for p in 0..40 {
        text.push_str(&format!("  p{p}: {{allow_origins: *o}}\n"));
    }
    let (compilation, peak) = measure("5 000 origins aliased 40 times", || cors_policy::compile_yaml(&text));
    let d = compiled_error(&compilation);
    // Each policy adds 5 004 nodes; the nineteenth (`p18`, line 21) crosses 100 000 at its alias.
    assert_eq!(at(d), ("CORS048", 21, 24));
    assert!(d.message.contains("100000 YAML nodes"), "{}", d.message);
    assert!(peak < 32 * MIB, "{} KiB", peak / KIB);
}

#[test]
fn ten_thousand_deep_flow_nesting() {
    for (label, text, expected, message) in [
        (
            "10 000 unclosed `[`",
            format!("allow_origins: {}", "[".repeat(10_000)),
            ("CORS048", 1, 271),
            "recursion limit exceeded",
        ),
        (
            "10 000 balanced `[...]`",
            format!("allow_origins: {}{}", "[".repeat(10_000), "]".repeat(10_000)),
            ("CORS048", 1, 271),
            "recursion limit exceeded",
        ),
        (
            "10 000 nested `{a: `",
            format!("allow_origins: {}", "{a: ".repeat(10_000)),
            ("CORS048", 1, 268),
            "nested more than 64 deep",
        ),
        (
            "100 balanced `[...]`, under saphyr's own limit",
            format!("allow_origins: {}{}", "[".repeat(100), "]".repeat(100)),
            ("CORS048", 1, 79),
            "nested more than 64 deep",
        ),
    ] {
        let (parsed, peak) = measure(label, || yaml::parse(&text));
        let d = parsed_error(&parsed);
        assert_eq!(at(d), expected, "{label}: {}", d.message);
        assert!(d.message.contains(message), "{label}: {}", d.message);
        assert!(peak < 4 * MIB, "{label}: {} KiB", peak / KIB);
    }
}

#[test]
fn ten_thousand_deep_block_nesting() {
    // Indented block mappings 10 000 deep need 50 MB of indentation: refused by size, unread.
    let indented: String = (0..10_000).map(|i| format!("{}a:\n", " ".repeat(i))).collect();
    let (parsed, peak) = measure("10 000 indented block mappings (50 MB)", || yaml::parse(&indented));
    let d = parsed_error(&parsed);
    assert_eq!(at(d), ("CORS048", 1, 1));
    assert!(d.message.contains("limited to 1 MiB"), "{}", d.message);
    assert!(peak < 64 * KIB, "{} KiB", peak / KIB);

    for (label, text, expected) in [
        // As deep as fits in 1 MiB: the depth limit stops it at the 64th level.
        (
            "1 400 indented block mappings",
            (0..1_400).map(|i| format!("{}a:\n", " ".repeat(i))).collect(),
            ("CORS048", 65, 65),
        ),
        // Compact forms nest 10 000 deep in a few kilobytes.
        ("10 000 `? ` block mappings", "? ".repeat(10_000), ("CORS048", 1, 129)),
        ("10 000 `- ` block sequences", "- ".repeat(10_000), ("CORS048", 1, 129)),
        (
            "block sequences of mappings",
            (0..300).map(|i| format!("{}- a:\n", "  ".repeat(i))).collect::<String>(),
            ("CORS048", 33, 67),
        ),
    ] {
        let (parsed, peak) = measure(label, || yaml::parse(&text));
        let d = parsed_error(&parsed);
        assert_eq!(at(d), expected, "{label}: {}", d.message);
        assert!(d.message.contains("nested more than 64 deep"), "{label}: {}", d.message);
        assert!(peak < 4 * MIB, "{label}: {} KiB", peak / KIB);
    }
}

#[test]
fn hundred_megabyte_file_is_refused_unread() {
    let text = format!("allow_origins: [https://app.example.com]\n{}", "#".repeat(100 * MIB));
    for (label, parse) in [
        ("100 MB: yaml::parse", &(|t: &str| yaml::parse(t)) as &dyn Fn(&str) -> ParsedFile),
        ("100 MB: yaml::parse_bytes", &|t: &str| yaml::parse_bytes(t.as_bytes())),
    ] {
        let (parsed, peak) = measure(label, || parse(&text));
        let d = parsed_error(&parsed);
        assert_eq!(at(d), ("CORS048", 1, 1));
        assert!(d.message.contains(&format!("{} bytes long", text.len())), "{}", d.message);
        assert!(d.message.contains("limited to 1 MiB"), "{}", d.message);
        // Refused by size before anything is parsed or copied.
        assert!(peak < 64 * KIB, "{label}: {} KiB", peak / KIB);
    }
    let (compilation, _) = measure("100 MB: compile_yaml", || cors_policy::compile_yaml(&text));
    assert_eq!(at(compiled_error(&compilation)), ("CORS048", 1, 1));
    // One byte over the limit is refused too; exactly at the limit is read.
    let over = format!("allow_origins: [https://app.example.com]\n{}", "#".repeat(MIB - 41 + 1));
    assert_eq!(over.len(), MIB + 1);
    assert_eq!(at(parsed_error(&yaml::parse(&over))), ("CORS048", 1, 1));
    let (parsed, _) = measure("exactly 1 MiB", || yaml::parse(&over[..MIB]));
    assert!(parsed.diagnostics.is_empty(), "{:#?}", parsed.diagnostics);
}

#[test]
fn duplicate_keys() {
    let thousand = format!("allow_origins: [https://a.example]\n{}", "max_age: 1\n".repeat(1_000));
    type Case<'a> = (&'a str, &'a str, Vec<(&'a str, u32, u32)>);
    let cases: Vec<Case> = vec![
        ("top level", "allow_origins: [https://a.example]\nmax_age: 1\nmax_age: 2\n", vec![("CORS050", 3, 1)]),
        (
            "in a named policy, and the policy name",
            "policies:\n  a:\n    allow_origins: [https://a.example]\n    allow_origins: [https://b.example]\n  a:\n    max_age: 1\n",
            vec![("CORS050", 4, 5), ("CORS050", 5, 3)],
        ),
        (
            "in a flow mapping",
            "{allow_origins: [https://a.example], allow_credentials: true, allow_credentials: false}\n",
            vec![("CORS050", 1, 63)],
        ),
        ("a thousand times", &thousand, (3..1_002).map(|line| ("CORS050", line, 1)).collect()),
    ];
    for (label, text, expected) in cases {
        let (compilation, _) =
            measure(&format!("duplicate keys, {label}"), || cors_policy::compile_yaml(text));
        assert!(compilation.policies.is_empty(), "{label}");
        let found: Vec<_> = compilation.diagnostics.iter().map(at).collect();
        assert_eq!(found, expected, "{label}: {:#?}", &compilation.diagnostics[..1]);
        for d in &compilation.diagnostics {
            assert!(d.message.contains("is given twice (first on line"), "{}", d.message);
        }
    }
}

/// Regression: a key repeated inside an `allow_origins` entry mapping is a duplicate key like
/// any other, and the entry it spoils does not make `allow_origins` "missing or empty".
#[test]
fn duplicate_regex_key_in_an_origin_entry() {
    let text = "allow_origins: [{regex: '^https://a\\.example$', regex: '^https://b\\.example$'}]\n";
    let compilation = cors_policy::compile_yaml(text);
    let found: Vec<_> = compilation.diagnostics.iter().map(at).collect();
    assert_eq!(found, [("CORS050", 1, 49)], "{:#?}", compilation.diagnostics);
}

#[test]
fn bytes_that_are_not_utf8() {
    // (what, bytes, line and column of the first bad byte, the byte as the message shows it)
    type Case<'a> = (&'a str, &'a [u8], (u32, u32), &'a str);
    let cases: &[Case] = &[
        (
            "0xFF after a multi-byte character",
            b"max_age: 600\nallow_origins: [\"https://caf\xc3\xa9.example\", \"https://a\xff.example\"]\n",
            (2, 51),
            "0xFF",
        ),
        ("a lone continuation byte", b"allow_origins: [https://a.example]\n\x80: 1\n", (2, 1), "0x80"),
        ("an overlong encoding", b"allow_origins: [https://\xc0\xae.example]\n", (1, 25), "0xC0"),
        ("a UTF-16 surrogate", b"allow_origins: [https://\xed\xa0\x80.example]\n", (1, 25), "0xED"),
        ("a truncated sequence at the end", b"allow_origins: [https://a.example]\n\xe2\x82", (2, 1), "0xE2"),
        ("after a byte-order mark", b"\xef\xbb\xbfmax_age: 600\n\xc3\x28: 1\n", (2, 1), "0xC3"),
        ("Latin-1", b"allow_origins: [https://b\xfccher.example]\n", (1, 26), "0xFC"),
    ];
    for (label, bytes, (line, column), byte) in cases {
        let (parsed, _) = measure(&format!("not UTF-8: {label}"), || yaml::parse_bytes(bytes));
        let d = parsed_error(&parsed);
        assert_eq!(at(d), ("CORS048", *line, *column), "{label}");
        assert!(d.message.contains("not valid UTF-8") && d.message.contains(byte), "{label}: {}", d.message);
        assert!(d.help.as_deref().is_some_and(|h| h.contains("UTF-8")), "{label}");
    }
}

#[test]
fn regex_that_would_explode_a_dfa() {
    for (label, text, expected) in [
        (
            "(a|b)*a(a|b){30}",
            "allow_origins:\n  - https://app.example.com\n  - regex: '(a|b)*a(a|b){30}'\n",
            (3, 12),
        ),
        (
            "origin-shaped (a|b)*a(a|b){30}",
            "allow_origins:\n  - regex: '^https://(a|b)*a(a|b){30}\\.example\\.com$'\n",
            (2, 12),
        ),
        (
            "(?:(?:a{100}){100}){100}",
            "allow_origins: [{regex: '^https://(?:(?:a{100}){100}){100}\\.example\\.com$'}]\n",
            (1, 25),
        ),
    ] {
        let (compilation, peak) = measure(label, || cors_policy::compile_yaml(text));
        let d = compiled_error(&compilation);
        assert_eq!(at(d), ("CORS049", expected.0, expected.1), "{label}: {}", d.message);
        assert!(d.message.contains("too large"), "{label}: {}", d.message);
        // regex::Limits: 4 MiB each for the NFA, the determinizer and the unminimized DFA.
        assert!(peak < 64 * MIB, "{label}: {} KiB", peak / KIB);
    }
    // Too long to be worth compiling: refused on its length.
    let long = format!("allow_origins: [{{regex: '^https://{}\\.example\\.com$'}}]\n", "a".repeat(500_000));
    let (compilation, peak) = measure("a 500 kB regex", || cors_policy::compile_yaml(&long));
    let d = compiled_error(&compilation);
    assert_eq!(at(d), ("CORS049", 1, 25));
    assert!(d.message.contains("over the limit of 1024 bytes"), "{}", &d.message[..200]);
    assert!(peak < 8 * MIB, "{} KiB", peak / KIB);
}

#[test]
fn ten_thousand_origins_compile() {
    let origins: Vec<String> = (0..10_000).map(|i| format!("https://app{i}.example.com")).collect();
    let text =
        format!("allow_origins:\n{}", origins.iter().map(|o| format!("  - {o}\n")).collect::<String>());
    let (compilation, peak) = measure("10 000 origins", || cors_policy::compile_yaml(&text));
    assert!(compilation.diagnostics.is_empty(), "{:#?}", &compilation.diagnostics[..3]);
    let tables = compilation.policy(None).expect("compiles");
    tables.with_view(|policy| {
        let allowed = |o: &str| policy.evaluate(b"GET", &[("origin", o)][..]).is_allowed();
        assert!(origins.iter().all(|o| allowed(o)));
        for miss in [
            "https://app10000.example.com",
            "https://app1.example.com.",
            "https://App1.example.com",
            "https://app1.example.com:443",
            "https://app.example.com",
            "http://app1.example.com",
        ] {
            assert!(!allowed(miss), "{miss}");
        }
    });
    assert!(peak < 64 * MIB, "{} KiB", peak / KIB);
}

#[test]
fn fifty_regexes_whose_union_explodes() {
    // Each entry is small and safe (`[a-z]*c[a-z]{3}` has 16 states), but their union must
    // remember which of 26 letters came four or five bytes back.
    let letters = "abcdefghijklmnopqrstuvwxyz";
    let entries: String = (0..50)
        .map(|i| {
            format!(
                "  - regex: '^https://[a-z]*{}[a-z]{{{}}}\\.example\\.com$'\n",
                &letters[i % 26..i % 26 + 1],
                3 + i / 26
            )
        })
        .collect();
    let text = format!("allow_origins:\n{entries}");
    let (compilation, peak) = measure("50 regexes, exploding union", || cors_policy::compile_yaml(&text));
    let d = compiled_error(&compilation);
    assert!(d.check.code() == "CORS049" && d.message.contains("together"), "{}", d.message);
    // Reported on one of the regex entries (today: the first).
    let (_, line, column) = at(d);
    assert!((2..=51).contains(&line) && column == 12, "{:?}", at(d));
    assert!(peak < 64 * MIB, "{} KiB", peak / KIB);
}

#[test]
fn several_regexes_that_are_each_blow_ups() {
    // Explosive patterns: each entry fails on its own, every one located. (Each costs the
    // determinization budget, about a second in a debug build, so a few make the point.)
    let entries: String = (0..3)
        .map(|i| format!("  - regex: '^https://(a|b)*a(a|b){{20}}\\.e{i}\\.example\\.com$'\n"))
        .collect();
    let text = format!("allow_origins:\n{entries}");
    let (compilation, peak) = measure("3 blow-up regexes", || cors_policy::compile_yaml(&text));
    assert!(compilation.policies.is_empty());
    let found: Vec<_> = compilation.diagnostics.iter().map(at).collect();
    let expected: Vec<_> = (0..3).map(|i| ("CORS049", i + 2, 12)).collect();
    assert_eq!(found, expected);
    assert!(peak < 64 * MIB, "{} KiB", peak / KIB);
}

/// Lists as long as the node limit allows. Duplicate detection in the checks is quadratic today
/// (see the report of the differential suite): 20 000 names take seconds in a debug build, the
/// profile proc macros and build scripts run in, and 100 000 take minutes.
#[test]
fn long_name_lists() {
    let names: Vec<String> = (0..20_000).map(|i| format!("x-h{i}")).collect();
    for key in ["allow_headers", "allow_methods", "expose_headers"] {
        let text = format!("allow_origins: [https://app.example.com]\n{key}: [{}]\n", names.join(", "));
        let (compilation, _) =
            measure(&format!("20 000 names in {key}"), || cors_policy::compile_yaml(&text));
        assert!(!compilation.has_errors(), "{key}: {:#?}", &compilation.diagnostics[..1]);
        assert_eq!(compilation.policies.len(), 1, "{key}");
    }
}

/// Regression: the size limit must hold for files, not only for text already in memory.
/// `build::try_compile` (like `cors-policy check`/`explain` and `cors_policy!(file = ...)`)
/// reads the whole file before `yaml::parse_bytes` sees its size, so a 64 MiB file costs 64 MiB
/// of heap, and a policy path that is a symlink to `/dev/zero` grows until memory runs out.
/// Reading at most `max_bytes + 1` bytes refuses both after 1 MiB.
#[test]
fn a_huge_policy_file_is_refused_without_reading_it_whole() {
    let dir = std::env::temp_dir().join(format!("cors-policy-hostile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("huge.yaml");
    // A sparse file of NUL bytes: 64 MiB long, instant to make, no disk used.
    std::fs::File::create(&path).and_then(|f| f.set_len(64 * MIB as u64)).expect("sparse file");
    // `try_compile` writes its output to OUT_DIR; nothing else in this binary reads it.
    std::env::set_var("OUT_DIR", &dir);
    let (result, peak) =
        measure("64 MiB file through build::try_compile", || cors_policy::build::try_compile(&path));
    let _ = std::fs::remove_dir_all(&dir);
    match result {
        Err(cors_policy::build::Error::Policy(lines)) => {
            assert_eq!(lines.len(), 1, "{lines:#?}");
            assert!(lines[0].contains("huge.yaml:1:1") && lines[0].contains("CORS048"), "{}", lines[0]);
            assert!(lines[0].contains("limited to 1 MiB"), "{}", lines[0]);
        }
        other => panic!("{other:?}"),
    }
    assert!(peak < 4 * MIB, "read {} KiB into memory to refuse a file over 1 MiB", peak / KIB);
}

/// SECURITY.md states the limits of this very build.
#[test]
fn security_md_states_the_real_limits() {
    use cors_policy_runtime as rt;
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../SECURITY.md")).expect("SECURITY.md");
    let yaml = yaml::Limits::default();
    let regex = cors_policy::regex::Limits::default();
    let rows = [
        format!("| `MAX_ORIGIN_LEN` | {} |", rt::MAX_ORIGIN_LEN),
        format!("| `MAX_METHOD_LEN` | {} |", rt::MAX_METHOD_LEN),
        format!("| `MAX_REQUEST_HEADER_LINES` | {} |", rt::MAX_REQUEST_HEADER_LINES),
        format!("| `MAX_REQUEST_HEADERS_BYTES` | {} |", rt::MAX_REQUEST_HEADERS_BYTES),
        format!("| `MAX_REQUEST_HEADER_NAMES` | {} |", rt::MAX_REQUEST_HEADER_NAMES),
        format!("| `MAX_EMPTY_ELEMENTS` | {} |", rt::MAX_EMPTY_ELEMENTS),
        format!("| `MAX_OWS` | {} |", rt::MAX_OWS),
        format!("| `yaml::Limits::max_bytes` | {} MiB |", yaml.max_bytes / MIB),
        format!("| `yaml::Limits::max_depth` | {} nested", yaml.max_depth),
        format!("| `yaml::Limits::max_nodes` | {} nodes", yaml.max_nodes),
        format!("| `regex::Limits::max_pattern_len` | {} bytes", regex.max_pattern_len),
        format!("| `regex::Limits::max_states` | {} DFA states", regex.max_states),
        format!("| `regex::Limits::max_table_bytes` | {} MiB of emitted tables", regex.max_table_bytes / MIB),
        format!("| `regex::Limits::max_entries` | {} regex entries per policy", regex.max_entries),
        format!(
            "| `regex::Limits::max_nfa_bytes` | {} KiB of Thompson NFA per entry",
            regex.max_nfa_bytes / KIB
        ),
        format!("| `regex::Limits::max_union_nfa_bytes` | {} MiB of NFA", regex.max_union_nfa_bytes / MIB),
        format!(
            "| `regex::trust::MAX_REVERSE_STATES` | {} states",
            cors_policy::regex::trust::MAX_REVERSE_STATES
        ),
        format!("| `regex::trust::MAX_STEPS` | {} steps", cors_policy::regex::trust::MAX_STEPS),
        format!("| `regex::trust::MAX_SITES` | {} registrable domains", cors_policy::regex::trust::MAX_SITES),
        format!("| `regex::trust::MAX_SCHEMES` | {} schemes", cors_policy::regex::trust::MAX_SCHEMES),
    ];
    for row in rows {
        assert!(text.contains(&row), "SECURITY.md lacks `{row}`");
    }
    assert_eq!(yaml.max_bytes % MIB, 0);
    assert_eq!(regex.max_table_bytes % MIB, 0);
}

/// A regex entry costs its own compilation, minimization and probing. One 65-byte entry just
/// over the automaton limits is refused; the printed time, times `regex::Limits::max_entries`,
/// bounds what one policy's regexes can cost.
#[test]
fn one_expensive_regex_entry() {
    let entry = r"^https://[ab]*a[ab]{12}\.example\.com$";
    let text = format!("allow_origins:\n  - regex: '{entry}'\n");
    let (compilation, peak) = measure("one regex of 8 000 states", || cors_policy::compile_yaml(&text));
    eprintln!(
        "hostile: at most {} such entries per policy",
        cors_policy::regex::Limits::default().max_entries
    );
    match compilation.policies.first() {
        Some(tables) => assert!(tables.with_view(|p| p
            .evaluate(b"GET", &[("origin", "https://aaaaaaaaaaaaa.example.com")][..])
            .is_allowed())),
        None => assert_eq!(at(compiled_error(&compilation)), ("CORS049", 2, 12)),
    }
    assert!(peak < 64 * MIB, "{} KiB", peak / KIB);
}

/// More regex entries than the limit: refused at the first one past it, before any is compiled.
#[test]
fn more_regex_entries_than_the_limit() {
    let limit = cors_policy::regex::Limits::default().max_entries;
    let entries: String =
        (0..=limit).map(|i| format!("  - regex: '^https://pr-[0-9]+\\.app{i}\\.example\\.com$'\n")).collect();
    let text = format!("allow_origins:\n{entries}");
    let (compilation, _) = measure("65 regex entries", || cors_policy::compile_yaml(&text));
    assert_eq!(at(compiled_error(&compilation)), ("CORS049", limit as u32 + 2, 12));
}
