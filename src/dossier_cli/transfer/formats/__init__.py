"""One module per file format that is not plain text rows: spreadsheets (xlsx, xls, ods),
1C bank statements, vCard. Each reader yields the row source of `transfer.reading`; each
writer takes the flat export records. Their libraries load only when such a file is used."""

from __future__ import annotations

SPREADSHEET_SUFFIXES: tuple[str, ...] = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")
VCARD_SUFFIXES: tuple[str, ...] = (".vcf", ".vcard")


def kind_of(name: str) -> str | None:
    """`spreadsheet`, `vcard` or None (a text table) from a file's name."""
    lowered = name.lower()
    if lowered.endswith(SPREADSHEET_SUFFIXES):
        return "spreadsheet"
    if lowered.endswith(VCARD_SUFFIXES):
        return "vcard"
    return None

