"""Printable pages: the manager's report and the prospect dossier, from jinja2 templates.

`render.py` holds the template environment (autoescaping on, `_()` for the reader's
language), `charts.py` the geometry of the inline SVG charts, `manager.py` gathers the
report's numbers from the same domain functions whose JSON the commands print.
"""
