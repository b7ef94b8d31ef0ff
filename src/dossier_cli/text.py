"""Normalising names so that matching and sorting work alike for Cyrillic and Latin.

SQLite's own `lower()` and `LIKE` fold ASCII only, so dossier never relies on them:
each name is stored with a key computed here, and matching compares keys.
"""

from __future__ import annotations

from dossier_cli.i18n import _

import re
import unicodedata

# Legal-form words ignored when deciding whether two company names are the same firm.
LEGAL_FORMS: tuple[str, ...] = (
    "ооо", "оао", "зао", "пао", "ао", "нао", "ип", "чп", "тоо", "нко", "ано", "гуп", "муп", "фгуп",
    "llc", "l.l.c.", "ltd", "ltd.", "limited", "inc", "inc.", "incorporated", "corp", "corp.",
    "corporation", "jsc", "ojsc", "cjsc", "pjsc", "plc", "gmbh", "ag", "co", "co.", "company", "llp", "lp",
    "s.a.", "sa", "srl", "bv", "oy", "ab",
)
_LEGAL_FORM_SET = frozenset(LEGAL_FORMS)
_QUOTES = "«»\"'“”„‟‘’‚‛`´"
# A word of a company name: what white space, quotes and punctuation separate.
_NAME_WORD = re.compile("[^\\s" + re.escape(_QUOTES + ",;:()[]{}/\\|!?") + "]+")


def fold(text: str) -> str:
    """Case-fold for matching: Unicode case-folding, NFC, `ё`→`е`, single spaces."""
    text = unicodedata.normalize("NFC", text).casefold().replace("ё", "е")
    return " ".join(text.split())


_QUOTES_TO_SPACE = str.maketrans({ch: " " for ch in _QUOTES})


def strip_quotes(text: str) -> str:
    return text.translate(_QUOTES_TO_SPACE)


def company_key(name: str) -> str:
    """The key that two spellings of one firm share.

    `ООО «Ромашка»`, `Ромашка ООО` and `"РОМАШКА"` all give `ромашка`.
    """
    return _key_of_folded(fold(name))


def company_keys(name: str) -> tuple[str, str]:
    """`company_key(name)` and `fold(name)` (a company's name_key and search_key), folding once."""
    folded = fold(name)
    return _key_of_folded(folded), folded


def _key_of_folded(folded: str) -> str:
    words = _NAME_WORD.findall(folded)
    kept = [word.strip(".-") for word in words if word not in _LEGAL_FORM_SET and word.strip(".") not in _LEGAL_FORM_SET]
    kept = [word for word in kept if word]
    if not kept:  # a name made only of legal-form words is still a name
        kept = [word.strip(".-") for word in words if word.strip(".-")]
    return " ".join(kept)


def legal_form_of(name: str) -> str | None:
    """The legal-form word found in a name, as written (`ООО`, `LLC`, …), if any."""
    for word in _NAME_WORD.findall(name):
        folded = word.casefold().strip(".")
        if folded in _LEGAL_FORM_SET or f"{folded}." in _LEGAL_FORM_SET:
            return word
    return None


def person_key(name: str) -> str:
    return fold(strip_quotes(name))


def like_pattern(fragment: str) -> str:
    """A LIKE pattern matching `fragment` anywhere, with its own % and _ taken literally."""
    escaped = fragment.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def check_text(value: str, *, field: str, max_length: int = 10_000) -> str:
    """Refuse control characters and absurdly long values in a user-supplied text field."""
    from dossier_cli.errors import InvalidInput

    if len(value) > max_length:
        raise InvalidInput(_("{field} is too long ({n} characters; at most {max_length})").format(field=_(field), n=len(value), max_length=max_length))
    if "\x00" in value:
        raise InvalidInput(_("{field} contains a NUL character; remove it").format(field=_(field)))
    return value


# Invisible characters that change how a name displays without being seen: bidirectional
# embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069), directional marks,
# zero-width spaces and joiners (U+200B-U+200F), word joiners (U+2060-U+2064) and the
# byte-order mark. A name holding U+202E could show as something else entirely.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def visible_name(value: str) -> str:
    """A name without the invisible characters that could make it display as another."""
    return _INVISIBLE.sub("", value)  # a regular expression: str.translate is slow on Cyrillic


MAX_RECORD_ID = 2**31 - 1  # ids are 32-bit integers on PostgreSQL


def as_record_id(ref: str) -> int | None:
    """The record id a reference names (`12`, `#12`), or None when it cannot be one.

    A 10-digit INN or an 11-digit phone is not an id, however many digits it has.
    """
    text = ref.strip().lstrip("#")
    if text.isascii() and text.isdigit() and len(text) <= 10 and 0 < int(text) <= MAX_RECORD_ID:
        return int(text)
    return None
