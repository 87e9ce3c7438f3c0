"""CSV exports that a spreadsheet opens safely."""

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_csv_cell(value) -> str:
    """Text a spreadsheet would run as a formula (=, +, -, @ at the start) is prefixed with a quote (OWASP)."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def safe_csv_row(values) -> list[str]:
    return [safe_csv_cell(value) for value in values]
