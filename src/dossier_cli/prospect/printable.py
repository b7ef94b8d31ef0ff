"""The printable dossier: one document per company, as Markdown or HTML."""

from __future__ import annotations

import html
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


class _Generated(str):
    """Cell text dossier wrote itself (an ISO date): Markdown shows it unescaped."""


def _tables(doc: dict[str, Any]) -> list[tuple[str, tuple[str, ...], list[list[str]], str]]:
    """The people and the gifts register as (heading, headers, rows of cell text, what to say
    when empty): the same columns in Markdown and in HTML."""
    people = [
        [p["name"], ", ".join(p["roles"]), p["phone"] or "", p["email"] or "", p["personality_type"] or ""]
        for p in doc["people"]
    ]
    gifts = [
        [_Generated(g["date"]), g["person"] or "", g["what"], f"{g['value']} {doc['currency']}", g["purpose"] or ""]
        for g in doc["gifts"]
    ]
    return [
        ("People", ("name", "roles", "phone", "e-mail", "personality type"), people, "No people linked yet."),
        ("Gifts and hospitality register", ("date", "person", "what", "value", "purpose"), gifts, "Nothing given."),
    ]


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+\-!|~&])")


def md_escape(text: str) -> str:
    """User text made inert in Markdown: every special character backslash-escaped, lines kept."""
    return " ".join(_MD_SPECIAL.sub(r"\\\1", str(text)).split())


def to_markdown(doc: dict[str, Any]) -> str:
    e = md_escape
    company = doc["company"]
    out = [f"# {e(doc['title'])}: {e(company['name'])}", ""]
    out.append(
        f"Stage: {e(company['stage'])} · completeness {doc['percent']:g}% · threshold {doc['threshold']:g}% "
        f"({'ready' if doc['ready'] else 'not ready'}) · printed {doc['printed_on']}"
    )
    out.append("")
    for part in doc["parts"]:
        out += [f"## {e(part['title'])} ({part['percent']:g}%)", ""]
        current_person: Any = object()
        for item in part["items"]:
            if part["per_person"] and item["person"] != current_person:
                current_person = item["person"]
                out += ["", f"### {e(current_person['name']) if current_person else '(no representative linked yet)'}", ""]
            value = e(item["display"]) if item["display"] else "_…_"
            out.append(f"- {e(item['mark'])} **{e(item['label'])}:** {value}")
        out.append("")
    out += ["## Buying roles", ""]
    for role, names in doc["roles"].items():
        out.append(f"- {e(role)}: {e(', '.join(names)) if names else '**not covered**'}")
    for heading, headers, rows, empty in _tables(doc):
        out += ["", f"## {heading}", ""]
        if rows:
            out += ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
            out += ["| " + " | ".join(c if isinstance(c, _Generated) else e(c) for c in row) + " |" for row in rows]
        else:
            out.append(empty)
    return "\n".join(out) + "\n"


_CSS = """
body { font-family: Georgia, 'Times New Roman', serif; max-width: 52em; margin: 2em auto; color: #111; }
h1 { font-size: 1.6em; } h2 { border-bottom: 1px solid #999; margin-top: 1.6em; }
table { border-collapse: collapse; width: 100%; } td, th { border: 1px solid #bbb; padding: .3em .5em; vertical-align: top; text-align: left; }
.missing { color: #a00; } .stale { color: #a60; } .mark { font-family: monospace; white-space: pre; }
@media print { body { margin: 0; } h2 { page-break-after: avoid; } tr { page-break-inside: avoid; } }
"""


def to_html(doc: dict[str, Any]) -> str:
    """One self-contained, printable HTML file; every piece of user text escaped."""
    e = html.escape
    company = doc["company"]
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{e(doc.get("language") or "en")}"><head><meta charset="utf-8">',
        f"<title>{e(doc['title'])}: {e(company['name'])}</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<h1>{e(doc['title'])}: {e(company['name'])}</h1>",
        f"<p>Stage: {e(company['stage'])} · completeness {doc['percent']:g}% · threshold {doc['threshold']:g}% "
        f"({'ready' if doc['ready'] else 'not ready'}) · printed {e(doc['printed_on'])}</p>",
    ]
    for part in doc["parts"]:
        out.append(f"<h2>{e(part['title'])} ({part['percent']:g}%)</h2>")
        current_person: Any = object()
        out.append("<table>")
        for item in part["items"]:
            if part["per_person"] and item["person"] != current_person:
                current_person = item["person"]
                name = e(current_person["name"]) if current_person else "(no representative linked yet)"
                out.append(f'<tr><th colspan="3">{name}</th></tr>')
            if item["kind"] == "list" and item["value"]:
                value = "<br>".join(e(str(v)) for v in item["value"])
            else:
                value = e(item["display"]) if item["display"] else "…"
            out.append(
                f'<tr class="{item["status"]}"><td class="mark">{e(item["mark"])}</td>'
                f"<td>{e(item['label'])}</td><td>{value}</td></tr>"
            )
        out.append("</table>")
    out.append("<h2>Buying roles</h2><ul>")
    for role, names in doc["roles"].items():
        shown = e(", ".join(names)) if names else '<strong class="missing">not covered</strong>'
        out.append(f"<li>{e(role)}: {shown}</li>")
    out.append("</ul>")
    for heading, headers, rows, empty in _tables(doc):
        out.append(f"<h2>{heading}</h2>")
        if rows:
            out.append("<table><tr>" + "".join(f"<th>{h}</th>" for h in headers) + "</tr>")
            out += ["<tr>" + "".join(f"<td>{e(cell)}</td>" for cell in row) + "</tr>" for row in rows]
            out.append("</table>")
        else:
            out.append(f"<p>{empty}</p>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"
