"""Names for completion: the companies and people whose name holds what was typed.

A company or person is named on the command line by any unique part of its name,
case-insensitively for Cyrillic as for Latin (see `find_company`, `find_person`); these
return the full names such a part matches, so that an interactive session can offer them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dossier_cli.text import fold, like_pattern, person_key

if TYPE_CHECKING:
    from sqlmodel import Session


def company_names(session: Session, fragment: str, *, limit: int = 50) -> list[str]:
    """Active and liquidated companies whose name holds `fragment` (any case, ё as е), by name."""
    from sqlmodel import select

    from dossier_cli.models import Company

    query = select(Company.name)
    folded = fold(fragment)
    if folded:
        query = query.where(Company.search_key.like(like_pattern(folded), escape="\\"))  # type: ignore[union-attr]
    rows = session.exec(query.order_by(Company.name_key, Company.id).limit(limit)).all()
    return list(rows)


def person_names(session: Session, fragment: str, *, limit: int = 50) -> list[str]:
    """People whose name holds `fragment` (any case, ё as е), by name."""
    from sqlmodel import select

    from dossier_cli.models import Person

    query = select(Person.name)
    key = person_key(fragment)
    if key:
        query = query.where(Person.name_key.like(like_pattern(key), escape="\\"))  # type: ignore[union-attr]
    rows = session.exec(query.order_by(Person.name_key, Person.id).limit(limit)).all()
    return list(rows)
