"""Bootstrap's CSS trimmed to what our pages can use: `make css` (issue 24, bytes on a first visit).

Reads the full vendored file (assets/vendor/bootstrap/bootstrap.min.css), keeps each rule whose selector names
only classes that appear somewhere in our templates, JavaScript and Python (and crispy-bootstrap5's templates,
which render our forms), and writes static/vendor/bootstrap/bootstrap.min.css, the file the pages link to.

It is deliberately generous: a class counts as used if its name appears anywhere in those files, as a word,
and a class built in a template from a prefix (`alert-{{ level }}`) keeps every class with that prefix.
Classes inside `:not(...)` do not have to be used (`.input-group:not(.has-validation)` still applies). Custom
properties (`:root`), element rules, @font-face and the @keyframes still referred to are kept as they are.
`tests/core/test_trimmed_css.py` fails if the committed output is not what this script makes, or if a class
written in a template or script is missing from it. Standard library only, so CI needs nothing more.
"""

import importlib.util
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "assets" / "vendor" / "bootstrap" / "bootstrap.min.css"
OUTPUT = ROOT / "static" / "vendor" / "bootstrap" / "bootstrap.min.css"
OUR_CODE = ["templates", "static/js", "cohort_site", "applications", "sessions_app", "pairings", "learning"]
SUFFIXES = {".html", ".js", ".py", ".txt"}

WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
# `alert-{{ message.level_tag }}` in a template, f"btn-{kind}" in Python: a class made from a prefix.
BUILT_PREFIX = re.compile(r"([A-Za-z][A-Za-z0-9_-]*-)\{")
SELECTOR_CLASS = re.compile(r"\.(-?[_a-zA-Z][_a-zA-Z0-9-]*)")
ANIMATION_NAME = re.compile(r"@(?:-webkit-)?keyframes\s+([\w-]+)")


def source_files() -> Iterator[Path]:
    for folder in OUR_CODE:
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix in SUFFIXES and "migrations" not in path.parts and path.is_file():
                yield path
    spec = importlib.util.find_spec("crispy_bootstrap5")
    if spec and spec.origin:
        yield from sorted((Path(spec.origin).parent / "templates").rglob("*.html"))


def used_words(paths: Iterable[Path]) -> tuple[set[str], set[str]]:
    """(every word, every prefix a class is built from) in these files."""
    words: set[str] = set()
    prefixes: set[str] = set()
    for path in paths:
        text = path.read_text(encoding="utf-8", errors="replace")
        words.update(WORD.findall(text))
        prefixes.update(BUILT_PREFIX.findall(text))
    return words, prefixes


# --- A small reader for minified CSS: top-level statements and blocks, strings and comments respected -------------


def _skip_string(css: str, i: int) -> int:
    quote = css[i]
    i += 1
    while i < len(css) and css[i] != quote:
        i += 2 if css[i] == "\\" else 1
    return i + 1


def parse(css: str) -> list[tuple[str, str | None]]:
    """[(prelude, body)]: body None for a statement (`@charset "UTF-8";`) or a kept comment (`/*! … */`)."""
    items: list[tuple[str, str | None]] = []
    i, start = 0, 0
    while i < len(css):
        char = css[i]
        if css.startswith("/*", i):
            end = css.index("*/", i) + 2
            between_items = not css[start:i].strip()
            if between_items and css.startswith("/*!", i):
                items.append((css[i:end], None))  # the licence notice stays
            i = end
            if between_items:
                start = i
            continue
        if char in "\"'":
            i = _skip_string(css, i)
            continue
        if char == ";":
            items.append((css[start : i + 1].strip(), None))
            i += 1
            start = i
            continue
        if char == "{":
            depth, j = 1, i + 1
            while depth:
                if css[j] in "\"'":
                    j = _skip_string(css, j)
                    continue
                if css.startswith("/*", j):
                    j = css.index("*/", j) + 2
                    continue
                depth += {"{": 1, "}": -1}.get(css[j], 0)
                j += 1
            items.append((css[start:i].strip(), css[i + 1 : j - 1]))
            i = j
            start = i
            continue
        i += 1
    return items


def split_selectors(prelude: str) -> list[str]:
    """Split a selector list at its top-level commas (not those inside :not(…) or [attr=","])."""
    parts, depth, current, i = [], 0, [], 0
    while i < len(prelude):
        char = prelude[i]
        if char in "\"'":
            end = _skip_string(prelude, i)
            current.append(prelude[i:end])
            i = end
            continue
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        if char == "," and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
        i += 1
    parts.append("".join(current))
    return parts


def _without_negations(selector: str) -> str:
    """The selector with the insides of :not(…), :is(…) and :where(…) taken out."""
    out, i = [], 0
    while i < len(selector):
        match = re.match(r":(not|is|where)\(", selector[i:])
        if match:
            depth, j = 1, i + len(match.group(0))
            while depth and j < len(selector):
                depth += {"(": 1, ")": -1}.get(selector[j], 0)
                j += 1
            i = j
            continue
        out.append(selector[i])
        i += 1
    return "".join(out)


class Trimmer:
    def __init__(self, words: set[str], prefixes: set[str]):
        self.words = words
        self.prefixes = tuple(sorted(prefixes))

    def class_used(self, name: str) -> bool:
        return name in self.words or name.startswith(self.prefixes)

    def selector_used(self, selector: str) -> bool:
        return all(self.class_used(name) for name in SELECTOR_CLASS.findall(_without_negations(selector)))

    def trim(self, css: str) -> str:
        out = []
        for prelude, body in parse(css):
            if body is None:
                out.append(prelude)
            elif prelude.startswith(("@media", "@supports", "@container", "@layer")):
                inner = self.trim(body)
                if inner:
                    out.append(f"{prelude}{{{inner}}}")
            elif prelude.startswith("@"):
                out.append(f"{prelude}{{{body}}}")  # @font-face, @keyframes (pruned below), @page
            else:
                kept = [selector for selector in split_selectors(prelude) if self.selector_used(selector)]
                if kept:
                    out.append(f"{','.join(kept)}{{{body}}}")
        return "".join(out)


def drop_unused_keyframes(css: str) -> str:
    out = []
    for prelude, body in parse(css):
        name = ANIMATION_NAME.match(prelude)
        if name and body is not None:
            rest = css.replace(f"{prelude}{{{body}}}", "")
            if not re.search(rf"animation(?:-name)?:[^;}}]*\b{re.escape(name.group(1))}\b", rest):
                continue
        out.append(prelude if body is None else f"{prelude}{{{body}}}")
    return "".join(out)


def trimmed(source: str, words: set[str], prefixes: set[str]) -> str:
    css = Trimmer(words, prefixes).trim(source)
    return drop_unused_keyframes(css) + "\n"


def build() -> str:
    words, prefixes = used_words(source_files())
    return trimmed(SOURCE.read_text(encoding="utf-8"), words, prefixes)


def main() -> int:
    css = build()
    OUTPUT.write_text(css, encoding="utf-8")
    print(f"{OUTPUT.relative_to(ROOT)}: {len(css):,} bytes (from {SOURCE.stat().st_size:,})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
