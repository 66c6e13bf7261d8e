"""Public ops deliberately without an op-database entry, each with the reason.

``test_coverage`` fails for a public op that has neither an entry nor a line here, so a
new op cannot ship silently. Delete a line when its op gains an entry.
"""

from __future__ import annotations

__all__ = ["NOT_YET_COVERED"]

NOT_YET_COVERED: dict[str, str] = {
    "from_numpy": "creates a CPU tensor sharing memory with a NumPy array: not a per-backend "
                  "kernel (covered by tests/ for the CPU backend)",
    "nn.functional.gumbel_softmax": "random: draws Gumbel noise from the generator; covered "
                                    "by tests/nn (its deterministic part is softmax)",
}
