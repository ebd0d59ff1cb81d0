//! The catalog of checks: every diagnostic the compiler can emit has one stable code here.
//!
//! Codes `CORS001`–`CORS044` follow, row by row, the misconfiguration catalog this project was
//! designed from (the Fetch Standard, browser sources, OWASP, PortSwigger, jub0bs/cors); codes from
//! `CORS045` on cover the policy language itself (syntax, unknown keys, duplicates, files).
//! A code is never reused for another meaning.

/// How bad a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Informational: the setting works but is unnecessary or worth knowing about.
    Info,
    /// Compiles, but the setting is risky or does not do what it seems to.
    Warning,
    /// The policy is insecure or cannot work: it does not compile.
    Error,
}

impl Severity {
    /// The word rustc uses for this level (`error`, `warning`, `info`).
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

macro_rules! catalog {
    ($( $variant:ident = $code:literal, $name:literal, $sev:literal, $summary:literal; )*) => {
        /// One check of the catalog.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Check { $( #[doc = $summary] $variant, )* }

        impl Check {
            /// Every check, in code order.
            pub const ALL: &'static [Check] = &[ $( Check::$variant, )* ];

            /// The stable code, such as `CORS001`.
            pub fn code(self) -> &'static str { match self { $( Check::$variant => $code, )* } }

            /// The stable kebab-case name, such as `wildcard-origin-with-credentials`.
            pub fn name(self) -> &'static str { match self { $( Check::$variant => $name, )* } }

            /// The severity levels this check can report, as written in the catalog
            /// (`E`, `W`, `I`, or a combination such as `E/W` when it depends on credentials).
            pub fn severities(self) -> &'static str { match self { $( Check::$variant => $sev, )* } }

            /// One sentence saying what the check finds.
            pub fn summary(self) -> &'static str { match self { $( Check::$variant => $summary, )* } }
        }
    };
}

catalog! {
    WildcardOriginWithCredentials = "CORS001", "wildcard-origin-with-credentials", "E", "`*` in allow_origins together with allow_credentials.";
    ReflectAnyOrigin = "CORS002", "reflect-any-origin", "E", "An origin entry that would echo back arbitrary origins.";
    NullOrigin = "CORS003", "null-origin", "E", "The `null` origin in allow_origins.";
    FileOrigin = "CORS004", "file-origin", "E", "A `file://` origin, which browsers serialize as `null`.";
    InsecureOrigin = "CORS005", "insecure-origin", "E/I", "A plain-http origin (not localhost or loopback): an error with credentials, a note without.";
    SubdomainWildcardWithCredentials = "CORS006", "subdomain-wildcard-with-credentials", "W", "A `*.` subdomain pattern with credentials: any subdomain takeover or XSS reads credentialed data.";
    PublicSuffixWildcard = "CORS007", "public-suffix-wildcard", "E/W", "A `*.` pattern on a public suffix (`*.com`, `*.github.io`): anyone can own a matching host.";
    MisplacedWildcard = "CORS008", "misplaced-wildcard", "E", "A `*` anywhere but a leading `*.` label or a `:*` port.";
    RegexOverMatch = "CORS009", "regex-over-match", "E", "A regex that matches look-alike hosts (`evil<host>`, `<host>.evil.net`, another scheme or port).";
    RegexUnescapedDot = "CORS010", "regex-unescaped-dot", "E", "A regex whose `.` matches any byte, so `apiXexample.com` matches.";
    RegexLooseHost = "CORS011", "regex-loose-host", "E", "A regex that admits bytes no serialized origin contains (`_`, backtick, `%`, `/`, ...) or unbounded hosts.";
    OriginWithPath = "CORS012", "origin-with-path", "E", "An origin with a path, trailing slash, query or fragment: it can never match.";
    UppercaseOrigin = "CORS013", "uppercase-origin", "E", "Uppercase letters in an origin's scheme or host: browsers send lowercase.";
    DefaultPort = "CORS014", "default-port", "E", "An origin that spells out its scheme's default port (`:443`, `:80`): browsers never send it.";
    NotAnOrigin = "CORS015", "not-an-origin", "E", "Text that is not a serialized origin (no scheme, userinfo, empty host, unknown form).";
    UnicodeHost = "CORS016", "unicode-host", "E", "A non-ASCII host: browsers send its punycode form.";
    NonCanonicalHostOrPort = "CORS017", "non-canonical-host-or-port", "E", "An IP address or port written in a form browsers never serialize.";
    TrailingDotHost = "CORS018", "trailing-dot-host", "W", "A host ending in `.`: a distinct origin from the one without the dot.";
    EmptyOriginList = "CORS019", "empty-origin-list", "E", "allow_origins missing or empty: nothing would be allowed.";
    ForbiddenMethod = "CORS020", "forbidden-method", "E", "CONNECT, TRACE or TRACK, which browsers refuse to send.";
    InvalidMethod = "CORS021", "invalid-method", "E", "A method that is not an HTTP token: every preflight would fail.";
    SafelistedMethod = "CORS022", "safelisted-method", "I", "GET, HEAD or POST listed: browsers never ask for them.";
    LowercaseMethod = "CORS023", "lowercase-method", "W", "A lowercase standard method (`put`): browsers send it uppercased.";
    MethodCase = "CORS024", "method-case", "W", "A non-standard method in unusual case (`patch`): methods are case-sensitive.";
    OptionsMethod = "CORS025", "options-method", "I", "OPTIONS listed: only needed for explicit OPTIONS fetches, never for preflights.";
    WildcardMethodWithCredentials = "CORS026", "wildcard-method-with-credentials", "W", "`*` in allow_methods with credentials: every method is allowed for credentialed requests.";
    ForbiddenRequestHeader = "CORS027", "forbidden-request-header", "E", "A header name scripts can never set (`cookie`, `host`, `sec-*`, ...).";
    ResponseHeaderInAllowHeaders = "CORS028", "response-header-in-allow-headers", "E", "A response-only header (`access-control-allow-*`) in allow_headers.";
    InvalidHeaderName = "CORS029", "invalid-header-name", "E", "A header name that is not an HTTP token: every preflight would fail.";
    SafelistedRequestHeader = "CORS030", "safelisted-request-header", "I", "A CORS-safelisted request header listed (`accept`, `accept-language`, ...).";
    WildcardHeadersWithoutAuthorization = "CORS031", "wildcard-headers-without-authorization", "W", "`*` in allow_headers never covers `authorization`.";
    WildcardHeadersWithCredentials = "CORS032", "wildcard-headers-with-credentials", "W", "`*` in allow_headers with credentials: every requested header is allowed.";
    WildcardExposeWithCredentials = "CORS033", "wildcard-expose-with-credentials", "E", "`*` in expose_headers with credentials: browsers read it as a header named `*`.";
    ForbiddenResponseHeader = "CORS034", "forbidden-response-header", "E", "`set-cookie` in expose_headers: browsers never expose it.";
    RequestHeaderInExposeHeaders = "CORS035", "request-header-in-expose-headers", "E", "A request-only or CORS meta header in expose_headers.";
    SafelistedResponseHeader = "CORS036", "safelisted-response-header", "I", "A CORS-safelisted response header in expose_headers: always readable anyway.";
    MaxAgeTooLarge = "CORS037", "max-age-too-large", "E", "max_age above 86400 seconds, which every browser caps.";
    MaxAgeCapped = "CORS038", "max-age-capped", "W/I", "max_age above a browser's cap (Chromium 7200 s, WebKit 600 s).";
    InvalidMaxAge = "CORS039", "invalid-max-age", "E", "A negative or non-integer max_age.";
    PrivateNetworkWithAnyOrigin = "CORS040", "private-network-with-any-origin", "E", "allow_private_network with `*` origins: any website could reach the private device.";
    PrivateNetworkInsecureOrigin = "CORS041", "private-network-insecure-origin", "W", "allow_private_network for insecure origins, which browsers never let through.";
    PrivateNetworkDeprecated = "CORS042", "private-network-deprecated", "I", "allow_private_network: Private Network Access is on hold, replaced by Local Network Access.";
    InvalidPreflightStatus = "CORS043", "invalid-preflight-status", "E", "A preflight_status outside 200-299: browsers fail the preflight.";
    VaryDisabled = "CORS044", "vary-disabled", "E", "An attempt to turn off `Vary: Origin`, which enables cache poisoning.";
    DuplicateEntry = "CORS045", "duplicate-entry", "W", "The same origin, method or header listed twice.";
    AnyOriginNotAlone = "CORS046", "any-origin-not-alone", "E", "`*` mixed with other origins in allow_origins.";
    UnknownKey = "CORS047", "unknown-key", "E", "A key the policy language does not have.";
    InvalidSyntax = "CORS048", "invalid-syntax", "E", "YAML or macro syntax error, or a value of the wrong type.";
    InvalidRegex = "CORS049", "invalid-regex", "E", "A regex that does not compile, is too large, or cannot match any origin.";
    DuplicateKey = "CORS050", "duplicate-key", "E", "The same key given twice in one policy.";
    UnknownPolicy = "CORS051", "unknown-policy", "E", "A policy name that the file does not define, or a file with no policy.";
    UnreadableFile = "CORS052", "unreadable-file", "E", "A policy file that cannot be read.";
    InvalidPolicyName = "CORS053", "invalid-policy-name", "E", "A policy name that cannot become a Rust identifier, or two names that become the same one.";
    InvalidAllowedWarning = "CORS054", "invalid-allowed-warning", "E/I", "An `allow_warnings` entry that names no warning, has no reason (E), or allows a warning the policy does not have (I).";
    InvalidWriteExemptPath = "CORS055", "invalid-write-exempt-path", "E", "A `write_exempt_paths` entry that is no normalized path, or a `*` other than a trailing `/*`.";
    InvalidPublicHost = "CORS056", "invalid-public-host", "E", "A `public_host` that is no lowercase `host[:port]`.";
    AnyOriginWrites = "CORS057", "any-origin-writes", "E/W", "`*` as a write origin (E), or `*` origins with protect_writes, which then trusts no cross-origin writer (W).";
    WriteSettingWithoutProtection = "CORS058", "write-setting-without-protect-writes", "E", "`write_origins`, `write_exempt_paths` or `public_host` without `protect_writes: true`: they would do nothing.";
    InvalidTenantEntry = "CORS059", "invalid-tenant-entry", "E", "A `tenants:` entry with an invalid or repeated name or in `write_origins`, or a tenant origin inserted at run time that is `*` or a pattern rather than one exact origin.";
}

impl Check {
    /// More policies that trigger this check, one per class of mistake it decides beyond the
    /// first example (the trust analysis: regexes, public suffixes beneath a pattern, IP hosts).
    pub fn more_examples(self) -> &'static [&'static str] {
        match self {
            Check::InsecureOrigin => {
                &["allow_origins:\n  - regex: '^https?://app\\.example\\.com$'\nallow_credentials: true\n"]
            }
            Check::PublicSuffixWildcard => {
                &["allow_origins: ['https://*.amazonaws.com']\nallow_credentials: true\n"]
            }
            Check::RegexOverMatch => &[
                "allow_origins:\n  - regex: '^https://app\\.example[a-z]*\\.com$'\n",
                "allow_origins:\n  - regex: '^https://example\\.[a-z]{2,3}$'\n",
                "allow_origins:\n  - regex: '^https://[0-9]{1,3}(\\.[0-9]{1,3}){3}$'\n",
                "allow_origins:\n  - regex: '^https://[a-z0-9-]+\\.s3\\.amazonaws\\.com$'\n",
            ],
            Check::RegexUnescapedDot => &["allow_origins:\n  - regex: '^https://app[.-]example\\.com$'\n"],
            Check::InvalidRegex => &[
                "allow_origins:\n  - regex: '^https://([a-z]{1,9}){1,150}\\.example\\.com$'\n",
                "allow_origins:\n  - regex: '^https://app\\.example\\.com:(0|443)$'\n",
            ],
            _ => &[],
        }
    }

    /// A small YAML policy that triggers this check, for the documentation (`docs/checks.md`
    /// is generated by compiling each example, and a test keeps it current). Empty for checks
    /// a YAML text cannot trigger.
    pub fn example(self) -> &'static str {
        match self {
            Check::WildcardOriginWithCredentials => "allow_origins: ['*']\nallow_credentials: true\n",
            Check::ReflectAnyOrigin => "allow_origins:\n  - regex: '^https?://.*$'\n",
            Check::NullOrigin => "allow_origins: ['null']\n",
            Check::FileOrigin => "allow_origins: ['file:///home/me/app/index.html']\n",
            Check::InsecureOrigin => "allow_origins: [http://app.example.com]\nallow_credentials: true\n",
            Check::SubdomainWildcardWithCredentials => {
                "allow_origins: ['https://*.example.com']\nallow_credentials: true\n"
            }
            Check::PublicSuffixWildcard => "allow_origins: ['https://*.github.io']\nallow_credentials: true\n",
            Check::MisplacedWildcard => "allow_origins: ['https://*example.com']\n",
            Check::RegexOverMatch => "allow_origins:\n  - regex: '^https://[a-z]+example\\.com$'\n",
            Check::RegexUnescapedDot => "allow_origins:\n  - regex: '^https://api.example.com$'\n",
            Check::RegexLooseHost => "allow_origins:\n  - regex: '^https://.*\\.example\\.com$'\n",
            Check::OriginWithPath => "allow_origins: [https://app.example.com/]\n",
            Check::UppercaseOrigin => "allow_origins: [https://App.example.com]\n",
            Check::DefaultPort => "allow_origins: ['https://app.example.com:443']\n",
            Check::NotAnOrigin => "allow_origins: [app.example.com]\n",
            Check::UnicodeHost => "allow_origins: ['https://bücher.example']\n",
            Check::NonCanonicalHostOrPort => "allow_origins: ['http://127.1:8080']\n",
            Check::TrailingDotHost => "allow_origins: [https://app.example.com.]\n",
            Check::EmptyOriginList => "allow_origins: []\n",
            Check::ForbiddenMethod => "allow_origins: [https://app.example.com]\nallow_methods: [TRACE]\n",
            Check::InvalidMethod => "allow_origins: [https://app.example.com]\nallow_methods: ['GET, PUT']\n",
            Check::SafelistedMethod => "allow_origins: [https://app.example.com]\nallow_methods: [GET, PUT]\n",
            Check::LowercaseMethod => "allow_origins: [https://app.example.com]\nallow_methods: [put]\n",
            Check::MethodCase => "allow_origins: [https://app.example.com]\nallow_methods: [patch]\n",
            Check::OptionsMethod => "allow_origins: [https://app.example.com]\nallow_methods: [OPTIONS]\n",
            Check::WildcardMethodWithCredentials => {
                "allow_origins: [https://app.example.com]\nallow_methods: ['*']\nallow_credentials: true\n"
            }
            Check::ForbiddenRequestHeader => "allow_origins: [https://app.example.com]\nallow_headers: [cookie]\n",
            Check::ResponseHeaderInAllowHeaders => {
                "allow_origins: [https://app.example.com]\nallow_headers: [access-control-allow-origin]\n"
            }
            Check::InvalidHeaderName => "allow_origins: [https://app.example.com]\nallow_headers: ['x-a, x-b']\n",
            Check::SafelistedRequestHeader => "allow_origins: [https://app.example.com]\nallow_headers: [accept]\n",
            Check::WildcardHeadersWithoutAuthorization => {
                "allow_origins: [https://app.example.com]\nallow_headers: ['*']\n"
            }
            Check::WildcardHeadersWithCredentials => {
                "allow_origins: [https://app.example.com]\nallow_headers: ['*', authorization]\nallow_credentials: true\n"
            }
            Check::WildcardExposeWithCredentials => {
                "allow_origins: [https://app.example.com]\nexpose_headers: ['*']\nallow_credentials: true\n"
            }
            Check::ForbiddenResponseHeader => "allow_origins: [https://app.example.com]\nexpose_headers: [set-cookie]\n",
            Check::RequestHeaderInExposeHeaders => "allow_origins: [https://app.example.com]\nexpose_headers: [origin]\n",
            Check::SafelistedResponseHeader => {
                "allow_origins: [https://app.example.com]\nexpose_headers: [content-type]\n"
            }
            Check::MaxAgeTooLarge => "allow_origins: [https://app.example.com]\nmax_age: 604800\n",
            Check::MaxAgeCapped => "allow_origins: [https://app.example.com]\nmax_age: 86400\n",
            Check::InvalidMaxAge => "allow_origins: [https://app.example.com]\nmax_age: -1\n",
            Check::PrivateNetworkWithAnyOrigin => "allow_origins: ['*']\nallow_private_network: true\n",
            Check::PrivateNetworkInsecureOrigin => {
                "allow_origins: [http://app.example.com]\nallow_private_network: true\n"
            }
            Check::PrivateNetworkDeprecated => "allow_origins: [https://app.example.com]\nallow_private_network: true\n",
            Check::InvalidPreflightStatus => "allow_origins: [https://app.example.com]\npreflight_status: 302\n",
            Check::VaryDisabled => "allow_origins: [https://app.example.com]\nvary: false\n",
            Check::DuplicateEntry => "allow_origins: [https://app.example.com, https://app.example.com]\n",
            Check::AnyOriginNotAlone => "allow_origins: ['*', https://app.example.com]\n",
            Check::UnknownKey => "allow_origin: [https://app.example.com]\n",
            Check::InvalidSyntax => "allow_origins: [https://app.example.com]\nallow_credentials: yes\n",
            Check::InvalidRegex => "allow_origins:\n  - regex: '^https://(app|admin\\.example\\.com$'\n",
            Check::DuplicateKey => "allow_origins: [https://a.example.com]\nallow_origins: [https://b.example.com]\n",
            Check::UnknownPolicy => "policies: {}\n",
            Check::UnreadableFile => "",
            Check::InvalidAllowedWarning => {
                "allow_origins: [https://app.example.com]\nallow_warnings: { CORS001: \"we know\" }\n"
            }
            Check::InvalidWriteExemptPath => {
                "allow_origins: [https://app.example.com]\nprotect_writes: true\nwrite_exempt_paths: [/webhooks*]\n"
            }
            Check::InvalidPublicHost => {
                "allow_origins: [https://app.example.com]\nprotect_writes: true\npublic_host: https://shop.example.com/\n"
            }
            Check::AnyOriginWrites => "allow_origins: ['*']\nprotect_writes: true\n",
            Check::WriteSettingWithoutProtection => {
                "allow_origins: [https://app.example.com]\nwrite_exempt_paths: [/webhooks/stripe]\n"
            }
            Check::InvalidTenantEntry => "allow_origins: [https://app.example.com, {tenants: Customer Domains}]\n",
            Check::InvalidPolicyName => {
                "policies:\n  app-api: {allow_origins: [https://a.example.com]}\n  app_api: {allow_origins: [https://b.example.com]}\n"
            }
        }
    }
}
