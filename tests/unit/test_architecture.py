"""The package map holds: Discord-free game and question code, storage drivers and the client kept at
the edges, and no import cycles among the project's modules.

Imports are read from the source with ``ast`` (nothing is imported). Every import counts for the
layering rules, also those inside functions and under ``if TYPE_CHECKING:``; for cycles only the
imports that run when a module is loaded count (not those inside functions or under TYPE_CHECKING,
which is how a deliberate late import breaks a cycle).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROJECT_PACKAGES = ("bot", "cogs")


@dataclass(frozen=True)
class Import:
    name: str  # the imported module as written, made absolute, e.g. "discord.ext" or "bot.questions.limits"
    at_load: bool  # runs when the module is loaded (not inside a function, not under TYPE_CHECKING)
    line: int


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules() -> dict[str, Path]:
    return {
        module_name(path): path
        for package in PROJECT_PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
    }


MODULES = project_modules()


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports_of(module: str) -> list[Import]:
    path = MODULES[module]
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: list[Import] = []

    def visit(node: ast.AST, at_load: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                visit(child, False)
            elif isinstance(child, ast.If) and _is_type_checking(child.test):
                for statement in child.body:
                    visit_statement(statement, False)
                for statement in child.orelse:
                    visit_statement(statement, at_load)
            else:
                visit_statement(child, at_load)

    def visit_statement(node: ast.AST, at_load: bool) -> None:
        if isinstance(node, ast.Import):
            found.extend(Import(alias.name, at_load, node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                stem = ".".join(base + ([node.module] if node.module else []))
            else:
                stem = node.module or ""
            for alias in node.names:
                submodule = f"{stem}.{alias.name}"
                found.append(Import(submodule if submodule in MODULES else stem, at_load, node.lineno))
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            visit(node, False)
        elif isinstance(node, ast.If) and _is_type_checking(node.test):
            visit(ast.Module(body=node.body, type_ignores=[]), False)
            visit(ast.Module(body=node.orelse, type_ignores=[]), at_load)
        else:
            visit(node, at_load)

    visit(tree, True)
    return found


def _matches(name: str, banned: str) -> bool:
    return name == banned or name.startswith(banned + ".")


def offending(module: str, banned: tuple[str, ...]) -> list[str]:
    return [f"{MODULES[module].relative_to(ROOT)}:{i.line} imports {i.name}" for i in imports_of(module)
            if any(_matches(i.name, b) for b in banned)]


def modules_under(*packages: str) -> list[str]:
    return [m for m in MODULES if any(_matches(m, p) for p in packages)]


def test_the_map_is_read() -> None:
    assert {"bot.game.rounds", "bot.questions.schema", "bot.session.game", "bot.ui.embeds", "cogs.trivia"} <= set(MODULES)
    assert any(i.name == "discord" for i in imports_of("bot.ui.embeds"))
    assert any(i.name == "bot.client" and not i.at_load for i in imports_of("bot.cli"))


@pytest.mark.parametrize("module", modules_under("bot.game", "bot.questions"))
def test_game_and_questions_do_not_import_discord(module: str) -> None:
    assert offending(module, ("discord", "aiohttp")) == []


@pytest.mark.parametrize("module", modules_under("bot.game", "bot.questions", "bot.session", "bot.ui"))
def test_only_the_edges_import_storage_drivers_or_the_client(module: str) -> None:
    assert offending(module, ("sqlite3", "aiosqlite", "asyncpg", "bot.client")) == []


def load_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {m: set() for m in MODULES}
    for module in MODULES:
        for found in imports_of(module):
            if found.at_load and found.name in MODULES and found.name != module:
                graph[module].add(found.name)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
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
            connect(node)
    return found


def test_cycle_finder_finds_cycles() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles() -> None:
    assert cycles(load_graph()) == []
