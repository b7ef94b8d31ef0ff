"""The printable dossier: one document per company, as Markdown or HTML."""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING, Any

from dossier_cli.prospect.completeness import dossier_status
from dossier_cli.prospect.gifts import list_gifts
from dossier_cli.prospect.template import linked_people

if TYPE_CHECKING:
    from sqlmodel import Session

    from dossier_cli.config import Settings
    from dossier_cli.models import Company


def export_document(session: Session, settings: Settings, company: Company) -> dict[str, Any]:
    """Everything the printed dossier shows: the checklist, the people and the gifts register."""
    from sqlmodel import select

    from dossier_cli.models import ContactPoint

    status = dossier_status(session, settings, company)
    contacts: dict[int, list[str]] = {}
    people_list = linked_people(session, company)
    if people_list:
        for point in session.exec(
            select(ContactPoint).where(ContactPoint.person_id.in_([p.id for p in people_list]))  # type: ignore[union-attr]
        ):
            contacts.setdefault(point.person_id, []).append(point.value)
    status["people"] = [
        {
            "id": p.id,
            "name": p.name,
            "roles": next((x["roles"] for x in status["people"] if x["id"] == p.id), []),
            "phone": p.phone,
            "email": p.email,
            "contacts": [c for c in contacts.get(p.id, []) if c not in (p.phone, p.email)],
            "personality_type": p.personality_type,
        }
        for p in people_list
    ]
    status["gifts"] = list_gifts(session, settings, company, limit=10_000)
    status["currency"] = settings.currency
    status["language"] = settings.language
    status["printed_on"] = date.today().isoformat()
    return status


# Markdown needs escaping only where a character would start markup: these always; the rest
# below only where they would act (an underscore inside a word, a hyphen in `Vostok-Trade`,
# brackets after text… stay as they are).
_MD_ALWAYS = re.compile(r"([\\`*\[\]<|~])")
_MD_ENTITY = re.compile(r"&(?=#?\w+;)")  # `&amp;` would be read as `&`
_MD_LINE_START = re.compile(r"^(#|>|[+=-](?=\s|$)|\d+(?=[.)](?:\s|$)))")


def md_escape(text: str) -> str:
    """User text made inert in Markdown (one line): only what Markdown would read as markup is escaped."""
    flat = " ".join(str(text).split())
    out = _MD_ALWAYS.sub(r"\\\1", flat)
    out = _MD_ENTITY.sub(r"\\&", out)
    out = "".join(
        "\\_" if ch == "_" and not (0 < i < len(out) - 1 and out[i - 1].isalnum() and out[i + 1].isalnum()) else ch
        for i, ch in enumerate(out)
    )
    match = _MD_LINE_START.match(out)
    if match:
        lead = match.group(1)
        out = (lead + "\\" + out[len(lead):]) if lead[0].isdigit() else "\\" + out
    return out


def to_markdown(doc: dict[str, Any]) -> str:
    from dossier_cli import vocab
    from dossier_cli.formatting import format_day, format_money, format_number
    from dossier_cli.i18n import _, language

    e = md_escape
    russian = language() == "ru"
    company = doc["company"]
    out = [f"# {e(doc['title'])}: {e(company['name'])}", ""]
    out.append(
        _("Stage: {stage} · completeness {percent}% · threshold {threshold}% ({ready}) · printed {date}").format(
            stage=e(vocab.STAGES.label(company["stage"]) if russian else company["stage"]),
            percent=format_number(doc["percent"]), threshold=format_number(doc["threshold"]),
            ready=_("ready") if doc["ready"] else _("not ready"), date=format_day(doc["printed_on"]))
    )
    out.append("")
    for part in doc["parts"]:
        out += [f"## {e(part['title'])} ({format_number(part['percent'])}%)", ""]
        current_person: Any = object()
        for item in part["items"]:
            if part["per_person"] and item["person"] != current_person:
                current_person = item["person"]
                out += ["", f"### {e(current_person['name']) if current_person else _('(no representative linked yet)')}", ""]
            value = e(item["display"]) if item["display"] else "_…_"
            out.append(f"- {e(item['mark'])} **{e(item['label'])}:** {value}")
        out.append("")
    def role_label(role: str) -> str:
        return vocab.ROLES.label(role) if russian else role

    out += [_("## Buying roles"), ""]
    for role, names in doc["roles"].items():
        out.append(f"- {e(role_label(role))}: {e(', '.join(names)) if names else _('**not covered**')}")
    out += _md_section(_("## People"), _("| name | roles | phone | e-mail | personality type |"), [
        [e(p["name"]), e(", ".join(role_label(r) for r in p["roles"])), e(p["phone"] or ""), e(p["email"] or ""), e(p["personality_type"] or "")]
        for p in doc["people"]
    ], empty=_("No people linked yet."))
    out += _md_section(_("## Gifts and hospitality register"), _("| date | person | what | value | purpose |"), [
        [format_day(g["date"]), e(g["person"] or ""), e(g["what"]), e(format_money(g["value"], doc["currency"])), e(g["purpose"] or "")]
        for g in doc["gifts"]
    ], empty=_("Nothing given."))
    return "\n".join(out) + "\n"


def _md_section(title: str, header: str, rows: list[list[str]], *, empty: str) -> list[str]:
    """A titled section: a Markdown table of `rows` (cells already escaped), or `empty` when there are none."""
    out = ["", title, ""]
    if not rows:
        return [*out, empty]
    return [*out, header, "|" + "---|" * len(rows[0]), *("| " + " | ".join(cells) + " |" for cells in rows)]


def to_html(doc: dict[str, Any]) -> str:
    """One self-contained, printable HTML file from the shared templates; every piece of user text escaped."""
    from dossier_cli.i18n import language
    from dossier_cli.reports.render import render

    return render("dossier.html.j2", doc=doc, language=language())
