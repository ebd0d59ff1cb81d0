//! Regex origins: checking each `regex:` entry of `allow_origins`, then compiling all of them into
//! one table DFA that the runtime walks in time linear in the `Origin` header.
//!
//! Every pattern is a *full match*: it is anchored at both ends whether or not the user wrote `^`
//! and `$`. Patterns are read byte-wise (`unicode(false)`), so `.` and negated classes match any
//! byte, non-ASCII included; that is what lets the checks see how loose a pattern really is.
//!
//! Each entry is compiled on its own to a minimal DFA, re-encoded into [`DfaTables`], and
//! decided on that graph, never on samples:
//!
//! * `CORS049` — too long, does not parse, automaton or analysis over the [`Limits`], no
//!   accepted string is shaped like an origin (`scheme://...`), or none is an origin a browser
//!   sends (exact, on the product of the DFA with that language: `serialized.rs`);
//! * `CORS002` — the trust set is not finite (as for `CORS009`) and it accepts
//!   `https://attacker.invalid` or a like origin: any origin at all;
//! * `CORS010` — a label separator within or right before the registrable domain that another
//!   byte can replace (an unescaped `.`, `[.-]`), found exactly on the reverse automaton;
//! * `CORS011` — some accepted string is no serialized origin (exact, on the product of the DFA
//!   with the shape of an origin);
//! * `CORS009` — the trust set is not finite: the scheme, a registrable domain, an IP host or an
//!   opaque host is not fixed by the regex, or it spans more than [`trust::MAX_SITES`] sites.
//!
//! Only the first of `CORS010`, `CORS011`, `CORS009` that applies is reported, since they
//! usually stem from the same loose spot. An entry that passes has a trust set
//! ([`crate::trust::TrustItem`]s, see [`trust`] for the walk) that contains every origin it
//! accepts; `valid` checks that set against credentials (`CORS005`).

mod determinize;
mod graph;
mod minimize;
mod reverse;
mod serialized;
pub mod trust;

use cors_policy_core::Dfa;
use regex_syntax::ast::{self, Ast, RepetitionKind, RepetitionRange};
use regex_syntax::hir::{self, Hir, Look};

use crate::ast::Spanned;
use crate::catalog::Check;
use crate::diagnostic::{has_errors, Diagnostic, Span};
use crate::trust::TrustItem;
use determinize::{build, build_union};
use graph::{Graph, Phase, Witness};
use trust::{Finding, OpenKind};

/// The tables of one DFA, owned, for code generation and for in-memory evaluation.
///
/// The layout is the one [`cors_policy_core::Dfa`] reads: `classes` maps bytes to columns,
/// `transitions` holds one row of `1 << stride_shift` premultiplied state ids per state, row 0
/// is the dead state, and `accepting` is a bit set over rows. Every row other than 0 is reachable
/// from `start` and can still reach an accepting row, so a walk stops at the first byte that
/// rules out a match. `start` is 0 only when the language is empty.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DfaTables {
    /// Byte to class (column) index.
    pub classes: [u8; 256],
    /// log2 of the row length.
    pub stride_shift: u32,
    /// Row-major, premultiplied transitions; row 0 is the dead state.
    pub transitions: Vec<u32>,
    /// Premultiplied start state; 0 when nothing matches.
    pub start: u32,
    /// Accepting bit set, indexed by row.
    pub accepting: Vec<u64>,
    /// The literal every accepted string starts with, read off the automaton; empty when
    /// the first byte varies.
    pub prefix: Vec<u8>,
    /// The premultiplied state the walk over `prefix` reaches from `start`.
    pub after_prefix: u32,
    /// The literal every accepted string ends with after `prefix`, read off the automaton;
    /// empty when the last byte varies.
    pub suffix: Vec<u8>,
    /// The rows from which the walk over `suffix` ends in an accepting row (`accepting`, when
    /// there is no suffix).
    pub accepting_before_suffix: Vec<u64>,
    /// For each row, the bit set of the classes on which it leads back to itself
    /// ([`Dfa::with_loops`]); empty when no row loops or a row has more than 64 columns.
    pub loops: Vec<u64>,
}

impl DfaTables {
    /// A borrowed view for matching.
    pub fn dfa(&self) -> Dfa<'_> {
        Dfa::new(&self.classes, self.stride_shift, &self.transitions, self.start, &self.accepting)
            .with_prefix(&self.prefix, self.after_prefix)
            .with_suffix(&self.suffix, &self.accepting_before_suffix)
            .with_loops(&self.loops)
    }

    /// The tables with their literal prefix ([`Graph::literal_prefix`]) and, after it, their
    /// literal suffix ([`Graph::literal_suffix`]) filled in: a match compares both as bytes and
    /// walks only what lies between.
    fn with_literals(mut self) -> Self {
        let graph = Graph::new(&self, false);
        let (prefix, row) = graph.literal_prefix();
        // Every row's premultiplied id is a `u32` of the transitions, so this one fits too;
        // were it not to, the tables keep no prefix (`after_prefix` is `start`).
        let (prefix, row) = match u32::try_from(row << self.stride_shift) {
            Ok(after_prefix) => ((prefix, after_prefix), row),
            Err(_) => ((Vec::new(), self.start), graph.start()),
        };
        let suffix = graph.literal_suffix(row);
        // Walked from every row once, here, so that a match reads one bit where the walk
        // over the suffix would have ended.
        let mut before = vec![0u64; self.accepting.len()];
        for start in 0..self.states() {
            let end = suffix.iter().fold(start, |row, &byte| graph.step(row, byte));
            if graph.accepting(end) {
                before[start / 64] |= 1 << (start % 64);
            }
        }
        (self.prefix, self.after_prefix) = prefix;
        (self.suffix, self.accepting_before_suffix) = (suffix, before);
        self
    }

    /// The tables with each row's bit set of the classes that lead back to the row, read off
    /// the transitions, so that a match passes a run like `[0-9]+` without a chain of
    /// dependent loads (BENCHMARKS.md, issue 11, eighth round). None when a row has more than
    /// 64 columns (the bit set is a `u64`) or no row loops (the walk then tests nothing).
    fn with_loops(mut self) -> Self {
        let stride = 1usize << self.stride_shift;
        if stride > 64 {
            return self;
        }
        let loops: Vec<u64> = self
            .transitions
            .chunks_exact(stride)
            .enumerate()
            .map(|(row, targets)| {
                let id = (row << self.stride_shift) as u64;
                // The dead row loops on everything, but the walk has stopped before it.
                let looping =
                    targets.iter().enumerate().filter(|&(_, &target)| row != 0 && u64::from(target) == id);
                looping.fold(0, |bits, (class, _)| bits | 1 << class)
            })
            .collect();
        if loops.iter().any(|&bits| bits != 0) {
            self.loops = loops;
        }
        self
    }

    /// The constant expression of [`DfaTables::dfa`] with its generated matcher
    /// (`Dfa::with_matcher`): the tables' own walk over the tables as a `const`, which the
    /// optimizer specializes. `private` is the path of the runtime's table types.
    #[cfg(feature = "codegen")]
    pub fn tokens(&self, private: &proc_macro2::TokenStream) -> proc_macro2::TokenStream {
        let tables = self.tables_tokens(private);
        crate::compiled::with_generated_matcher(
            quote::quote!(#private::Dfa<'static>),
            tables,
            "is_match_by_tables",
        )
    }

    /// The constant expression of [`DfaTables::dfa`] alone.
    #[cfg(feature = "codegen")]
    fn tables_tokens(&self, private: &proc_macro2::TokenStream) -> proc_macro2::TokenStream {
        use proc_macro2::Literal;
        let classes = self.classes.iter().map(|c| Literal::u8_unsuffixed(*c));
        let shift = self.stride_shift;
        let transitions = self.transitions.iter().map(|t| Literal::u32_unsuffixed(*t));
        let start = self.start;
        let accepting = self.accepting.iter().map(|a| Literal::u64_unsuffixed(*a));
        let dfa = quote::quote!(#private::Dfa::new(&[#(#classes),*], #shift, &[#(#transitions),*], #start, &[#(#accepting),*]));
        let dfa = if self.prefix.is_empty() {
            dfa
        } else {
            let prefix = Literal::byte_string(&self.prefix);
            let after = self.after_prefix;
            quote::quote!(#dfa.with_prefix(#prefix, #after))
        };
        let dfa = if self.suffix.is_empty() {
            dfa
        } else {
            let suffix = Literal::byte_string(&self.suffix);
            let before = self.accepting_before_suffix.iter().map(|a| Literal::u64_unsuffixed(*a));
            quote::quote!(#dfa.with_suffix(#suffix, &[#(#before),*]))
        };
        if self.loops.is_empty() {
            return dfa;
        }
        let loops = self.loops.iter().map(|bits| Literal::u64_unsuffixed(*bits));
        quote::quote!(#dfa.with_loops(&[#(#loops),*]))
    }

    /// Number of rows, the dead state included.
    pub fn states(&self) -> usize {
        self.transitions.len() >> self.stride_shift
    }

    /// Bytes of table data, as emitted.
    pub fn size_in_bytes(&self) -> usize {
        self.dfa().size_in_bytes()
    }

    /// The tables of the empty language: only the dead state.
    fn empty() -> Self {
        DfaTables {
            classes: [0; 256],
            stride_shift: 0,
            transitions: vec![0],
            start: 0,
            accepting: vec![0],
            prefix: Vec::new(),
            after_prefix: 0,
            suffix: Vec::new(),
            accepting_before_suffix: vec![0],
            loops: Vec::new(),
        }
    }
}

/// Limits on what one policy's regexes may cost, checked per entry and for the combined DFA.
///
/// Determinization can blow up exponentially (`(a|b)*a(a|b){30}` needs 2³¹ states); the
/// limits make such a pattern fail fast with `CORS049` instead of hanging or exhausting memory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Longest pattern accepted, in bytes.
    pub max_pattern_len: usize,
    /// Most DFA states (rows, the dead state included) in one emitted DFA; the unminimized DFA
    /// may have up to four times as many.
    pub max_states: usize,
    /// Most bytes of emitted tables for one DFA; also bounds the intermediate automata
    /// (at most four times this much each for the NFA, the determinizer and the unminimized DFA).
    pub max_table_bytes: usize,
    /// Most regex entries in one policy, so that the work of checking them all is bounded
    /// whatever the file's size.
    pub max_entries: usize,
    /// Most bytes of one entry's Thompson NFA: what bounds the time of determinization.
    pub max_nfa_bytes: usize,
    /// Most bytes of the NFA of all of a policy's entries together.
    pub max_union_nfa_bytes: usize,
}

impl Default for Limits {
    /// 1024-byte patterns, 2 000 states, 1 MiB of tables, 64 entries, 128 KiB of NFA per entry
    /// and 1 MiB for the union. An origin regex needs a few dozen states (50 preview-deployment
    /// patterns together need 32, and an NFA of under 64 KiB).
    fn default() -> Self {
        Limits {
            max_pattern_len: 1024,
            max_states: 2_000,
            max_table_bytes: 1 << 20,
            max_entries: 64,
            max_nfa_bytes: 128 << 10,
            max_union_nfa_bytes: 1 << 20,
        }
    }
}

/// Checks every regex entry and, if none has an error, builds the single combined DFA.
///
/// Each entry is parsed, compiled and analysed on its own, so every diagnostic carries the span
/// of the entry it is about. When no diagnostic is an error, the union of all entries is compiled
/// into one DFA and returned; the union is subject to the same [`Limits`], and exceeding them is
/// reported as `CORS049` on the first entry. With no entries, the tables of the empty language
/// are returned. All diagnostics found are returned either way; this function never panics on
/// user input.
pub fn compile(entries: &[Spanned<String>], limits: &Limits) -> Compiled {
    let (tables, trust, diagnostics) = compile_entries(entries, limits);
    Compiled { tables, trust, diagnostics }
}

/// What [`compile`] found.
#[derive(Debug)]
pub struct Compiled {
    /// The combined DFA, unless an entry has an error.
    pub tables: Option<DfaTables>,
    /// The trust set of each entry, in order (empty for an entry with an error).
    pub trust: Vec<Vec<TrustItem>>,
    /// Every diagnostic.
    pub diagnostics: Vec<Diagnostic>,
}

type Parts = (Option<DfaTables>, Vec<Vec<TrustItem>>, Vec<Diagnostic>);

fn compile_entries(entries: &[Spanned<String>], limits: &Limits) -> Parts {
    let mut diagnostics = Vec::new();
    if let Some(extra) = entries.get(limits.max_entries) {
        let message = format!(
            "this policy has {} regex origins, over the limit of {}; each costs an automaton \
             construction at build time",
            entries.len(),
            limits.max_entries
        );
        diagnostics.push(Diagnostic::error(Check::InvalidRegex, extra.span, message).with_help(
            "merge them into fewer regexes, or list exact origins and `*.` patterns, which cost nothing",
        ));
        return (None, Vec::new(), diagnostics);
    }
    let mut hirs = Vec::new();
    let mut trust = Vec::new();
    for entry in entries {
        #[cfg(feature = "codegen")]
        let before = diagnostics.len();
        let checked = check_entry(&entry.value, entry.span, limits, &mut diagnostics);
        #[cfg(feature = "codegen")]
        if matches!(entry.span, Span::Tokens(_)) {
            for diagnostic in &mut diagnostics[before..] {
                diagnostic.help = diagnostic.help.take().map(|help| raw_strings(&help));
            }
        }
        match checked {
            Some((hir, items)) => {
                hirs.push(hir);
                trust.push(items);
            }
            None => trust.push(Vec::new()),
        }
    }
    if has_errors(&diagnostics) {
        return (None, trust, diagnostics);
    }
    let Some(first) = entries.first() else {
        return (Some(DfaTables::empty()), trust, diagnostics);
    };
    match build_union(&Hir::alternation(hirs), limits) {
        Ok(tables) => (Some(tables), trust, diagnostics),
        Err(failure) => {
            let message = format!(
                "the {} regex origins of this policy together compile to an automaton that is too \
                 large: {}",
                entries.len(),
                failure
            );
            diagnostics.push(
                Diagnostic::error(Check::InvalidRegex, first.span, message)
                    .with_help("use fewer or simpler regexes; exact origins and `*.` patterns cost nothing"),
            );
            (None, trust, diagnostics)
        }
    }
}

/// Runs every check on one entry; returns its anchored HIR and trust set unless it has an error.
fn check_entry(
    pattern: &str,
    span: Span,
    limits: &Limits,
    out: &mut Vec<Diagnostic>,
) -> Option<(Hir, Vec<TrustItem>)> {
    let invalid = |message: String, help: &str| {
        Diagnostic::error(Check::InvalidRegex, span, message).with_help(help.to_owned())
    };
    if pattern.len() > limits.max_pattern_len {
        out.push(invalid(
            format!(
                "regex is {} bytes long, over the limit of {} bytes",
                pattern.len(),
                limits.max_pattern_len
            ),
            "split it into several shorter regexes, or list exact origins instead",
        ));
        return None;
    }
    let (ast, hir) = match parse(pattern) {
        Ok(parsed) => parsed,
        Err(message) => {
            out.push(invalid(
                format!("regex `{pattern}` does not parse: {message}"),
                "fix the syntax; patterns use the `regex` crate syntax, matched byte-wise",
            ));
            return None;
        }
    };
    let hir = anchored(hir);
    let tables = match build(&hir, limits) {
        Ok(tables) => tables,
        Err(failure) => {
            out.push(invalid(
                format!("regex `{pattern}` cannot be compiled to a constant-time matcher: {}", failure),
                "avoid nested or counted repetitions of alternatives; spell out the hosts you mean",
            ));
            return None;
        }
    };
    let graph = Graph::new(&tables, false);
    if tables.start == 0 {
        out.push(invalid(
            format!("regex `{pattern}` matches nothing at all, so it can never allow an origin"),
            "write the origins it should match, e.g. `^https://app\\.example\\.com$`",
        ));
        return None;
    }
    let shape = graph.shape();
    if !shape.origin {
        let (example, why) = match &shape.witness {
            Some(witness) => (show(&witness.example), not_origin_reason(witness)),
            None => (show(&graph.shortest()), "it does not start with `scheme://`".to_owned()),
        };
        out.push(invalid(
            format!(
                "regex `{pattern}` can never match an `Origin` header: nothing it matches has the form \
                 `scheme://host[:port]` (lowercase, no path; the regex is always anchored at both \
                 ends); for example it matches `{example}`, but {why}"
            ),
            "write the whole origin as browsers send it, e.g. `^https://([a-z0-9-]+\\.)?example\\.com$`",
        ));
        return None;
    }

    let shortest = graph.shortest();
    if shortest.len() > cors_policy_core::MAX_ORIGIN_LEN {
        out.push(invalid(
            format!(
                "every origin regex `{pattern}` matches is longer than {} bytes, the most the runtime \
                 reads of an `Origin` header (a 253-byte host with a 64-byte scheme and a port)",
                cors_policy_core::MAX_ORIGIN_LEN
            ),
            "shorten the hosts it matches",
        ));
        return None;
    }
    // Decided on the product with the language of serialized origins, not on samples.
    let sendable = graph.shortest_serialized();
    let unserializable = match &sendable {
        None => Some(format!(
            "regex `{pattern}` matches `{}`, but nothing it matches is an origin browsers send",
            show(&shortest)
        )),
        Some(origin) if origin.len() > cors_policy_core::MAX_ORIGIN_LEN => Some(format!(
            "every origin that regex `{pattern}` matches and browsers send is longer than {} bytes, \
             the most the runtime reads of an `Origin` header; the shortest is `{}`",
            cors_policy_core::MAX_ORIGIN_LEN,
            show(origin)
        )),
        Some(_) => None,
    }
    .map(|message| {
        invalid(
            message,
            "write the origins as browsers serialize them: ports 1 to 65535 without leading zeros, \
             never the scheme's default (443 for https and wss, 80 for http and ws); lowercase \
             hosts; an IPv4 host as four decimal octets without leading zeros; a `file:` page's \
             origin is sent as `null`",
        )
    });

    let dots = bare_dots(&ast);
    let analysis = trust::analyse(&tables);
    // The analysis decides; the probes only name how an entry it refuses is open. An entry whose
    // trust set is finite is never `CORS002`, even if it is `https://attacker.com` itself.
    let accepts = |s: &str| tables.dfa().is_match(s.as_bytes());
    let any_origin = ANY_ORIGIN_PROBES.iter().find(|p| analysis.is_err() && accepts(p));
    if let Some(probe) = any_origin {
        out.push(
            Diagnostic::error(
                Check::ReflectAnyOrigin,
                span,
                format!(
                    "regex `{pattern}` matches `{probe}`: it accepts arbitrary unrelated origins, \
                     which is equivalent to reflecting any origin"
                ),
            )
            .with_help("match only hosts you control, e.g. `^https://([a-z0-9-]+\\.)?example\\.com$`"),
        );
    }

    // An unescaped `.` also lets bytes no origin has into the host: name the dot, the cause.
    // Otherwise a loose host (`.*`, `[^/]`) is the more specific finding.
    let diagnostic = match (analysis, shape.witness) {
        (Err(Finding::StandIn { example, byte, owner }), _) if !dots.is_empty() => {
            stand_in(pattern, span, &tables, &dots, &example, byte, &owner)
        }
        (_, Some(witness)) => loose_host(pattern, span, &witness),
        (Err(_), _) if any_origin.is_some() => return None,
        (Err(Finding::StandIn { example, byte, owner }), _) => {
            stand_in(pattern, span, &tables, &dots, &example, byte, &owner)
        }
        (Err(Finding::Undecided { example }), _) => invalid(
            format!(
                "regex `{pattern}` matches `{example}`, which the trust analysis did not account for, so \
                 what it trusts cannot be decided"
            ),
            "spell out the hosts you mean, and report this regex to the cors-policy developers",
        ),
        (Err(Finding::OverBudget), _) => invalid(
            format!(
                "regex `{pattern}` is too complex to decide what it trusts within the analysis \
                 budget ({} reverse states, {} steps)",
                trust::MAX_REVERSE_STATES,
                trust::MAX_STEPS
            ),
            "spell out the hosts you mean; avoid counted repetitions of alternatives",
        ),
        (Err(finding), _) => over_match(pattern, span, &finding),
        (Ok(items), None) => match unserializable.filter(|_| any_origin.is_none()) {
            Some(diagnostic) => diagnostic,
            None if any_origin.is_some() => return None,
            None => return Some((hir, items)),
        },
    };
    out.push(diagnostic);
    None
}

/// `CORS010`: a separator that another byte can replace. The example prefers the user's own
/// spelling with one dot replaced, when that names a registrable domain under a listed suffix.
fn stand_in(
    pattern: &str,
    span: Span,
    tables: &DfaTables,
    dots: &[usize],
    example: &str,
    byte: u8,
    owner: &str,
) -> Diagnostic {
    let list = crate::psl::list();
    let sample = Graph::new(tables, true).shortest();
    let readable = std::str::from_utf8(&sample).ok().and_then(|s| {
        let (scheme, host) = s.split_once("://")?;
        host.match_indices('.').find_map(|(i, _)| {
            let probe = format!("{}x{}", &host[..i], &host[i + 1..]);
            let suffix = list.public_suffix(&probe);
            (suffix.len() < probe.len()
                && list.is_listed_suffix(suffix)
                && tables.dfa().is_match(format!("{scheme}://{probe}").as_bytes()))
            .then(|| {
                (format!("{scheme}://{probe}"), list.registrable_domain(&probe).unwrap_or(&probe).to_owned())
            })
        })
    });
    let (example, owner) = readable
        .unwrap_or_else(|| (example.to_owned(), owner_of(example).unwrap_or_else(|| owner.to_owned())));
    let what = if dots.is_empty() {
        format!("{} can stand where a `.` separates the labels of the domain", show_byte(byte))
    } else {
        "an unescaped `.` matches any character, including where a `.` separates the labels of the domain"
            .to_owned()
    };
    let help = if dots.is_empty() {
        "match the dot between labels alone, as `\\.`".to_owned()
    } else {
        format!("escape the dot: `{}`", escape_dots(pattern, dots))
    };
    Diagnostic::error(
        Check::RegexUnescapedDot,
        span,
        format!("regex `{pattern}` also matches `{example}`: {what}, and anyone can register {owner}"),
    )
    .with_help(help)
}

/// Who controls the host of an example origin: its registrable domain, for a message.
fn owner_of(example: &str) -> Option<String> {
    let (scheme, rest) = example.split_once("://")?;
    let host =
        rest.rsplit_once(':').filter(|(_, p)| p.bytes().all(|b| b.is_ascii_digit())).map_or(rest, |(h, _)| h);
    Some(crate::trust::site_of(scheme, host).name().to_owned())
}

/// `CORS009`: the trust set is not finite.
fn over_match(pattern: &str, span: Span, finding: &Finding) -> Diagnostic {
    let (message, help) = match finding {
        Finding::OpenScheme { example } => (
            format!("regex `{pattern}` also matches `{example}`: the scheme is left open instead of spelled out, so other schemes match too, and anyone on the network path can forge a plain-http origin"),
            "write the scheme literally, e.g. `^https://`, or list the ones you mean, e.g. `^(https|wss)://`",
        ),
        Finding::OpenSite { example, owner, kind: OpenKind::Domain } => (
            format!(
                "regex `{pattern}` also matches `{example}`: it does not fix the registrable domain, letter by letter, and anyone can register {}",
                owner_of(example).unwrap_or_else(|| owner.clone())
            ),
            "make the variable part whole labels to the left of your own domain, e.g. `^https://([a-z0-9-]+\\.)?example\\.com$`, or list the domains you mean, e.g. `\\.(com|org)$`",
        ),
        Finding::OpenSite { example, kind: OpenKind::Ip, .. } => (
            format!("regex `{pattern}` also matches `{example}`: it admits an open set of IP hosts, and any of them can belong to anyone"),
            "list the IP addresses you mean, e.g. `^https://(203\\.0\\.113\\.7|198\\.51\\.100\\.2)$`, or use `127.0.0.1`/`localhost` for local development",
        ),
        Finding::OpenSite { example, owner, kind: OpenKind::Opaque } => (
            format!("regex `{pattern}` also matches `{example}`: it admits {owner}, and anyone can publish one (an extension id, an app scheme)"),
            "list the ids you mean literally",
        ),
        // Reported as CORS010 and CORS049 before this is called; worded generically all the same.
        Finding::StandIn { example, .. } => (
            format!("regex `{pattern}` also matches `{example}`"),
            "match the dots between labels alone, as `\\.`",
        ),
        Finding::OverBudget | Finding::Undecided { .. } => {
            (format!("regex `{pattern}` is too complex to analyse"), "spell out the hosts you mean")
        }
    };
    Diagnostic::error(Check::RegexOverMatch, span, message).with_help(help)
}

/// Origins on unrelated sites: an entry the trust analysis refuses and that matches one of these
/// is reported as `CORS002` (it reflects any origin) rather than as `CORS009`. They name the
/// finding, they do not make it.
const ANY_ORIGIN_PROBES: &[&str] = &[
    "https://attacker.invalid",
    "http://attacker.invalid",
    "https://a.b.c.attacker.invalid",
    "https://attacker.com",
];

/// Parses byte-wise: `.`, `\d`, `\w` and negated classes are ASCII or byte classes.
fn parse(pattern: &str) -> Result<(Ast, Hir), String> {
    let ast = ast::parse::ParserBuilder::new()
        .build()
        .parse(pattern)
        .map_err(|e| format!("{} (at byte {})", e.kind(), e.span().start.offset))?;
    let hir = hir::translate::TranslatorBuilder::new()
        .unicode(false)
        .utf8(false)
        .build()
        .translate(pattern, &ast)
        .map_err(|e| format!("{} (at byte {})", e.kind(), e.span().start.offset))?;
    Ok((ast, hir))
}

/// `\A(?:hir)\z`, built on the HIR so that flags or comments in the pattern cannot undo it.
fn anchored(hir: Hir) -> Hir {
    Hir::concat(vec![Hir::look(Look::Start), hir, Hir::look(Look::End)])
}

/// `CORS011` for an accepted string that no browser sends.
fn loose_host(pattern: &str, span: Span, witness: &Witness) -> Diagnostic {
    let example = show(&witness.example);
    let why = not_origin_reason(witness);
    let help = match witness.byte {
        Some(b'/') => "an `Origin` header never has a path: drop everything after the host and port",
        Some(b'A'..=b'Z') => "write the host in lowercase: browsers lowercase hosts before sending them",
        _ => {
            "restrict every part to what origins contain, e.g. host labels as `[a-z0-9-]+` and dots as `\\.`"
        }
    };
    Diagnostic::error(
        Check::RegexLooseHost,
        span,
        format!("regex `{pattern}` matches `{example}`, which is not a serialized origin: {why}"),
    )
    .with_help(help)
}

/// Why the witness is no serialized origin, as a clause.
fn not_origin_reason(witness: &Witness) -> String {
    match (witness.byte, witness.phase) {
        (None, _) => "it stops before a complete `scheme://host`".to_owned(),
        (Some(b'/'), Phase::Host | Phase::Slashes) => {
            "it continues with `/`, a path, which no `Origin` header has".to_owned()
        }
        (Some(b @ b'A'..=b'Z'), Phase::Host | Phase::Slashes) => {
            format!("its host contains {}, and browsers send hosts in lowercase", show_byte(b))
        }
        (Some(b), Phase::Host | Phase::Slashes) => format!(
            "its host contains {}, which no serialized origin host contains (only lowercase \
             `a-z 0-9 . - : [ ]`); `.`, `\\w`, `.*` and negated classes such as `[^/]` admit such bytes",
            show_byte(b)
        ),
        (Some(b), Phase::Start) => {
            format!(
                "it starts with {}, and an origin starts with a lowercase scheme such as `https`",
                show_byte(b)
            )
        }
        (Some(b), _) => {
            format!("{} cannot appear there: an origin starts with a lowercase `scheme://`", show_byte(b))
        }
    }
}

/// Offsets of every `.` that stands for exactly one byte (not under `*`, `+` or `{n,}`).
fn bare_dots(ast: &Ast) -> Vec<usize> {
    fn walk(ast: &Ast, out: &mut Vec<usize>) {
        match ast {
            Ast::Dot(span) => out.push(span.start.offset),
            Ast::Repetition(rep) => {
                let at_most_once = matches!(
                    rep.op.kind,
                    RepetitionKind::ZeroOrOne
                        | RepetitionKind::Range(
                            RepetitionRange::Exactly(0 | 1) | RepetitionRange::Bounded(_, 0 | 1)
                        )
                );
                if at_most_once {
                    walk(&rep.ast, out);
                }
            }
            Ast::Group(group) => walk(&group.ast, out),
            Ast::Alternation(alt) => alt.asts.iter().for_each(|a| walk(a, out)),
            Ast::Concat(concat) => concat.asts.iter().for_each(|a| walk(a, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(ast, &mut out);
    out
}

/// Help for the macro: regexes shown in backticks become raw string literals (`r"^https://…$"`),
/// which can be pasted into `regex(...)` as they are; the YAML spelling of `\.` is not a valid
/// Rust string escape.
#[cfg_attr(not(feature = "codegen"), allow(dead_code))]
fn raw_strings(help: &str) -> String {
    let mut out = String::with_capacity(help.len() + 8);
    for (i, part) in help.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        let is_regex = i % 2 == 1 && (part.starts_with('^') || part.contains('\\'));
        if is_regex && !part.contains('"') {
            out.push_str(&format!("r\"{part}\""));
        } else {
            out.push_str(part);
        }
    }
    out
}

/// The pattern with the given dots escaped.
fn escape_dots(pattern: &str, dots: &[usize]) -> String {
    let mut out = String::with_capacity(pattern.len() + dots.len());
    for (i, ch) in pattern.char_indices() {
        if dots.contains(&i) {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}

/// A byte string for a message: printable ASCII as is, other bytes as `\xNN`.
fn show(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|&b| if (0x20..0x7f).contains(&b) { char::from(b).to_string() } else { format!("\\x{b:02x}") })
        .collect()
}

/// One byte for a message.
fn show_byte(b: u8) -> String {
    match b {
        b'A'..=b'Z' => format!("the uppercase letter `{}`", char::from(b)),
        0x21..=0x7e => format!("`{}`", char::from(b)),
        _ => format!("the byte 0x{b:02x}"),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::time::{Duration, Instant};

    use regex_syntax::hir::{Class, HirKind};

    use super::*;
    use determinize::encode;
    use regex_automata::dfa::{dense, StartKind};
    use regex_automata::nfa::thompson;
    use regex_automata::MatchKind;

    fn compile(entries: &[Spanned<String>], limits: &Limits) -> (Option<DfaTables>, Vec<Diagnostic>) {
        let compiled = super::compile(entries, limits);
        (compiled.tables, compiled.diagnostics)
    }

    fn span() -> Span {
        Span::File { start: 0, end: 0, line: 1, column: 1 }
    }

    fn entries(patterns: &[&str]) -> Vec<Spanned<String>> {
        patterns.iter().map(|p| Spanned::new(p.to_string(), span())).collect()
    }

    fn check(pattern: &str) -> (Option<DfaTables>, Vec<Diagnostic>) {
        compile(&entries(&[pattern]), &Limits::default())
    }

    fn codes(pattern: &str) -> Vec<&'static str> {
        check(pattern).1.iter().map(|d| d.check.code()).collect()
    }

    /// An entry is refused when nothing it matches is an origin a browser sends, decided on the
    /// product with that language (`serialized.rs`): the port's bound, leading zeros and default
    /// ports, however the entry spells them. An entry that matches one such origin among others
    /// passes.
    #[test]
    fn an_entry_no_browser_origin_can_match_is_refused() {
        for pattern in [
            r"^https://a\.example\.com:0[0-9]*$",
            // 443 is https's default port, which browsers leave out.
            r"^https://a\.example\.com:(0|443)$",
            r"^https://a\.example\.com:6553[6-9]$",
            r"^https://a\.example\.com:[7-9][0-9]{4}$",
            r"^https://a\.example\.com:[1-9][0-9]{5}$",
            r"^http://a\.example\.com:80$",
            r"^wss://a\.example\.com:443$",
            // Browsers rewrite these IPv4 hosts before sending them (`10.0.0.1`, `127.0.0.1`).
            r"^https://10\.0\.0\.0[0-9]$",
            r"^https://127\.1$",
            r"^http://0x7f\.0\.0\.1:3000$",
            // A `file:` page's origin is `null`.
            r"^file://app\.example\.com$",
        ] {
            let (_, diagnostics) = check(pattern);
            let codes: Vec<_> = diagnostics.iter().map(|d| d.check.code()).collect();
            assert_eq!(codes, ["CORS049"], "{pattern}: {diagnostics:?}");
            assert!(
                diagnostics[0].message.contains("nothing it matches is an origin browsers send"),
                "{pattern}"
            );
        }
        for pattern in [
            // Sampling the shortest match (`:0`) refused this one.
            r"^https://a\.example\.com:(0|8443)$",
            r"^https://a\.example\.com:6553[0-5]$",
            r"^https://a\.example\.com:0*8443$",
            r"^https://a\.example\.com(:443)?$",
            r"^ws://a\.example\.com:443$",
            r"^http://localhost:[0-9]+$",
            r"^http://127\.0\.0\.1:[0-9]{4}$",
            r"^https://(127\.1|127\.0\.0\.1)$",
        ] {
            assert_eq!(codes(pattern), Vec::<&str>::new(), "{pattern}");
        }
    }

    /// Reference full-match semantics, straight on the HIR: the set of end positions reachable
    /// from `from`. Independent of regex-automata; exponential nowhere, quadratic at worst.
    fn ends(hir: &Hir, input: &[u8], from: &BTreeSet<usize>) -> BTreeSet<usize> {
        match hir.kind() {
            HirKind::Empty => from.clone(),
            HirKind::Literal(lit) => {
                from.iter().filter(|&&p| input[p..].starts_with(&lit.0)).map(|&p| p + lit.0.len()).collect()
            }
            HirKind::Class(Class::Bytes(class)) => from
                .iter()
                .filter(|&&p| {
                    input
                        .get(p)
                        .is_some_and(|&b| class.ranges().iter().any(|r| r.start() <= b && b <= r.end()))
                })
                .map(|&p| p + 1)
                .collect(),
            HirKind::Class(Class::Unicode(class)) => from
                .iter()
                .filter_map(|&p| {
                    (1..=4).find_map(|len| {
                        let c = std::str::from_utf8(input.get(p..p + len)?).ok()?.chars().next()?;
                        class.ranges().iter().any(|r| r.start() <= c && c <= r.end()).then_some(p + len)
                    })
                })
                .collect(),
            HirKind::Look(Look::Start) => from.iter().copied().filter(|&p| p == 0).collect(),
            HirKind::Look(Look::End) => from.iter().copied().filter(|&p| p == input.len()).collect(),
            HirKind::Look(look) => panic!("unsupported look-around {look:?}"),
            HirKind::Repetition(rep) => {
                let (mut result, mut current, mut k) = (BTreeSet::new(), from.clone(), 0);
                loop {
                    if k >= rep.min {
                        let before = result.len();
                        result.extend(current.iter().copied());
                        if k > rep.min && result.len() == before {
                            break;
                        }
                    }
                    if rep.max == Some(k) || current.is_empty() {
                        break;
                    }
                    current = ends(&rep.sub, input, &current);
                    k += 1;
                }
                result
            }
            HirKind::Capture(capture) => ends(&capture.sub, input, from),
            HirKind::Concat(subs) => subs.iter().fold(from.clone(), |at, sub| ends(sub, input, &at)),
            HirKind::Alternation(subs) => subs.iter().flat_map(|sub| ends(sub, input, from)).collect(),
        }
    }

    fn reference(pattern: &str, input: &[u8]) -> bool {
        let hir = anchored(parse(pattern).expect("pattern parses").1);
        ends(&hir, input, &BTreeSet::from([0])).contains(&input.len())
    }

    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }
    }

    /// Samples of the pattern and a few hundred mutations of them.
    fn inputs(tables: &DfaTables, rng: &mut Rng) -> Vec<Vec<u8>> {
        const EXTRA: &[u8] = b"az09.-:/_A[]~\n\x80\xff";
        let samples = Graph::new(tables, false).samples(64);
        let mut out = samples.clone();
        out.push(Vec::new());
        for _ in 0..400 {
            let mut s = samples.get(rng.below(samples.len().max(1))).cloned().unwrap_or_default();
            for _ in 0..=rng.below(3) {
                let byte = if rng.below(2) == 0 || s.is_empty() {
                    EXTRA[rng.below(EXTRA.len())]
                } else {
                    s[rng.below(s.len())]
                };
                let at = rng.below(s.len() + 1);
                match rng.below(3) {
                    0 => s.insert(at, byte),
                    1 if at < s.len() => {
                        s.remove(at);
                    }
                    _ if at < s.len() => s[at] = byte,
                    _ => s.push(byte),
                }
            }
            out.push(s);
        }
        out
    }

    #[test]
    fn tables_agree_with_reference_semantics() {
        let patterns = [
            r"^https://pr-[0-9]+\.preview\.example\.com$",
            r"^https://[a-z0-9-]+\.tenant\.example\.com$",
            r"^https://(app|admin)\.example\.com$",
            r"^http://localhost:(3000|8080)$",
            r"https://app\.example\.com",
            r"^https://api.example.com$",
            r"^https?://(www\.)?ex(am|em)ple\.(com|org)(:[0-9]{2,4})?$",
            r"(?i)^https://APP\.example\.com$",
            r"^https://[^.]+\.example\.com$",
            r"^https://(a|b)*a(a|b){3}\.com$",
            r".*\.example\.com",
            r"a+b*|",
            r"^$",
            r"[^\x00-\xff]",
        ];
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        for pattern in patterns {
            let hir = anchored(parse(pattern).expect("parses").1);
            let tables = build(&hir, &Limits::default()).unwrap_or_else(|e| panic!("{pattern}: {}", e));
            let nfa = thompson::Compiler::new().build_from_hir(&hir).expect("NFA");
            let minimal = dense::Builder::new()
                .configure(
                    dense::Config::new()
                        .start_kind(StartKind::Anchored)
                        .match_kind(MatchKind::All)
                        .minimize(true),
                )
                .build_from_nfa(&nfa)
                .expect("DFA");
            assert_eq!(
                tables.states(),
                encode(&minimal).expect("encodes").states(),
                "{pattern}: not minimal"
            );
            for input in inputs(&tables, &mut rng) {
                assert_eq!(
                    tables.dfa().is_match(&input),
                    reference(pattern, &input),
                    "pattern {pattern:?}, input {:?}",
                    show(&input)
                );
            }
        }
    }

    #[test]
    fn tables_are_trimmed_and_valid() {
        let tables = check(r"^https://(app|admin)\.example\.com$").0.expect("compiles");
        assert_ne!(tables.start, 0);
        assert_eq!(tables.transitions.len() % (1 << tables.stride_shift), 0);
        assert!(tables.transitions[..1 << tables.stride_shift].iter().all(|&t| t == 0), "row 0 is dead");
        assert!(tables.transitions.iter().all(|&t| (t as usize) < tables.transitions.len()));
        let dfa = tables.dfa();
        assert!(dfa.is_match(b"https://admin.example.com"));
        assert!(!dfa.is_match(b"https://admin.example.com/"));
        assert!(!dfa.is_match(b"https://adm.example.com"));

        let empty = build(&anchored(parse(r"[^\x00-\xff]").expect("parses").1), &Limits::default())
            .unwrap_or_else(|e| panic!("{}", e));
        assert_eq!(empty, DfaTables::empty());
        assert!(!empty.dfa().is_match(b""));
    }

    /// The prefix is the longest literal every accepted string starts with, the suffix the
    /// longest every accepted string ends with after it, and a match that compares both as
    /// bytes and walks only what lies between agrees with a walk of the whole input.
    #[test]
    fn the_literal_prefix_and_suffix_are_read_off_the_automaton() {
        for (pattern, prefix, suffix) in [
            (
                r"^https://pr-[0-9]+\.preview\.example\.com$",
                &b"https://pr-"[..],
                &b".preview.example.com"[..],
            ),
            (r"^https://(app|admin)\.example\.com$", b"https://a", b".example.com"),
            (r"^https?://a\.example$", b"http", b"://a.example"),
            (r"^(https|wss)://a\.example$", b"", b"s://a.example"),
            (r"^https://[a-z]+\.example$", b"https://", b".example"),
            // After the prefix the empty string is accepted: no suffix.
            (r"^https://a\.example(:8443)?$", b"https://a.example", b""),
            // One string: all of it is the prefix, and nothing is left for a suffix.
            (r"^https://a\.example$", b"https://a.example", b""),
            // The last byte varies.
            (r"^https://[a-z]+\.example\.co[mn]$", b"https://", b""),
            // `(ab)+`-like tails: the suffix may not reach into the repeated part's start.
            (r"^https://x(\.ab)+$", b"https://x.ab", b""),
            (r"^https://(x\.)?ab\.example$", b"https://", b"ab.example"),
            // Two regexes of one policy become one automaton: the literals are what they share.
            (r"^https://a\.example$|^https://b\.example$", b"https://", b".example"),
        ] {
            // The automaton alone, without the trust checks (some of these would be refused).
            let tables = build(&anchored(parse(pattern).expect("parses").1), &Limits::default())
                .unwrap_or_else(|e| panic!("{pattern}: {e}"));
            assert_eq!(
                tables.prefix.escape_ascii().to_string(),
                prefix.escape_ascii().to_string(),
                "{pattern}"
            );
            assert_eq!(
                tables.suffix.escape_ascii().to_string(),
                suffix.escape_ascii().to_string(),
                "{pattern}"
            );
            let mut walked = tables.start;
            for &byte in &tables.prefix {
                walked = tables.transitions[(walked + u32::from(tables.classes[usize::from(byte)])) as usize];
            }
            assert_eq!(walked, tables.after_prefix, "{pattern}");
            assert_agrees_with_the_plain_walk(&tables, pattern, 0x9e37_79b9_7f4a_7c15);
        }
    }

    /// The tables' DFA (literals, loops) answers as the walk over the bare transitions, on
    /// inputs built from the tables.
    fn assert_agrees_with_the_plain_walk(tables: &DfaTables, pattern: &str, seed: u64) {
        let plain = Dfa::new(
            &tables.classes,
            tables.stride_shift,
            &tables.transitions,
            tables.start,
            &tables.accepting,
        );
        let mut rng = Rng(seed);
        for input in inputs(tables, &mut rng) {
            assert_eq!(tables.dfa().is_match(&input), plain.is_match(&input), "{pattern} {}", show(&input));
        }
    }

    #[test]
    fn loops_are_the_rows_that_lead_back_to_themselves() {
        for (pattern, loops) in [
            (r"^https://pr-[0-9]+\.preview\.example\.com$", true),
            (r"^https://[a-z0-9-]+\.tenant\.example\.com$", true),
            (r"^https?://(www\.)?ex(am|em)ple\.(com|org)(:[0-9]{2,4})?$", false),
            (r"^https://(a|b)*a(a|b){3}\.com$", true),
        ] {
            let hir = anchored(parse(pattern).expect("parses").1);
            let tables = build(&hir, &Limits::default()).unwrap_or_else(|e| panic!("{pattern}: {}", e));
            assert_eq!(!tables.loops.is_empty(), loops, "{pattern}");
            let stride = 1usize << tables.stride_shift;
            for (row, bits) in tables.loops.iter().enumerate() {
                for class in 0..stride {
                    let id = u32::try_from(row * stride).expect("fits");
                    let looping = row != 0 && tables.transitions[row * stride + class] == id;
                    assert_eq!(bits >> class & 1 != 0, looping, "{pattern}: row {row}, class {class}");
                }
            }
            assert_agrees_with_the_plain_walk(&tables, pattern, 0x2545_f491_4f6c_dd1d);
        }
    }

    #[test]
    fn no_entries_is_the_empty_language() {
        let (tables, diagnostics) = compile(&[], &Limits::default());
        assert!(diagnostics.is_empty());
        let tables = tables.expect("valid tables");
        assert_eq!(tables.start, 0);
        assert!(!tables.dfa().is_match(b"") && !tables.dfa().is_match(b"https://a.com"));
    }

    #[test]
    fn legitimate_regexes_pass() {
        for pattern in [
            r"^https://pr-[0-9]+\.preview\.example\.com$",
            r"^https://[a-z0-9-]+\.tenant\.example\.com$",
            r"^https://(app|admin)\.example\.com$",
            r"^http://localhost:(3000|8080)$",
            r"https://app\.example\.com",
            r"^https://example\.com",
            r"^https?://app\.example\.com$",
            r"^(http|https)://app\.example\.com(:8080)?$",
            r"^https://([a-z0-9-]+\.)*example\.com$",
            r"^https://app\.example\.com(:[0-9]+)?$",
            r"^http://127\.0\.0\.1:[0-9]{4}$",
            r"^https://[a-z0-9-]+\.example\.co\.uk$",
            // A CORS002 probe's own site, trusted alone: the analysis decides, not the probe.
            r"^https://attacker\.com$",
            r"^https://(www\.)?attacker\.com$",
            r"^https?://attacker\.invalid$",
            // `0xg` is no hex number, so `a.0xg` is a domain that browsers send, not an address.
            r"^https://a\.0xg$",
        ] {
            let (tables, diagnostics) = check(pattern);
            assert!(diagnostics.is_empty(), "{pattern}: {diagnostics:#?}");
            assert!(tables.is_some(), "{pattern}");
        }
    }

    #[test]
    fn insecure_regexes_fail_with_the_right_code() {
        let cases: &[(&str, &[&str])] = &[
            (r"example\.com$", &["CORS049"]),
            (r".*\.example\.com", &["CORS011"]),
            (r"^https://api.example.com$", &["CORS010"]),
            (r"^https://(www.)?example\.com$", &["CORS010"]),
            (r"^https://.*example\.com$", &["CORS011"]),
            (r"^https://[^/]*\.example\.com$", &["CORS011"]),
            (r"^https://[a-z]+example\.com$", &["CORS009"]),
            (r"^https://example\.com[a-z.]*$", &["CORS009"]),
            (r"^https://example\.[a-z]+$", &["CORS009"]),
            (r"^https://app\.example\.com[:0-9]*$", &["CORS009"]),
            (r"^[a-z]+://app\.example\.com$", &["CORS009"]),
            (r"^https://app\.example\.com/.*$", &["CORS049"]),
            (r"^https://app\.example\.com(/.*)?$", &["CORS011"]),
            (r"^https://App\.example\.com$", &["CORS049"]),
            (r"^https://(App|app)\.example\.com$", &["CORS011"]),
            (r"^https://app\.example\.com|foo$", &["CORS011"]),
            (r"^https?://.*$", &["CORS002", "CORS011"]),
            (r"^https://[a-z0-9.-]+$", &["CORS002"]),
            (r"(a|b)*a(a|b){30}", &["CORS049"]),
            (r"https://(", &["CORS049"]),
            (r"[^\x00-\xff]", &["CORS049"]),
            (r"", &["CORS049"]),
        ];
        for (pattern, expected) in cases {
            let (tables, diagnostics) = check(pattern);
            let got: Vec<_> = diagnostics.iter().map(|d| d.check.code()).collect();
            assert_eq!(&got, expected, "{pattern}: {diagnostics:#?}");
            assert!(tables.is_none(), "{pattern}");
            assert!(diagnostics.iter().all(|d| d.is_error() && d.help.is_some()), "{pattern}");
        }
    }

    #[test]
    fn macro_help_shows_raw_strings() {
        assert_eq!(
            raw_strings(r"escape the dot: `^https://api\.example\.com$`, not `x`"),
            r#"escape the dot: `r"^https://api\.example\.com$"`, not `x`"#
        );
    }

    #[test]
    fn messages_name_the_example() {
        let message =
            |p: &str| check(p).1.first().map(|d| (d.message.clone(), d.help.clone())).expect("diagnostic");
        let (m, h) = message(r"^https://api.example.com$");
        assert!(m.contains("`https://apixexample.com`"), "{m}");
        assert_eq!(h.as_deref(), Some(r"escape the dot: `^https://api\.example\.com$`"));
        let (m, _) = message(r"^https://[a-z]+example\.com$");
        assert!(m.contains("`https://evilexample.com`"), "{m}");
        let (m, _) = message(r"^https://.*example\.com$");
        assert!(m.contains("`https://_example.com`") && m.contains("`_`"), "{m}");
        let (m, _) = message(r"^https://app\.example\.com(/.*)?$");
        assert!(m.contains("`https://app.example.com/`") && m.contains("path"), "{m}");
        let (m, _) = message(r"^https?://.*$");
        assert!(m.contains("https://attacker.invalid") && m.contains("reflecting any origin"), "{m}");
        let (m, _) = message(r"https://(");
        assert!(m.contains("unclosed group"), "{m}");
        let (m, _) = message(r"(a|b)*a(a|b){30}");
        assert!(m.contains("too large"), "{m}");
    }

    #[test]
    fn blow_up_fails_fast() {
        for pattern in [r"(a|b)*a(a|b){30}", r"(?:(?:a{100}){100}){100}"] {
            let began = Instant::now();
            let diagnostics = check(pattern).1;
            let elapsed = began.elapsed();
            eprintln!("{pattern}: {elapsed:?} {diagnostics:?}");
            assert_eq!(diagnostics.iter().map(|d| d.check.code()).collect::<Vec<_>>(), ["CORS049"]);
            assert!(elapsed < Duration::from_secs(if cfg!(debug_assertions) { 5 } else { 1 }));
        }
    }

    #[test]
    fn limits_apply_to_patterns_and_to_the_union() {
        let long = format!("^https://{}\\.example\\.com$", "a".repeat(2000));
        assert_eq!(codes(&long), ["CORS049"]);

        let patterns: Vec<String> =
            (0..20).map(|i| format!(r"^https://x{i}-{i}-{i}\.example\.com$")).collect();
        let list: Vec<&str> = patterns.iter().map(String::as_str).collect();
        let largest = list
            .iter()
            .filter_map(|p| build(&anchored(parse(p).ok()?.1), &Limits::default()).ok())
            .map(|t| t.states())
            .max()
            .unwrap_or(0);
        let small = Limits { max_states: largest, ..Limits::default() };
        let (tables, diagnostics) = compile(&entries(&list), &small);
        assert!(tables.is_none());
        assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
        assert!(diagnostics[0].message.contains("together"), "{}", diagnostics[0].message);
    }

    #[test]
    fn union_of_fifty_patterns() {
        let patterns: Vec<String> =
            (0..50).map(|i| format!(r"^https://pr-[0-9]+\.app{i}\.example\.com$")).collect();
        let list: Vec<&str> = patterns.iter().map(String::as_str).collect();
        let began = Instant::now();
        let (tables, diagnostics) = compile(&entries(&list), &Limits::default());
        let elapsed = began.elapsed();
        assert!(diagnostics.is_empty(), "{diagnostics:#?}");
        let tables = tables.expect("compiles");
        eprintln!(
            "50 patterns: {} states, {} classes (stride {}), {} bytes of tables, compiled and checked in {elapsed:?}",
            tables.states(),
            tables.classes.iter().copied().max().map_or(0, |c| c + 1),
            1 << tables.stride_shift,
            tables.size_in_bytes()
        );
        let dfa = tables.dfa();
        for i in 0..50 {
            assert!(dfa.is_match(format!("https://pr-1.app{i}.example.com").as_bytes()), "{i}");
            assert!(dfa.is_match(format!("https://pr-0042.app{i}.example.com").as_bytes()), "{i}");
            for miss in [
                format!("https://pr-.app{i}.example.com"),
                format!("https://pr-1.app{}.example.com", i + 50),
                format!("https://pr-1.app{i}xexample.com"),
                format!("https://pr-1.app{i}.example.co"),
                format!("http://pr-1.app{i}.example.com"),
                format!("https://pr-1.app{i}.example.com:443"),
                format!("https://evil.pr-1.app{i}.example.com"),
            ] {
                assert!(!dfa.is_match(miss.as_bytes()), "{miss}");
            }
        }
    }
}
