"""Our stylesheets are plain CSS: every rule is closed before the next begins.

An unclosed block does not break the file in a modern browser: CSS nesting turns every later rule into a
descendant of the open one, so they silently stop applying (the learning charts lost their colours this way).
"""

import re
from pathlib import Path

import pytest
from django.conf import settings

STYLESHEETS = sorted((Path(settings.BASE_DIR) / "static" / "css").glob("*.css"))


def rules_opened_inside_rules(css: str) -> list[str]:
    """Selectors of blocks opened inside a style rule (inside @media and the like is fine)."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    stack: list[str] = []
    nested = []
    start = 0
    for index, char in enumerate(css):
        if char == "{":
            prelude = css[start:index].strip()
            if stack and not stack[-1].startswith("@"):
                nested.append(f"{prelude} (inside {stack[-1]})")
            stack.append(prelude)
            start = index + 1
        elif char in "};":
            if char == "}":
                assert stack, "a closing brace without an opening one"
                stack.pop()
            start = index + 1
    assert stack == [], f"unclosed: {stack}"
    return nested


@pytest.mark.parametrize("path", STYLESHEETS, ids=lambda p: p.name)
def test_no_rule_is_left_open(path):
    assert rules_opened_inside_rules(path.read_text()) == []


def test_the_check_finds_an_unclosed_rule():
    assert rules_opened_inside_rules(".a {\n  color: red;\n\n.b {\n  color: blue;\n}\n}\n") == [
        ".b (inside .a)"
    ]
