"""The layout rules of issue #14, checked on the source with ``ast`` (see tests/import_graph.py).

- nothing imports ``deployer.cli`` but ``deployer.__main__``: the CLI is the top of the tree;
- no import circles among the deployer's modules, function-level imports included;
- at most 14 modules directly in ``deployer/``: the rest live in packages named after what
  they do (commands/, aws/, cdk/, local/, plan/, cost/, diagram/, revisions/);
- the domain packages never import the commands (imports do not run back up);
- only ``deployer.cdk`` builds the app from ``stacks``; ``constructs_lib`` imports neither
  ``config``, ``stacks`` nor ``deployer``; ``bench`` does not import ``tests``;
- the CDK-context keys are spelled only in ``config.cdk_context``;
- the two files that only compose stay short: ``deployer/cli.py`` (≤ 200 lines: it builds the
  typer app and registers the commands) and ``stacks/service_stack.py`` (≤ 150 lines: the
  construct logic lives in ``constructs_lib`` and the spec mapping in ``stacks/*_from_spec.py``).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.import_graph import Module, cycles, edges, importers_of, modules

ROOT = Path(__file__).resolve().parents[2]
PRODUCT = ["app", "pipeline_app", "config", "constructs_lib", "stacks", "deployer", "bench"]
MAX_DIRECT_MODULES = 14
CONTEXT_CONTRACT = ROOT / "config" / "cdk_context.py"
CONTEXT_KEYS = ("env=", "image.", "pin.", "release.", "DEPLOYER_ENVIRONMENTS_DIR")
COMPOSING_FILES = {"deployer/cli.py": 200, "stacks/service_stack.py": 150}  # path → most lines


def test_nothing_imports_the_cli_but_the_entry_point() -> None:
    assert importers_of(modules(ROOT, PRODUCT), "deployer.cli") == ["deployer.__main__"]


def test_the_deployer_has_no_import_circles() -> None:
    assert cycles(edges(modules(ROOT, ["deployer"]))) == []


def test_at_most_14_modules_directly_in_deployer() -> None:
    direct = sorted(p.name for p in (ROOT / "deployer").glob("*.py") if p.name != "__init__.py")
    assert len(direct) <= MAX_DIRECT_MODULES, direct


@pytest.mark.parametrize(("path", "most"), COMPOSING_FILES.items())
def test_the_files_that_only_compose_stay_short(path: str, most: int) -> None:
    lines = len((ROOT / path).read_text().splitlines())
    assert lines <= most, f"{path}: {lines} lines (at most {most})"


def test_domain_packages_do_not_import_the_commands() -> None:
    assert upward_imports(modules(ROOT, ["deployer"])) == {}


def upward_imports(found: dict[str, Module]) -> dict[str, list[str]]:
    """Modules outside the CLI layer (cli, __main__, commands) → what they import from commands."""
    cli_layer = ("deployer.cli", "deployer.__main__", "deployer.commands")
    upward = {
        name: sorted(n for n in module.imports if n.startswith("deployer.commands"))
        for name, module in found.items()
        if not name.startswith(cli_layer)
    }
    return {name: imported for name, imported in upward.items() if imported}


def test_only_deployer_cdk_builds_the_app_from_stacks() -> None:
    found = modules(ROOT, ["deployer"])
    assert [name for name in importers_of(found, "stacks") if not name.startswith("deployer.cdk.")] == []


LOWER_LAYERS = [
    ("constructs_lib", ["config", "stacks", "deployer"]),
    ("config", ["stacks", "deployer"]),
    ("bench", ["tests"]),
]


@pytest.mark.parametrize(("package", "upper"), LOWER_LAYERS)
def test_lower_layers_do_not_import_upper_ones(package: str, upper: list[str]) -> None:
    found = modules(ROOT, [package])
    assert [importer for target in upper for importer in importers_of(found, target)] == []


def test_the_cdk_context_keys_are_spelled_only_in_the_contract_module() -> None:
    spelled = [
        f"{path.relative_to(ROOT)}:{line}: {text!r}"
        for module in modules(ROOT, PRODUCT).values()
        if (path := module.path) != CONTEXT_CONTRACT
        for line, text in _string_starts(path)
        if text.startswith(CONTEXT_KEYS)
    ]
    assert spelled == []


def _string_starts(path: Path) -> list[tuple[int, str]]:
    """The start of every string literal and f-string in ``path``, with its line."""
    starts = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
            starts.append((node.lineno, str(node.values[0].value)))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            starts.append((node.lineno, node.value))
    return starts


# The checks themselves must be able to fail: a small tree that breaks each rule.
def test_the_checks_find_a_circle_an_upward_import_an_import_of_the_cli_and_a_key(tmp_path: Path) -> None:
    package = tmp_path / "deployer"
    (package / "commands").mkdir(parents=True)
    files = {
        "__init__.py": "",
        "cli.py": "from deployer.commands import run\n",
        "commands/__init__.py": "",
        "commands/run.py": "def run():\n    from deployer.plan import helper\n",
        "plan.py": "from deployer.commands.run import run\nKEY = f'pin.{1}'\n",
        "status.py": "import deployer.cli\n",
    }
    for name, text in files.items():
        (package / name).write_text(text)
    found = modules(tmp_path, ["deployer"])
    assert importers_of(found, "deployer.cli") == ["deployer.status"]
    assert [set(circle) for circle in cycles(edges(found))] == [{"deployer.plan", "deployer.commands.run"}]
    assert upward_imports(found) == {"deployer.plan": ["deployer.commands.run", "deployer.commands.run.run"]}
    assert (2, "pin.") in _string_starts(package / "plan.py")
