//! The Public Suffix List, as rules the trust analysis can walk, not only look up.
//!
//! Deciding what an origin entry trusts needs more than "what is the registrable domain of this
//! host": for `https://*.amazonaws.com` it needs "is there any public suffix *beneath*
//! `amazonaws.com`" (there is: `s3.amazonaws.com`), and for a regex it needs, label by label
//! from the right, "which labels could extend the public suffix here". So the list is kept as a
//! trie of labels, read from the right, built once from the shipped data
//! (`data/public_suffix_list.dat`: both the ICANN and the private section, unicode rules in
//! punycode; see `scripts/refresh-psl.py`).
//!
//! The lookup follows the algorithm of <https://publicsuffix.org/list/>: the prevailing rule is
//! an exception rule if one matches, else the longest matching rule, else `*`; the public suffix
//! is the prevailing rule's labels (an exception's without its leftmost label).
//!
//! ```
//! use cors_policy::psl;
//! let list = psl::list();
//! assert_eq!(list.registrable_domain("a.b.example.co.uk"), Some("example.co.uk"));
//! assert_eq!(list.registrable_domain("bucket.s3.amazonaws.com"), Some("bucket.s3.amazonaws.com"));
//! assert!(list.has_suffix_beneath("amazonaws.com"));
//! assert!(!list.has_suffix_beneath("example.com"));
//! ```

use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The shipped list: one rule per line, ASCII, with a first comment line naming its version.
const DATA: &str = include_str!("../data/public_suffix_list.dat");

/// The parsed list; see [`list`].
#[derive(Debug)]
pub struct PublicSuffixList {
    nodes: Vec<Node>,
    version: String,
}

#[derive(Debug, Default)]
struct Node {
    /// Child labels (`*` for a wildcard rule), to the left of this node's labels.
    children: BTreeMap<Box<str>, usize>,
    rule: Rule,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Rule {
    #[default]
    None,
    Normal,
    Exception,
}

/// What [`PublicSuffixList::at`] knows about a suffix given as labels from the right.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SuffixInfo {
    /// Labels of the public suffix of a host that ends with exactly these labels.
    pub public_suffix_labels: usize,
    /// Labels that, written to the left, match a rule and may make the public suffix longer
    /// (deduplicated, sorted); `*` never appears here (see `wildcard`).
    pub children: Vec<String>,
    /// A wildcard rule applies one label further left: any label extends the public suffix.
    pub wildcard: bool,
    /// The public suffix comes from a rule of the list, not from the implicit `*` rule.
    pub listed: bool,
}

impl SuffixInfo {
    /// `true` if a longer host with these labels as its suffix may have a longer public suffix.
    pub fn extendable(&self) -> bool {
        self.wildcard || !self.children.is_empty()
    }
}

/// The list shipped with this crate, parsed on first use.
pub fn list() -> &'static PublicSuffixList {
    static LIST: OnceLock<PublicSuffixList> = OnceLock::new();
    LIST.get_or_init(|| PublicSuffixList::parse(DATA))
}

impl PublicSuffixList {
    /// Parses rules, one per line; `//` lines are comments, and the first one may name the
    /// version in parentheses.
    pub fn parse(text: &str) -> Self {
        let mut list = PublicSuffixList { nodes: vec![Node::default()], version: String::new() };
        for line in text.lines() {
            let line = line.trim();
            if let Some(comment) = line.strip_prefix("//") {
                if list.version.is_empty() {
                    if let Some((_, rest)) = comment.split_once('(') {
                        list.version = rest.split_once(')').map_or(rest, |(v, _)| v).to_owned();
                    }
                }
                continue;
            }
            let Some(rule) = line.split_whitespace().next() else { continue };
            let (kind, rule) = match rule.strip_prefix('!') {
                Some(rest) => (Rule::Exception, rest),
                None => (Rule::Normal, rule),
            };
            let mut node = 0;
            for label in rule.to_ascii_lowercase().rsplit('.') {
                let next = list.nodes.len();
                node = *list.nodes[node].children.entry(label.into()).or_insert(next);
                if node == next {
                    list.nodes.push(Node::default());
                }
            }
            list.nodes[node].rule = kind;
        }
        list
    }

    /// The version line of the data, e.g. `psl 2.1.247`.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// Number of rules.
    pub fn len(&self) -> usize {
        self.nodes.iter().filter(|n| n.rule != Rule::None).count()
    }

    /// `true` if the list has no rule.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// What the list says about hosts ending with `labels` (rightmost first, lowercase ASCII).
    pub fn at<S: AsRef<str>>(&self, labels: &[S]) -> SuffixInfo {
        // Every trie node that matches the labels so far: exact children and `*` both match.
        let mut frontier = vec![0usize];
        // The prevailing rule: (is exception, labels).
        let mut normal = 1; // the implicit `*` rule
        let mut listed = false;
        let mut exception: Option<usize> = None;
        for (depth, label) in labels.iter().enumerate() {
            let mut next = Vec::new();
            for &node in &frontier {
                for key in [label.as_ref(), "*"] {
                    if let Some(&child) = self.nodes[node].children.get(key) {
                        if !next.contains(&child) {
                            next.push(child);
                        }
                        match self.nodes[child].rule {
                            Rule::Normal => {
                                normal = normal.max(depth + 1);
                                listed = true;
                            }
                            Rule::Exception => exception = Some(exception.unwrap_or(0).max(depth)),
                            Rule::None => {}
                        }
                    }
                }
            }
            frontier = next;
        }
        let public_suffix_labels = exception.unwrap_or(normal).min(labels.len().max(1));
        let mut children: Vec<String> = Vec::new();
        let mut wildcard = false;
        for &node in &frontier {
            // A child that holds only an exception shortens the suffix instead; it is listed
            // all the same, so that a walk follows it and sees that.
            for key in self.nodes[node].children.keys() {
                if &**key == "*" {
                    wildcard = true;
                } else {
                    children.push(key.to_string());
                }
            }
        }
        children.sort();
        children.dedup();
        let listed = listed || exception.is_some();
        SuffixInfo { public_suffix_labels, children, wildcard, listed }
    }

    /// The public suffix of `host` (without a trailing dot), by the list's algorithm.
    pub fn public_suffix<'h>(&self, host: &'h str) -> &'h str {
        let labels: Vec<&str> = host.rsplit('.').collect();
        let n = self.at(&labels).public_suffix_labels;
        tail(host, n)
    }

    /// The registrable domain (eTLD+1) of `host`, or `None` when `host` is itself a public
    /// suffix.
    pub fn registrable_domain<'h>(&self, host: &'h str) -> Option<&'h str> {
        let labels: Vec<&str> = host.rsplit('.').collect();
        let n = self.at(&labels).public_suffix_labels;
        (labels.len() > n).then(|| tail(host, n + 1))
    }

    /// `true` if `domain` is itself a public suffix by a rule of the list (a normal rule, or a
    /// name under a wildcard rule), not only by the implicit `*` rule that makes every unlisted
    /// top-level name (`localhost`, `internal`) a suffix.
    pub fn is_listed_suffix(&self, domain: &str) -> bool {
        let labels: Vec<&str> = domain.rsplit('.').collect();
        let info = self.at(&labels);
        info.listed && info.public_suffix_labels == labels.len()
    }

    /// `true` if some public suffix lies strictly beneath `domain`: a rule, or a wildcard, that
    /// ends with `domain` and has more labels. Anyone may then register a host under
    /// `*.domain` that `domain`'s owner does not control.
    pub fn has_suffix_beneath(&self, domain: &str) -> bool {
        self.example_beneath(domain).is_some()
    }

    /// The shallowest public suffix strictly beneath `domain`, for a message:
    /// `s3.amazonaws.com` for `amazonaws.com` (a wildcard label shows as `x`).
    pub fn example_beneath(&self, domain: &str) -> Option<String> {
        let labels: Vec<&str> = domain.rsplit('.').collect();
        self.suffix_beneath(&labels).map(|prefix| format!("{prefix}.{domain}"))
    }

    /// The labels, leftmost first and dot-joined, of the shallowest normal rule strictly beneath
    /// the suffix `labels`.
    fn suffix_beneath(&self, labels: &[&str]) -> Option<String> {
        let mut frontier = vec![0usize];
        for label in labels {
            frontier = frontier
                .iter()
                .flat_map(|&n| [label, &"*"].into_iter().filter_map(move |k| self.nodes[n].children.get(*k)))
                .copied()
                .collect();
        }
        // Breadth first from the nodes strictly beneath, so that the example is the shortest.
        let mut queue = std::collections::VecDeque::new();
        let push = |queue: &mut std::collections::VecDeque<(usize, String)>, node: usize, below: &str| {
            for (key, &child) in &self.nodes[node].children {
                let label = if &**key == "*" { "x" } else { key };
                let prefix = if below.is_empty() { label.to_owned() } else { format!("{label}.{below}") };
                queue.push_back((child, prefix));
            }
        };
        for node in frontier {
            push(&mut queue, node, "");
        }
        while let Some((node, prefix)) = queue.pop_front() {
            if self.nodes[node].rule == Rule::Normal {
                return Some(prefix);
            }
            push(&mut queue, node, &prefix);
        }
        None
    }
}

/// The last `n` labels of `host`.
fn tail(host: &str, n: usize) -> &str {
    let mut start = host.len();
    for _ in 0..n {
        match host[..start].rfind('.') {
            Some(dot) => start = dot,
            None => return host,
        }
    }
    &host[start + 1..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_list_is_complete_and_ascii() {
        let list = list();
        assert!(list.len() > 9_000, "{} rules", list.len());
        assert!(list.version().starts_with("psl "), "{}", list.version());
        assert!(DATA.is_ascii());
    }

    #[test]
    fn follows_the_algorithm() {
        let list = list();
        for (host, expected) in [
            ("example.com", Some("example.com")),
            ("a.b.example.com", Some("example.com")),
            ("com", None),
            ("example.co.uk", Some("example.co.uk")),
            ("co.uk", None),
            ("user.github.io", Some("user.github.io")),
            ("github.io", None),
            ("bucket.s3.amazonaws.com", Some("bucket.s3.amazonaws.com")),
            ("x.compute.amazonaws.com", None),
            ("y.x.compute.amazonaws.com", Some("y.x.compute.amazonaws.com")),
            ("unlisted", None),
            ("a.unlisted", Some("a.unlisted")),
            ("xn--55qx5d.cn", None),
            ("a.xn--55qx5d.cn", Some("a.xn--55qx5d.cn")),
        ] {
            assert_eq!(list.registrable_domain(host), expected, "{host}");
        }
    }

    #[test]
    fn wildcards_and_exceptions() {
        let list = PublicSuffixList::parse("// x (test 1)\nck\n*.ck\n!www.ck\n");
        assert_eq!(list.version(), "test 1");
        assert_eq!(list.registrable_domain("www.ck"), Some("www.ck"));
        assert_eq!(list.registrable_domain("a.www.ck"), Some("www.ck"));
        assert_eq!(list.registrable_domain("foo.ck"), None);
        assert_eq!(list.registrable_domain("a.foo.ck"), Some("a.foo.ck"));
        let at = list.at(&["ck"]);
        assert!(at.wildcard && at.children == ["www"]);
        assert!(list.has_suffix_beneath("ck"));
        assert!(list.is_listed_suffix("foo.ck") && list.is_listed_suffix("ck"));
        assert!(!list.is_listed_suffix("www.ck") && !list.is_listed_suffix("unlisted"));
    }

    #[test]
    fn suffixes_beneath() {
        let list = list();
        let example = list.example_beneath("amazonaws.com").expect("a suffix beneath amazonaws.com");
        assert!(example.ends_with(".amazonaws.com") && list.is_listed_suffix(&example), "{example}");
        let nested = PublicSuffixList::parse("com\na.b.c.com\n");
        assert_eq!(nested.example_beneath("c.com").as_deref(), Some("a.b.c.com"));
        assert_eq!(nested.example_beneath("a.b.c.com"), None);
        assert!(list.has_suffix_beneath("core.windows.net"));
        assert!(list.has_suffix_beneath("com"));
        assert!(!list.has_suffix_beneath("example.com"));
        assert!(!list.has_suffix_beneath("preview.example.com"));
    }

    /// The lookups agree with the `psl` crate (the same list, compiled to code by another
    /// implementation) on every rule, a host beneath it and one beneath that.
    #[test]
    fn agrees_with_the_psl_crate() {
        let ours = list();
        let mut checked = 0;
        for rule in DATA.lines().filter(|l| !l.starts_with("//")) {
            let rule = rule.trim_start_matches('!').replace('*', "wild");
            for host in [rule.clone(), format!("a.{rule}"), format!("b.a.{rule}")] {
                let theirs = ::psl::domain_str(&host);
                assert_eq!(ours.registrable_domain(&host), theirs, "{host}");
                checked += 1;
            }
        }
        assert!(checked > 27_000);
    }
}
