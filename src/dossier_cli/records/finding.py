"""Finding records as the commands name them: a company or person by id, a contact only it has,
its exact name or a unique part of it (`find_company`, `find_person` give the columns and words);
a touch, sale or gift by its number; and who else already holds a name or a tax number."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from dossier_cli.errors import DossierError, InvalidInput
from dossier_cli.text import as_record_id, check_text, like_pattern

if TYPE_CHECKING:
    from sqlmodel import Session


def find_record(
    session: Session,
    model: Any,
    ref: str,
    *,
    field: str,
    empty: str,
    by_contact: Callable[[Session, str], Any],
    exact: Callable[[str], list[tuple[Any, str]]],
    part: Callable[[str], tuple[Any, str]],
    not_found: Callable[[str], DossierError],
    several: Callable[[str, list[str], str], DossierError],
) -> Any:
    """The one record of `model` that `ref` names, tried in this order: its id; a contact only it
    has; an exact name (each (column, key) of `exact(ref)` in turn); a unique part of its name
    (`part(ref)`: the column and the key it holds). Else `empty` (nothing given), `not_found(ref)`,
    or `several(ref, names, more)` with up to 10 of the names and " …" for more."""
    from sqlmodel import select

    ref = ref.strip()
    if not ref:
        raise InvalidInput(empty)
    check_text(ref, field=field, max_length=500)
    if (record_id := as_record_id(ref)) is not None:
        record = session.get(model, record_id)
        if record is not None:
            return record
    found = by_contact(session, ref)
    if found is not None:
        return found
    for column, key in exact(ref):
        same = session.exec(select(model).where(column == key).limit(2)).all()
        if len(same) == 1:
            return same[0]
    column, key = part(ref)
    candidates = session.exec(
        select(model).where(column.like(like_pattern(key), escape="\\")).order_by(model.name_key, model.id).limit(11)
    ).all()
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        raise not_found(ref)
    raise several(ref, [f"#{c.id} {c.name}" for c in candidates[:10]], " …" if len(candidates) > 10 else "")


def find_by_number(session: Session, model: Any, ref: str | int, *, bad: str, missing: Callable[[str], DossierError]) -> Any:
    """The record of `model` a number names (`12`, `#12`: sales, touches, gifts). Anything but a
    number of up to 12 digits is InvalidInput `bad`; a number no record has is `missing(number)`."""
    text = str(ref).strip().lstrip("#")
    if not text.isdigit() or len(text) > 12:
        raise InvalidInput(bad)
    record_id = as_record_id(text)
    record = session.get(model, record_id) if record_id is not None else None
    if record is None:
        raise missing(text)
    return record


def other_holder(session: Session, model: Any, column: Any, value: Any, *, exclude_id: int | None = None) -> Any:
    """A record of `model` other than `exclude_id` whose `column` is `value`, or None: who already
    holds a name or a tax number that should name one record."""
    from sqlmodel import select

    query = select(model).where(column == value)
    if exclude_id is not None:
        query = query.where(model.id != exclude_id)
    return session.exec(query.limit(1)).first()
