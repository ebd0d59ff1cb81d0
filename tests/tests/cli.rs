//! The `cors-policy` binary, run for real on the policy files of `tests/fixtures/`.
//!
//! The binary belongs to another package (`cors-policy-cli`), so Cargo does not set
//! `CARGO_BIN_EXE_cors-policy` here: the first test to need it builds it once, into the target
//! directory this test runs from, and every test runs it from `tests/` so that file names in the
//! output are `fixtures/...`.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
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
    run_command(command(args))
}

/// The binary with `args`, run from `tests/`, without the colour variables of the caller's
/// environment, so that only a test that sets them gets colours.
fn command<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> Command {
    let mut command = Command::new(binary());
    command
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR")
        .env_remove("CLICOLOR_FORCE")
        .stdin(Stdio::null());
    command
}

fn run_command(mut command: Command) -> Run {
    let output = command.output().expect("the binary runs");
    Run {
        code: output.status.code().expect("an exit status, not a signal"),
        stdout: String::from_utf8(output.stdout).expect("utf-8 stdout"),
        stderr: String::from_utf8(output.stderr).expect("utf-8 stderr"),
    }
}

/// The binary with `args`, fed `input` on standard input.
fn run_with_stdin(args: &[&str], input: &[u8]) -> Run {
    let mut command = command(args);
    command.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = command.spawn().expect("the binary runs");
    child.stdin.take().expect("piped stdin").write_all(input).expect("stdin written");
    let output = child.wait_with_output().expect("the binary ends");
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
fn usage_errors_exit_2_with_a_short_hint() {
    for args in [
        &["check", "--frobnicate", "fixtures/clean.yaml"][..],
        &["check", "--format", "xml", "fixtures/clean.yaml"],
        &["check", "--format"],
        &["check"],
        &["check", "--format", "json", "--json", "fixtures/clean.yaml"],
        &["explain", "fixtures/clean.yaml", "-H", "no colon here"],
        &["explain", "fixtures/clean.yaml", "-X", "GET PUT"],
        &["explain", "fixtures/clean.yaml", "--verbose"],
        &["explain", "fixtures/clean.yaml", "fixtures/named.yaml"],
        &["explain"],
        &["schema", "extra"],
        &["lint", "fixtures/clean.yaml"],
    ] {
        let run = run(args);
        assert_eq!(run.code, 2, "{args:?}: {run:?}");
        assert_eq!(run.stdout, "", "{args:?}: {run:?}");
        assert!(run.stderr.starts_with("error: "), "{args:?}: {run:?}");
        // clap's hint: one usage line at most and a pointer to --help, not the whole text.
        assert!(run.stderr.ends_with("For more information, try '--help'.\n"), "{args:?}: {run:?}");
        assert!(run.stderr.lines().count() <= 8, "{args:?}: {run:?}");
        for full_help in ["Options:", "Commands:", "Arguments:"] {
            assert!(!run.stderr.contains(full_help), "{args:?}: {run:?}");
        }
    }
    let run = run(&["check", "--frobnicate", "fixtures/clean.yaml"]);
    assert!(run.stderr.contains("unexpected argument '--frobnicate' found"), "{run:?}");
    assert!(run.stderr.contains("tip: a similar argument exists: '--format'"), "{run:?}");
    assert!(run.stderr.contains("\nUsage: cors-policy check "), "{run:?}");
    let run = self::run(&["check", "--format", "xml", "fixtures/clean.yaml"]);
    assert!(run.stderr.contains("[possible values: text, json, github, sarif]"), "{run:?}");
    // No command at all: clap shows the help (on stderr, exit 2), which lists the commands.
    let run = self::run(&[]);
    assert_eq!((run.code, run.stdout.as_str()), (2, ""), "{run:?}");
    assert!(run.stderr.contains("Usage: cors-policy [OPTIONS] <COMMAND>"), "{run:?}");
}

#[test]
fn a_header_without_a_colon_or_with_a_bad_name_is_a_usage_error() {
    // `Origin https://x` has a colon, after `Origin https`: not a header name, not a header.
    for header in ["Origin https://x", "Origin", "Ori gin: https://x", ": https://x"] {
        let run = run(&["explain", "fixtures/clean.yaml", "-H", header]);
        assert_eq!((run.code, run.stdout.as_str()), (2, ""), "{header:?}: {run:?}");
        assert!(
            run.stderr
                .starts_with(&format!("error: invalid value '{header}' for '--header <NAME: VALUE>': ")),
            "{header:?}: {run:?}"
        );
        assert!(run.stderr.contains("'Name: value'"), "{header:?}: {run:?}");
    }
    let run = run(&["explain", "fixtures/clean.yaml", "-H", "Origin https://app.example.com"]);
    assert!(run.stderr.contains("`Origin https` is not a header name"), "{run:?}");
    // A header value cannot hold a line break.
    let run = self::run(&["explain", "fixtures/clean.yaml", "-H", "Origin: https://a.example\r\nX-Evil: 1"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("control characters"), "{run:?}");
}

#[test]
fn help_on_every_command_and_version() {
    let help = run(&["--help"]);
    assert_eq!((help.code, help.stderr.as_str()), (0, ""), "{help:?}");
    assert!(help.stdout.contains("Usage: cors-policy [OPTIONS] <COMMAND>"), "{help:?}");
    for command in ["check", "explain", "schema"] {
        assert!(help.stdout.contains(&format!("\n  {command} ")), "{command} listed: {help:?}");
    }
    for (command, usage) in [
        ("check", "Usage: cors-policy check [OPTIONS] <FILE>..."),
        ("explain", "Usage: cors-policy explain [OPTIONS] <FILE>"),
        ("schema", "Usage: cors-policy schema [OPTIONS]"),
    ] {
        for flag in ["--help", "-h"] {
            let run = run(&[command, flag]);
            assert_eq!((run.code, run.stderr.as_str()), (0, ""), "{command} {flag}: {run:?}");
            assert!(run.stdout.contains(usage), "{command} {flag}: {run:?}");
        }
        let run = run(&["help", command]);
        assert!(run.stdout.contains(usage), "help {command}: {run:?}");
    }
    let explain = run(&["explain", "--help"]);
    for flag in
        ["--policy <NAME>", "-X, --request <METHOD>", "-H, --header <NAME: VALUE>", "--format <FORMAT>"]
    {
        assert!(explain.stdout.contains(flag), "{flag}: {explain:?}");
    }
    for args in [&["--version"][..], &["-V"]] {
        let version = run(args);
        assert_eq!(version.code, 0, "{version:?}");
        assert_eq!(version.stdout, format!("cors-policy {}\n", env!("CARGO_PKG_VERSION")), "{version:?}");
    }
}

#[test]
fn format_takes_an_equals_sign_too() {
    let spaced = run(&["check", "--format", "json", "fixtures/three_mistakes.yaml"]);
    let equals = run(&["check", "--format=json", "fixtures/three_mistakes.yaml"]);
    assert_eq!(
        (equals.code, &equals.stdout, &equals.stderr),
        (1, &spaced.stdout, &spaced.stderr),
        "{equals:?}"
    );
    assert!(equals.stdout.starts_with("[{\"severity\":\"error\""), "{equals:?}");
    let explain =
        run(&["explain", "fixtures/clean.yaml", "--format=json", "--header=Origin: https://app.example.com"]);
    assert_eq!(explain.code, 0, "{explain:?}");
    assert!(explain.stdout.starts_with(r#"{"kind":"actual","allowed":true,"#), "{explain:?}");
}

#[test]
fn a_dash_reads_standard_input() {
    let three_mistakes =
        std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/three_mistakes.yaml")).unwrap();
    let run = run_with_stdin(&["check", "-"], &three_mistakes);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(run.stdout, THREE_MISTAKES.replace("fixtures/three_mistakes.yaml", "<stdin>"), "{run:?}");
    let json = run_with_stdin(&["check", "--format", "json", "fixtures/clean.yaml", "-"], &three_mistakes);
    let items: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    assert_eq!(items[0]["file"], "<stdin>", "{json:?}");
    assert_eq!((items[0]["line"].as_u64(), items[0]["column"].as_u64()), (Some(3), Some(5)), "{json:?}");

    let clean = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/clean.yaml")).unwrap();
    let mut args = vec!["explain", "-", "--json"];
    args.extend_from_slice(PREFLIGHT_PUT);
    let run = run_with_stdin(&args, &clean);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.starts_with(r#"{"kind":"preflight","allowed":true,"status":204,"#), "{run:?}");
}

/// A file that cannot be read is CORS052, reported in the format asked for, and exit status 2;
/// the other files are still checked.
#[test]
fn an_unreadable_file_is_cors052_in_every_format() {
    const MISSING: &str = "fixtures/does-not-exist.yaml";
    let message = format!("cannot read policy file `{MISSING}`: ");

    let text = run(&["check", MISSING, "fixtures/three_mistakes.yaml"]);
    assert_eq!((text.code, text.stderr.as_str()), (2, ""), "{text:?}");
    assert!(text.stdout.starts_with(&format!("error[CORS052]: {message}")), "{text:?}");
    assert!(text.stdout.contains(&format!(" --> {MISSING}\n")), "{text:?}");
    assert!(text.stdout.contains(&format!("{MISSING}: 1 error(s), 0 warning(s)\n")), "{text:?}");
    assert!(text.stdout.ends_with("fixtures/three_mistakes.yaml: 3 error(s), 0 warning(s)\n"), "{text:?}");

    let json = run(&["check", "--format", "json", MISSING, "fixtures/three_mistakes.yaml"]);
    assert_eq!(json.code, 2, "{json:?}");
    let items: serde_json::Value = serde_json::from_str(&json.stdout).expect("a JSON document");
    assert_eq!(items.as_array().map(Vec::len), Some(4), "{json:?}");
    assert_eq!(items[0]["code"], "CORS052");
    assert_eq!(items[0]["severity"], "error");
    assert_eq!(items[0]["file"], MISSING);
    assert_eq!(
        (&items[0]["line"], &items[0]["column"]),
        (&serde_json::Value::Null, &serde_json::Value::Null)
    );
    assert!(items[0]["message"].as_str().unwrap().starts_with(&message), "{json:?}");
    assert_eq!(items[1]["code"], "CORS014");

    let sarif = run(&["check", "--format", "sarif", MISSING]);
    assert_eq!(sarif.code, 2, "{sarif:?}");
    let log: serde_json::Value = serde_json::from_str(&sarif.stdout).expect("a SARIF document");
    assert_eq!(log["version"], "2.1.0");
    let results = log["runs"][0]["results"].as_array().expect("results");
    assert_eq!(results.len(), 1, "{sarif:?}");
    assert_eq!(results[0]["ruleId"], "CORS052");
    assert_eq!(results[0]["level"], "error");
    assert_eq!(results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], MISSING);
    assert!(results[0]["message"]["text"].as_str().unwrap().starts_with(&message), "{sarif:?}");

    let github = run(&["check", "--format", "github", MISSING]);
    assert_eq!(github.code, 2, "{github:?}");
    assert_eq!(github.stdout.lines().count(), 1, "{github:?}");
    assert!(
        github.stdout.starts_with(&format!("::error file={MISSING},title=CORS052::{message}")),
        "{github:?}"
    );

    // explain cannot answer without the policy.
    let explain = run(&["explain", MISSING]);
    assert_eq!((explain.code, explain.stdout.as_str()), (2, ""), "{explain:?}");
    assert!(explain.stderr.starts_with(&format!("error: {message}")), "{explain:?}");
}

/// A policy value holding a newline must not start a line of its own: in a GitHub Actions log,
/// a line `::error ...::` is a workflow command. Nor may an escape byte reach the terminal.
#[test]
fn user_values_cannot_inject_lines_or_escape_sequences() {
    let policy =
        b"allow_origins:\n  - \"https://app.example.com\\n::error file=cors.yaml,line=1::pwned\\e[31m\"\n\
                   allow_methods: [\"PU\\nT\"]\n";
    for format in ["text", "github"] {
        let run = run_with_stdin(&["check", "--format", format, "-"], policy);
        assert_eq!(run.code, 1, "{format}: {run:?}");
        assert!(!run.stdout.contains('\u{1b}'), "{format}: {run:?}");
        for line in run.stdout.lines() {
            assert!(!line.starts_with("::error file=cors.yaml"), "{format}: injected {line:?} in {run:?}");
            assert!(!line.starts_with("T`"), "{format}: {line:?} in {run:?}");
            if line.starts_with("::") {
                assert!(line.starts_with("::error file=<stdin>,line="), "{format}: {line:?}");
            }
        }
        // The values are shown, escaped.
        assert!(run.stdout.contains(r"`PU\nT` is not a method token"), "{format}: {run:?}");
        assert!(run.stdout.contains(r"pwned\u{1b}[31m"), "{format}: {run:?}");
        assert!(
            run.stdout.contains(r"`https://app.example.com\n::error file=cors.yaml,line=1:`"),
            "{format}: {run:?}"
        );
    }
    // JSON keeps the exact text, as JSON escapes.
    let json = run_with_stdin(&["check", "--format", "json", "-"], policy);
    let items: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    assert_eq!(items[1]["message"].as_str().unwrap().split('`').nth(1), Some("PU\nT"), "{json:?}");
}

#[cfg(unix)]
#[test]
fn non_utf8_header_values_are_passed_through_as_bytes() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt as _;
    // 0x80-0xFF (obs-text) is legal in a field value; the runtime sees the byte itself, and
    // its reason escapes it (`\x80`), where a lossy conversion would show `\xef\xbf\xbd`.
    let origin = OsStr::from_bytes(b"Origin: https://app.example.com\x80");
    let args: Vec<&OsStr> = ["explain", "fixtures/clean.yaml", "--json", "-H"]
        .into_iter()
        .map(OsStr::new)
        .chain([origin])
        .collect();
    let run = run_command(command(&args));
    assert_eq!((run.code, run.stderr.as_str()), (1, ""), "{run:?}");
    let value: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(value["allowed"], false);
    assert_eq!(value["reason"], r"origin `https://app.example.com\x80` is not in allow_origins", "{run:?}");
    // A non-UTF-8 byte in another header, which the policy does not read, changes nothing.
    let other = OsStr::from_bytes(b"X-Note: caf\xe9");
    let args: Vec<&OsStr> = ["explain", "fixtures/clean.yaml", "-H", "Origin: https://app.example.com", "-H"]
        .into_iter()
        .map(OsStr::new)
        .chain([other])
        .collect();
    let run = run_command(command(&args));
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.starts_with("GET is an actual CORS request: allowed\n"), "{run:?}");
}

#[cfg(unix)]
#[test]
fn a_non_utf8_file_name_works() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt as _;
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli-non-utf8");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(OsStr::from_bytes(b"pol\xffcy.yaml"));
    std::fs::copy(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/warnings.yaml"), &path).unwrap();
    let run = run_command(command(&[OsStr::new("check"), path.as_os_str()]));
    assert_eq!((run.code, run.stderr.as_str()), (0, ""), "{run:?}");
    let shown = path.display().to_string();
    assert!(shown.contains("pol\u{fffd}cy.yaml"), "{shown}");
    assert!(run.stdout.contains(&format!(" --> {shown}:4:5\n")), "{run:?}");
    assert!(run.stdout.ends_with(&format!("{shown}: 0 error(s), 2 warning(s)\n")), "{run:?}");
    let mut args = vec![OsStr::new("explain"), path.as_os_str()];
    args.extend(["-H", "Origin: https://app.example.com"].map(OsStr::new));
    assert_eq!(run_command(command(&args)).code, 0);
}

/// `cors-policy check ... | head -0`: the reader is gone before the output is written. The
/// output is larger than a pipe's buffer, so some write fails with EPIPE whatever the timing;
/// the program must end as it would have, without a panic or a "Broken pipe" message.
#[test]
fn a_closed_pipe_ends_the_output_quietly() {
    let mut args = vec!["check"];
    args.extend(std::iter::repeat_n("fixtures/three_mistakes.yaml", 300));
    for extra in [&[][..], &["--format", "json"], &["--format", "github"]] {
        let mut all = args.clone();
        all.extend_from_slice(extra);
        let mut command = command(&all);
        command.stdout(Stdio::piped()).stderr(Stdio::piped());
        let mut child = command.spawn().expect("the binary runs");
        drop(child.stdout.take());
        let output = child.wait_with_output().expect("the binary ends");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(stderr, "", "{extra:?}");
        // The policy's verdict, as if the output had been read: errors.
        assert_eq!(output.status.code(), Some(1), "{extra:?}: {:?} {stderr}", output.status);
    }
    let mut command = command(&["--help"]);
    command.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = command.spawn().expect("the binary runs");
    drop(child.stdout.take());
    let output = child.wait_with_output().expect("the binary ends");
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
    assert!(output.status.code().is_some(), "{:?}", output.status);
}

/// Colour: on a terminal by default, never on a pipe, `NO_COLOR` turns it off, `--color` decides.
#[test]
fn colour_follows_the_terminal_no_color_and_the_flag() {
    const ESC: char = '\u{1b}';
    let coloured = |run: &Run| run.stdout.contains(ESC);
    let check = ["check", "fixtures/warnings.yaml"];
    assert!(!coloured(&run(&check)), "a pipe gets no colour");
    let always = run(&["--color", "always", "check", "fixtures/warnings.yaml"]);
    assert!(always.stdout.contains("\u{1b}[1m\u{1b}[33mwarning[CORS006]"), "{always:?}");
    // Without the styles, the same text.
    let plain = run(&check);
    assert_eq!(strip_ansi(&always.stdout), plain.stdout);
    assert!(coloured(&run(&["check", "--color=always", "fixtures/warnings.yaml"])), "a global flag");

    let with_env = |env: &[(&str, &str)], args: &[&str]| {
        let mut command = command(args);
        command.envs(env.iter().copied());
        run_command(command)
    };
    assert!(coloured(&with_env(&[("CLICOLOR_FORCE", "1")], &check)));
    assert!(!coloured(&with_env(&[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")], &check)));
    assert!(!coloured(&with_env(
        &[("CLICOLOR_FORCE", "1")],
        &["--color", "never", "check", "fixtures/warnings.yaml"]
    )));
    assert!(coloured(&with_env(
        &[("NO_COLOR", "1")],
        &["--color", "always", "check", "fixtures/warnings.yaml"]
    )));

    // A real terminal, through util-linux's `script`.
    let on_a_terminal = |no_color: bool| {
        let line = format!("{} check fixtures/warnings.yaml", binary().display());
        let mut command = Command::new("script");
        command
            .args(["--quiet", "--return", "--command", &line, "/dev/null"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("TERM", "xterm-256color")
            .env_remove("NO_COLOR")
            .env_remove("CLICOLOR_FORCE")
            .env_remove("CI")
            .stdin(Stdio::null());
        if no_color {
            command.env("NO_COLOR", "1");
        }
        let output = command.output().expect("`script` (util-linux) runs");
        assert!(output.status.success(), "{output:?}");
        String::from_utf8(output.stdout).expect("utf-8")
    };
    let terminal = on_a_terminal(false);
    assert!(terminal.contains("\u{1b}[1m\u{1b}[33mwarning[CORS006]"), "{terminal:?}");
    let terminal = on_a_terminal(true);
    assert!(terminal.contains("warning[CORS006]") && !terminal.contains(ESC), "{terminal:?}");
}

/// `text` without SGR sequences (`ESC [ ... m`).
fn strip_ansi(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("\u{1b}[") {
        out.push_str(&rest[..at]);
        let end = rest[at..].find('m').expect("an SGR sequence ends with m");
        rest = &rest[at + end + 1..];
    }
    out.push_str(rest);
    out
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
    assert_eq!((run.code, run.stderr.as_str()), (1, ""), "a refusal exits 1: {run:?}");
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
    assert_eq!(run.code, 1, "{run:?}");
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
    assert_eq!(run.code, 1, "refused: {run:?}");
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
    assert_eq!(admin.code, 1, "refused: {admin:?}");
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
    assert_eq!(admin.code, 0, "{admin:?}");
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
    assert_eq!(run.code, 2, "no answer without a sound policy: {run:?}");
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
        run.stderr.ends_with(
            "error: fixtures/three_mistakes.yaml: the policy has errors; fix them first (`cors-policy check fixtures/three_mistakes.yaml`)\n"
        ),
        "{run:?}"
    );
    let run = explain("fixtures/syntax_error.yaml", PREFLIGHT_PUT);
    assert_eq!(run.code, 2, "no answer without a sound policy: {run:?}");
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

/// `explain` shows the `protect_writes` verdict next to the CORS one, and exits 1 when the
/// request would not reach the application.
#[test]
fn explain_shows_the_write_protection_verdict() {
    let policy = b"allow_origins: [https://app.example.com]\nprotect_writes: true\nwrite_exempt_paths: [/webhooks/*]\n";
    let refused = run_with_stdin(
        &[
            "explain",
            "-",
            "-X",
            "POST",
            "-H",
            "Origin: https://evil.example",
            "-H",
            "Sec-Fetch-Site: cross-site",
            "--path",
            "/transfer",
        ],
        policy,
    );
    assert_eq!(refused.code, 1, "{refused:?}");
    assert!(
        refused.stdout.contains("write protection: refused with 403 before the application runs"),
        "{refused:?}"
    );
    let trusted = run_with_stdin(
        &[
            "explain",
            "-",
            "-X",
            "POST",
            "-H",
            "Origin: https://app.example.com",
            "-H",
            "Sec-Fetch-Site: cross-site",
            "--format=json",
        ],
        policy,
    );
    assert_eq!(trusted.code, 0, "{trusted:?}");
    let json: serde_json::Value = serde_json::from_str(&trusted.stdout).expect("json");
    assert_eq!(json["write_protection"]["allowed"], true, "{json}");
    let exempt = run_with_stdin(
        &[
            "explain",
            "-",
            "-X",
            "POST",
            "-H",
            "Origin: https://evil.example",
            "-H",
            "Sec-Fetch-Site: cross-site",
            "--path",
            "/webhooks/stripe",
        ],
        policy,
    );
    assert!(exempt.stdout.contains("not checked: `/webhooks/stripe` is in write_exempt_paths"), "{exempt:?}");
    // A policy without protect_writes says nothing about writes.
    let plain = run_with_stdin(
        &["explain", "-", "-X", "POST", "-H", "Origin: https://app.example.com"],
        b"allow_origins: [https://app.example.com]\n",
    );
    assert!(!plain.stdout.contains("write protection"), "{plain:?}");
}

/// `explain` and `trust` read the policy where the application keeps it (TOML or JSON, under
/// `--config-key`) and the members of its tenant sets from list files, checked as an insert is:
/// an operator can ask why a customer's origin is refused.
#[test]
fn explain_and_trust_read_a_configuration_and_tenant_lists() {
    let base = ["--config-key", "server.cors", "--tenants", "customer-domains=fixtures/runtime/tenants.txt"];
    let explain = |origin: &str| {
        let header = format!("Origin: {origin}");
        let mut args = vec!["explain", "fixtures/runtime/app.toml"];
        args.extend(base);
        args.extend(["-H", header.as_str()]);
        run(&args)
    };
    let member = explain("https://shop.acme.example");
    assert_eq!(member.code, 0, "{}{}", member.stdout, member.stderr);
    assert!(
        member.stdout.contains("access-control-allow-origin: https://shop.acme.example"),
        "{}",
        member.stdout
    );
    // Each refused line of the list is reported with the code and message of a policy file.
    assert!(
        member.stderr.contains("tenants.txt:3: `http://plain.example` refused: [CORS005]"),
        "{}",
        member.stderr
    );
    assert!(
        member.stderr.contains("tenants.txt:4: `https://Upper.example` refused: [CORS013]"),
        "{}",
        member.stderr
    );

    let refused = explain("http://plain.example");
    assert_eq!(refused.code, 1, "{}", refused.stdout);
    assert!(refused.stdout.contains("refused"), "{}", refused.stdout);
    assert!(
        refused.stdout.contains("note: the tenant list has this origin, but fixtures/runtime/tenants.txt:3"),
        "{}",
        refused.stdout
    );

    let stranger = explain("https://stranger.example");
    assert_eq!(stranger.code, 1);
    assert!(!stranger.stdout.contains("note:"), "{}", stranger.stdout);

    let mut args = vec!["trust", "fixtures/runtime/app.toml"];
    args.extend(base);
    let trust = run(&args);
    assert_eq!(trust.code, 0, "{}", trust.stderr);
    assert!(
        trust.stdout.contains("tenants: customer-domains  (tenants)\n    https  shop.acme.example"),
        "{}",
        trust.stdout
    );

    // Without lists, the entry says what it admits.
    let bare = run(&["trust", "fixtures/runtime/app.toml", "--config-key", "server.cors"]);
    assert!(
        bare.stdout.contains(
            "exact origins inserted at run time, each checked as a literal entry, https (or loopback) only"
        ),
        "{}",
        bare.stdout
    );

    // A set the policy does not name is a usage error.
    let unknown = run(&[
        "explain",
        "fixtures/runtime/app.toml",
        "--config-key",
        "server.cors",
        "--tenants",
        "other=x.txt",
    ]);
    assert_eq!(unknown.code, 2);
    assert!(
        unknown.stderr.contains("the policy names no tenant set `other` (its sets: customer-domains)"),
        "{}",
        unknown.stderr
    );

    // A JSON configuration with an error: reported by key and item, as `OwnedPolicy::from_config` does.
    let json = run(&[
        "explain",
        "fixtures/runtime/app.json",
        "--config-key",
        "cors",
        "-H",
        "Origin: https://app.example.com",
    ]);
    assert_eq!(json.code, 2, "{}", json.stdout);
    assert!(json.stderr.contains("CORS012"), "{}", json.stderr);
}
