"""Seed exercise 1: A @ Bᵀ, a broadcast product and row-wise L2 norms.

Two random (3, 4) tensors ``A`` and ``B``:

* the matrix product ``A @ B.T`` (3 x 3),
* the element-wise product of every row of ``A`` with every row of ``B``, by broadcasting
  (3, 1, 4) against (1, 3, 4); summing it over the last dim gives ``A @ B.T`` back,
* the L2 norm of each row of ``A``, three ways (``norm``, ``linalg.vector_norm`` and by hand).

Run it with ``python examples/00_tensor_exercises.py [--device ref]``.
"""

from __future__ import annotations

import argparse

import ember as torch


def main(argv: list[str] | None = None) -> dict[str, torch.Tensor]:
    """Solve the three tensor exercises and print the results.

    Args:
        argv: command-line arguments (``None`` reads ``sys.argv``).

    Returns:
        The computed tensors, keyed by name.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", default="cpu", help="backend device: cpu or ref")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    torch.manual_seed(args.seed)
    a = torch.randn(3, 4, device=args.device)
    b = torch.randn(3, 4, device=args.device)

    product = a @ b.T  # (3, 4) @ (4, 3) -> (3, 3)
    broadcast = a.unsqueeze(1) * b.unsqueeze(0)  # (3, 1, 4) * (1, 3, 4) -> (3, 3, 4)
    assert torch.allclose(broadcast.sum(dim=-1), product, atol=1e-6)
    norms = a.norm(dim=1)  # the default p=2
    by_hand = (a**2).sum(dim=1).sqrt()
    assert torch.allclose(norms, by_hand) and torch.allclose(
        norms, torch.linalg.vector_norm(a, dim=1)
    )

    print(f"A =\n{a}\nB =\n{b}")
    print(f"A @ B.T =\n{product}")
    print(f"A[i] * B[j] for every pair (i, j), shape {tuple(broadcast.shape)}:\n{broadcast}")
    print("row-wise L2 norms of A =", norms)
    return {"product": product, "broadcast": broadcast, "norms": norms}


if __name__ == "__main__":
    main()
