//! `cors-policy trust` and `cors-policy diff`, run for real on policy files written by each
//! test into the target's temporary directory.
//!
//! As in `cli.rs`, the binary belongs to another package, so Cargo does not set
//! `CARGO_BIN_EXE_cors-policy` here: the first test to need it builds it into the target
//! directory this test runs from.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

/// The `cors-policy` binary, built once by `cargo build -p cors-policy-cli`.
fn binary() -> &'static Path {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| {
        // This test runs as `<target>/<profile>/deps/trust_cli-<hash>`.
        let exe = std::env::current_exe().expect("the test's own path");
        let profile_dir = exe.parent().and_then(Path::parent).expect("<target>/<profile>").to_path_buf();
        let target_dir = profile_dir.parent().expect("<target>");
        let profile = profile_dir.file_name().and_then(|n| n.to_str()).expect("profile name");
        let mut build = Command::new(env!("CARGO"));
        build
            .args(["build", "--quiet", "-p", "cors-policy-cli", "--bin", "cors-policy", "--target-dir"])
            .arg(target_dir)
            .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace root"));
        match profile {
            "debug" => {}
            "release" => {
                build.arg("--release");
            }
            other => {
                build.args(["--profile", other]);
            }
        }
        let status = build.status().expect("cargo runs");
        assert!(status.success(), "building cors-policy-cli failed: {status}");
        let binary = profile_dir.join(format!("cors-policy{}", std::env::consts::EXE_SUFFIX));
        assert!(binary.is_file(), "no binary at {}", binary.display());
        binary
    })
}

/// The directory the policy files are written to; the binary runs there, so file names in the
/// output are the bare names.
fn dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("trust_cli");
        std::fs::create_dir_all(&dir).expect("temporary directory");
        dir
    })
}

/// Writes `text` to `name` (each test uses its own names) and returns the name.
fn policy(name: &str, text: &str) -> String {
    std::fs::write(dir().join(name), text).expect("policy file written");
    name.to_owned()
}

/// What one run printed and how it exited.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl std::fmt::Debug for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "exit {}\n--- stdout\n{}--- stderr\n{}---", self.code, self.stdout, self.stderr)
    }
}

fn run(args: &[&str]) -> Run {
    let output = Command::new(binary())
        .args(args)
        .current_dir(dir())
        .env_remove("CLICOLOR_FORCE")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .expect("the binary runs");
    Run {
        code: output.status.code().expect("an exit status, not a signal"),
        stdout: String::from_utf8(output.stdout).expect("utf-8 stdout"),
        stderr: String::from_utf8(output.stderr).expect("utf-8 stderr"),
    }
}

/// `stdout` parsed as one JSON document on one line.
fn json(run: &Run) -> Value {
    assert_eq!(run.stdout.lines().count(), 1, "one line of JSON: {run:?}");
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {run:?}"))
}

/// The Public Suffix List version line the compiler ships, as the CLI prints it.
fn psl() -> &'static str {
    cors_policy::psl::list().version()
}

// ---------------------------------------------------------------------------------------------
// `trust`

const FOUR_KINDS: &str = r#"allow_origins:
  - https://app.example.com
  - https://*.example.net
  - regex: '^https://(app|admin)\.example\.(com|org)$'
  - regex: '^http://localhost:[0-9]+$'
allow_methods: [PUT, DELETE]
allow_headers: [content-type]
expose_headers: [x-request-id]
allow_credentials: true
max_age: 600
"#;

#[test]
fn trust_prints_every_entry_with_its_trust_set() {
    let file = policy("four_kinds.yaml", FOUR_KINDS);
    let run = run(&["trust", &file]);
    assert_eq!(run.code, 0, "{run:?}");
    let expected = format!(
        "\
four_kinds.yaml: sites by the Public Suffix List {psl}

unnamed policy
credentials: yes (cookies and HTTP authentication are sent, and responses to them readable)
origins:
  https://app.example.com  (exact)
    https  app.example.com  (registrable domain example.com)  default port
  https://*.example.net  (pattern)
    https  any host beneath example.net  (registrable domain example.net)  default port
  ^https://(app|admin)\\.example\\.(com|org)$  (regex)
    https  admin.example.com, app.example.com  (registrable domain example.com)  default port
    https  admin.example.org, app.example.org  (registrable domain example.org)  default port
  ^http://localhost:[0-9]+$  (regex)
    http  localhost  (loopback localhost)  any port
methods: PUT, DELETE  (GET, HEAD and POST are always allowed: CORS never preflights them)
request headers: content-type
exposed headers: x-request-id
max_age: 600 s
private network: no
writes: not protected (cross-origin form POSTs and no-cors requests reach the handlers)

1 warning(s): see `cors-policy check four_kinds.yaml`
",
        psl = psl()
    );
    assert_eq!(run.stdout, expected, "{run:?}");
    assert_eq!(run.stderr, "");
}

#[test]
fn trust_json_has_the_documented_shape() {
    let file = policy("four_kinds_json.yaml", FOUR_KINDS);
    let run = run(&["trust", &file, "--format", "json"]);
    assert_eq!(run.code, 0, "{run:?}");
    let doc = json(&run);
    assert_eq!(doc["file"], "four_kinds_json.yaml");
    assert_eq!(doc["psl"], psl());
    // The CORS006 warning for `*.` with credentials, in `check --format json`'s shape.
    let diagnostics = doc["diagnostics"].as_array().expect("diagnostics");
    assert_eq!(diagnostics.len(), 1, "{doc:#}");
    assert_eq!(diagnostics[0]["code"], "CORS006");
    assert_eq!(diagnostics[0]["severity"], "warning");
    assert_eq!(diagnostics[0]["line"], 3);

    let policies = doc["policies"].as_array().expect("policies");
    assert_eq!(policies.len(), 1);
    let p = &policies[0];
    assert_eq!(p["name"], Value::Null);
    assert_eq!(p["credentials"], true);
    assert_eq!(p["methods"], serde_json::json!({"any": false, "listed": ["PUT", "DELETE"]}));
    assert_eq!(p["allow_headers"], serde_json::json!({"any": false, "listed": ["content-type"]}));
    assert_eq!(p["expose_headers"], serde_json::json!({"any": false, "listed": ["x-request-id"]}));
    assert_eq!(p["max_age"], 600);
    assert_eq!(p["private_network"], false);

    let origins = p["origins"].as_array().expect("origins");
    let entries: Vec<(&str, &str)> =
        origins.iter().map(|o| (o["entry"].as_str().unwrap(), o["kind"].as_str().unwrap())).collect();
    assert_eq!(
        entries,
        [
            ("https://app.example.com", "exact"),
            ("https://*.example.net", "pattern"),
            (r"^https://(app|admin)\.example\.(com|org)$", "regex"),
            ("^http://localhost:[0-9]+$", "regex"),
        ]
    );
    let exact = &origins[0]["trust"];
    assert_eq!(
        exact,
        &serde_json::json!([{
            "scheme": "https",
            "site": {"kind": "domain", "name": "example.com"},
            "hosts": {"listed": ["app.example.com"]},
            "ports": {"default": true, "listed": [], "any": false},
            "insecure": false,
            "example": "https://app.example.com",
        }])
    );
    let pattern = &origins[1]["trust"][0];
    assert_eq!(pattern["site"], serde_json::json!({"kind": "domain", "name": "example.net"}));
    assert_eq!(pattern["hosts"], serde_json::json!({"beneath": "example.net", "apex": false}));
    assert_eq!(pattern["ports"]["default"], true);

    // Both registrable domains of the regex, each with both hosts.
    let regex = origins[2]["trust"].as_array().expect("regex trust");
    assert_eq!(regex.len(), 2, "{regex:#?}");
    for (item, domain) in regex.iter().zip(["example.com", "example.org"]) {
        assert_eq!(item["scheme"], "https");
        assert_eq!(item["site"], serde_json::json!({"kind": "domain", "name": domain}));
        assert_eq!(
            item["hosts"],
            serde_json::json!({"listed": [format!("admin.{domain}"), format!("app.{domain}")]})
        );
        assert_eq!(item["ports"], serde_json::json!({"default": true, "listed": [], "any": false}));
    }

    let loopback = origins[3]["trust"].as_array().expect("loopback trust");
    assert_eq!(loopback.len(), 1);
    assert_eq!(loopback[0]["scheme"], "http");
    assert_eq!(loopback[0]["site"], serde_json::json!({"kind": "loopback", "name": "localhost"}));
    assert_eq!(loopback[0]["hosts"], serde_json::json!({"listed": ["localhost"]}));
    assert_eq!(loopback[0]["ports"], serde_json::json!({"default": false, "listed": [], "any": true}));
    assert_eq!(loopback[0]["insecure"], false, "loopback http is not insecure");
}

#[test]
fn trust_of_a_star_policy_and_of_one_named_policy() {
    let file = policy(
        "named.yaml",
        "policies:\n  public:\n    allow_origins: ['*']\n    allow_methods: ['*']\n    allow_headers: ['*']\n    expose_headers: ['*']\n  admin:\n    allow_origins: [https://admin.example.com]\n    allow_credentials: true\n    allow_private_network: true\n",
    );
    let run = run(&["trust", &file, "--policy", "public"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains("policy `public`\ncredentials: no\norigins:\n  *  (any)\n    every origin (never with credentials)\nmethods: * (any method)"), "{run:?}");
    assert!(
        run.stdout.contains(
            "request headers: * (any header but authorization)\nexposed headers: * (every header)\n"
        ),
        "{run:?}"
    );
    assert!(!run.stdout.contains("admin"), "only the chosen policy: {run:?}");

    let run = self::run(&["trust", &file, "--json"]);
    let doc = json(&run);
    let policies = doc["policies"].as_array().unwrap();
    assert_eq!(policies.len(), 2);
    assert_eq!(policies[0]["name"], "public");
    assert_eq!(policies[0]["origins"], serde_json::json!([{"entry": "*", "kind": "any", "trust": []}]));
    assert_eq!(policies[0]["methods"], serde_json::json!({"any": true, "listed": []}));
    assert_eq!(policies[0]["allow_headers"], serde_json::json!({"any": true, "listed": []}));
    assert_eq!(policies[0]["expose_headers"], serde_json::json!({"any": true, "listed": []}));
    assert_eq!(policies[0]["max_age"], Value::Null);
    assert_eq!(policies[1]["name"], "admin");
    assert_eq!(policies[1]["credentials"], true);
    assert_eq!(policies[1]["private_network"], true);

    let unknown = self::run(&["trust", &file, "--policy", "nope"]);
    assert_eq!(unknown.code, 2, "{unknown:?}");
    assert!(unknown.stderr.contains("has no policy `nope`; it has: public, admin"), "{unknown:?}");
}

#[test]
fn trust_of_a_file_with_errors_prints_its_diagnostics_and_exits_1() {
    let file = policy("trust_errors.yaml", "allow_origins: [https://app.example.com:443]\n");
    let run = run(&["trust", &file]);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(run.stdout, "", "no trust for a file with errors: {run:?}");
    assert!(
        run.stderr.contains("error[CORS014]") && run.stderr.contains("--> trust_errors.yaml:1:17"),
        "{run:?}"
    );
    assert!(run.stderr.contains("trust_errors.yaml: 1 error(s)"), "{run:?}");

    let run = self::run(&["trust", &file, "--format", "json"]);
    assert_eq!(run.code, 1, "{run:?}");
    let doc = json(&run);
    assert_eq!(doc["policies"], serde_json::json!([]));
    assert_eq!(doc["diagnostics"][0]["code"], "CORS014");
    assert_eq!(doc["diagnostics"][0]["severity"], "error");
    assert_eq!(run.stderr, "");
}

#[test]
fn trust_of_an_unreadable_file_is_cors052_and_exits_2() {
    let run = run(&["trust", "does-not-exist.yaml"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("error[CORS052]: cannot read policy file `does-not-exist.yaml`"), "{run:?}");

    let run = self::run(&["trust", "does-not-exist.yaml", "--format", "json"]);
    assert_eq!(run.code, 2, "{run:?}");
    let doc = json(&run);
    assert_eq!(doc["policies"], serde_json::json!([]));
    assert_eq!(doc["diagnostics"][0]["code"], "CORS052");
    assert_eq!(doc["diagnostics"][0]["line"], Value::Null);
}

// ---------------------------------------------------------------------------------------------
// `diff`

/// A policy allowing `origins` (YAML list items), with `extra` lines appended.
fn origins(origins: &[&str], extra: &str) -> String {
    let mut text = String::from("allow_origins:\n");
    for origin in origins {
        text.push_str(&format!("  - {origin}\n"));
    }
    text.push_str(extra);
    text
}

fn diff(old: &str, new: &str) -> Run {
    run(&["diff", old, new])
}

#[test]
fn diff_adding_an_origin_widens_and_exits_1() {
    let old = policy("add_old.yaml", &origins(&["https://app.example.com"], ""));
    let new = policy("add_new.yaml", &origins(&["https://app.example.com", "https://admin.example.com"], ""));
    let run = diff(&old, &new);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(
        run.stdout,
        "unnamed policy:\n  + origin https://admin.example.com  https  admin.example.com  (registrable domain example.com)  default port\ntrust widened: 1 added, 0 removed\n",
        "{run:?}"
    );
}

#[test]
fn diff_removing_an_origin_narrows_and_exits_0() {
    let old =
        policy("remove_old.yaml", &origins(&["https://app.example.com", "https://admin.example.com"], ""));
    let new = policy("remove_new.yaml", &origins(&["https://app.example.com"], ""));
    let run = diff(&old, &new);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(
        run.stdout,
        "unnamed policy:\n  - origin https://admin.example.com  https  admin.example.com  (registrable domain example.com)  default port\ntrust narrowed: 1 removed\n",
        "{run:?}"
    );
}

#[test]
fn diff_turning_credentials_on_widens() {
    let old = policy("cred_old.yaml", &origins(&["https://app.example.com"], ""));
    let new = policy("cred_new.yaml", &origins(&["https://app.example.com"], "allow_credentials: true\n"));
    let run = diff(&old, &new);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(
        run.stdout, "unnamed policy:\n  + credentials\ntrust widened: 1 added, 0 removed\n",
        "{run:?}"
    );
    // And off again narrows.
    let back = diff(&new, &old);
    assert_eq!(back.code, 0, "{back:?}");
    assert_eq!(back.stdout, "unnamed policy:\n  - credentials\ntrust narrowed: 1 removed\n", "{back:?}");
}

#[test]
fn diff_of_identical_files_is_no_change() {
    let file = policy("same.yaml", FOUR_KINDS);
    let copy = policy("same_copy.yaml", FOUR_KINDS);
    let run = diff(&file, &copy);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stdout, "no change in trust\n", "{run:?}");
    let run = self::run(&["diff", &file, &copy, "--format", "json"]);
    assert_eq!(run.code, 0, "{run:?}");
    let doc = json(&run);
    assert_eq!(doc["widened"], false);
    assert_eq!(doc["added"], serde_json::json!([]));
    assert_eq!(doc["removed"], serde_json::json!([]));
}

#[test]
fn diff_an_exact_origin_to_a_subdomain_pattern_widens() {
    let old = policy("sub_old.yaml", &origins(&["https://app.example.com"], ""));
    let new = policy("sub_new.yaml", &origins(&["https://*.example.com"], ""));
    let run = diff(&old, &new);
    assert_eq!(run.code, 1, "{run:?}");
    // app.example.com is beneath example.com: nothing is removed.
    assert_eq!(
        run.stdout,
        "unnamed policy:\n  + origin https://*.example.com  https  any host beneath example.com  (registrable domain example.com)  default port\ntrust widened: 1 added, 0 removed\n",
        "{run:?}"
    );
    let back = diff(&new, &old);
    assert_eq!(back.code, 0, "{back:?}");
    assert!(
        back.stdout.contains("  - origin https://*.example.com  https  any host beneath example.com"),
        "{back:?}"
    );
}

#[test]
fn diff_a_regex_replaced_by_the_literal_it_matches_is_no_change() {
    let old = policy("lit_old.yaml", &origins(&[r"regex: '^https://app\.example\.com$'"], ""));
    let new = policy("lit_new.yaml", &origins(&["https://app.example.com"], ""));
    for (a, b) in [(&old, &new), (&new, &old)] {
        let run = diff(a, b);
        assert_eq!(run.code, 0, "{run:?}");
        assert_eq!(run.stdout, "no change in trust\n", "{run:?}");
    }
}

#[test]
fn diff_an_item_covered_by_several_old_items_is_no_change() {
    // The regex's one item (two hosts) is covered by the two exact origins together, not by
    // either alone.
    let old =
        policy("union_old.yaml", &origins(&["https://app.example.com", "https://admin.example.com"], ""));
    let new = policy("union_new.yaml", &origins(&[r"regex: '^https://(app|admin)\.example\.com$'"], ""));
    let run = diff(&old, &new);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stdout, "no change in trust\n", "{run:?}");
    // Widening the regex to a second domain reports only the uncovered part.
    let wider =
        policy("union_wider.yaml", &origins(&[r"regex: '^https://(app|admin)\.example\.(com|org)$'"], ""));
    let run = diff(&old, &wider);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(
        run.stdout,
        "unnamed policy:\n  + origin ^https://(app|admin)\\.example\\.(com|org)$  https  admin.example.org, app.example.org  (registrable domain example.org)  default port\ntrust widened: 1 added, 0 removed\n",
        "{run:?}"
    );
}

#[test]
fn diff_methods_headers_max_age_and_private_network() {
    let old = policy(
        "misc_old.yaml",
        &origins(
            &["https://app.example.com"],
            "allow_methods: [PUT, DELETE]\nallow_headers: [content-type]\nmax_age: 600\n",
        ),
    );
    let new = policy(
        "misc_new.yaml",
        &origins(
            &["https://app.example.com"],
            "allow_methods: [PUT, PATCH]\nallow_headers: ['*']\nexpose_headers: [x-request-id]\nmax_age: 7200\nallow_private_network: true\n",
        ),
    );
    let run = diff(&old, &new);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(
        run.stdout,
        "\
unnamed policy:
  + private network access
  + method PATCH
  - method DELETE
  + request header *
  + exposed header x-request-id
  + max_age 7200 s (was 600 s)
trust widened: 5 added, 1 removed
",
        "{run:?}"
    );
    // Only a shorter max_age: narrowed; `content-type` under `*` stays allowed.
    let shorter = policy(
        "misc_shorter.yaml",
        &origins(
            &["https://app.example.com"],
            "allow_methods: [PUT, PATCH]\nallow_headers: ['*']\nexpose_headers: [x-request-id]\nmax_age: 60\nallow_private_network: true\n",
        ),
    );
    let run = diff(&new, &shorter);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(
        run.stdout, "unnamed policy:\n  - max_age 60 s (was 7200 s)\ntrust narrowed: 1 removed\n",
        "{run:?}"
    );
}

#[test]
fn diff_matches_policies_by_name() {
    let old = policy("names_old.yaml", "policies:\n  app:\n    allow_origins: [https://app.example.com]\n");
    let new = policy(
        "names_new.yaml",
        "policies:\n  app:\n    allow_origins: [https://app.example.com]\n  public:\n    allow_origins: ['*']\n",
    );
    let run = diff(&old, &new);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(
        run.stdout,
        "policy `public`:\n  + policy (in one file only)\n  + origin *  every origin (never with credentials)\ntrust widened: 2 added, 0 removed\n",
        "{run:?}"
    );
}

#[test]
fn diff_json_lists_each_change() {
    let old = policy("json_old.yaml", &origins(&["https://app.example.com", "https://old.example.com"], ""));
    let new = policy(
        "json_new.yaml",
        &origins(&["https://app.example.com", "https://*.example.org:*"], "allow_methods: [PUT]\n"),
    );
    let run = run(&["diff", &old, &new, "--format", "json"]);
    assert_eq!(run.code, 1, "{run:?}");
    let doc = json(&run);
    assert_eq!(doc["old"], "json_old.yaml");
    assert_eq!(doc["new"], "json_new.yaml");
    assert_eq!(doc["psl"], psl());
    assert_eq!(doc["widened"], true);
    assert_eq!(
        doc["added"],
        serde_json::json!([
            {
                "policy": null, "kind": "origin", "entry": "https://*.example.org:*", "entry_kind": "pattern",
                "trust": {
                    "scheme": "https",
                    "site": {"kind": "domain", "name": "example.org"},
                    "hosts": {"beneath": "example.org", "apex": false},
                    "ports": {"default": true, "listed": [], "any": true},
                    "insecure": false,
                },
            },
            {"policy": null, "kind": "method", "name": "PUT"},
        ])
    );
    assert_eq!(doc["removed"][0]["kind"], "origin");
    assert_eq!(doc["removed"][0]["entry"], "https://old.example.com");
    assert_eq!(doc["removed"][0]["trust"]["hosts"], serde_json::json!({"listed": ["old.example.com"]}));
    assert_eq!(doc["removed"].as_array().unwrap().len(), 1);
}

#[test]
fn diff_with_a_file_with_errors_or_unreadable_exits_2() {
    let good = policy("err_good.yaml", &origins(&["https://app.example.com"], ""));
    let bad = policy("err_bad.yaml", &origins(&["https://app.example.com:443"], ""));
    let run = diff(&good, &bad);
    assert_eq!(run.code, 2, "{run:?}");
    assert_eq!(run.stdout, "");
    assert!(run.stderr.contains("error[CORS014]") && run.stderr.contains("--> err_bad.yaml:2:5"), "{run:?}");
    assert!(run.stderr.contains("error: err_bad.yaml: the policy file has errors"), "{run:?}");

    let run = diff("missing.yaml", &good);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("cannot read policy file `missing.yaml`"), "{run:?}");

    let run = diff("-", "-");
    assert_eq!(run.code, 2, "{run:?}");
}

#[test]
fn both_commands_are_listed_with_their_usage() {
    let help = run(&["--help"]);
    assert_eq!(help.code, 0, "{help:?}");
    for command in ["trust", "diff"] {
        assert!(help.stdout.contains(&format!("\n  {command} ")), "{command} listed: {help:?}");
    }
    let trust = run(&["trust", "--help"]);
    assert!(trust.stdout.contains("Usage: cors-policy trust [OPTIONS] <FILE>"), "{trust:?}");
    assert!(
        trust.stdout.contains("--policy <NAME>") && trust.stdout.contains("--format <FORMAT>"),
        "{trust:?}"
    );
    let diff = run(&["diff", "--help"]);
    assert!(diff.stdout.contains("Usage: cors-policy diff [OPTIONS] <OLD> <NEW>"), "{diff:?}");
    let missing = run(&["diff", "only-one.yaml"]);
    assert_eq!(missing.code, 2, "{missing:?}");
}

/// With `protect_writes`, the report lists who may write: `allow_origins`, the write-only
/// `write_origins` with their trust sets, the exempt paths and the public host.
#[test]
fn trust_shows_who_may_write() {
    let file = policy(
        "writes.yaml",
        "allow_origins: [https://app.example.com]\nprotect_writes: true\nwrite_origins: ['https://*.ops.example.com']\nwrite_exempt_paths: [/webhooks/*]\npublic_host: api.example.com\n",
    );
    let writes = run(&["trust", &file]);
    assert_eq!(writes.code, 0, "{writes:?}");
    assert!(
        writes.stdout.contains(
            "writes: protected; cross-origin writers: the origins above, and:\n  https://*.ops.example.com  (pattern, write only)\n    https  any host beneath ops.example.com  (registrable domain example.com)  default port\n  not checked: /webhooks/*\n  public host: api.example.com\n"
        ),
        "{writes:?}"
    );
    let star = policy("star-writes.yaml", "allow_origins: ['*']\nprotect_writes: true\n");
    let star_run = run(&["trust", &star]);
    assert!(
        star_run.stdout.contains(
            "writes: protected; cross-origin writers: no origin of `*`, and:\n  (no write_origins)\n"
        ),
        "{star_run:?}"
    );
}

/// `diff` sees write trust: turning `protect_writes` off widens it, and so does a new writer.
#[test]
fn diff_sees_who_may_write() {
    let old = policy("w-old.yaml", "allow_origins: [https://app.example.com]\nprotect_writes: true\n");
    let off = policy("w-off.yaml", "allow_origins: [https://app.example.com]\n");
    let more = policy(
        "w-more.yaml",
        "allow_origins: [https://app.example.com]\nprotect_writes: true\nwrite_origins: [https://ops.example.com]\n",
    );
    let unprotected = run(&["diff", &old, &off]);
    assert_eq!(unprotected.code, 1, "{unprotected:?}");
    assert!(
        unprotected.stdout.contains("+ cross-origin writes unprotected (no protect_writes)"),
        "{unprotected:?}"
    );
    let widened = run(&["diff", &old, &more]);
    assert_eq!(widened.code, 1, "{widened:?}");
    assert!(widened.stdout.contains("+ writer https  ops.example.com"), "{widened:?}");
    let narrowed = run(&["diff", &more, &old]);
    assert_eq!(narrowed.code, 0, "{narrowed:?}");
    assert!(narrowed.stdout.contains("- writer https  ops.example.com"), "{narrowed:?}");
    let protected_again = run(&["diff", &off, &old]);
    assert_eq!(protected_again.code, 0, "{protected_again:?}");
}
