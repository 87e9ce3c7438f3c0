"""CSV exports that a spreadsheet opens safely.

A cell that starts with =, +, -, @, a tab, a carriage return or a line feed is read by Excel, LibreOffice and
Google Sheets as a formula, so text typed by the public could run one on the manager's machine (CSV/formula
injection, OWASP). Such a value is prefixed with a single quote, which spreadsheets show as text.
"""

import csv

from django.http import HttpResponse

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe_csv_cell(value) -> str:
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def safe_csv_row(values) -> list[str]:
    return [safe_csv_cell(value) for value in values]


def csv_response(filename: str, header: list[str], rows) -> HttpResponse:
    """A CSV download in which every cell is safe to open in a spreadsheet (no formulas from the public)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # so Excel reads UTF-8 (ë, –) correctly
    writer = csv.writer(response)
    writer.writerow(header)
    for row in rows:
        writer.writerow(safe_csv_row(row))
    return response
