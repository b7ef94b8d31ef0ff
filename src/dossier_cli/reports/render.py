"""The jinja2 environment of the printable pages: autoescaping on, `_()` in the reader's language.

The templates are package data (`dossier_cli/reports/templates`). Every value a template
writes is escaped unless the template says otherwise, so user text (a company called
`<b>Ромашка</b>`) is printed as text, never as markup.
"""

from __future__ import annotations

from typing import Any

_ENVIRONMENT: Any = None


def environment() -> Any:
    global _ENVIRONMENT
    if _ENVIRONMENT is None:
        from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

        from dossier_cli.i18n import _, ngettext

        env = Environment(
            loader=PackageLoader("dossier_cli.reports", "templates"),
            autoescape=select_autoescape(enabled_extensions=("html", "j2", "svg"), default=True),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        env.globals.update(_=_, ngettext=ngettext)
        env.filters["num"] = _number
        env.filters["stage"] = _stage
        _ENVIRONMENT = env
    return _ENVIRONMENT


def _number(value: Any) -> str:
    """A figure for reading: thousands spaced (a narrow no-break space), `—` for none."""
    if value is None:
        return "—"
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            return value
    if isinstance(value, float) and not value.is_integer():
        whole, _, fraction = f"{value:,.2f}".partition(".")
        return whole.replace(",", "\u202f") + "." + fraction
    return f"{int(value):,}".replace(",", "\u202f")


def _stage(value: str) -> str:
    """A stage as the reader's language names it (a stage of the user's own as written)."""
    from dossier_cli import vocab

    return vocab.STAGES.label(value)


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)
