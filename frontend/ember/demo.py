"""``python -m ember.demo``: a short tensor program on the default backend.

(The training demo replaces this when nn, optim and data land.)
"""

from __future__ import annotations

import ember


def main() -> None:
    ember.manual_seed(0)
    x = ember.tensor([[1.0, 2.0], [3.0, 4.0]])
    print("device:", x.device, "| backends:", ", ".join(ember.backends.available()))
    print("x =", x)
    print("x @ x.T =", x @ x.T)
    print("x.sum(dim=0) =", x.sum(dim=0))
    print("x.max(dim=1) =", x.max(dim=1))
    w = ember.randn(3, 2)
    print("randn(3, 2) =", w)
    print("softmax-like normalisation:", (x.exp() / x.exp().sum(dim=1, keepdim=True)))


if __name__ == "__main__":
    main()
