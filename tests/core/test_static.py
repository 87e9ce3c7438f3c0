from pathlib import Path

import pytest
from django.conf import settings

STYLESHEETS = sorted((Path(settings.BASE_DIR) / "static" / "css").glob("*.css"))


@pytest.mark.parametrize("stylesheet", STYLESHEETS, ids=lambda path: path.name)
def test_every_rule_in_our_stylesheets_is_closed(stylesheet):
    """An unclosed block silently swallows every rule after it (it once blacked out every chart)."""
    depth, unclosed_at = 0, []
    for number, line in enumerate(stylesheet.read_text().splitlines(), start=1):
        for character in line:
            if character == "{":
                depth += 1
                if depth > 1 and not any(t in line for t in ("@media", "@supports")):
                    unclosed_at.append(number)
            elif character == "}":
                depth -= 1
    assert (depth, unclosed_at) == (0, [])
