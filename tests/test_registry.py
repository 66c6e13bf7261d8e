"""The backend registry: discovery, lazy loading, failures that must not break Ember."""

from __future__ import annotations

import subprocess
import sys

import pytest

import ember
from ember.backend import Backend, BackendSpec, BackendUnavailable, registry


def test_builtin_backends_are_registered_through_entry_points():
    names = {s.name: s.device_type for s in registry.specs()}
    assert names["numpy"] == "cpu"
    assert names["reference"] == "ref"
    assert "numpy" in ember.backends.available()
    assert "reference" in ember.backends.available()


def test_resolution_is_cached_per_device():
    a = ember.zeros(2)
    b = ember.ones(3)
    assert a._backend is b._backend
    assert ember.zeros(1, device="ref")._backend is ember.ones(1, device="ref")._backend


class _Unavailable(Backend):
    name = "sleepy"
    device_type = "sleepy"

    @classmethod
    def unavailable_reason(cls):
        return "SleepyLib is not installed"


def _broken_load():
    raise ImportError("No module named 'sleepylib'")


@pytest.fixture
def temp_spec():
    added = []

    def add(spec):
        registry.register(spec)
        added.append(spec.name)

    yield add
    for name in added:
        registry.unregister(name)


def test_unavailable_backend_reports_its_reason(temp_spec):
    temp_spec(BackendSpec("sleepy", "sleepy", lambda: _Unavailable))
    with pytest.raises(BackendUnavailable, match="SleepyLib is not installed"):
        ember.zeros(2, device="sleepy")
    rows = {r.name: r for r in ember.backends.installed()}
    assert rows["sleepy"].available is False
    assert rows["sleepy"].reason == "SleepyLib is not installed"


def test_backend_that_fails_to_import_is_reported(temp_spec):
    temp_spec(BackendSpec("broken", "broken", _broken_load))
    rows = {r.name: r for r in ember.backends.installed()}
    assert "sleepylib" in rows["broken"].reason
    with pytest.raises(BackendUnavailable, match="sleepylib"):
        ember.zeros(1, device="broken")
    assert ember.zeros(1).tolist() == [0.0]  # the rest of Ember is unaffected


def test_unknown_device_type_raises_runtime_error():
    with pytest.raises(RuntimeError, match="nosuchdevice"):
        ember.zeros(1, device="nosuchdevice")


def test_unknown_backend_name():
    with pytest.raises(RuntimeError, match="unknown backend 'nope'"):
        registry.spec("nope")


def test_bad_device_strings():
    with pytest.raises(RuntimeError, match="Invalid device string"):
        ember.device("cuda:x")
    with pytest.raises(RuntimeError):
        ember.device("cuda:0", 1)
    assert ember.device("cuda", 1) is ember.device("cuda:1")
    assert repr(ember.device("cpu")) == "device(type='cpu')"
    assert str(ember.device("cuda:1")) == "cuda:1"


def test_cuda_unavailable_without_cupy():
    assert ember.cuda.is_available() is False
    assert ember.cuda.device_count() == 0
    assert ember.cuda.unavailable_reason()
    assert ember.version.cuda is None


def test_cli_backends_table():
    out = subprocess.run([sys.executable, "-m", "ember.cli", "backends"], capture_output=True,
                         text=True, check=True).stdout
    assert "numpy" in out and "reference" in out and "cuda: unavailable" in out


def test_plugin_import_failure_does_not_break_import(tmp_path):
    # A distribution whose ember.backends entry point names a module that raises on import.
    dist = tmp_path / "badplugin-0.1.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: badplugin\nVersion: 0.1\n")
    (dist / "entry_points.txt").write_text("[ember.backends]\nbad = badplugin_mod\n")
    (tmp_path / "badplugin_mod.py").write_text("raise RuntimeError('plugin exploded')\n")
    code = ("import ember; print(ember.zeros(2).tolist()); "
            "print([r.reason for r in ember.backends.installed() if r.name == 'bad'])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={"PYTHONPATH": str(tmp_path), "PATH": ""}, check=True).stdout
    assert "[0.0, 0.0]" in out
    assert "plugin exploded" in out


def test_ember_device_environment_variable():
    code = "import ember; t = ember.zeros(2); print(t.device, t._backend.name)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={"EMBER_DEVICE": "ref", "PATH": ""}, check=True).stdout
    assert out.split() == ["ref", "reference"]
