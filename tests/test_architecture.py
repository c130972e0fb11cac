"""The layout in docs/development.md holds: small modules, imports that only go down, and the
importer used at build time only (nothing that serves a request imports it)."""

import ast
from pathlib import Path

from django.conf import settings

PLAN = Path(settings.BASE_DIR) / "plan"
MAX_LINES = 400
# The only modules that may import the importer: its own modules and the command that runs it.
BUILD_TIME = ("plan.importer", "plan.management.commands.buildplan")


def _modules() -> dict[str, Path]:
    modules = {}
    for path in PLAN.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        parts = path.relative_to(PLAN.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        modules[name] = path
    return modules


def _imports(name: str, path: Path) -> set[str]:
    """The plan modules `name` imports at run time (TYPE_CHECKING blocks left out)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            node.body = []
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names}
    return {module for module in found if module == "plan" or module.startswith("plan.")}


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {
        name: {module for module in _imports(name, path) if module in modules and module != name}
        for name, path in modules.items()
    }


def test_no_module_under_plan_is_over_400_lines():
    long = {
        name: length
        for name, path in _modules().items()
        if (length := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_only_build_time_code_imports_the_importer():
    offenders = {
        name: sorted(module for module in imports if module.startswith("plan.importer"))
        for name, imports in _graph().items()
        if not name.startswith(BUILD_TIME)
    }
    assert {name: modules for name, modules in offenders.items() if modules} == {}


def test_plan_modules_import_each_other_without_a_circle():
    graph = _graph()
    # A package's __init__ re-exports its modules; that is not a circle through them.
    for name in graph:
        graph[name] = {module for module in graph[name] if not name.startswith(f"{module}.")}
    visiting, done, circles = set(), set(), []

    def visit(name, trail):
        if name in done:
            return
        if name in visiting:
            circles.append([*trail[trail.index(name) :], name])
            return
        visiting.add(name)
        for module in sorted(graph[name]):
            visit(module, [*trail, name])
        visiting.discard(name)
        done.add(name)

    for name in sorted(graph):
        visit(name, [])
    assert circles == []


def test_the_checks_see_the_whole_app():
    # Guard against a walk that finds nothing (and so passes vacuously).
    graph = _graph()
    assert {"plan.models", "plan.views.pages", "plan.importer.build", "plan.document"} <= set(graph)
    assert "plan.importer.build" in {
        module for module in graph["plan.management.commands.buildplan"]
    }
    assert "plan.document" in graph["plan.views.open_data"]
