import pytest

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
