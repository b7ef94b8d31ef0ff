"""Translation of what a person reads (gettext). `_` marks and translates a message.

Every user-facing string is wrapped: `_("Added {name}").format(name=…)`; plurals use
`ngettext`. JSON/CSV keys, command names, option names and exit codes are never translated:
scripts must not break when the language changes.

The catalogs live in `locale/<lang>/LC_MESSAGES/dossier.po` and are compiled to the `.mo`
next to them (shipped with the package; `scripts/i18n.sh` extracts, updates and compiles).

The language, highest first (as for every setting):
  DOSSIER_LANG  >  `language:` in the config file  >  the locale (LC_ALL, LC_MESSAGES, LANG
  starting with `ru`)  >  English.
It is worked out on the first translated message, cheaply: the config file is parsed only
when it mentions `language`, and English loads no catalog at all.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

DOMAIN = "dossier"
LANGUAGES: tuple[str, ...] = ("en", "ru")
LOCALE_DIR = Path(__file__).parent / "locale"

_translation: Any = None
_language: str | None = None


def normalise_language(value: str) -> str | None:
    """'ru', 'RU', 'ru_RU.UTF-8', 'ru-RU' -> 'ru'; an unknown language -> None."""
    head = value.strip().lower().replace("-", "_").split(".")[0].split("@")[0].split("_")[0]
    return head if head in LANGUAGES else None


def locale_language() -> tuple[str, str] | None:
    """The language of the user's locale, if Russian, with where it was read."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value:
            # The first set variable decides, as the C library does.
            if normalise_language(value) == "ru":
                return "ru", f"locale {name}={value}"
            return None
    return None


def resolve_language(config_value: str | None, config_origin: str) -> tuple[str, str]:
    """The language in force and where it came from, given the config file's value."""
    env = os.environ.get("DOSSIER_LANG", "")
    if env and normalise_language(env):
        return normalise_language(env) or "en", "environment DOSSIER_LANG"
    if config_value:
        return config_value, config_origin
    found = locale_language()
    if found:
        return found
    return "en", "default"


def _config_language() -> tuple[str | None, str]:
    """`language:` from the config file, read only if the file mentions it (no error here:
    a broken config file is reported by the command that loads the settings)."""
    from dossier_cli.paths import config_path

    path = config_path()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None, ""
    if "language" not in text:
        return None, ""
    import yaml

    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError:
        return None, ""
    value = raw.get("language") if isinstance(raw, dict) else None
    if isinstance(value, str) and value in LANGUAGES:
        return value, f"config file {path}"
    return None, ""


def language() -> str:
    """The display language: 'en' or 'ru'."""
    global _language
    if _language is None:
        if os.environ.get("DOSSIER_LANG") and normalise_language(os.environ["DOSSIER_LANG"]):
            _language = normalise_language(os.environ["DOSSIER_LANG"]) or "en"
        else:
            _language, _origin = resolve_language(*_config_language())
    return _language


def _catalog() -> Any:
    global _translation
    if _translation is None:
        import gettext

        lang = language()
        if lang == "en":
            _translation = gettext.NullTranslations()
        else:
            _translation = gettext.translation(DOMAIN, localedir=str(LOCALE_DIR), languages=[lang], fallback=True)
    return _translation


def _(message: str) -> str:
    """Translate a message into the display language (the message itself in English)."""
    if not message:
        return message
    return _catalog().gettext(message)


def N_(message: str) -> str:
    """Mark a message for the catalog without translating it yet (translate it with `_` where shown)."""
    return message


def pgettext(context: str, message: str) -> str:
    """Translate a message that reads differently by context ("name" of a person: «имя», not «название»)."""
    return _catalog().pgettext(context, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for n, by the display language's plural rules."""
    return _catalog().ngettext(singular, plural, n)


def set_language(value: str | None) -> None:
    """Force the display language (None: work it out again on the next message)."""
    global _language, _translation
    _language = value
    _translation = None


def reset() -> None:
    """Forget the language worked out so far (a new run in the same process: tests)."""
    set_language(None)


def help_text(text: str) -> str:
    """A help text translated paragraph by paragraph (the first paragraph is the summary that
    `dossier --help` lists, so it is one message shared by the list and the command's help)."""
    if not text or language() == "en":
        return text
    from inspect import cleandoc

    return "\n\n".join(_(paragraph) for paragraph in cleandoc(text).split("\n\n"))
