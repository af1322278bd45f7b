"""After the event: the session bundle (ZIP of GEXF, GraphML, CSV, XLSX, PDF, PNG, JSON) at three
privacy levels, and the import that reads its workshop.json back (format documented in README).

One module per job: `cells` (text that stays text), `payload` (workshop.json per level),
`graphs` (Gephi's files), `tables` (tables for people), `pictures` (matplotlib), `bundle` (the
FORMATS table that makes the ZIP and names its files), `transfer` (reading a bundle back).
Every cell that came from user text is neutralised (OWASP: no leading = + - @ tab CR LF in CSV;
XLSX cells typed as strings), and contact labels never leave as plain text below level 'full'.
"""

from __future__ import annotations

from workshop.export.bundle import FORMATS, MEMBERS, Format, bundle, members, write_bundle
from workshop.export.cells import DANGEROUS_PREFIXES, csv_bytes, safe_cell, xlsx_bytes
from workshop.export.payload import FORMAT, FORMAT_VERSION, LEVELS, participant_label, payload
from workshop.export.transfer import import_bundle, read_bundle, validate_payload

__all__ = [
    "DANGEROUS_PREFIXES",
    "FORMAT",
    "FORMATS",
    "FORMAT_VERSION",
    "LEVELS",
    "MEMBERS",
    "Format",
    "bundle",
    "csv_bytes",
    "import_bundle",
    "members",
    "participant_label",
    "payload",
    "read_bundle",
    "safe_cell",
    "validate_payload",
    "write_bundle",
    "xlsx_bytes",
]
