"""The modules' imports form a tree: no cycle, and the neutral model imports no stage."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("pipeline", "schemas")


def _modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "_bundled" in path.parts:
                continue
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def _module_level(tree: ast.Module) -> list[ast.stmt]:
    """Statements that run on import: the top level and the bodies of top-level if/try
    (``if TYPE_CHECKING:`` included, since a checker follows those imports too)."""
    pending: list[ast.stmt] = list(tree.body)
    found: list[ast.stmt] = []
    while pending:
        node = pending.pop()
        found.append(node)
        if isinstance(node, ast.If | ast.Try):
            pending.extend(node.body)
            pending.extend(node.orelse)
            if isinstance(node, ast.Try):
                pending.extend(node.finalbody)
                for handler in node.handlers:
                    pending.extend(handler.body)
    return found


def import_graph() -> dict[str, set[str]]:
    modules = _modules()
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in _module_level(tree):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*anchor, base] if base else anchor)
                targets = [
                    f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
                    for alias in node.names
                ]
            graph[name].update(t for t in targets if t in modules and t != name)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycle():
    assert cycles(import_graph()) == []


def test_the_checker_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_the_model_imports_no_stage():
    graph = import_graph()
    model = [name for name in graph if name.startswith("pipeline.model")]
    assert model
    for name in model:
        outside = {t for t in graph[name] if not t.startswith(("pipeline.model", "schemas"))}
        assert outside == set(), name


def test_the_archive_reads_no_warehouse():
    graph = import_graph()
    archive = {t for n, ts in graph.items() if n.startswith("pipeline.archive") for t in ts}
    assert not any(t.startswith("pipeline.warehouse") for t in archive)


def test_every_package_states_its_role_at_its_top():
    for name, path in _modules().items():
        if path.name != "__init__.py":
            continue
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
        assert doc, f"package {name} has no docstring"


def _prints(tree: ast.Module) -> list[int]:
    """Lines that write to the terminal: print(), click.echo/secho, rich's console.print,
    sys.stdout/sys.stderr.write."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id == "print":
            found.append(node.lineno)
        elif isinstance(func, ast.Attribute):
            owner = ast.unparse(func.value)
            if (
                (func.attr in ("echo", "secho") and owner == "click")
                or (func.attr == "print" and owner.endswith("console"))
                or (func.attr == "write" and owner in ("sys.stdout", "sys.stderr"))
            ):
                found.append(node.lineno)
    return found


def test_only_the_command_line_package_prints():
    offenders = {
        name: lines
        for name, path in _modules().items()
        if not name.startswith("pipeline.cli")
        and not name.endswith("__main__")  # `python -m ...`: a command line of its own
        and (lines := _prints(ast.parse(path.read_text(encoding="utf-8"))))
    }
    assert offenders == {}
    cli = _modules()["pipeline.cli.base"]
    assert _prints(ast.parse(cli.read_text(encoding="utf-8")))  # the check sees echo calls
