//! The `cors-policy` binary, run for real on the policy files of `tests/fixtures/`.
//!
//! The binary belongs to another package (`cors-policy-cli`), so Cargo does not set
//! `CARGO_BIN_EXE_cors-policy` here: the first test to need it builds it once, into the target
//! directory this test runs from, and every test runs it from `tests/` so that file names in the
//! output are `fixtures/...`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The `cors-policy` binary, built on first use.
fn binary() -> &'static Path {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| {
        // Tests run as `<target>/<profile>/deps/cli-<hash>`.
        let exe = std::env::current_exe().expect("the test's own path");
        let profile_dir = exe.parent().and_then(Path::parent).expect("<target>/<profile>");
        let target_dir = profile_dir.parent().expect("<target>");
        let profile = profile_dir.file_name().and_then(|n| n.to_str()).expect("profile name");
        let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace root");
        let mut build = Command::new(env!("CARGO"));
        build
            .args(["build", "--quiet", "-p", "cors-policy-cli", "--bin", "cors-policy", "--target-dir"])
            .arg(target_dir)
            .current_dir(workspace);
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

/// What one run printed and how it exited.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(args: &[&str]) -> Run {
    let output = Command::new(binary())
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the binary runs");
    Run {
        code: output.status.code().expect("an exit status, not a signal"),
        stdout: String::from_utf8(output.stdout).expect("utf-8 stdout"),
        stderr: String::from_utf8(output.stderr).expect("utf-8 stderr"),
    }
}

impl std::fmt::Debug for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "exit {}\n--- stdout\n{}--- stderr\n{}---", self.code, self.stdout, self.stderr)
    }
}

// ---------------------------------------------------------------------------------------------
// `check`

const THREE_MISTAKES: &str = "\
error[CORS014]: `:443` is the default port of https; browsers never send it, so this never matches
 --> fixtures/three_mistakes.yaml:3:5
  |
3 |   - https://app.example.com:443
  |     ^^^^^^^^^^^^^^^^^^^^^^^^^^^
  |
  = help: browsers never send the default port: write `https://app.example.com`

error[CORS020]: `TRACE` is a forbidden method: `fetch()` throws before sending it (and TRACE enables cross-site tracing)
 --> fixtures/three_mistakes.yaml:5:22
  |
5 | allow_methods: [PUT, TRACE]
  |                      ^^^^^
  |
  = help: remove it

error[CORS037]: max_age 100000 is above 86400 seconds (24 hours), which every browser caps: the value would be a lie
 --> fixtures/three_mistakes.yaml:8:10
  |
8 | max_age: 100000
  |          ^^^^^^
  |
  = help: write at most 7200 (Chromium's cap), or 600 to be honoured by every browser

fixtures/three_mistakes.yaml: 3 error(s), 0 warning(s)
";

#[test]
fn check_prints_rustc_style_diagnostics_and_exits_1() {
    let run = run(&["check", "fixtures/three_mistakes.yaml"]);
    // For pasting: `cargo test --test cli check_prints -- --nocapture`.
    eprintln!("$ cors-policy check fixtures/three_mistakes.yaml\n{}", run.stdout);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(run.stderr, "", "{run:?}");
    for part in [
        "error[CORS014]: ",
        "error[CORS020]: ",
        "error[CORS037]: ",
        " --> fixtures/three_mistakes.yaml:3:5\n",
        "3 |   - https://app.example.com:443\n",
        "  |     ^^^^^^^^^^^^^^^^^^^^^^^^^^^\n",
        "  = help: ",
    ] {
        assert!(run.stdout.contains(part), "no {part:?} in {run:?}");
    }
    assert_eq!(run.stdout, THREE_MISTAKES);
}

#[test]
fn check_passes_a_clean_file() {
    let run = run(&["check", "fixtures/clean.yaml"]);
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (0, "fixtures/clean.yaml: 0 error(s), 0 warning(s)\n", "")
    );
}

#[test]
fn check_passes_a_file_with_only_warnings() {
    let run = run(&["check", "fixtures/warnings.yaml"]);
    assert_eq!(run.code, 0, "{run:?}");
    let headlines: Vec<&str> = run.stdout.lines().filter(|l| l.contains("[CORS")).collect();
    assert_eq!(headlines.len(), 3, "{run:?}");
    assert!(headlines[0].starts_with("warning[CORS006]: "), "{run:?}");
    assert!(headlines[1].starts_with("info[CORS022]: "), "{run:?}");
    assert!(headlines[2].starts_with("warning[CORS023]: "), "{run:?}");
    assert!(run.stdout.contains(" --> fixtures/warnings.yaml:5:27\n"), "{run:?}");
    assert!(run.stdout.contains("  = help: write `DELETE`\n"), "{run:?}");
    assert!(run.stdout.ends_with("fixtures/warnings.yaml: 0 error(s), 2 warning(s)\n"), "{run:?}");
}

#[test]
fn check_reports_every_file_and_fails_if_any_has_errors() {
    let run = run(&["check", "fixtures/clean.yaml", "fixtures/syntax_error.yaml", "fixtures/warnings.yaml"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stdout.contains("fixtures/clean.yaml: 0 error(s), 0 warning(s)\n"), "{run:?}");
    assert!(run.stdout.contains("error[CORS048]: invalid YAML: "), "{run:?}");
    assert!(run.stdout.contains(" --> fixtures/syntax_error.yaml:"), "{run:?}");
    assert!(run.stdout.contains("fixtures/syntax_error.yaml: 1 error(s), 0 warning(s)\n"), "{run:?}");
    assert!(run.stdout.contains("fixtures/warnings.yaml: 0 error(s), 2 warning(s)\n"), "{run:?}");
}

#[test]
fn usage_and_io_errors_exit_2() {
    for args in [
        &["check", "fixtures/does-not-exist.yaml"][..],
        &["check", "--frobnicate", "fixtures/clean.yaml"],
        &["check", "--format", "xml", "fixtures/clean.yaml"],
        &["check", "--format"],
        &["check"],
        &["explain", "fixtures/does-not-exist.yaml"],
        &["explain", "fixtures/clean.yaml", "-H", "no colon here"],
        &["explain", "fixtures/clean.yaml", "--verbose"],
        &["explain", "fixtures/clean.yaml", "fixtures/named.yaml"],
        &["explain"],
        &["lint", "fixtures/clean.yaml"],
        &[],
    ] {
        let run = run(args);
        assert_eq!(run.code, 2, "{args:?}: {run:?}");
        assert_eq!(run.stdout, "", "{args:?}: {run:?}");
        assert!(run.stderr.starts_with("error: "), "{args:?}: {run:?}");
        assert!(run.stderr.contains("usage:"), "{args:?}: {run:?}");
    }
    let run = run(&["check", "fixtures/does-not-exist.yaml"]);
    assert!(run.stderr.contains("cannot read `fixtures/does-not-exist.yaml`"), "{run:?}");
    let run = self::run(&["check", "--frobnicate", "fixtures/clean.yaml"]);
    assert!(run.stderr.contains("unknown flag `--frobnicate`"), "{run:?}");
}

#[test]
fn help_and_version_exit_0() {
    let help = run(&["--help"]);
    assert_eq!(help.code, 0, "{help:?}");
    assert!(help.stdout.contains("cors-policy check [--format text|json|github|sarif] FILE..."), "{help:?}");
    let version = run(&["--version"]);
    assert_eq!(version.code, 0, "{version:?}");
    assert!(version.stdout.starts_with("cors-policy "), "{version:?}");
}

#[test]
fn check_json_is_an_array_of_flat_diagnostics() {
    for flag in [&["--format", "json"][..], &["--json"]] {
        let mut args = vec!["check"];
        args.extend_from_slice(flag);
        args.extend(["fixtures/three_mistakes.yaml", "fixtures/warnings.yaml", "fixtures/clean.yaml"]);
        let run = run(&args);
        assert_eq!(run.code, 1, "{run:?}");
        assert_eq!(run.stderr, "", "{run:?}");
        assert_eq!(run.stdout.lines().count(), 1, "one line of JSON: {run:?}");
        let Json::Array(items) = json::parse(&run.stdout).unwrap_or_else(|e| panic!("{e}: {run:?}")) else {
            panic!("not an array: {run:?}")
        };
        let rows: Vec<(String, String, String, f64, f64)> = items
            .iter()
            .map(|item| {
                let Json::Object(fields) = item else { panic!("not an object: {item:?}") };
                let keys: Vec<&str> = fields.iter().map(|(k, _)| k.as_str()).collect();
                assert_eq!(keys, ["severity", "code", "message", "file", "line", "column", "help"]);
                let text = |key: &str| match item.get(key) {
                    Some(Json::String(s)) => s.clone(),
                    other => panic!("{key} is {other:?}"),
                };
                let number = |key: &str| match item.get(key) {
                    Some(Json::Number(n)) => *n,
                    other => panic!("{key} is {other:?}"),
                };
                assert!(!text("message").is_empty());
                assert!(matches!(item.get("help"), Some(Json::String(_) | Json::Null)), "{item:?}");
                (text("severity"), text("code"), text("file"), number("line"), number("column"))
            })
            .collect();
        let row = |s: &str, c: &str, f: &str, l: f64, col: f64| (s.into(), c.into(), f.into(), l, col);
        assert_eq!(
            rows,
            [
                row("error", "CORS014", "fixtures/three_mistakes.yaml", 3.0, 5.0),
                row("error", "CORS020", "fixtures/three_mistakes.yaml", 5.0, 22.0),
                row("error", "CORS037", "fixtures/three_mistakes.yaml", 8.0, 10.0),
                row("warning", "CORS006", "fixtures/warnings.yaml", 4.0, 5.0),
                row("info", "CORS022", "fixtures/warnings.yaml", 5.0, 17.0),
                row("warning", "CORS023", "fixtures/warnings.yaml", 5.0, 27.0),
            ]
        );
        assert_eq!(
            items[0].get("help"),
            Some(&Json::String(
                "browsers never send the default port: write `https://app.example.com`".into()
            ))
        );
        // Backticks, quotes and parentheses survive the escaping.
        assert_eq!(
            items[1].get("message"),
            Some(&Json::String(
                "`TRACE` is a forbidden method: `fetch()` throws before sending it (and TRACE enables cross-site tracing)".into()
            ))
        );
    }
    let clean = run(&["check", "--format", "json", "fixtures/clean.yaml"]);
    assert_eq!((clean.code, clean.stdout.as_str()), (0, "[]\n"), "{clean:?}");
}

#[test]
fn check_json_escapes_messages() {
    // The syntax error's message quotes saphyr's text; whatever it holds must stay valid JSON.
    let run = run(&["check", "--format", "json", "fixtures/syntax_error.yaml"]);
    assert_eq!(run.code, 1, "{run:?}");
    let Ok(Json::Array(items)) = json::parse(&run.stdout) else { panic!("{run:?}") };
    assert_eq!(items.len(), 1, "{run:?}");
    assert_eq!(items[0].get("code"), Some(&Json::String("CORS048".into())));
}

// ---------------------------------------------------------------------------------------------
// `explain`

const PREFLIGHT_PUT: &[&str] =
    &["-X", "OPTIONS", "-H", "Origin: https://app.example.com", "-H", "Access-Control-Request-Method: PUT"];

fn explain(file: &str, request: &[&str]) -> Run {
    let mut args = vec!["explain", file];
    args.extend_from_slice(request);
    args.push("--json");
    run(&args)
}

#[test]
fn explain_an_allowed_preflight() {
    let run = explain("fixtures/clean.yaml", PREFLIGHT_PUT);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""), "{run:?}");
    assert_eq!(
        run.stdout,
        concat!(
            r#"{"kind":"preflight","allowed":true,"status":204,"headers":["#,
            r#"["access-control-allow-origin","https://app.example.com"],"#,
            r#"["access-control-allow-credentials","true"],"#,
            r#"["access-control-allow-methods","PUT"],"#,
            r#"["access-control-max-age","600"]],"#,
            r#""reason":"the origin, the requested method and the requested headers are allowed"}"#,
            "\n"
        )
    );
    assert!(json::parse(&run.stdout).is_ok());
}

#[test]
fn explain_echoes_requested_headers() {
    let mut request = PREFLIGHT_PUT.to_vec();
    request.extend(["-H", "Access-Control-Request-Headers: content-type,authorization"]);
    let run = explain("fixtures/clean.yaml", &request);
    assert_eq!(run.code, 0, "{run:?}");
    let value = json::parse(&run.stdout).unwrap_or_else(|e| panic!("{e}: {run:?}"));
    let names: Vec<String> = match value.get("headers") {
        Some(Json::Array(pairs)) => pairs
            .iter()
            .map(|pair| match pair {
                Json::Array(nv) if nv.len() == 2 => match (&nv[0], &nv[1]) {
                    (Json::String(n), Json::String(v)) => format!("{n}: {v}"),
                    other => panic!("{other:?}"),
                },
                other => panic!("{other:?}"),
            })
            .collect(),
        other => panic!("{other:?}"),
    };
    assert_eq!(
        names,
        [
            "access-control-allow-origin: https://app.example.com",
            "access-control-allow-credentials: true",
            "access-control-allow-methods: PUT",
            "access-control-allow-headers: content-type,authorization",
            "access-control-max-age: 600",
        ]
    );
}

#[test]
fn explain_a_refused_preflight() {
    let run = explain(
        "fixtures/clean.yaml",
        &["-X", "OPTIONS", "-H", "Origin: https://evil.example", "-H", "Access-Control-Request-Method: PUT"],
    );
    assert_eq!(run.code, 0, "a refusal is an answer, not a failure: {run:?}");
    assert_eq!(
        run.stdout,
        concat!(
            r#"{"kind":"preflight","allowed":false,"status":403,"headers":[],"#,
            r#""reason":"origin `https://evil.example` is not in allow_origins"}"#,
            "\n"
        )
    );
    // A listed origin asking for a method the policy does not list.
    let run = explain(
        "fixtures/clean.yaml",
        &[
            "-X",
            "OPTIONS",
            "-H",
            "Origin: https://app.example.com",
            "-H",
            "Access-Control-Request-Method: PATCH",
        ],
    );
    let value = json::parse(&run.stdout).unwrap_or_else(|e| panic!("{e}: {run:?}"));
    assert_eq!(value.get("allowed"), Some(&Json::Bool(false)), "{run:?}");
    assert_eq!(value.get("status"), Some(&Json::Number(403.0)), "{run:?}");
    assert_eq!(value.get("headers"), Some(&Json::Array(vec![])), "{run:?}");
    match value.get("reason") {
        Some(Json::String(reason)) => assert!(reason.contains("`PATCH`"), "{reason}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn explain_an_actual_request() {
    let run = explain("fixtures/clean.yaml", &["-H", "Origin: https://admin.example.com"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(
        run.stdout,
        concat!(
            r#"{"kind":"actual","allowed":true,"status":null,"headers":["#,
            r#"["access-control-allow-origin","https://admin.example.com"],"#,
            r#"["access-control-allow-credentials","true"],"#,
            r#"["access-control-expose-headers","x-request-id"],"#,
            r#"["vary","Origin"]],"reason":"the origin is allowed"}"#,
            "\n"
        )
    );
    // A refused actual request still reaches the application, with only `Vary: Origin`.
    let run = explain("fixtures/clean.yaml", &["-X", "DELETE", "-H", "origin: https://evil.example"]);
    assert_eq!(
        run.stdout,
        concat!(
            r#"{"kind":"actual","allowed":false,"status":null,"headers":[["vary","Origin"]],"#,
            r#""reason":"origin `https://evil.example` is not in allow_origins"}"#,
            "\n"
        ),
        "{run:?}"
    );
}

#[test]
fn explain_a_request_without_origin() {
    let run = explain("fixtures/clean.yaml", &["-X", "POST", "-H", "Content-Type: application/json"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(
        run.stdout,
        concat!(
            r#"{"kind":"not_cors","allowed":true,"status":null,"headers":[["vary","Origin"]],"#,
            r#""reason":"not a CORS request: there is no Origin header"}"#,
            "\n"
        )
    );
}

#[test]
fn explain_as_text() {
    let mut args = vec!["explain", "fixtures/clean.yaml"];
    args.extend_from_slice(PREFLIGHT_PUT);
    let run = run(&args);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(
        run.stdout,
        "OPTIONS is a CORS preflight: allowed\n\
         why: the origin, the requested method and the requested headers are allowed\n\
         answered by the layer with status 204; the application is not called\n\
         access-control-allow-origin: https://app.example.com\n\
         access-control-allow-credentials: true\n\
         access-control-allow-methods: PUT\n\
         access-control-max-age: 600\n"
    );
}

#[test]
fn explain_selects_a_named_policy() {
    let public =
        explain("fixtures/named.yaml", &["--policy", "public", "-H", "Origin: https://anyone.example"]);
    assert_eq!(public.code, 0, "{public:?}");
    assert_eq!(
        public.stdout,
        concat!(
            r#"{"kind":"actual","allowed":true,"status":null,"headers":["#,
            r#"["access-control-allow-origin","*"],["access-control-expose-headers","x-request-id"]],"#,
            r#""reason":"the origin is allowed"}"#,
            "\n"
        )
    );
    // The same request against the other policy of the file.
    let admin =
        explain("fixtures/named.yaml", &["--policy", "admin", "-H", "Origin: https://anyone.example"]);
    assert_eq!(admin.code, 0, "{admin:?}");
    let value = json::parse(&admin.stdout).unwrap_or_else(|e| panic!("{e}: {admin:?}"));
    assert_eq!(value.get("allowed"), Some(&Json::Bool(false)), "{admin:?}");
    let admin = explain(
        "fixtures/named.yaml",
        &[
            "-X",
            "OPTIONS",
            "--policy",
            "admin",
            "-H",
            "Origin: https://admin.example.com",
            "-H",
            "Access-Control-Request-Method: DELETE",
        ],
    );
    assert!(
        admin.stdout.starts_with(r#"{"kind":"preflight","allowed":true,"status":204,"headers":[["access-control-allow-origin","https://admin.example.com"],["access-control-allow-credentials","true"],["access-control-allow-methods","DELETE"]],"#),
        "{admin:?}"
    );
}

#[test]
fn explain_needs_a_known_policy_name() {
    let unknown = explain("fixtures/named.yaml", &["--policy", "nope", "-H", "Origin: https://a.example"]);
    assert_eq!(unknown.code, 2, "{unknown:?}");
    assert_eq!(unknown.stdout, "", "{unknown:?}");
    assert!(unknown.stderr.contains("has no policy `nope`; it has: public, admin"), "{unknown:?}");
    let unnamed = explain("fixtures/named.yaml", &["-H", "Origin: https://a.example"]);
    assert_eq!(unnamed.code, 2, "{unnamed:?}");
    assert!(unnamed.stderr.contains("pick one with --policy (public, admin)"), "{unnamed:?}");
}

#[test]
fn explain_refuses_a_file_with_errors() {
    let run = explain("fixtures/three_mistakes.yaml", PREFLIGHT_PUT);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(run.stdout, "", "{run:?}");
    for part in [
        "error[CORS014]: ",
        "error[CORS020]: ",
        "error[CORS037]: ",
        " --> fixtures/three_mistakes.yaml:8:10\n",
    ] {
        assert!(run.stderr.contains(part), "no {part:?} in {run:?}");
    }
    assert!(
        run.stderr.contains("fix them first (`cors-policy check fixtures/three_mistakes.yaml`)"),
        "{run:?}"
    );
    let run = explain("fixtures/syntax_error.yaml", PREFLIGHT_PUT);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stderr.contains("error[CORS048]"), "{run:?}");
}

// ---------------------------------------------------------------------------------------------
// A small strict JSON reader, to check the CLI's output without a dependency.

#[derive(Clone, Debug, PartialEq)]
enum Json {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    Array(Vec<Json>),
    /// Keys in document order.
    Object(Vec<(String, Json)>),
}

impl Json {
    fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(fields) => fields.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }
}

mod json {
    use super::Json;

    /// One JSON value, optionally followed by a newline, and nothing else.
    pub fn parse(text: &str) -> Result<Json, String> {
        let mut reader = Reader { bytes: text.as_bytes(), at: 0 };
        let value = reader.value(0)?;
        reader.space();
        if reader.at != reader.bytes.len() {
            return Err(format!("trailing bytes at {}", reader.at));
        }
        Ok(value)
    }

    struct Reader<'a> {
        bytes: &'a [u8],
        at: usize,
    }

    impl Reader<'_> {
        fn space(&mut self) {
            while matches!(self.bytes.get(self.at), Some(b' ' | b'\t' | b'\n' | b'\r')) {
                self.at += 1;
            }
        }

        fn eat(&mut self, byte: u8) -> Result<(), String> {
            self.space();
            if self.bytes.get(self.at) == Some(&byte) {
                self.at += 1;
                Ok(())
            } else {
                Err(format!("expected `{}` at {}", byte as char, self.at))
            }
        }

        fn literal(&mut self, word: &str, value: Json) -> Result<Json, String> {
            if self.bytes[self.at..].starts_with(word.as_bytes()) {
                self.at += word.len();
                Ok(value)
            } else {
                Err(format!("bad literal at {}", self.at))
            }
        }

        fn value(&mut self, depth: usize) -> Result<Json, String> {
            if depth > 32 {
                return Err("too deep".into());
            }
            self.space();
            match self.bytes.get(self.at) {
                Some(b'n') => self.literal("null", Json::Null),
                Some(b't') => self.literal("true", Json::Bool(true)),
                Some(b'f') => self.literal("false", Json::Bool(false)),
                Some(b'"') => self.string().map(Json::String),
                Some(b'[') => {
                    self.at += 1;
                    let mut items = Vec::new();
                    self.space();
                    if self.bytes.get(self.at) == Some(&b']') {
                        self.at += 1;
                        return Ok(Json::Array(items));
                    }
                    loop {
                        items.push(self.value(depth + 1)?);
                        self.space();
                        match self.bytes.get(self.at) {
                            Some(b',') => self.at += 1,
                            Some(b']') => {
                                self.at += 1;
                                return Ok(Json::Array(items));
                            }
                            _ => return Err(format!("expected `,` or `]` at {}", self.at)),
                        }
                    }
                }
                Some(b'{') => {
                    self.at += 1;
                    let mut fields: Vec<(String, Json)> = Vec::new();
                    self.space();
                    if self.bytes.get(self.at) == Some(&b'}') {
                        self.at += 1;
                        return Ok(Json::Object(fields));
                    }
                    loop {
                        self.space();
                        let key = self.string()?;
                        if fields.iter().any(|(k, _)| *k == key) {
                            return Err(format!("duplicate key {key:?}"));
                        }
                        self.eat(b':')?;
                        let value = self.value(depth + 1)?;
                        fields.push((key, value));
                        self.space();
                        match self.bytes.get(self.at) {
                            Some(b',') => self.at += 1,
                            Some(b'}') => {
                                self.at += 1;
                                return Ok(Json::Object(fields));
                            }
                            _ => return Err(format!("expected `,` or `}}` at {}", self.at)),
                        }
                    }
                }
                Some(b'-' | b'0'..=b'9') => {
                    let start = self.at;
                    self.at += 1;
                    while matches!(
                        self.bytes.get(self.at),
                        Some(b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-')
                    ) {
                        self.at += 1;
                    }
                    let text = std::str::from_utf8(&self.bytes[start..self.at]).map_err(|e| e.to_string())?;
                    text.parse().map(Json::Number).map_err(|_| format!("bad number {text:?}"))
                }
                _ => Err(format!("unexpected byte at {}", self.at)),
            }
        }

        fn string(&mut self) -> Result<String, String> {
            if self.bytes.get(self.at) != Some(&b'"') {
                return Err(format!("expected a string at {}", self.at));
            }
            self.at += 1;
            let mut out = Vec::new();
            loop {
                let Some(&byte) = self.bytes.get(self.at) else { return Err("unterminated string".into()) };
                self.at += 1;
                match byte {
                    b'"' => return String::from_utf8(out).map_err(|e| e.to_string()),
                    b'\\' => {
                        let Some(&escape) = self.bytes.get(self.at) else { return Err("bad escape".into()) };
                        self.at += 1;
                        let c = match escape {
                            b'"' => '"',
                            b'\\' => '\\',
                            b'/' => '/',
                            b'b' => '\u{8}',
                            b'f' => '\u{c}',
                            b'n' => '\n',
                            b'r' => '\r',
                            b't' => '\t',
                            b'u' => {
                                let hex = self.bytes.get(self.at..self.at + 4).ok_or("short \\u")?;
                                self.at += 4;
                                let code = u32::from_str_radix(
                                    std::str::from_utf8(hex).map_err(|e| e.to_string())?,
                                    16,
                                )
                                .map_err(|e| e.to_string())?;
                                char::from_u32(code).ok_or("surrogate \\u escapes are not expected here")?
                            }
                            _ => return Err(format!("bad escape at {}", self.at)),
                        };
                        let mut buf = [0; 4];
                        out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                    }
                    0x00..=0x1f => return Err(format!("control byte in a string at {}", self.at - 1)),
                    _ => out.push(byte),
                }
            }
        }
    }

    #[test]
    fn reader_is_strict() {
        assert_eq!(
            parse("[{\"a\":null,\"b\":[1,-2.5e3,true]},\"x\\n\\u00e9\"]\n"),
            Ok(Json::Array(vec![
                Json::Object(vec![
                    ("a".into(), Json::Null),
                    (
                        "b".into(),
                        Json::Array(vec![Json::Number(1.0), Json::Number(-2500.0), Json::Bool(true)])
                    ),
                ]),
                Json::String("x\né".into()),
            ]))
        );
        for bad in ["", "[1,]", "{\"a\":1,}", "{\"a\":1,\"a\":2}", "\"a\nb\"", "[1] x", "{a:1}", "'a'"] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// CI formats and the schema

#[test]
fn check_github_prints_one_workflow_annotation_per_diagnostic() {
    let run = run(&["check", "--format", "github", "fixtures/three_mistakes.yaml"]);
    assert_eq!(run.code, 1, "{run:?}");
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{run:?}");
    assert!(
        lines[0].starts_with("::error file=fixtures/three_mistakes.yaml,line=3,col=5,title=CORS014::`:443` is the default port"),
        "{run:?}"
    );
    // A newline inside the message is escaped, so the annotation stays on one line.
    assert!(lines[0].contains("%0Ahelp: browsers never send the default port"), "{run:?}");
}

#[test]
fn check_sarif_is_a_sarif_log_with_the_catalog_as_rules() {
    let run = run(&["check", "--format", "sarif", "fixtures/three_mistakes.yaml"]);
    assert_eq!(run.code, 1, "{run:?}");
    let log: serde_json::Value = serde_json::from_str(&run.stdout).expect("SARIF is JSON");
    assert_eq!(log["version"], "2.1.0");
    let sarif_run = &log["runs"][0];
    assert_eq!(sarif_run["tool"]["driver"]["rules"].as_array().unwrap().len(), cors_policy::Check::ALL.len());
    let results = sarif_run["results"].as_array().unwrap();
    let codes: Vec<&str> = results.iter().map(|r| r["ruleId"].as_str().unwrap()).collect();
    assert_eq!(codes, ["CORS014", "CORS020", "CORS037"]);
    let region = &results[1]["locations"][0]["physicalLocation"]["region"];
    assert_eq!((region["startLine"].as_u64(), region["startColumn"].as_u64()), (Some(5), Some(22)));
    assert_eq!(results[0]["level"], "error");
}

#[test]
fn schema_prints_the_checked_in_json_schema() {
    let run = run(&["schema"]);
    assert_eq!(run.code, 0, "{run:?}");
    let committed =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../cors-policy.schema.json")).unwrap();
    assert_eq!(run.stdout, committed);
}
