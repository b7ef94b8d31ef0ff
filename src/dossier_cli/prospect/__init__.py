"""The prospect dossier: its template, completeness, filling, gifts and the printable form."""
