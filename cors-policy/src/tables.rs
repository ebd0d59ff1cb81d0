//! Building the runtime's tables from a checked policy, in memory.
//!
//! [`Tables`] owns every table of one policy. [`Tables::with_policy`] lends them to the very
//! `cors_policy_core::Policy` type that generated code builds from static data, so the CLI and
//! the tests evaluate requests with the runtime's own code, and `expand` emits these same
//! tables as Rust tokens.

use crate::regex::DfaTables;
use crate::valid::{CheckedHeaders, CheckedMethods, CheckedOrigins, CheckedPolicy};
use cors_policy_core::hash::{bucket, hash, slot};
use cors_policy_core::{
    AllowHeaders, AllowMethods, AllowOrigins, OriginMatcher, OriginPattern, OriginSet, Policy, PortPattern,
    StrList, EMPTY_SLOT, LINEAR_SCAN_MAX,
};

/// Owned strings in the layout of `cors_policy_core::StrList`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OwnedStrList {
    /// The strings back to back.
    pub text: String,
    /// The end offset of each string.
    pub ends: Vec<u32>,
}

impl OwnedStrList {
    /// Concatenates `items`.
    pub fn new<S: AsRef<str>>(items: &[S]) -> Self {
        let mut list = OwnedStrList::default();
        for item in items {
            list.text.push_str(item.as_ref());
            list.ends.push(list.text.len() as u32);
        }
        list
    }

    /// The borrowed view.
    pub fn view(&self) -> StrList<'_> {
        StrList::new(&self.text, &self.ends)
    }
}

/// A perfect hash table over exact origins (empty `pilots` for a linear-scan set).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OriginTable {
    /// The origins.
    pub keys: OwnedStrList,
    /// The hash seed that placed every key.
    pub seed: u64,
    /// One pilot per bucket.
    pub pilots: Vec<u16>,
    /// For each slot, the index of its key, or `EMPTY_SLOT`.
    pub slots: Vec<u32>,
}

/// Keys per bucket, on average.
const KEYS_PER_BUCKET: usize = 4;
/// Slots per key: a load factor of 80%.
const SLOTS_PER_KEY: f64 = 1.25;
/// Seeds tried before giving up (each try succeeds with high probability).
const SEED_TRIES: u64 = 64;

impl OriginTable {
    /// Places `keys` (which must be distinct) in a table. Sets of at most
    /// [`LINEAR_SCAN_MAX`] keys get no table: scanning them is faster.
    pub fn build(keys: &[String]) -> Self {
        let list = OwnedStrList::new(keys);
        if keys.len() <= LINEAR_SCAN_MAX {
            return OriginTable { keys: list, ..OriginTable::default() };
        }
        for attempt in 0..SEED_TRIES {
            let seed = hash(attempt, b"cors-policy origin table");
            if let Some((pilots, slots)) = place(keys, seed) {
                return OriginTable { keys: list, seed, pilots, slots };
            }
        }
        // Only reachable with duplicate keys; a scan is still correct.
        OriginTable { keys: list, ..OriginTable::default() }
    }

    /// The borrowed view.
    pub fn view(&self) -> OriginSet<'_> {
        OriginSet::new(self.keys.view(), self.seed, &self.pilots, &self.slots)
    }
}

/// Finds a pilot for every bucket, largest buckets first, so that all keys land on distinct slots.
fn place(keys: &[String], seed: u64) -> Option<(Vec<u16>, Vec<u32>)> {
    let buckets = keys.len().div_ceil(KEYS_PER_BUCKET);
    let slot_count = (keys.len() as f64 * SLOTS_PER_KEY).ceil() as usize;
    let hashes: Vec<u64> = keys.iter().map(|k| hash(seed, k.as_bytes())).collect();
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); buckets];
    for (index, h) in hashes.iter().enumerate() {
        members[bucket(*h, buckets)].push(index);
    }
    let mut order: Vec<usize> = (0..buckets).collect();
    order.sort_by_key(|&b| std::cmp::Reverse(members[b].len()));

    let mut pilots = vec![0u16; buckets];
    let mut slots = vec![EMPTY_SLOT; slot_count];
    let mut chosen = Vec::with_capacity(KEYS_PER_BUCKET * 4);
    for b in order {
        if members[b].is_empty() {
            continue;
        }
        let pilot = (0..=u16::MAX).find(|&pilot| {
            chosen.clear();
            members[b].iter().all(|&key| {
                let s = slot(hashes[key], pilot, slot_count);
                let free = slots[s] == EMPTY_SLOT && !chosen.contains(&s);
                chosen.push(s);
                free
            })
        })?;
        pilots[b] = pilot;
        for &key in &members[b] {
            slots[slot(hashes[key], pilot, slot_count)] = key as u32;
        }
    }
    Some((pilots, slots))
}

/// Every table of one policy, owned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tables {
    /// The name under `policies:`, if any.
    pub name: Option<String>,
    /// `None` for `*`.
    pub origins: Option<OriginTables>,
    /// `None` for `*`.
    pub methods: Option<OwnedStrList>,
    /// The headers rule.
    pub headers: HeaderTables,
    /// Credentials allowed.
    pub credentials: bool,
    /// Rendered `Access-Control-Expose-Headers`.
    pub expose_headers: Option<String>,
    /// Rendered `Access-Control-Max-Age`.
    pub max_age: Option<String>,
    /// Private Network Access allowed.
    pub private_network: bool,
    /// Preflight success status.
    pub preflight_status: u16,
    /// What each `allow_origins` entry trusts (for `cors-policy trust` and `diff`; not emitted).
    pub trust: Vec<crate::trust::EntryTrust>,
}

/// The tables of a listed `allow_origins`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OriginTables {
    /// Exact origins.
    pub exact: OriginTable,
    /// `(scheme, host, subdomains, port)` patterns.
    pub patterns: Vec<(String, String, bool, PortPattern)>,
    /// The regex DFA.
    pub regex: Option<DfaTables>,
}

/// The tables of `allow_headers`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HeaderTables {
    /// `*`.
    Any {
        /// `authorization` listed too.
        authorization: bool,
    },
    /// Sorted lowercase names.
    List(OwnedStrList),
}

impl Tables {
    /// Builds the tables of a checked policy.
    pub fn build(policy: &CheckedPolicy) -> Self {
        Tables {
            name: policy.name.clone(),
            origins: match &policy.origins {
                CheckedOrigins::Any => None,
                CheckedOrigins::Listed { exact, patterns, regex } => Some(OriginTables {
                    exact: OriginTable::build(exact),
                    patterns: patterns.clone(),
                    regex: regex.as_deref().cloned(),
                }),
            },
            methods: match &policy.methods {
                CheckedMethods::Any => None,
                CheckedMethods::List(methods) => Some(OwnedStrList::new(methods)),
            },
            headers: match &policy.headers {
                CheckedHeaders::Any { authorization } => HeaderTables::Any { authorization: *authorization },
                CheckedHeaders::List(names) => HeaderTables::List(OwnedStrList::new(names)),
            },
            credentials: policy.credentials,
            expose_headers: policy.expose_headers.clone(),
            max_age: policy.max_age.map(|m| m.to_string()),
            private_network: policy.private_network,
            preflight_status: policy.preflight_status,
            trust: policy.trust.clone(),
        }
    }

    /// Lends the tables to the runtime's `Policy` type, for evaluating requests exactly as a
    /// compiled binary would.
    pub fn with_policy<R>(&self, f: impl FnOnce(&Policy<'_>) -> R) -> R {
        let patterns: Vec<OriginPattern<'_>> = self
            .origins
            .iter()
            .flat_map(|o| &o.patterns)
            .map(|(scheme, host, subdomains, port)| OriginPattern::new(scheme, host, *subdomains, *port))
            .collect();
        let allow_origins = match &self.origins {
            None => AllowOrigins::Any,
            Some(origins) => AllowOrigins::Listed(OriginMatcher::new(
                origins.exact.view(),
                &patterns,
                origins.regex.as_ref().map(DfaTables::dfa),
            )),
        };
        let policy = Policy::from_compiled_parts(
            allow_origins,
            match &self.methods {
                None => AllowMethods::Any,
                Some(list) => AllowMethods::List(list.view()),
            },
            match &self.headers {
                HeaderTables::Any { authorization } => AllowHeaders::Any { authorization: *authorization },
                HeaderTables::List(list) => AllowHeaders::List(list.view()),
            },
            self.credentials,
            self.expose_headers.as_deref(),
            self.max_age.as_deref(),
            self.private_network,
            self.preflight_status,
        );
        let policy = match &self.name {
            Some(name) => policy.with_name(name),
            None => policy,
        };
        f(&policy)
    }
}
