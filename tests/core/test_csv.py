import re
from pathlib import Path

import pytest
from django.conf import settings

from cohort_site.core.csv import csv_response, safe_csv_cell


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ("=1+2", "'=1+2"),
        ("+44 113 496 0000", "'+44 113 496 0000"),
        ("-3", "'-3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=cmd", "'\t=cmd"),
        ("\r=cmd", "'\r=cmd"),
        ("\n=cmd", "'\n=cmd"),
        ("\nA line that starts with a line feed", "'\nA line that starts with a line feed"),
        ("Plain text = fine", "Plain text = fine"),
        ("", ""),
        (None, ""),
        (7, "7"),
    ],
)
def test_safe_csv_cell(value, safe):
    assert safe_csv_cell(value) == safe


def test_csv_response_is_a_utf8_download_with_safe_cells():
    response = csv_response("people.csv", ["Name", "Note"], [["Zoë", "=HYPERLINK()"], [None, 3]])

    assert (response["Content-Type"], response["Content-Disposition"], response.content.decode("utf-8")) == (
        "text/csv; charset=utf-8",
        'attachment; filename="people.csv"',
        "\ufeffName,Note\r\nZoë,'=HYPERLINK()\r\n,3\r\n",
    )


def test_every_export_goes_through_core_csv():
    """One neutraliser and one download for every CSV (three copies had drifted): nothing else writes CSV rows."""
    root = Path(settings.BASE_DIR)
    sources = [
        path
        for folder in ("applications", "cohort_site", "learning", "pairings", "sessions_app")
        for path in (root / folder).rglob("*.py")
        if "migrations" not in path.parts
    ]

    writers = sorted(
        str(path.relative_to(root))
        for path in sources
        if re.search(r"csv\.(writer|DictWriter)\(", path.read_text())
        and path != root / "cohort_site/core/csv.py"
    )

    assert writers == []
