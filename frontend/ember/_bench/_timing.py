"""Timing with :func:`time.perf_counter`: warm up, size a loop, then repeat it.

# NOTE [ Paired repeats ]
A workload's implementations (Ember on each backend, PyTorch, hand-written NumPy) are timed
in turns inside every repeat, so repeat ``i`` of each sees the same machine load. A ratio
is taken per repeat (Ember's time over the baseline's, both from repeat ``i``) and the
report gives the min, median and max of those ratios. On a shared machine this is far
steadier than dividing two independently measured minima.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["Stats", "CLOCKS", "calibrate", "time_loop", "summarize", "measure"]

#: ``wall``: elapsed time (what a user waits for). ``cpu``: CPU time of this process, all
#: threads included; steadier on a machine shared with other jobs, since time spent
#: descheduled does not count.
CLOCKS = {"wall": time.perf_counter, "cpu": time.process_time}


@dataclass(frozen=True)
class Stats:
    """Seconds per call over the repeats of one implementation of one workload."""

    times: tuple[float, ...]
    number: int

    @property
    def min(self) -> float:
        return min(self.times)

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def max(self) -> float:
        return max(self.times)

    def as_dict(self) -> dict[str, Any]:
        return {"min": self.min, "median": self.median, "max": self.max,
                "number": self.number, "repeat": len(self.times), "times": list(self.times)}


def time_loop(fn: Callable[[], Any], number: int, clock: str = "wall") -> float:
    """Seconds per call of ``fn`` over one loop of ``number`` calls."""
    now = CLOCKS[clock]
    t0 = now()
    for _ in range(number):
        fn()
    return (now() - t0) / number


def calibrate(fn: Callable[[], Any], min_time: float, warmup: int = 1,
              max_number: int = 1 << 16, clock: str = "wall") -> int:
    """Warm ``fn`` up, then the number of calls per repeat that lasts at least ``min_time``."""
    for _ in range(warmup):
        fn()
    number = 1
    while number < max_number:
        t = time_loop(fn, number, clock) * number
        if t >= min_time:
            break
        # aim a little past min_time, growing at most 10x per probe
        number = min(max_number, max(number + 1, min(number * 10,
                                                      int(number * 1.2 * min_time / max(t, 1e-9)))))
    return number


def summarize(values: Sequence[float]) -> dict[str, float]:
    """``{"min", "median", "max"}`` of ``values``."""
    return {"min": min(values), "median": statistics.median(values), "max": max(values)}


def measure(fn: Callable[[], Any], repeat: int = 5, min_time: float = 0.05,
            warmup: int = 1, clock: str = "wall") -> Stats:
    """Time ``fn`` alone: ``repeat`` loops, each sized to last at least ``min_time``.

    Example:
        >>> from ember.bench import measure
        >>> measure(lambda: sum(range(100)), repeat=3, min_time=0.001).number >= 1
        True
    """
    number = calibrate(fn, min_time, warmup, clock=clock)
    return Stats(tuple(time_loop(fn, number, clock) for _ in range(repeat)), number)
