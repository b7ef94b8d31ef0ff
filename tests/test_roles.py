"""A person has one current role per company (issue 18, item 4)."""

from __future__ import annotations


def _roles(dossier, company: str) -> dict[str, list[str]]:
    people = dossier.json("checklist", company)["people"]
    return {person["name"]: person["roles"] for person in people}


def test_fill_set_role_changes_the_role_instead_of_adding_a_link(dossier):
    dossier("add", "company", "Восток-Снабжение")
    dossier("add", "person", "Тимофеев Олег", "--company", "Восток-Снабжение")
    dossier("fill", "Восток", "--person", "Тимофеев", "--set", "role=economic-buyer")
    assert _roles(dossier, "Восток") == {"Тимофеев Олег": ["economic-buyer"]}
    result = dossier("fill", "Восток", "--person", "Тимофеев", "--set", "role=coach")
    assert "Nothing changed" not in result.stderr
    assert _roles(dossier, "Восток") == {"Тимофеев Олег": ["coach"]}
    roles = dossier.json("checklist", "Восток")["roles"]
    assert roles["coach"] == ["Тимофеев Олег"] and roles["economic-buyer"] == []
    result = dossier("fill", "Восток", "--person", "Тимофеев", "--set", "role=coach")
    assert "Nothing changed" in result.stderr


def test_link_in_another_role_changes_it(dossier):
    dossier("add", "company", "Восток-Снабжение")
    dossier("add", "person", "Тимофеев Олег", "--company", "Восток-Снабжение", "--role", "user")
    dossier("link", "person", "Тимофеев", "Восток", "--role", "economic-buyer")
    assert _roles(dossier, "Восток") == {"Тимофеев Олег": ["economic-buyer"]}
    result = dossier("link", "person", "Тимофеев", "Восток", "--role", "economic-buyer", expect=4)
    assert "already linked to Восток-Снабжение as economic-buyer" in result.stderr


def test_merge_person_leaves_one_link_per_company(dossier):
    dossier("add", "company", "Восток-Снабжение")
    dossier("add", "person", "Тимофеев Олег", "--company", "Восток-Снабжение")
    dossier("add", "person", "Олег Тимофеев", "--company", "Восток-Снабжение", "--role", "coach",
            "--allow-duplicate")
    dossier("merge", "person", "Тимофеев Олег", "Олег Тимофеев", "--yes")
    # The buying role wins over 'other'; one link stays current.
    assert _roles(dossier, "Восток") == {"Тимофеев Олег": ["coach"]}
    shown = dossier.json("show", "person", "Тимофеев Олег")
    current = [link for link in shown["companies"] if link.get("active", True)]
    assert len(current) == 1
