"""The layout of plan/ holds (docs/development.md, "Layout"): one package per feature, each
saying in its __init__.py docstring what it holds and what it may import; imports that only go
down the layers and never in a circle; the API and the pages sharing code through a feature
package; the importer used at build time only; small modules, none too small to stand alone."""

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings

PLAN = Path(settings.BASE_DIR) / "plan"
MAX_LINES = 400
MIN_LINES = 30

# Bottom up: a package may import its own layer's packages (as its docstring allows) and any
# package of a lower layer.
LAYERS = (
    ("plan.addresses",),
    ("plan.models",),
    ("plan.content", "plan.document", "plan.reading"),
    (
        "plan.search",
        "plan.budget_table",
        "plan.open_data",
        "plan.comparison",
        "plan.sharing",
        "plan.pagecache",
        "plan.editing",
        "plan.web",
        "plan.importer",
    ),
    ("plan.views", "plan.api", "plan.templatetags", "plan.management", "plan.urls", "plan.apps"),
)
LAYER = {package: level for level, packages in enumerate(LAYERS) for package in packages}
# Django finds these by their place; everything else lives in a feature package.
AT_THE_TOP = {"plan", "plan.apps", "plan.urls"}
# The only code that may import the importer: itself and the commands that run it.
BUILD_TIME = (
    "plan.importer",
    "plan.management.commands.buildplan",
    "plan.management.commands.synthplan",
)
# Small modules that stand alone for a reason.
SMALL_BY_DESIGN = {
    "plan.addresses.hosts": "the one rule on Host that Django lacks, for middleware and front door",
    "plan.apps": "Django's app config",
    "plan.editing.login": "django-axes reads it from settings (AXES_CLIENT_IP_CALLABLE)",
    "plan.views.context_processors": "the template engine reads them from settings",
}
# A word in a module's name means one thing: the modules it may name.
ONE_MEANING = {
    "document": ("plan.document",),  # the published plan document, nothing else
    "openapi": ("plan.api.openapi",),
    "cache": ("plan.pagecache", "plan.management.commands.warmcache"),
    "front_door": ("plan.pagecache.front_door",),
    "export": ("plan.management.commands.exportplan",),  # writes the plan document
    "download": ("plan.search.downloads",),
    "source": ("plan.importer.source",),
    "year": ("plan.addresses.year_prefix", "plan.comparison.other_years"),
}


def _modules() -> dict[str, Path]:
    modules = {}
    for path in PLAN.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        parts = path.relative_to(PLAN.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        modules[name] = path
    return modules


MODULES = _modules()


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
    return {module for module in found if module in MODULES and module != name}


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def _package(module: str) -> str:
    return ".".join(module.split(".")[:2])


def _features() -> list[str]:
    return sorted(
        name
        for name, path in MODULES.items()
        if path.name == "__init__.py" and name.count(".") == 1
    )


def _declared(package: str) -> tuple[set[str], set[str]]:
    """What the package's docstring says it may import, and what it says it never does."""
    docstring = ast.get_docstring(ast.parse(MODULES[package].read_text(encoding="utf-8"))) or ""
    match = re.search(r"^May import: (.*?)(?:\n\n|\Z)", docstring, re.M | re.S)
    assert match, f"{package}/__init__.py: its docstring says what it may import ('May import: …')"
    allowed, _, never = match[1].partition("never")
    names = set(re.findall(r"plan(?:\.\w+)?", allowed))
    if "any package below" in allowed:
        names |= {each for each, level in LAYER.items() if level < LAYER[package]}
    return names, set(re.findall(r"plan(?:\.\w+)?", never))


def test_every_module_lives_in_a_feature_package():
    assert {name for name in MODULES if name.count(".") == 1} - set(_features()) == AT_THE_TOP - {
        "plan"
    }
    assert set(_features()) <= set(LAYER)


@pytest.mark.parametrize("package", _features())
def test_a_package_imports_only_what_its_docstring_allows(package):
    allowed, never = _declared(package)
    imported = {
        _package(module)
        for name, imports in GRAPH.items()
        if _package(name) == package
        for module in imports
        if _package(module) != package
    }
    assert imported <= allowed
    assert not imported & never


def test_imports_only_go_down_the_layers():
    upward = {
        name: sorted(
            module for module in imports if LAYER[_package(module)] > LAYER[_package(name)]
        )
        for name, imports in GRAPH.items()
        if name != "plan"
    }
    assert {name: modules for name, modules in upward.items() if modules} == {}


def test_the_views_and_the_api_do_not_import_each_other():
    crossing = [
        (name, module)
        for name, imports in GRAPH.items()
        for module in imports
        if {_package(name), _package(module)} == {"plan.views", "plan.api"}
    ]
    assert crossing == []


def test_the_views_and_the_api_share_the_budget_line_filter_chain():
    # They call plan.budget_table's chain (filtered_table, line_rows); neither rebuilds it.
    builders = {"BudgetLineFilter", "table_rows", "for_table"}
    rebuilt = {
        name: sorted(builders & _names_used(MODULES[name]))
        for name in MODULES
        if _package(name) in ("plan.views", "plan.api")
    }
    assert {name: used for name, used in rebuilt.items() if used} == {}


def _names_used(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)} | {
        node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)
    }


def test_only_build_time_code_imports_the_importer():
    offenders = {
        name: sorted(module for module in imports if module.startswith("plan.importer"))
        for name, imports in GRAPH.items()
        if not name.startswith(BUILD_TIME)
    }
    assert {name: modules for name, modules in offenders.items() if modules} == {}


def test_no_import_circle_between_packages_or_modules():
    packages: dict[str, set[str]] = {}
    for name, imports in GRAPH.items():
        packages.setdefault(_package(name), set()).update(map(_package, imports))
    packages = {package: imported - {package} for package, imported in packages.items()}
    # A package's __init__ naming its own modules is not a circle through them.
    modules = {
        name: {module for module in imports if not name.startswith(f"{module}.")}
        for name, imports in GRAPH.items()
    }
    assert _circles(packages) == []
    assert _circles(modules) == []


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    visiting, done, circles = set(), set(), []

    def visit(name, trail):
        if name in done:
            return
        if name in visiting:
            circles.append([*trail[trail.index(name) :], name])
            return
        visiting.add(name)
        for each in sorted(graph.get(name, ())):
            visit(each, [*trail, name])
        visiting.discard(name)
        done.add(name)

    for name in sorted(graph):
        visit(name, [])
    return circles


def test_no_module_is_over_400_lines_or_too_small_to_stand_alone():
    lengths = {
        name: len(path.read_text(encoding="utf-8").splitlines()) for name, path in MODULES.items()
    }
    long = {name: length for name, length in lengths.items() if length > MAX_LINES}
    small = {
        name: length
        for name, length in lengths.items()
        if length < MIN_LINES
        and MODULES[name].name != "__init__.py"
        and not name.startswith("plan.management.commands.")  # thin by design: parse, call
        and name not in SMALL_BY_DESIGN
    }
    assert long == {}
    assert small == {}


def test_a_word_names_one_thing():
    misnamed = {
        name: word
        for name in MODULES
        for word, homes in ONE_MEANING.items()
        if any(word in part for part in name.split(".")[1:])
        if not name.startswith(homes)
    }
    assert misnamed == {}


def test_the_checks_see_the_whole_app():
    # Guard against a walk that finds nothing (and so passes vacuously).
    assert len(MODULES) > 80
    assert "plan.importer.build" in GRAPH["plan.management.commands.buildplan"]
    assert "plan.budget_table.filters" in GRAPH["plan.api.operations"]
    assert "plan.budget_table.filters" in GRAPH["plan.views.budget_table"]
    assert len(_features()) == sum(len(packages) for packages in LAYERS) - 2  # urls, apps
