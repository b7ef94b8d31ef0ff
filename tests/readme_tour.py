"""The README's shell blocks as commands to run: extraction and running, shared by the README tests.

Conventions (stated in README "Development"):
- Blocks fenced ```sh are run, in order, in one fresh home; blocks fenced ```bash (or
  without a language) are shown only: installing, a server of your own, benchmarks.
- A line continued with `\\` is one command; so is a here-document (`<<'END'` … `END`).
- A command exits 0 unless its comment says otherwise: `# exits 3` (anywhere in the
  comment, e.g. `dossier show company Нетакой   # exits 3: not found`).
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass

_FENCE = re.compile(r"^```(\S*)\s*$")
_EXITS = re.compile(r"#.*\bexits (\d+)")
_HEREDOC = re.compile(r"<<-?\s*(['\"]?)([A-Za-z_][A-Za-z0-9_]*)\1")
# Shell syntax that needs a real shell: pipes, lists, redirections, expansions, subshells.
_SHELL_SYNTAX = re.compile(r"[|&;<>()$`*?~]|^\w+=")


@dataclass(frozen=True)
class Command:
    line: int  # the README line it starts on
    text: str  # as a shell would read it (continuations joined, a here-document included)
    exits: int  # the exit code it must end with

    def words(self) -> list[str] | None:
        """The words of a plain `dossier …` command, or None when it needs a real shell."""
        text = self.text.replace("\\\n", " ")  # a continued line, as sh reads it
        try:
            words = shlex.split(text, comments=True)
        except ValueError:
            return None
        if not words or words[0] != "dossier" or _SHELL_SYNTAX.search(_quoted_free(text)):
            return None
        return words[1:]


def _quoted_free(text: str) -> str:
    """The text with quoted parts and the trailing comment removed (to look for shell syntax)."""
    out: list[str] = []
    quote: str | None = None
    previous = " "
    for ch in text:
        if quote:
            if ch == quote:
                quote = None
        elif ch in "\"'":
            quote = ch
        elif ch == "#" and previous.isspace():
            break
        else:
            out.append(ch)
        previous = ch
    return "".join(out)


def sh_blocks(markdown: str, *, language: str = "sh") -> list[list[Command]]:
    """The commands of each ```sh block of a Markdown text, in order."""
    blocks: list[list[Command]] = []
    lines = markdown.splitlines()
    i = 0
    while i < len(lines):
        fence = _FENCE.match(lines[i])
        if not fence:
            i += 1
            continue
        body_start = i + 1
        j = body_start
        while j < len(lines) and not lines[j].startswith("```"):
            j += 1
        if fence.group(1) == language:
            blocks.append(_commands(lines[body_start:j], first_line=body_start + 1))
        i = j + 1
    return blocks


def _commands(lines: list[str], *, first_line: int) -> list[Command]:
    commands: list[Command] = []
    i = 0
    while i < len(lines):
        start = i
        text = lines[i]
        stripped = text.strip()
        if not stripped or stripped.startswith("#"):
            i += 1
            continue
        parts = [text]
        while parts[-1].endswith("\\") and i + 1 < len(lines):
            i += 1
            parts.append(lines[i])
        joined = "\n".join(parts)
        heredoc = _HEREDOC.search(joined)
        if heredoc:
            end = heredoc.group(2)
            while i + 1 < len(lines):
                i += 1
                parts.append(lines[i])
                if lines[i].strip() == end:
                    break
            joined = "\n".join(parts)
        # The expected exit code is in the comment of the command's first or last line.
        found = _EXITS.search(parts[-1]) or _EXITS.search(parts[0])
        commands.append(Command(line=first_line + start, text=joined, exits=int(found.group(1)) if found else 0))
        i += 1
    return commands
