"""The command line: Typer wiring, the output renderer and the error boundary.

Nothing here runs SQL or knows business rules; commands parse, call one domain
function, and render what it returns. Domain modules are imported inside the
commands so that `--help` and completion never load the database stack.
"""
