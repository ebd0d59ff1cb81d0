//! Where output goes: stdout and stderr, coloured when they are terminals (or when asked), and
//! a closed stdout ends the output quietly instead of failing the program.

use anstream::AutoStream;
use anstyle::{AnsiColor, Effects, Style};
use std::io::{self, Write};

/// `--color`: when to colour the output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorWhen {
    /// Colour a terminal, unless `NO_COLOR` is set (`CLICOLOR_FORCE` colours a pipe too).
    Auto,
    /// Always colour, even a pipe or a file.
    Always,
    /// Never colour.
    Never,
}

impl ColorWhen {
    fn choice(self) -> anstream::ColorChoice {
        match self {
            ColorWhen::Auto => anstream::ColorChoice::Auto,
            ColorWhen::Always => anstream::ColorChoice::Always,
            ColorWhen::Never => anstream::ColorChoice::Never,
        }
    }
}

/// The style of the `error:` prefix of a failure, as clap and rustc print it.
const ERROR: Style = AnsiColor::BrightRed.on_default().effects(Effects::BOLD);

/// The program's two output streams. Text is written styled; each stream strips the styles
/// when it is not to be coloured.
pub struct Streams {
    /// Standard output: the reports.
    pub out: Stdout,
    /// Standard error: failures, and the diagnostics of a policy that `explain` cannot use.
    pub err: AutoStream<io::Stderr>,
}

impl Streams {
    /// Both streams, coloured according to `when`.
    pub fn new(when: ColorWhen) -> Self {
        Streams {
            out: Stdout { inner: AutoStream::new(io::stdout().lock(), when.choice()), closed: false },
            err: AutoStream::new(io::stderr(), when.choice()),
        }
    }

    /// Flushes stdout (a closed pipe is not an error).
    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    /// Prints `error: {message}` on stderr. A failure to write it has nowhere to be reported.
    pub fn error_line(&mut self, message: &str) {
        let _ = writeln!(self.err, "{ERROR}error:{ERROR:#} {message}");
    }
}

/// Standard output that treats a closed pipe (`cors-policy check f.yaml | head -1`) as the
/// reader having seen enough: later writes are dropped and the program ends normally, with the
/// exit status of its result.
pub struct Stdout {
    inner: AutoStream<io::StdoutLock<'static>>,
    closed: bool,
}

impl Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.closed {
            return Ok(buf.len());
        }
        match self.inner.write(buf) {
            Err(error) if error.kind() == io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(buf.len())
            }
            other => other,
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.closed {
            return Ok(());
        }
        match self.inner.flush() {
            Err(error) if error.kind() == io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(())
            }
            other => other,
        }
    }
}
