"""The one CSV writer of the portal: every export, template and upload report.

A spreadsheet reads a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a
formula (``=HYPERLINK(…)`` sent as a live room's name would become a live link
in a regulator's spreadsheet), and a leading tab or carriage return can hide
one. Such a text cell is written with a single quote before it (OWASP, "CSV
Injection"): the spreadsheet then shows the text as it was sent. Numbers are
written as they are, so a negative figure stays a number.
"""

import csv

# So that spreadsheet programs read the file as UTF-8.
BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """``value`` as a spreadsheet will show it, never as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _Echo:
    """A file that hands back what is written: each row as a string, to stream."""

    def write(self, value):
        return value


class Writer:
    """``csv.writer`` with every cell neutralised. Without ``out``, ``writerow``
    returns the line, for ``StreamingHttpResponse``."""

    def __init__(self, out=None, **fmtparams):
        self._writer = csv.writer(_Echo() if out is None else out, **fmtparams)

    def writerow(self, row):
        return self._writer.writerow([neutralise(cell) for cell in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)
