//! Every check of the catalog that a YAML policy file can trigger, each on a minimal file:
//! the code, the severity, the exact line and column of the offending value (columns count
//! characters, 1-based), and the fix the help line suggests.
//!
//! Then whole files: several mistakes at once, named policies, a clean realistic policy, and the
//! compiled tables evaluating requests.

use cors_policy::{compile_yaml, Check, Compilation, Diagnostic, Severity, Span};

use Severity::{Error as E, Info as I, Warning as W};

/// One minimal file and the diagnostic it must produce.
struct Case {
    /// The whole policy file.
    yaml: &'static str,
    /// The code of the diagnostic under test.
    code: &'static str,
    severity: Severity,
    /// 1-based line and character column of the offending value.
    at: (u32, u32),
    /// A substring of the help line; empty when the check offers no concrete fix.
    help: &'static str,
    /// The codes of the other diagnostics the file also (rightly) produces.
    others: &'static [&'static str],
}

const fn case(
    yaml: &'static str,
    code: &'static str,
    severity: Severity,
    at: (u32, u32),
    help: &'static str,
    others: &'static [&'static str],
) -> Case {
    Case { yaml, code, severity, at, help, others }
}

/// `allow_origins: [https://app.example.com]` makes the policy otherwise valid.
const CASES: &[Case] = &[
    // --- origins
    case(
        "allow_origins: ['*']\nallow_credentials: true\n",
        "CORS001", E, (1, 17), "set `allow_credentials: false` for a public API", &[],
    ),
    case(
        "allow_origins:\n  - regex: '^https://[a-z0-9.-]+$'\n",
        "CORS002", E, (2, 12), "match only hosts you control", &[],
    ),
    case("allow_origins: [null]\n", "CORS003", E, (1, 17), "remove it", &[]),
    case("allow_origins:\n  - 'null'\n", "CORS003", E, (2, 5), "remove it", &[]),
    case(
        "allow_origins:\n  - https://app.example.com\n  - file:///home/me/index.html\n",
        "CORS004", E, (3, 5), "http://localhost", &[],
    ),
    case(
        "allow_origins: [http://app.example.com]\nallow_credentials: true\n",
        "CORS005", E, (1, 17), "use `https://app.example.com`", &[],
    ),
    case("allow_origins: [http://app.example.com]\n", "CORS005", I, (1, 17), "prefer https", &[]),
    case(
        "allow_origins: ['https://*.example.com']\nallow_credentials: true\n",
        "CORS006", W, (1, 17), "list the subdomains", &[],
    ),
    case(
        "allow_origins: ['https://*.com']\nallow_credentials: true\n",
        "CORS007", E, (1, 17), "dangerously_allow_public_suffix_subdomains", &[],
    ),
    case(
        "allow_origins:\n  - https://app.example.com\n  - https://*.co.uk\n",
        "CORS007", W, (3, 5), "list your own registrable domain", &[],
    ),
    case(
        "allow_origins: ['https://*example.com']\n",
        "CORS008", E, (1, 17), "write `https://*.example.com`", &[],
    ),
    case(
        "allow_origins: ['https://app.example.com', 'http://localhost:3*']\n",
        "CORS008", E, (1, 44), "`regex:` entry", &[],
    ),
    case(
        "allow_origins:\n  - regex: '^https://[a-z]+example\\.com$'\n",
        "CORS009", E, (2, 12), "whole labels to the left of your own domain", &[],
    ),
    // protect_writes and its keys.
    case(
        "allow_origins: [https://app.example.com]\nprotect_writes: true\nwrite_exempt_paths: [/webhooks/stripe, webhooks, '/a/*/b', '/x/../y', '/q?x']\n",
        "CORS055", E, (3, 40), "write an exact path such as", &["CORS055", "CORS055", "CORS055"],
    ),
    case(
        "allow_origins: [https://app.example.com]\nprotect_writes: true\npublic_host: https://Shop.example.com\n",
        "CORS056", E, (3, 14), "write the public host alone", &[],
    ),
    case("allow_origins: ['*']\nprotect_writes: true\n", "CORS057", W, (2, 17), "in `write_origins`", &[]),
    case(
        "allow_origins: [https://app.example.com]\nprotect_writes: true\nwrite_origins: ['*']\n",
        "CORS057", E, (3, 16), "remove `protect_writes`", &[],
    ),
    case(
        "allow_origins: [https://app.example.com]\nwrite_origins: [https://admin.example.com]\n",
        "CORS058", E, (2, 16), "add `protect_writes: true`", &[],
    ),
    case(
        "allow_origins: [https://app.example.com]\nprotect_writes: true\nwrite_origins: [http://admin.example.com]\nallow_credentials: true\n",
        "CORS005", E, (3, 17), "use `https://admin.example.com`", &[],
    ),
    // Tenant sets: a name that is no name, and a set in write_origins.
    case(
        "allow_origins: [https://app.example.com, {tenants: Customer Domains}]\n",
        "CORS059", E, (1, 52), "start with a lowercase letter", &[],
    ),
    case(
        "allow_origins: [https://app.example.com]\nprotect_writes: true\nwrite_origins: [{tenants: shops}]\n",
        "CORS059", E, (3, 27), "name it in `allow_origins`", &[],
    ),
    // Policy names that cannot become one `pub static` each.
    case(
        "policies:\n  app-api: {allow_origins: [https://a.example.com]}\n  app_api: {allow_origins: [https://b.example.com]}\n",
        "CORS053", E, (3, 3), "rename one of them", &[],
    ),
    case("policies:\n  '': {allow_origins: [https://a.example.com]}\n", "CORS053", E, (2, 3), "start with a letter", &[]),
    // allow_warnings: only warnings, with a reason; a stale one is a note.
    case(
        "allow_origins: [https://app.example.com]\nallow_warnings: { CORS001: we know }\n",
        "CORS054", E, (2, 19), "fix what the check reports", &[],
    ),
    case(
        "allow_origins: [https://app.example.com]\nallow_warnings: { CORS999: x }\n",
        "CORS054", E, (2, 19), "such as `CORS006`", &[],
    ),
    case(
        "allow_origins: [https://app.example.com]\nallow_warnings: { CORS006: '' }\n",
        "CORS054", E, (2, 28), "say why", &[],
    ),
    case(
        "allow_origins: [https://app.example.com]\nallow_warnings: { CORS006: not needed }\n",
        "CORS054", I, (2, 19), "remove the allowance", &[],
    ),
    case(
        "allow_origins: ['https://*.example.com']\nallow_credentials: true\nallow_warnings: { CORS006: ours }\n",
        "CORS006", I, (1, 17), "list the subdomains", &[],
    ),
    // One mistake, one error: no CORS019 after a scalar list or a misspelled `policies`.
    case("allow_origins: https://a.example.com\n", "CORS048", E, (1, 16), "write a list", &[]),
    case("policy:\n  app: {allow_origins: [https://a.example.com]}\n", "CORS047", E, (1, 1), "did you mean `policies`?", &[]),
    case("allow_origins:\n\t- https://a.example.com\n", "CORS048", E, (2, 1), "replace the tab with spaces", &[]),
    case(
        "allow_origins: ['HTTPS://App.example.com:443']\n",
        "CORS013", E, (1, 17), "to fix all 3 mistakes, write `https://app.example.com`", &["CORS013", "CORS014"],
    ),
    // The exact trust analysis: each class at the entry that has it.
    case(
        "allow_origins:\n  - https://app.example.com\n  - regex: '^https://app\\.example[a-z]*\\.com$'\n",
        "CORS009", E, (3, 12), "whole labels to the left of your own domain", &[],
    ),
    case(
        "allow_origins:\n  - regex: '^https://example\\.com(\\.[a-z]{2})?$'\n",
        "CORS009", E, (2, 12), "list the domains you mean", &[],
    ),
    case(
        "allow_origins:\n  - regex: '^https://[0-9]{1,3}(\\.[0-9]{1,3}){3}$'\n",
        "CORS009", E, (2, 12), "list the IP addresses you mean", &[],
    ),
    case(
        "allow_origins:\n  - regex: '^https://\\[[0-9a-f:]+\\]$'\n",
        "CORS009", E, (2, 12), "list the IP addresses you mean", &[],
    ),
    case(
        "allow_origins:\n  - regex: '^chrome-extension://[a-p]{32}$'\n",
        "CORS009", E, (2, 12), "list the ids you mean", &[],
    ),
    case(
        "allow_origins:\n  - regex: '^https?://app\\.example\\.com$'\nallow_credentials: true\n",
        "CORS005", E, (2, 12), "match `https://` only", &[],
    ),
    case(
        "allow_origins:\n  - regex: '^https?://app\\.example\\.com$'\n",
        "CORS005", I, (2, 12), "prefer https", &[],
    ),
    case(
        "allow_origins:\n  - https://app.example.com\n  - https://*.amazonaws.com\nallow_credentials: true\n",
        "CORS007", E, (3, 5), "dangerously_allow_public_suffix_subdomains", &[],
    ),
    case(
        "allow_origins: ['https://*.core.windows.net']\n",
        "CORS007", W, (1, 17), "list your own registrable domain", &[],
    ),
    case(
        "allow_origins:\n  - regex: '^https://app[.-]example\\.com$'\n",
        "CORS010", E, (2, 12), "match the dot between labels alone", &[],
    ),
    case(
        "allow_origins:\n  - regex: '^https://([a-z]{1,9}){1,150}\\.example\\.com$'\n",
        "CORS049", E, (2, 12), "", &[],
    ),
    case(
        "allow_origins:\n  - regex: '^https://api.example.com$'\n",
        "CORS010", E, (2, 12), "escape the dot: `^https://api\\.example\\.com$`", &[],
    ),
    case(
        "allow_origins:\n  - regex: '^https://.*example\\.com$'\n",
        "CORS011", E, (2, 12), "host labels as `[a-z0-9-]+`", &[],
    ),
    case(
        "allow_origins:\n  - https://app.example.com/\n",
        "CORS012", E, (2, 5), "write `https://app.example.com`", &[],
    ),
    case(
        "allow_origins: [https://App.Example.com]\n",
        "CORS013", E, (1, 17), "write `https://app.example.com`", &[],
    ),
    case(
        "allow_origins:\n  - https://app.example.com:443\n",
        "CORS014", E, (2, 5), "write `https://app.example.com`", &[],
    ),
    case(
        "allow_origins: [\"app.example.com\"]\n",
        "CORS015", E, (1, 17), "write `https://app.example.com`", &[],
    ),
    case(
        "allow_origins:\n  - https://user:pw@app.example.com\n",
        "CORS015", E, (2, 5), "write `https://app.example.com`", &[],
    ),
    case(
        "allow_origins:\n  - https://bücher.example\n",
        "CORS016", E, (2, 5), "punycode", &[],
    ),
    case(
        "allow_origins: [http://127.1:8080]\n",
        "CORS017", E, (1, 17), "`http://127.0.0.1:8080`", &[],
    ),
    case(
        "allow_origins: [http://localhost:03000]\n",
        "CORS017", E, (1, 17), "write `http://localhost:3000`", &[],
    ),
    case(
        "allow_origins: [https://app.example.com.]\n",
        "CORS018", W, (1, 17), "write `https://app.example.com`", &[],
    ),
    case(
        "allow_origins: []\nallow_methods: [PUT]\n",
        "CORS019", E, (1, 16), "allow_origins: [\"https://app.example.com\"]", &[],
    ),
    case(
        "allow_methods: [PUT]\nmax_age: 600\n",
        "CORS019", E, (1, 1), "list the origins", &[],
    ),
    // --- methods
    case(
        "allow_origins: [https://app.example.com]\nallow_methods: [PUT, TRACE]\n",
        "CORS020", E, (2, 22), "remove it", &[],
    ),
    case(
        "allow_origins: [https://app.example.com]\nallow_methods: ['PUT DELETE']\n",
        "CORS021", E, (2, 17), "one method per list item", &[],
    ),
    case(
        "allow_origins: [https://app.example.com]\nallow_methods: [PUT, GET]\n",
        "CORS022", I, (2, 22), "remove it", &[],
    ),
    // `É` is one character (two bytes): `'put'` is at character column 28.
    case(
        "allow_origins: [https://app.example.com]\nallow_methods: ['MÉTHODE', 'put']\n",
        "CORS023", W, (2, 28), "write `PUT`", &["CORS021"],
    ),
    case(
        "allow_origins: [https://app.example.com]\nallow_methods:\n  - PUT\n  - patch\n",
        "CORS024", W, (4, 5), "did you mean `PATCH`?", &[],
    ),
    case(
        "allow_origins: [https://app.example.com]\nallow_methods: [OPTIONS]\n",
        "CORS025", I, (2, 17), "remove it unless a script sends OPTIONS", &[],
    ),
    case(
        "allow_origins: [https://app.example.com]\nallow_methods: ['*']\nallow_credentials: true\n",
        "CORS026", W, (2, 17), "list the methods", &[],
    ),
    // --- allow_headers
    case(
        "allow_origins: [https://app.example.com]\nallow_headers: [content-type, Cookie]\n",
        "CORS027", E, (2, 31), "remove it", &[],
    ),
    case(
        "allow_origins: [https://app.example.com]\nallow_headers: [sec-fetch-mode]\n",
        "CORS027", E, (2, 17), "remove it", &[],
    ),
    case(
        "allow_origins: [https://app.example.com]\nallow_headers: [access-control-allow-origin]\n",
        "CORS028", E, (2, 17), "remove it from allow_headers", &[],
    ),
    case(
        "allow_origins: [https://app.example.com]\nallow_headers: ['x-a, x-b']\n",
        "CORS029", E, (2, 17), "one name per list item", &[],
    ),
    case(
        "allow_origins: [https://app.example.com]\nallow_headers: [accept-language]\n",
        "CORS030", I, (2, 17), "remove it unless", &[],
    ),
    case(
        "allow_origins: [https://app.example.com]\nallow_headers: ['*']\n",
        "CORS031", W, (2, 17), "add \"authorization\" next to \"*\"", &[],
    ),
    case(
        "allow_origins: [https://app.example.com]\nallow_headers: ['*', authorization]\nallow_credentials: true\n",
        "CORS032", W, (2, 17), "list the headers the API reads", &[],
    ),
    // --- expose_headers
    case(
        "allow_origins: [https://app.example.com]\nexpose_headers: ['*']\nallow_credentials: true\n",
        "CORS033", E, (2, 18), "list the headers scripts must read", &[],
    ),
    case(
        "allow_origins: [https://app.example.com]\nexpose_headers: [x-request-id, Set-Cookie]\n",
        "CORS034", E, (2, 32), "remove it", &[],
    ),
    case(
        "allow_origins: [https://app.example.com]\nexpose_headers: [access-control-request-method]\n",
        "CORS035", E, (2, 18), "remove it", &[],
    ),
    case(
        "allow_origins: [https://app.example.com]\nexpose_headers: [content-type]\n",
        "CORS036", I, (2, 18), "remove it", &[],
    ),
    // --- max_age
    case(
        "allow_origins: [https://app.example.com]\nmax_age: 86401\n",
        "CORS037", E, (2, 10), "write at most 7200", &[],
    ),
    case(
        "allow_origins: [https://app.example.com]\nmax_age: 7201\n",
        "CORS038", W, (2, 10), "write 7200 or less", &[],
    ),
    case("allow_origins: [https://app.example.com]\nmax_age: 601\n", "CORS038", I, (2, 10), "", &[]),
    case(
        "allow_origins: [https://app.example.com]\nmax_age: -1\n",
        "CORS039", E, (2, 10), "write `max_age: 0`", &[],
    ),
    case(
        "allow_origins: [https://app.example.com]\nmax_age: 10m\n",
        "CORS039", E, (2, 10), "write `max_age: 600`", &[],
    ),
    case(
        "allow_origins: [https://app.example.com]\nmax_age: '600'\n",
        "CORS039", E, (2, 10), "remove the quotes: `max_age: 600`", &[],
    ),
    case(
        "allow_origins: [https://app.example.com]\nmax_age: 1.5\n",
        "CORS039", E, (2, 10), "write `max_age: 600`", &[],
    ),
    // --- private network
    case(
        "allow_origins: ['*']\nallow_private_network: true\n",
        "CORS040", E, (2, 24), "list the origins that may reach the device", &["CORS042"],
    ),
    case(
        "allow_origins: [http://app.example.com]\nallow_private_network: true\n",
        "CORS041", W, (1, 17), "", &["CORS005", "CORS042"],
    ),
    case(
        "allow_origins: [https://app.example.com]\nallow_private_network: true\n",
        "CORS042", I, (2, 24), "Access-Control-Request-Private-Network", &[],
    ),
    // --- preflight status, Vary
    case(
        "allow_origins: [https://app.example.com]\npreflight_status: 302\n",
        "CORS043", E, (2, 19), "write 200", &[],
    ),
    // The whole `vary:` entry is the mistake: the diagnostic points at its key.
    case(
        "allow_origins: [https://app.example.com]\nvary: false\n",
        "CORS044", E, (2, 1), "remove the key", &[],
    ),
    case(
        "allow_origins: [https://app.example.com]\ndisable-vary: true\n",
        "CORS044", E, (2, 1), "remove the key", &[],
    ),
    // --- duplicates, `*` mixed in
    case(
        "allow_origins: [https://a.example, https://a.example]\n",
        "CORS045", W, (1, 36), "remove the repetition", &[],
    ),
    case(
        "allow_origins: [https://app.example.com]\nallow_methods: [PUT, DELETE, PUT]\n",
        "CORS045", W, (2, 30), "remove the repetition", &[],
    ),
    case(
        "allow_origins: [https://app.example.com]\nallow_headers:\n  - X-Api-Key\n  - x-api-key\n",
        "CORS045", W, (4, 5), "remove the repetition", &[],
    ),
    case(
        "allow_origins: ['*', https://app.example.com]\n",
        "CORS046", E, (1, 17), "keep `*` alone", &[],
    ),
    // --- the language itself
    case(
        "allow_origins: [https://app.example.com]\nmax_agee: 600\n",
        "CORS047", E, (2, 1), "did you mean `max_age`?", &[],
    ),
    case(
        "allow_origins: [https://app.example.com]\nallowed-methods: [PUT]\n",
        "CORS047", E, (2, 1), "did you mean `allow_methods`?", &[],
    ),
    case(
        "allow_origins: [https://app.example.com]\ncolour: red\n",
        "CORS047", E, (2, 1), "the keys are allow_origins, allow_methods", &[],
    ),
    case(
        "allow_origins: [https://app.example.com]\nmax_age: 1: 2\n",
        "CORS048", E, (2, 11), "", &[],
    ),
    case(
        "allow_origins: [https://app.example.com]\nallow_credentials: yes\n",
        "CORS048", E, (2, 20), "write `allow_credentials: true` or `allow_credentials: false`", &[],
    ),
    case(
        "allow_origins: [https://app.example.com]\nallow_methods: PUT\n",
        "CORS048", E, (2, 16), "write a list: `allow_methods: [PUT]`", &[],
    ),
    case(
        "allow_origins: [https://app.example.com]\npreflight_status: ok\n",
        "CORS048", E, (2, 19), "write `preflight_status: 204`", &[],
    ),
    case(
        "allow_origins: [https://app.example.com]\nmax_age: !!str 600\n",
        "CORS048", E, (2, 10), "remove the tag", &[],
    ),
    case(
        "allow_origins:\n  - regx: '^https://app\\.example\\.com$'\n",
        // The unreadable entry keeps the list from looking empty: no CORS019 on top.
        "CORS048", E, (2, 5), "did you mean `regex`?", &[],
    ),
    case(
        "allow_origins:\n  - regex: 'https://('\n",
        "CORS049", E, (2, 12), "fix the syntax", &[],
    ),
    case(
        "allow_origins:\n  - regex: '^https://app\\.example\\.com/.*$'\n",
        "CORS049", E, (2, 12), "write the whole origin as browsers send it", &[],
    ),
    case(
        "allow_origins: [https://app.example.com]\nmax_age: 1\nmax_age: 2\n",
        "CORS050", E, (3, 1), "remove one of the two", &[],
    ),
    case("", "CORS051", E, (1, 1), "allow_origins: [https://app.example.com]", &[]),
    case("# nothing yet\n", "CORS051", E, (1, 1), "allow_origins: [https://app.example.com]", &[]),
    case("policies: {}\n", "CORS051", E, (1, 1), "allow_origins: [https://app.example.com]", &[]),
];

/// Checks that no YAML file can trigger (CORS052 is about reading the file, which the callers
/// of the compiler do).
const NOT_FROM_YAML: &[&str] = &["CORS052"];

/// Text of a file span.
fn spanned<'t>(text: &'t str, span: &Span) -> &'t str {
    match *span {
        Span::File { start, end, .. } => text.get(start..end).unwrap_or("<span not on char boundaries>"),
        _ => "<not in a file>",
    }
}

fn summary(text: &str, diagnostics: &[Diagnostic]) -> String {
    diagnostics
        .iter()
        .map(|d| {
            format!(
                "\n    {}[{}] at {:?} on {:?}: {} (help: {:?})",
                d.severity.as_str(),
                d.check.code(),
                d.span.line_column(),
                spanned(text, &d.span),
                d.message,
                d.help
            )
        })
        .collect()
}

#[test]
fn every_check_at_the_offending_value() {
    let mut failures = Vec::new();
    for (index, case) in CASES.iter().enumerate() {
        let compilation = compile_yaml(case.yaml);
        let all = summary(case.yaml, &compilation.diagnostics);
        let mut fail = |what: String| {
            failures.push(format!(
                "case #{index} ({}) on {:?}: {what}\n  diagnostics:{all}",
                case.code, case.yaml
            ))
        };

        let mut expected: Vec<&str> = case.others.to_vec();
        expected.push(case.code);
        expected.sort_unstable();
        let mut got: Vec<&str> = compilation.diagnostics.iter().map(|d| d.check.code()).collect();
        got.sort_unstable();
        if got != expected {
            fail(format!("expected exactly the codes {expected:?}, got {got:?}"));
            continue;
        }
        let d = compilation.diagnostics.iter().find(|d| d.check.code() == case.code).expect("found above");
        if d.severity != case.severity {
            fail(format!("expected severity {:?}, got {:?}", case.severity, d.severity));
        }
        if d.span.line_column() != Some(case.at) {
            fail(format!("expected (line, column) {:?}, got {:?}", case.at, d.span.line_column()));
        }
        if !case.help.is_empty() && !d.help.as_deref().unwrap_or("").contains(case.help) {
            fail(format!("expected the help to contain {:?}, got {:?}", case.help, d.help));
        }
        if d.message.is_empty() {
            fail("empty message".into());
        }
        // Warnings and notes do not stop a policy from compiling.
        if !compilation.has_errors() && compilation.policies.len() != 1 {
            fail(format!("no error, but {} policies were built", compilation.policies.len()));
        }
    }
    assert!(failures.is_empty(), "{} failure(s):\n\n{}", failures.len(), failures.join("\n\n"));
}

#[test]
fn the_table_covers_every_check_yaml_can_trigger() {
    let missing: Vec<&str> = Check::ALL
        .iter()
        .map(|c| c.code())
        .filter(|code| !NOT_FROM_YAML.contains(code) && !CASES.iter().any(|c| c.code == *code))
        .collect();
    assert!(missing.is_empty(), "no case for {missing:?}");
    // Checks whose catalog severity is a combination have a case per level.
    for check in Check::ALL {
        for (letter, severity) in [("E", E), ("W", W), ("I", I)] {
            if check.severities().split('/').any(|s| s == letter) && !NOT_FROM_YAML.contains(&check.code()) {
                assert!(
                    CASES.iter().any(|c| c.code == check.code() && c.severity == severity),
                    "{} can be {letter} but no case has that severity",
                    check.code()
                );
            }
        }
    }
}

/// The spans cover the value itself, so the caret line underlines exactly what is wrong.
#[test]
fn spans_cover_the_value() {
    let text = "allow_origins:\n  - https://app.example.com:443\n  - regex: '^https://api.example.com$'\nmax_age: 99999\n";
    let compilation = compile_yaml(text);
    let shown: Vec<(&str, &str)> =
        compilation.diagnostics.iter().map(|d| (d.check.code(), spanned(text, &d.span))).collect();
    assert_eq!(
        shown,
        [
            ("CORS014", "https://app.example.com:443"),
            ("CORS010", "'^https://api.example.com$'"),
            ("CORS037", "99999"),
        ],
        "{}",
        summary(text, &compilation.diagnostics)
    );
}

fn located(compilation: &Compilation) -> Vec<(&'static str, Severity, u32, u32)> {
    compilation
        .diagnostics
        .iter()
        .map(|d| {
            let (line, column) = d.span.line_column().expect("file span");
            (d.check.code(), d.severity, line, column)
        })
        .collect()
}

#[test]
fn several_mistakes_are_all_reported_in_source_order() {
    let text = "\
# An API policy with a mistake on almost every line.
allow_origins:
  - https://app.example.com/
  - HTTPS://admin.example.com
  - https://*.example.com
allow_methods: [PUT, CONNECT, delete]
allow_headers: [content-type, host]
expose_headers: [x-request-id]
allow_credentials: true
max_age: -5
preflight_status: 500
";
    let compilation = compile_yaml(text);
    assert_eq!(
        located(&compilation),
        [
            ("CORS012", E, 3, 5),
            ("CORS013", E, 4, 5),
            ("CORS006", W, 5, 5),
            ("CORS020", E, 6, 22),
            ("CORS023", W, 6, 31),
            ("CORS027", E, 7, 31),
            ("CORS039", E, 10, 10),
            ("CORS043", E, 11, 19),
        ],
        "{}",
        summary(text, &compilation.diagnostics)
    );
    assert!(compilation.has_errors());
    assert!(compilation.policies.is_empty());
    let help: Vec<_> = compilation.diagnostics.iter().map(|d| d.help.as_deref().unwrap_or("")).collect();
    assert!(help[0].contains("write `https://app.example.com`"), "{help:?}");
    assert!(help[1].contains("write `https://admin.example.com`"), "{help:?}");
}

#[test]
fn structure_errors_do_not_hide_later_ones() {
    // Type errors are found while reading the file; the checks still run on what was read.
    let text = "\
allow_origins: [https://app.example.com:443]
allow_credentials: yes
max_age: 10m
vary: false
";
    let compilation = compile_yaml(text);
    let mut found = located(&compilation);
    found.sort_by_key(|&(_, _, line, column)| (line, column));
    assert_eq!(
        found,
        [("CORS014", E, 1, 17), ("CORS048", E, 2, 20), ("CORS039", E, 3, 10), ("CORS044", E, 4, 1)],
        "{}",
        summary(text, &compilation.diagnostics)
    );
}

#[test]
fn named_policies_are_each_checked() {
    let text = "\
policies:
  public:
    allow_origins: ['*']
    allow_credentials: true
  admin:
    allow_origins: [https://admin.example.com:443]
    allow_methods: [PUT, DELETE]
  api:
    allow_origins: &origins
      - https://app.example.com
      - https://mobile.example.com
    allow_methods: [PUT]
  partner:
    allow_origins: *origins
    max_agee: 600
";
    let compilation = compile_yaml(text);
    // Every diagnostic of the file, in source order, whichever stage found it.
    assert_eq!(
        located(&compilation),
        [("CORS001", E, 3, 21), ("CORS014", E, 6, 21), ("CORS047", E, 15, 5)],
        "{}",
        summary(text, &compilation.diagnostics)
    );
    assert!(compilation.diagnostics[2].help.as_deref().unwrap().contains("did you mean `max_age`?"));
    assert!(
        compilation.diagnostics[0].message.contains("line 4, column 24"),
        "{}",
        compilation.diagnostics[0].message
    );
    // Policies without errors are compiled, each under its name; the file still has errors,
    // and a policy read incompletely (`partner`, with an unknown key) gets no tables.
    assert!(compilation.has_errors());
    assert!(compilation.policy(Some("api")).is_some());
    assert!(compilation.policy(Some("partner")).is_none());
    assert!(compilation.policy(Some("public")).is_none());
    assert!(compilation.policy(Some("admin")).is_none());
    assert!(compilation.policy(Some("nope")).is_none());

    // An error inside aliased content is reported for every policy using it, at the anchor.
    let text = "\
policies:
  a:
    allow_origins: &shared [https://app.example.com/]
  b:
    allow_origins: *shared
";
    let compilation = compile_yaml(text);
    assert_eq!(
        located(&compilation),
        [("CORS012", E, 3, 29), ("CORS012", E, 3, 29)],
        "{}",
        summary(text, &compilation.diagnostics)
    );
}

const CLEAN: &str = "\
# The policy of api.example.com.
allow_origins:
  - https://app.example.com
  - https://admin.example.com
  - http://localhost:*
  - regex: '^https://pr-[0-9]+\\.preview\\.example\\.com$'
allow_methods: [PUT, PATCH, DELETE]
allow_headers: [content-type, authorization, x-request-id]
expose_headers: [x-request-id, x-ratelimit-remaining]
allow_credentials: true
max_age: 600
";

#[test]
fn a_clean_realistic_policy_has_no_error_and_no_warning() {
    let compilation = compile_yaml(CLEAN);
    let bad: Vec<_> = compilation.diagnostics.iter().filter(|d| d.severity >= W).collect();
    assert!(bad.is_empty(), "{}", summary(CLEAN, &compilation.diagnostics));
    assert!(compilation.diagnostics.is_empty(), "{}", summary(CLEAN, &compilation.diagnostics));
    assert!(!compilation.has_errors());
    assert_eq!(compilation.policies.len(), 1);
    let tables = compilation.policy(None).expect("the only policy");
    assert_eq!(tables.name, None);
    assert!(tables.allow_credentials);
    assert_eq!(tables.max_age.as_deref(), Some("600"));
    assert_eq!(tables.expose_headers.as_deref(), Some("x-request-id,x-ratelimit-remaining"));
    assert_eq!(tables.preflight_status, 204);
}

/// A decision turned into owned values: (kind, allowed, status, headers, refusal).
type Outcome = (String, bool, Option<u16>, Vec<(String, String)>, Option<String>);

fn evaluate(compilation: &Compilation, method: &str, request: &[(&str, &str)]) -> Outcome {
    let tables = compilation.policy(None).expect("one compiled policy");
    tables.with_view(|policy| {
        let decision = policy.evaluate(method.as_bytes(), request);
        let headers = decision
            .headers()
            .iter()
            .map(|(name, value)| {
                (name.as_str().to_owned(), String::from_utf8(value.as_bytes().to_vec()).expect("utf-8"))
            })
            .collect();
        (
            decision.kind().as_str().to_owned(),
            decision.is_allowed(),
            decision.status(),
            headers,
            decision.refusal().map(|r| r.to_string()),
        )
    })
}

fn owned(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect()
}

#[test]
fn compiled_yaml_evaluates_requests() {
    let compilation = compile_yaml(CLEAN);

    let allowed = evaluate(
        &compilation,
        "OPTIONS",
        &[
            ("Origin", "https://pr-42.preview.example.com"),
            ("Access-Control-Request-Method", "PATCH"),
            ("Access-Control-Request-Headers", "content-type,authorization"),
        ],
    );
    assert_eq!(
        allowed,
        (
            "preflight".into(),
            true,
            Some(204),
            owned(&[
                ("access-control-allow-origin", "https://pr-42.preview.example.com"),
                ("access-control-allow-credentials", "true"),
                ("access-control-allow-methods", "PATCH"),
                ("access-control-allow-headers", "content-type,authorization"),
                ("access-control-max-age", "600"),
            ]),
            None,
        )
    );

    // A look-alike of an allowed origin.
    let refused = evaluate(
        &compilation,
        "OPTIONS",
        &[("Origin", "https://app.example.com.evil.net"), ("Access-Control-Request-Method", "PUT")],
    );
    let (kind, is_allowed, status, headers, reason) = refused;
    assert_eq!((kind.as_str(), is_allowed, status, headers), ("preflight", false, Some(403), vec![]));
    let reason = reason.expect("a refusal");
    assert!(reason.contains("https://app.example.com.evil.net"), "{reason}");

    // A method the policy does not list.
    let (_, is_allowed, status, headers, reason) = evaluate(
        &compilation,
        "OPTIONS",
        &[("Origin", "http://localhost:5173"), ("Access-Control-Request-Method", "TRACE")],
    );
    assert_eq!((is_allowed, status, headers), (false, Some(403), vec![]));
    assert!(reason.unwrap().contains("TRACE"));

    // An actual request from an allowed origin: no status, and `Vary: Origin`.
    let actual = evaluate(&compilation, "GET", &[("Origin", "http://localhost:5173")]);
    assert_eq!(
        actual,
        (
            "actual".into(),
            true,
            None,
            owned(&[
                ("access-control-allow-origin", "http://localhost:5173"),
                ("access-control-allow-credentials", "true"),
                ("access-control-expose-headers", "x-request-id,x-ratelimit-remaining"),
                ("vary", "Origin"),
            ]),
            None,
        )
    );
}
