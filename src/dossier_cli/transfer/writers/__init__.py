"""One writer per kind of record an import brings in."""
