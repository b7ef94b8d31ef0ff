"""Names for completion: the companies and people whose name holds what was typed.

A company or person is named on the command line by any unique part of its name,
case-insensitively for Cyrillic as for Latin (see `find_company`, `find_person`); these
return the full names such a part matches, so that an interactive session can offer them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dossier_cli.text import fold, like_pattern, person_key

if TYPE_CHECKING:
    from sqlmodel import Session


def company_names(session: Session, fragment: str, *, limit: int = 50) -> list[str]:
    """Active and liquidated companies whose name holds `fragment` (any case, ё as е), by name."""
    from dossier_cli.models import Company

    return _names(session, Company, Company.search_key, fold(fragment), limit)


def person_names(session: Session, fragment: str, *, limit: int = 50) -> list[str]:
    """People whose name holds `fragment` (any case, ё as е), by name."""
    from dossier_cli.models import Person

    return _names(session, Person, Person.name_key, person_key(fragment), limit)


def _names(session: Session, model: Any, key_column: Any, key: str, limit: int) -> list[str]:
    """The names of `model` whose `key_column` holds `key` (all of them for an empty key), by name."""
    from sqlmodel import select

    query = select(model.name)
    if key:
        query = query.where(key_column.like(like_pattern(key), escape="\\"))
    return list(session.exec(query.order_by(model.name_key, model.id).limit(limit)).all())
