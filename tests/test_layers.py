"""The code's shape: apps in layers, each importing only those below it."""

import ast
import subprocess
import sys
import tomllib
from pathlib import Path

from django.conf import settings

BASE_DIR = Path(__file__).resolve().parents[1]
CONFIG = tomllib.loads((BASE_DIR / "pyproject.toml").read_text())["tool"][
    "importlinter"
]
PACKAGES = CONFIG["root_packages"]


def test_the_apps_import_each_other_only_downwards():
    """import-linter's layers contract (pyproject.toml), as `make check` runs it."""
    result = subprocess.run(
        [Path(sys.executable).parent / "lint-imports"],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_every_app_of_the_portal_stands_in_a_layer():
    """A new app cannot escape the contract by being left out of it."""
    ours = {
        app
        for app in settings.INSTALLED_APPS
        if (BASE_DIR / app.split(".")[0]).is_dir()
    }
    (contract,) = CONFIG["contracts"]
    layered = {
        package.strip() for layer in contract["layers"] for package in layer.split("|")
    }
    assert ours | {"resource_portal"} == set(PACKAGES) == layered


def function_level_imports(path: Path) -> list[tuple[int, str, str]]:
    """(line, function, module) of every import of the portal's own packages made
    inside a function of `path`."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for inner in ast.walk(node):
            if isinstance(inner, ast.ImportFrom) and inner.level == 0:
                modules = [inner.module]
            elif isinstance(inner, ast.Import):
                modules = [alias.name for alias in inner.names]
            else:
                continue
            found += [
                (inner.lineno, node.name, module)
                for module in modules
                if module.split(".")[0] in PACKAGES
            ]
    return found


def test_no_module_imports_the_portals_code_inside_a_function():
    """Imports stand at the top, where the contract sees them; the one exception is
    an app's `ready()`, which loads its own modules once the models are loaded."""
    hidden = []
    for package in PACKAGES:
        for path in (BASE_DIR / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for line, function, module in function_level_imports(path):
                own_app = module.split(".")[0] == package
                if not (path.name == "apps.py" and function == "ready" and own_app):
                    hidden.append(f"{path.relative_to(BASE_DIR)}:{line} {module}")
    assert hidden == []


def test_the_import_scan_sees_an_import_inside_a_function(tmp_path):
    module = tmp_path / "module.py"
    module.write_text("def view():\n    from potentials.models import Potential\n")
    assert function_level_imports(module) == [(2, "view", "potentials.models")]
