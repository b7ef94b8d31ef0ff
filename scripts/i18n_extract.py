"""Babel extraction for dossier (development only): `_()`/`ngettext()` calls as usual, plus the
help texts Typer shows, which are translated at run time (dossier_cli.i18n.help_text):

- the docstrings of command functions in cli/ (decorated with `.command()`/`.callback()`, or
  named in cli/app.py's COMMANDS table), one message per paragraph;
- `help="…"` string arguments and `new_app("…")` help texts in cli/, one message per paragraph.

Used by scripts/i18n.sh (through babel.cfg) and by tests/test_i18n.py.
"""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path
from typing import Any, Iterator

KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}


def _paragraphs(text: str) -> list[str]:
    return [p for p in inspect.cleandoc(text).split("\n\n") if p.strip()]


def _command_names(cli_dir: Path, module: str) -> set[str]:
    app = cli_dir / "app.py"
    if not app.is_file():
        return set()
    specs = re.findall(r'"dossier_cli\.cli\.(\w+):(\w+)"', app.read_text(encoding="utf-8"))
    return {attr for mod, attr in specs if mod == module}


def _is_command(node: ast.FunctionDef, listed: set[str]) -> bool:
    if node.name in listed:
        return True
    for decorator in node.decorator_list:
        call = decorator.func if isinstance(decorator, ast.Call) else decorator
        if isinstance(call, ast.Attribute) and call.attr in ("command", "callback"):
            return True
    return False


def help_messages(source: str, path: Path) -> Iterator[tuple[int, str]]:
    """(line, message) for every help paragraph of a cli/ module."""
    tree = ast.parse(source)
    listed = _command_names(path.parent, path.stem)
    for node in ast.walk(tree):  # `app.command("rate", …)(rate)`: a command registered by a call
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Call) and isinstance(node.func.func, ast.Attribute)
                and node.func.func.attr == "command" and node.args and isinstance(node.args[0], ast.Name)):
            listed.add(node.args[0].id)
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and _is_command(node, listed):
            doc = ast.get_docstring(node, clean=True)
            if doc:
                for paragraph in _paragraphs(doc):
                    yield node.body[0].lineno, paragraph
        elif isinstance(node, ast.keyword) and node.arg == "help":
            if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
                for paragraph in _paragraphs(node.value.value):
                    yield node.value.lineno, paragraph
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("new_app", "help_text"):
            if node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                for paragraph in _paragraphs(node.args[0].value):
                    yield node.args[0].lineno, paragraph
        elif isinstance(node, ast.Dict) and any(
            isinstance(v, ast.Tuple) and len(v.elts) == 2 for v in node.values
        ) and path.name == "app.py":
            # COMMANDS: name -> ("module:attr", summary); the summary is the docstring's first paragraph
            for value in node.values:
                if isinstance(value, ast.Tuple) and len(value.elts) == 2 and isinstance(value.elts[1], ast.Constant):
                    yield value.elts[1].lineno, value.elts[1].value


def extract(fileobj: Any, keywords: Any, comment_tags: Any, options: Any) -> Iterator[tuple[int, Any, Any, list[str]]]:
    """A Babel extraction method (see babel.cfg)."""
    import io

    from babel.messages.extract import extract_python

    data = fileobj.read()
    yield from extract_python(io.BytesIO(data), keywords, comment_tags, options)
    path = Path(getattr(fileobj, "name", ""))
    if path.parent.name == "cli":
        for line, message in help_messages(data.decode("utf-8"), path):
            yield line, None, message, []


def messages(package: Path) -> dict[str, str]:
    """Every message id in the package -> where it is first used (`file:line`)."""
    found: dict[str, str] = {}
    for path in sorted(package.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        with path.open("rb") as handle:
            items = list(extract(_Named(handle.read(), path), KEYWORDS, [], {}))
        for line, _func, message, _comments in items:
            msgid = message[0] if isinstance(message, tuple) else message  # a plural is filed under its singular
            if msgid:
                found.setdefault(msgid, f"{path.relative_to(package)}:{line}")
    # The printable pages' templates (reports/templates): `_()` calls, as jinja2 reads them.
    from jinja2.ext import babel_extract

    for path in sorted(package.rglob("*.j2")):
        with path.open("rb") as handle:
            for line, _func, message, _comments in babel_extract(handle, tuple(KEYWORDS), [], {}):
                msgid = message[0] if isinstance(message, tuple) else message
                if msgid:
                    found.setdefault(msgid, f"{path.relative_to(package)}:{line}")
    return found


class _Named:
    def __init__(self, data: bytes, path: Path) -> None:
        self._data, self.name = data, str(path)

    def read(self) -> bytes:
        return self._data
