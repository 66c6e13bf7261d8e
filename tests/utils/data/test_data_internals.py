"""The DataLoader's helpers: pin_memory's traversal, ExceptionWrapper, worker-death messages."""

from __future__ import annotations

import collections
import signal

import pytest

from ember.utils.data._utils.errors import ExceptionWrapper
from ember.utils.data._utils.pin_memory import pin_memory
from ember.utils.data._utils.signal_handling import error_if_any_worker_fails

Pair = collections.namedtuple("Pair", ["a", "b"])


class Pinnable:
    def __init__(self, pinned=False):
        self.pinned = pinned

    def pin_memory(self):
        return Pinnable(pinned=True)


def test_pin_memory_pins_leaves_and_keeps_structure():
    data = {"t": Pinnable(), "pair": Pair(Pinnable(), "s"), "list": [Pinnable(), 3],
            "tuple": (Pinnable(),), "bytes": b"x"}
    out = pin_memory(data)
    assert out["t"].pinned and out["pair"].a.pinned and out["pair"].b == "s"
    assert isinstance(out["pair"], Pair) and isinstance(out["tuple"], tuple)
    assert out["list"][0].pinned and out["list"][1] == 3 and out["tuple"][0].pinned
    assert out["bytes"] == b"x"
    assert not data["t"].pinned  # the input is left alone


class TwoArgError(Exception):
    def __init__(self, a, b):
        super().__init__(a, b)


def wrap(exc):
    try:
        raise exc
    except Exception:
        return ExceptionWrapper(where="in DataLoader worker process 1")


def test_exception_wrapper_reraises_the_type_with_the_traceback():
    with pytest.raises(ValueError, match=r"^Caught ValueError in DataLoader worker process 1\."
                                         r"\nOriginal Traceback \(most recent call last\)"):
        wrap(ValueError("boom")).reraise()


def test_exception_wrapper_falls_back_on_runtime_error():
    with pytest.raises(RuntimeError, match=r"^Caught TwoArgError in DataLoader worker process 1"):
        wrap(TwoArgError(1, 2)).reraise()


def test_key_error_text_keeps_its_newlines():
    with pytest.raises(KeyError) as info:
        wrap(KeyError("k")).reraise()
    assert str(info.value).startswith("Caught KeyError in DataLoader worker process 1.\n")


class FakeProcess:
    def __init__(self, exitcode, pid=42):
        self.exitcode, self.pid = exitcode, pid


@pytest.mark.parametrize("code, alive, pattern", [
    (-signal.SIGKILL, True, r"^DataLoader worker \(pid 42\) is killed by signal: Killed\.$"),
    (-signal.SIGSEGV, False, r"is killed by signal: Segmentation fault\.$"),
    (-signal.SIGBUS, True, r"is killed by signal: Bus error\. It is possible that dataloader's "
                           r"workers are out of shared memory"),
    (3, True, r"^DataLoader worker \(pid 42\) exited unexpectedly with exit code 3\. "),
    (0, True, r"^DataLoader worker \(pid\(s\) 42\) exited unexpectedly$"),
])
def test_worker_death_messages(code, alive, pattern):
    with pytest.raises(RuntimeError, match=pattern):
        error_if_any_worker_fails([FakeProcess(None, 1), FakeProcess(code)], [True, alive])


def test_running_or_finished_workers_are_fine():
    error_if_any_worker_fails([FakeProcess(None), FakeProcess(0)], [True, False])
