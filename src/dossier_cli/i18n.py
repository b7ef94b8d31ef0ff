"""Translation of what a person reads (gettext). `_` marks and translates a message.

A placeholder until the Russian catalog lands: every module may already write
`from dossier_cli.i18n import _` and wrap new user-facing strings in `_()`.
Never translate JSON/CSV keys, command or option names.
"""

from __future__ import annotations


def _(message: str) -> str:
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    return singular if n == 1 else plural
