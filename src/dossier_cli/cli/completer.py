"""Tab completion in `dossier shell`: commands, options, choices, and company and person names.

Names complete from any part of the name, as the commands accept them (`зей` offers
`ООО «Зейская»`), and are inserted quoted when they need it. The words of the line are
read as the shell reads them (see session.split_line), an open quote included.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from prompt_toolkit.completion import CompleteEvent, Completer, Completion
from prompt_toolkit.document import Document

from dossier_cli.cli.session import LEAVE, SESSION_COMMANDS, root_command
from dossier_cli.i18n import _

META_COMMANDS = (".help", ".db", ".timer", ".quit", ".exit")
_NAME_OPTIONS = {"--company": "company", "--person": "person", "--owner": "person"}


def partial_words(text: str) -> tuple[list[str], str, int]:
    """The finished words of a line being typed, the word under the cursor, and where it starts.

    Quotes and backslashes work as in a POSIX shell; an unclosed quote is the current word.
    """
    words: list[str] = []
    current: list[str] = []
    start = 0
    in_word = False
    quote: str | None = None
    i = 0
    while i < len(text):
        ch = text[i]
        if quote:
            if ch == quote:
                quote = None
            elif ch == "\\" and quote == '"' and i + 1 < len(text) and text[i + 1] in '"\\':
                i += 1
                current.append(text[i])
            else:
                current.append(ch)
        elif ch.isspace():
            if in_word:
                words.append("".join(current))
                current, in_word = [], False
        else:
            if not in_word:
                in_word, start = True, i
            if ch in "\"'":
                quote = ch
            elif ch == "\\" and i + 1 < len(text):
                i += 1
                current.append(text[i])
            else:
                current.append(ch)
        i += 1
    if not in_word:
        return words, "", len(text)
    return words, "".join(current), start


def quoted(name: str) -> str:
    """A name as it must be typed to stay one word."""
    if name and all(ch.isalnum() or ch in "-_.@+#" for ch in name):
        return name
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _kind(param: Any) -> str | None:
    """'company' or 'person' when a parameter names one, else None."""
    name = (param.name or "").lower()
    help_text = (getattr(param, "help", None) or "").lower()
    if name == "company" or help_text.startswith("the company"):
        return "company"
    if name in ("person", "owner") or help_text.startswith("the person"):
        return "person"
    return None


def _choices(param: Any) -> list[str]:
    """The values an option of an Enum type takes (`--format`: table, json, csv)."""
    from enum import Enum

    annotation = getattr(getattr(param, "type_descriptor", None), "annotation", None)
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return [str(member.value) for member in annotation]
    return []


class DossierCompleter(Completer):
    """Completes a dossier command line; `names(kind, fragment)` lists matching names."""

    def __init__(self, names: Any) -> None:
        self.names = names

    def get_completions(self, document: Document, complete_event: CompleteEvent) -> Iterator[Completion]:
        words, current, start = partial_words(document.text_before_cursor)
        if words and words[0] == "dossier":
            words = words[1:]
        replace = start - len(document.text_before_cursor)
        for text, meta in self.candidates(words, current):
            yield Completion(text, start_position=replace, display=text if meta else None, display_meta=meta)

    def candidates(self, words: list[str], current: str) -> Iterator[tuple[str, str]]:
        if not words and current.startswith((".", "\\")):
            names = dict.fromkeys((*META_COMMANDS, *sorted(LEAVE), "\\?", "\\c", "\\timing"))
            yield from ((m, "") for m in names if m.startswith(current))
            return
        command, rest = self._resolve(words)
        if command is None:
            return
        if hasattr(command, "list_commands") and not rest:
            for name in sorted(command.list_commands(None)):
                if name.startswith(current) and (words or name not in SESSION_COMMANDS):
                    yield name, ""
            return
        params = list(getattr(command, "params", []))
        options = [p for p in params if p.param_type_name == "option"]
        if current.startswith("-"):
            names = sorted({opt for p in options for opt in (*p.opts, *p.secondary_opts)} | {"--help"})
            yield from ((name, "") for name in names if name.startswith(current))
            return
        param = self._param_at(params, options, rest)
        if param is None:
            return
        choices = _choices(param)
        if choices:
            yield from ((c, "") for c in choices if c.casefold().startswith(current.casefold()))
            return
        kind = _NAME_OPTIONS.get(rest[-1]) if rest and rest[-1] in _NAME_OPTIONS else _kind(param)
        if kind:
            for name in self.names(kind, current):
                yield quoted(name), _("company") if kind == "company" else _("person")

    def _resolve(self, words: list[str]) -> tuple[Any, list[str]]:
        """The command the words name so far, and the words after it."""
        command = root_command()
        index = 0
        while hasattr(command, "get_command") and index < len(words):
            if words[index].startswith("-"):
                return None, []
            if hasattr(command, "_noun"):  # the root group: which module a verb needs
                command._noun = words[index + 1] if index + 1 < len(words) else None
            try:
                found = command.get_command(None, words[index])
            except Exception:  # noqa: BLE001 - completion must never break the prompt
                return None, []
            if found is None:
                return None, []
            command, index = found, index + 1
        return command, words[index:]

    @staticmethod
    def _param_at(params: list[Any], options: list[Any], rest: list[str]) -> Any:
        """The parameter the next word fills: an option's value, or the next argument."""
        takes_value = {opt: p for p in options if not (p.is_flag or p.count) for opt in p.opts}
        arguments = [p for p in params if p.param_type_name == "argument"]
        position = 0
        i = 0
        while i < len(rest):
            word = rest[i]
            if word in takes_value:
                if i == len(rest) - 1:
                    return takes_value[word]
                i += 2
                continue
            if not word.startswith("-"):
                position += 1
            i += 1
        if position < len(arguments):
            return arguments[position]
        if arguments and arguments[-1].nargs == -1:
            return arguments[-1]
        return None
