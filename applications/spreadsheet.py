"""Values made safe for spreadsheets. Pure: no Django imports.

A cell that starts with =, +, -, @, a tab or a carriage return is read by Excel, LibreOffice and Google Sheets
as a formula, so text typed by the public could run one on the manager's machine (CSV/formula injection,
OWASP). Such a value is prefixed with a single quote, which spreadsheets show as text.
"""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def spreadsheet_safe(value: object) -> str:
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text
