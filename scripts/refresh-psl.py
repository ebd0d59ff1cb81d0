#!/usr/bin/env python3
"""Refreshes cors-policy/data/public_suffix_list.dat, the Public Suffix List the compiler reasons over.

Usage: scripts/refresh-psl.py SOURCE [VERSION]

SOURCE is either the upstream `public_suffix_list.dat` (comments, ICANN and PRIVATE sections) or
the `data/rules.txt` of a `psl` crate package (one rule per line). Both sections are kept: the
private section is what makes `*.github.io` or `*.s3.amazonaws.com` public suffixes. Comments are
dropped and unicode rules are converted to their punycode (`xn--`) form, because browsers send
hosts in that form and the compiler compares ASCII labels. VERSION (for instance
`psl 2.1.247`) is written into the header line that SECURITY.md and `cors-policy trust` quote.
After running it, run `cargo test -p cors-policy psl` and update SECURITY.md's version line.
"""
import sys


def ascii_rule(rule: str) -> str:
    labels = []
    for label in rule.lower().split("."):
        prefix = ""
        if label.startswith("!"):
            prefix, label = "!", label[1:]
        if label.isascii():
            labels.append(prefix + label)
        else:
            labels.append(prefix + "xn--" + label.encode("punycode").decode("ascii"))
    return ".".join(labels)


def main() -> None:
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    source, version = sys.argv[1], (sys.argv[2] if len(sys.argv) == 3 else "unknown")
    rules = []
    seen = set()
    with open(source, encoding="utf-8") as f:
        for line in f:
            rule = line.split()[0] if line.split() else ""
            if not rule or rule.startswith("//"):
                continue
            rule = ascii_rule(rule)
            if rule not in seen:
                seen.add(rule)
                rules.append(rule)
    out = "cors-policy/data/public_suffix_list.dat"
    with open(out, "w", encoding="ascii") as f:
        f.write(f"// Public Suffix List ({version}), ICANN and private sections, punycode; MPL-2.0, https://publicsuffix.org\n")
        f.write("\n".join(rules) + "\n")
    print(f"{out}: {len(rules)} rules")


if __name__ == "__main__":
    main()
