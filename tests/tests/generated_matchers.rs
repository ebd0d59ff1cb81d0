//! The matchers that generated code emits beside its exact origins, its origin patterns and
//! its regex DFA (`OriginSet::with_matcher`, `OriginPatterns::with_matcher`,
//! `Dfa::with_matcher`) decide what the tables decide: on strings built from the compiled
//! tables themselves (the keys, a path to every transition of the DFA, every pattern's own
//! scheme and host), each with every byte value in every place.

use cors_policy_core::{AllowOrigins, Dfa, OriginPatterns, OriginSet, PortPattern};
use cors_policy_runtime::{cors_policy, Policy};

#[allow(deprecated)] // CORS006, subdomain patterns with credentials, is expected here.
static SHAPES: Policy = cors_policy! {
    allow_origins: [
        "https://app.example.com",
        "http://localhost:3000",
        "https://[2001:db8::1]",
        "https://*.example.com",
        "http://localhost:*",
        "https://*.dev.example.net:8443",
        "http://[::1]:*",
        regex("^https://pr-[0-9]+\\.preview\\.example\\.com$"),
        regex("^https://(staging|qa)-[a-z0-9]{1,8}\\.example\\.org$"),
        regex("^https://[a-z]+\\.apps\\.example\\.com:(3000|5173)$"),
    ],
    allow_credentials: true,
};

/// More exact origins than a scan is kept for: a hashed set, looked up by its table.
static HASHED: Policy = cors_policy! {
    allow_origins: [
        "https://a.example.com", "https://b.example.com", "https://c.example.com",
        "https://d.example.com", "https://e.example.com", "https://f.example.com",
        "https://g.example.com", "https://h.example.com", "https://i.example.com",
    ],
};

fn matcher_parts() -> (OriginSet<'static>, OriginPatterns<'static>, Dfa<'static>) {
    let AllowOrigins::Listed(matcher) = SHAPES.engine().allow_origins() else { panic!("a listed policy") };
    let dfa = *matcher.regex().expect("the policy has regexes");
    (*matcher.exact(), matcher.patterns(), dfa)
}

/// `text`, and `text` with every byte value in every place, and one byte longer and shorter.
fn with_every_byte_changed(text: &[u8], out: &mut Vec<Vec<u8>>) {
    out.push(text.to_vec());
    out.push(text[..text.len().saturating_sub(1)].to_vec());
    for byte in 0..=255u8 {
        out.push([text, &[byte]].concat());
        for place in 0..text.len() {
            let mut changed = text.to_vec();
            changed[place] = byte;
            out.push(changed);
        }
    }
}

/// The shortest string from the start row to each transition of `dfa`, and the transition's
/// byte (the lowest of its class) after it: a breadth-first walk of the tables.
fn paths_to_every_transition(dfa: &Dfa<'_>) -> Vec<Vec<u8>> {
    let shift = dfa.stride_shift();
    let mut representative = [None::<u8>; 256];
    for byte in (0..=255u8).rev() {
        representative[usize::from(dfa.classes()[usize::from(byte)])] = Some(byte);
    }
    let rows = dfa.transitions().len() >> shift;
    let mut path_to: Vec<Option<Vec<u8>>> = vec![None; rows];
    let start = (dfa.start() >> shift) as usize;
    path_to[start] = Some(Vec::new());
    let mut queue = std::collections::VecDeque::from([start]);
    let mut paths = Vec::new();
    while let Some(row) = queue.pop_front() {
        let here = path_to[row].clone().expect("queued rows have a path");
        for (class, byte) in representative.iter().enumerate() {
            let Some(byte) = *byte else { continue };
            let Some(&target) = dfa.transitions().get((row << shift) + class) else { continue };
            let path = [&here[..], &[byte]].concat();
            let target = (target >> shift) as usize;
            if target != 0 && path_to[target].is_none() {
                path_to[target] = Some(path.clone());
                queue.push_back(target);
            }
            paths.push(path);
        }
    }
    paths
}

/// The inputs both answers admit, after checking that the generated matcher and the tables
/// answer every input alike.
fn admitted_by_both(
    inputs: &[Vec<u8>],
    generated: impl Fn(&[u8]) -> bool,
    tables: impl Fn(&[u8]) -> bool,
) -> Vec<&[u8]> {
    let mut admitted = Vec::new();
    for input in inputs {
        let by_tables = tables(input);
        assert_eq!(generated(input), by_tables, "{}", input.escape_ascii());
        if by_tables {
            admitted.push(&input[..]);
        }
    }
    admitted
}

#[test]
fn compiled_policies_carry_their_generated_matchers() {
    let (exact, patterns, dfa) = matcher_parts();
    assert!(exact.has_matcher(), "the scanned exact origins of a compiled policy have a matcher");
    assert!(patterns.has_matcher(), "the patterns of a compiled policy have a matcher");
    assert!(dfa.has_matcher(), "the DFA of a compiled policy has a matcher");
    let AllowOrigins::Listed(hashed) = HASHED.engine().allow_origins() else { panic!("a listed policy") };
    assert!(!hashed.exact().has_matcher() && hashed.exact().contains(b"https://i.example.com"));
    // The tables the compiler builds in memory, for `explain` and policies loaded at run time,
    // have none: they are walked.
    let compilation = cors_policy::compile_yaml(
        "allow_origins: ['https://*.example.com', {regex: '^https://pr-[0-9]+\\.example\\.com$'}]\n",
    );
    assert!(!compilation.has_errors(), "{:?}", compilation.diagnostics);
    let view = compilation.policies[0].view();
    let AllowOrigins::Listed(view) = view.allow_origins() else { panic!("a listed policy") };
    assert!(!view.patterns().has_matcher() && !view.regex().expect("a regex").has_matcher());
}

#[test]
fn the_generated_dfa_matcher_decides_what_the_tables_decide() {
    let (_, _, dfa) = matcher_parts();
    let mut inputs = Vec::new();
    for path in paths_to_every_transition(&dfa) {
        with_every_byte_changed(&path, &mut inputs);
    }
    for accepted in [
        &b"https://pr-12345.preview.example.com"[..],
        b"https://staging-ab12.example.org",
        b"https://qa-z.example.org",
        b"https://dev.apps.example.com:5173",
    ] {
        assert!(dfa.is_match(accepted), "{}", accepted.escape_ascii());
        with_every_byte_changed(accepted, &mut inputs);
    }
    let admitted = admitted_by_both(&inputs, |x| dfa.is_match(x), |x| dfa.is_match_by_tables(x)).len();
    // The inputs reach both answers many times over, so the comparison is not of two refusals.
    assert!(admitted > 50 && inputs.len() - admitted > 1000, "{admitted} of {}", inputs.len());
}

#[test]
fn the_generated_pattern_matcher_decides_what_the_rules_decide() {
    let (_, patterns, _) = matcher_parts();
    let mut inputs = Vec::new();
    for pattern in patterns.iter() {
        let (scheme, host) = (pattern.scheme(), pattern.host());
        let hosts = if pattern.subdomains() {
            vec![format!("a.{host}"), format!("tenant-42.b_c.{host}"), host.to_string(), format!("x{host}")]
        } else {
            vec![host.to_string()]
        };
        let ports = match pattern.port() {
            PortPattern::Default => vec![String::new(), ":443".to_string()],
            PortPattern::Exact(port) => vec![format!(":{port}"), String::new(), format!(":{}", port + 1)],
            PortPattern::Any => vec![String::new(), ":1".to_string(), ":65535".to_string(), ":0".to_string()],
        };
        for host in &hosts {
            for port in &ports {
                with_every_byte_changed(format!("{scheme}://{host}{port}").as_bytes(), &mut inputs);
            }
        }
    }
    let admitted = admitted_by_both(&inputs, |x| patterns.matches(x), |x| patterns.matches_by_rules(x)).len();
    assert!(admitted > 50 && inputs.len() - admitted > 1000, "{admitted} of {}", inputs.len());
}

#[test]
fn the_generated_exact_matcher_decides_what_the_keys_decide() {
    let (exact, _, _) = matcher_parts();
    let mut inputs = Vec::new();
    for key in exact.keys().iter() {
        with_every_byte_changed(key.as_bytes(), &mut inputs);
    }
    let admitted: std::collections::BTreeSet<&[u8]> =
        admitted_by_both(&inputs, |x| exact.contains(x), |x| exact.contains_by_table(x))
            .into_iter()
            .collect();
    let keys: std::collections::BTreeSet<&[u8]> = exact.keys().iter().map(str::as_bytes).collect();
    assert_eq!(admitted, keys, "the keys, and nothing else");
    assert_eq!(keys.len(), 3);
}
