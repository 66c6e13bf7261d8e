"""The reference backend runs on the standard library alone: NumPy is never imported."""

from __future__ import annotations

import ast
import pathlib
import subprocess
import sys
import textwrap

import ember_reference

PACKAGE = pathlib.Path(ember_reference.__file__).parent

# Runs in a fresh interpreter where importing numpy fails. ``ember`` itself is replaced by
# a bare package object so that only ``ember.backend`` (the layer a backend may import,
# standard library + pluggy) is loaded, whatever the frontend imports.
SCRIPT = textwrap.dedent("""
    import importlib.abc, importlib.util, sys, types

    class BlockNumpy(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name == "numpy" or name.startswith(("numpy.", "ml_dtypes")):
                raise ImportError(f"{name} is blocked in this test")
            return None

    sys.meta_path.insert(0, BlockNumpy())
    spec = importlib.util.find_spec("ember")
    ember = types.ModuleType("ember")
    ember.__path__ = list(spec.submodule_search_locations)
    sys.modules["ember"] = ember

    from ember.backend import device, float32, int8
    from ember_reference._backend import ReferenceBackend

    B = ReferenceBackend(device("ref"))
    x = B.from_list([[1.0, 2.0], [3.0, 4.0]], (2, 2), float32)
    y = B.matmul(x, B.permute(x, (1, 0)))
    print(B.to_list(y), B.to_list(B.sum(B.exp(x), (0, 1), False)) > 0,
          B.to_list(B.add(B.full((), 127, int8), 1)), B.to_list(B.det(x)))
    assert not any(m == "numpy" or m.startswith("numpy.") for m in sys.modules)
""")


def test_backend_imports_and_computes_without_numpy():
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["[[5.0,", "11.0],", "[11.0,", "25.0]]", "True", "-128",
                                   "-2.0"]


def test_no_module_mentions_numpy_in_an_import():
    for path in sorted(PACKAGE.glob("*.py")):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level > 0:
                    continue  # a relative import stays inside ember_reference
                names = [node.module or ""]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                assert top in sys.stdlib_module_names or top == "ember", \
                    f"{path.name} imports {name}: the reference is standard library only"
