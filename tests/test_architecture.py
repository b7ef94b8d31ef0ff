"""The house's shape: imports point one way, no module grows past ~600 lines, no hidden links.

These read the source the way a newcomer would (every `import`, also those inside
functions), so a rule broken anywhere in src/dossier_cli fails here with the place named.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import dossier_cli

PACKAGE = Path(dossier_cli.__file__).parent
MAX_LINES = 600
TARGET_STRING = re.compile(r"^dossier_cli(\.\w+)+:\w+$")


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def _runtime_nodes(tree: ast.AST):
    """Every node except those under `if TYPE_CHECKING:` (never imported when running)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            stack.extend(node.orelse)
            continue
        yield node
        stack.extend(ast.iter_child_nodes(node))


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The dossier_cli modules `name` imports, wherever in the file the import is."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets: set[str] = set()
    for node in _runtime_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                targets.add(submodule if submodule in modules else base)
    return {t for t in targets if t in modules and t != name}


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(name, path, modules) for name, path in modules.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def test_the_import_graph_is_read_from_the_source():
    """The walk sees imports inside functions too (otherwise the cycle test could not fail)."""
    graph = _graph()
    assert "dossier_cli.records.companies" in graph["dossier_cli.cli.companies"]  # imported inside a function
    assert "dossier_cli.models" in graph["dossier_cli.audit"]
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def _cycle_report(cycles: list[list[str]]) -> str:
    return "modules that import each other in a circle: " + " | ".join(" ↔ ".join(c) for c in cycles)


def test_no_module_imports_in_a_circle():
    cycles = _cycles(_graph())
    assert not cycles, _cycle_report(cycles)


# Which way imports may point: a module imports its own layer or lower ones, never higher.
LAYERS: dict[str, int] = {
    "records": 1,  # what the user keeps
    "selling": 2, "prospect": 2, "register": 2, "reports": 2,  # the areas, on top of the records
    "transfer": 3, "upkeep": 3,  # jobs over every area: import/export, audit reading, merge, privacy
    "company_card": 4,  # `show company`: a section from each area
    "cli": 5,
    "__main__": 6,
}


def _layer(module: str) -> int:
    """0 for the base modules (store, models, text, errors, audit, …), else the area's layer."""
    parts = module.split(".")
    return LAYERS.get(parts[1], 0) if len(parts) > 1 else 0


def test_imports_point_down_the_layers():
    upward = [
        f"{module} ({_layer(module)}) imports {target} ({_layer(target)})"
        for module, targets in sorted(_graph().items())
        if ".migrations." not in module  # a data migration may call today's code for its data
        for target in sorted(targets)
        if _layer(target) > _layer(module)
    ]
    assert not upward, "imports that point up (see LAYERS):\n" + "\n".join(upward)


def test_recording_an_audit_event_needs_no_domain_module():
    """audit.py sits low: every write calls it, so it may import only the base layers."""
    allowed = {"dossier_cli.models", "dossier_cli.errors", "dossier_cli.text", "dossier_cli.i18n", "dossier_cli.deferred"}
    assert _graph()["dossier_cli.audit"] <= allowed


def test_no_source_module_is_over_600_lines():
    long = {
        str(path.relative_to(PACKAGE)): count
        for path in _modules().values()
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not long, f"split these by job (over {MAX_LINES} lines): {long}"


def test_no_module_function_string_outside_the_command_table():
    """Links by "module:function" strings hide from readers and tools; only cli/app.py's
    command table uses them (so `--help` imports no command module)."""
    found = []
    for name, path in _modules().items():
        if name == "dossier_cli.cli.app":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and TARGET_STRING.match(node.value):
                found.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: {node.value}")
    assert not found, "import these by name instead:\n" + "\n".join(found)
