"""Cells that stay text: the OWASP CSV-injection guard, CSV quoted for `,` and `;` readers, and
XLSX cells typed as strings (openpyxl would otherwise store `=...` as a formula)."""

from __future__ import annotations

import csv
import io
import re

import pandas as pd

DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe_cell(value: object) -> object:
    """OWASP CSV-injection guard: text starting with = + - @ tab CR LF gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(DANGEROUS_PREFIXES):
        return "'" + value
    return value


# A separator or line break inside the text, then (after spaces) what starts a formula.
_FRAGMENT = re.compile(r"([;,\t\r\n][ \u00a0]*)([=+\-@])")


def csv_cell(value: object) -> object:
    """A CSV field's text guarded at its start and after every , ; tab or line break inside it:
    a field is protected by its quotes only when the reader's separator is the file's, and
    LibreOffice reading a ","-file with ";" (the French default) starts a new cell at each ";" and
    a new record at each line break (measured: "…;⏎=1234+4321" computed 5555)."""
    value = safe_cell(value)
    return _FRAGMENT.sub(r"\1'\2", value) if isinstance(value, str) else value


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """Every field quoted and guarded (csv_cell); list elements are guarded one by one too. The
    XLSX keeps the text exactly."""
    buf = io.StringIO()
    writer = csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerow([csv_cell(c) for c in frame.columns])
    for row in frame.itertuples(index=False):
        writer.writerow([csv_cell(_flat(v)) for v in row])
    return buf.getvalue().encode("utf-8")


def _flat(value: object) -> object:
    if isinstance(value, (list, tuple, set)):
        return ";".join(str(safe_cell(str(v))) for v in value)
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return value


def xlsx_bytes(sheets: dict[str, pd.DataFrame]) -> bytes:
    """One sheet per table: frozen header row, filters, every text cell typed as a string."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    for name, frame in sheets.items():
        ws = wb.create_sheet(title=name[:31])
        ws.append([str(c) for c in frame.columns])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in frame.itertuples(index=False):
            ws.append([_xlsx_value(v) for v in row])
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, str):
                    # openpyxl would store '=...' as a formula: force a plain string cell.
                    cell.data_type = "s"
                    if cell.value.startswith(DANGEROUS_PREFIXES):
                        cell.quotePrefix = True
        ws.freeze_panes = "A2"
        if frame.shape[1]:
            ws.auto_filter.ref = f"A1:{get_column_letter(frame.shape[1])}{max(1, len(frame) + 1)}"
        for idx, col in enumerate(frame.columns, start=1):
            width = max([len(str(col))] + [len(str(_flat(v))) for v in frame[col].head(200)])
            ws.column_dimensions[get_column_letter(idx)].width = min(60, max(10, width + 2))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _xlsx_value(value: object) -> object:
    value = _flat(value)
    if isinstance(value, (bool, int, float, str)):
        return value
    return str(value)
