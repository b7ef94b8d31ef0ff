"""`dossier lose` and `reopen`: a company lost from the pipeline with a reason, and brought back."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from dossier_cli.formatting import format_day
from dossier_cli.cli.base import open_session, settings, stderr_line
from dossier_cli.cli.output import CompanyArg
from dossier_cli.i18n import _

NoteOpt = Annotated[Optional[str], typer.Option("--note", help="What happened, in a few words.")]
DateOpt = Annotated[Optional[str], typer.Option("--date", help="When (YYYY-MM-DD or DD.MM.YYYY; default today).")]


def _day(text: Optional[str]):  # -> date | None
    if text is None:
        return None
    from dossier_cli.parsing import parse_date

    return parse_date(text)


def lose(
    company: CompanyArg,
    reason: Annotated[
        str,
        typer.Option(
            "--reason",
            help="Why: price, competitor, no budget, no need, no answer, bad timing, other (or Russian: цена, конкурент, …; "
            "more in the config's lost_reasons).",
            show_default=False,
        ),
    ],
    note: NoteOpt = None,
    date: DateOpt = None,
) -> None:
    """Mark a company lost, with a reason: it leaves the active pipeline and stays on record.

    Example: dossier lose "Amur Logistics" --reason competitor --note "went with Vostok-Trade"
    """
    from dossier_cli import vocab
    from dossier_cli.records import companies
    from dossier_cli.selling import lost

    with open_session() as session:
        found = companies.find_company(session, company)
        done = lost.lose(session, settings(), found, reason=reason, note=note, on=_day(date))
        stderr_line(
            _("{name} is lost at stage {stage} ({reason}, {on}).").format(
                name=found.name, stage=vocab.STAGES.label(done.stage), reason=lost.reason_label(done.reason), on=format_day(done.lost_on)
            )
        )


def reopen(company: CompanyArg, note: NoteOpt = None, date: DateOpt = None) -> None:
    """Bring a lost company back into the pipeline: a new cycle at the first stage.

    Example: dossier reopen "Amur Logistics" --note "new purchasing manager"
    """
    from dossier_cli import vocab
    from dossier_cli.records import companies
    from dossier_cli.selling import lost

    with open_session() as session:
        found = companies.find_company(session, company)
        change = lost.reopen(session, settings(), found, note=note, on=_day(date))
        stderr_line(
            _("{name} is back in the pipeline at {stage} (cycle {cycle}, {on}).").format(
                name=found.name, stage=vocab.STAGES.label(change.to_stage), cycle=change.cycle, on=format_day(change.changed_on)
            )
        )
