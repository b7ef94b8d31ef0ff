"""YAML or JSON a person writes (the config file, a plan, a dossier template, dossier answers):
read as UTF-8, parsed safely, checked by a pydantic model that forbids unknown keys, and any fault turned
into one readable error naming the file, the line and the key.

    raw = parse_yaml(text, source="config file /home/anna/.config/dossier/config.yaml")
    model = validate(ConfigFile, raw, source=..., text=text)
    # ConfigError: config file …/config.yaml, line 3: key 'colour': unknown key
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from dossier_cli.errors import DossierError, InvalidInput

Model = TypeVar("Model")
Location = tuple[Any, ...]


def read_text(
    path: Path, *, source: str | None = None, error: type[DossierError] = InvalidInput, hint: str | None = None
) -> str:
    """A UTF-8 text file's content; a missing, unreadable or wrongly encoded file is one error
    naming it (`source`, default the path). `hint` goes with the missing-file error."""
    source = source or str(path)
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise error(f"{source}: no such file", hint=hint) from None
    except IsADirectoryError:
        raise error(f"{source}: a folder, not a file") from None
    except UnicodeDecodeError:
        raise error(f"{source}: not valid UTF-8; save it as UTF-8") from None
    except OSError as exc:
        raise error(f"{source}: cannot read it ({exc.strerror})") from None


def parse_yaml(
    text: str, *, source: str, what: str = "YAML", error: type[DossierError] = InvalidInput, hint: str | None = None
) -> Any:
    """The document's data (JSON is YAML too); a syntax error names the line and the problem."""
    import yaml

    try:
        # libyaml's safe loader when PyYAML has it: the same data, ten times faster.
        return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None)
        raise error(f"{source}{where}: not valid {what}{': ' + problem if problem else ''}", hint=hint) from None


def validate(
    model: type[Model],
    raw: Any,
    *,
    source: str,
    text: str | None = None,
    error: type[DossierError] = InvalidInput,
    hint: str | None = None,
    place: Callable[[Location], str] | None = None,
    unknown: Callable[[Location], str] | None = None,
) -> Model:
    """`raw` checked by the pydantic `model`; the first fault as one error:
    `{source}, line N: {place}: {message}`. `place` names where the fault is (default:
    key 'a.b'); `unknown` words the message for a key the model does not know."""
    from pydantic import ValidationError

    try:
        return model.model_validate(raw)  # type: ignore[attr-defined,no-any-return]
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = tuple(first["loc"])
        if first["type"] == "extra_forbidden":
            message = unknown(loc) if unknown else f"unknown key '{loc[-1]}'"
        elif first["type"] == "missing":
            message = f"'{loc[-1]}' is missing"
        else:
            message = str(first["msg"]).removeprefix("Value error, ")
            message = message[:1].lower() + message[1:]
        where = place(loc) if place else f"key '{dotted_key(loc)}'"
        line = line_of(text, loc) if text is not None else None
        raise error(f"{source}{f', line {line}' if line else ''}: {where}: {message}", hint=hint) from None


def dotted_key(loc: Location) -> str:
    """('goals', 'calls') -> 'goals.calls'; ('parts', 0, 'key') -> 'parts[0].key'."""
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".") or "(top level)"


def line_of(text: str, loc: Location) -> int | None:
    """The line (from 1) of the deepest key or item of `loc` present in the YAML text."""
    import yaml

    try:
        node = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return None
    line = None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            pair = next(((k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == str(part)), None)
            if pair is None:
                break
            line, node = pair[0].start_mark.line + 1, pair[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            break
    if line is None and node is not None:
        line = node.start_mark.line + 1
    return line
