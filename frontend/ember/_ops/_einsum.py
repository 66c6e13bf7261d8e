"""``einsum``: Einstein summation, contracted pairwise with the backend's ``matmul``, with
its backward (each operand's gradient is an einsum of the output gradient with the others).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from .._tensor import Tensor, _wrap
from ._autodiff import differentiable
from ._common import check_device, shape_of
from ._elementwise import _tname
from ._linalg import _no_bool
from ._reduction import check_tensor
from ._registry import public
from ._views import embed

__all__ = ["einsum"]

def _labels(term: str, start: int) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(term):
        c = term[i]
        if term.startswith("...", i):
            if "..." in out:
                raise RuntimeError("einsum(): found '.' for operand that is not part of any "
                                   "ellipsis")
            out.append("...")
            i += 3
            continue
        if not ("a" <= c <= "z" or "A" <= c <= "Z"):
            raise RuntimeError(f"einsum(): invalid subscript given at index {start + i} in the "
                               f"equation string, subscripts must be in [a-zA-Z]")
        out.append(c)
        i += 1
    return out


def _parse(equation: str, shapes: list[tuple]) -> tuple[list[list[str]], list[str]]:
    eq = equation.replace(" ", "")
    lhs, arrow, rhs = eq.partition("->")
    terms, pos = [], 0
    for term in lhs.split(","):
        terms.append(_labels(term, pos))
        pos += len(term) + 1
    if len(terms) < len(shapes):
        raise RuntimeError("einsum(): more operands were provided than specified in the "
                           "equation")
    if len(terms) > len(shapes):
        raise RuntimeError("einsum(): fewer operands were provided than specified in the "
                           "equation")
    used = {c for t in terms for c in t}
    fresh = [c for c in "zyxwvutsrqponmlkjihgfedcbaZYXWVUTSRQPONMLKJIHGFEDCBA" if c not in used]
    n_ell = 0
    for i, (t, s) in enumerate(zip(terms, shapes)):
        named = len(t) - ("..." in t)
        if "..." not in t and named != len(s):
            raise RuntimeError(f"einsum(): the number of subscripts in the equation ({named}) "
                               f"does not match the number of dimensions ({len(s)}) for operand "
                               f"{i} and no ellipsis was given")
        if named > len(s):
            raise RuntimeError(f"einsum(): the number of subscripts in the equation ({named}) "
                               f"is more than the number of dimensions ({len(s)}) for operand "
                               f"{i}")
        n_ell = max(n_ell, len(s) - named)
    ell = fresh[:n_ell][::-1]
    out_terms = []
    for t, s in zip(terms, shapes):
        k = len(s) - (len(t) - 1) if "..." in t else 0
        out_terms.append([x for c in t for x in (ell[n_ell - k:] if c == "..." else [c])])
    if arrow:
        out = _labels(rhs, len(lhs) + 2)
        for c in out:
            if c != "..." and c not in used:
                raise RuntimeError(f"einsum(): output subscript {c} does not appear in the "
                                   f"equation for any input operand")
            if out.count(c) > 1:
                raise RuntimeError(f"einsum(): output subscript {c} appears more than once in "
                                   f"the output")
        out = [x for c in out for x in (ell if c == "..." else [c])]
    else:
        counts: dict[str, int] = {}
        for t in terms:
            for c in t:
                counts[c] = counts.get(c, 0) + 1
        out = (ell if n_ell or any("..." in t for t in terms) else []) + sorted(
            c for c, n in counts.items() if n == 1 and c != "...")
    return out_terms, out


def _diagonals(be: Any, x: Any, labels: list[str], i: int) -> tuple[Any, list[str]]:
    labels = list(labels)
    while True:
        dup = next((c for c in labels if labels.count(c) > 1), None)
        if dup is None:
            return x, labels
        a = labels.index(dup)
        b = labels.index(dup, a + 1)
        sh = be.shape(x)
        if sh[a] != sh[b]:
            raise RuntimeError(f"einsum(): subscript {dup} is repeated for operand {i} but the "
                               f"sizes don't match, {sh[b]} != {sh[a]}")
        x = be.diagonal(x, 0, a, b)
        labels = [c for j, c in enumerate(labels) if j not in (a, b)] + [dup]


def _sum_out(be: Any, x: Any, labels: list[str], keep: set[str]) -> tuple[Any, list[str]]:
    axes = tuple(j for j, c in enumerate(labels) if c not in keep)
    if not axes:
        return x, labels
    return be.sum(x, axes, False), [c for c in labels if c in keep]


def _contract(be: Any, a: Any, la: list[str], b: Any, lb: list[str], keep: set[str],
              sizes: dict[str, int]) -> tuple[Any, list[str]]:
    a, la = _sum_out(be, a, la, keep | set(lb))
    b, lb = _sum_out(be, b, lb, keep | set(la))
    batch = [c for c in la if c in lb and c in keep]
    inner = [c for c in la if c in lb and c not in keep]
    ao = [c for c in la if c not in lb]
    bo = [c for c in lb if c not in la]
    size = lambda cs: math.prod(sizes[c] for c in cs)  # noqa: E731
    x = be.reshape(be.permute(a, tuple(la.index(c) for c in batch + ao + inner)),
                   (size(batch), size(ao), size(inner)))
    y = be.reshape(be.permute(b, tuple(lb.index(c) for c in batch + inner + bo)),
                   (size(batch), size(inner), size(bo)))
    res = be.reshape(be.matmul(x, y), tuple(sizes[c] for c in batch + ao + bo))
    return res, batch + ao + bo


def _einsum_inputs(args: tuple, kwargs: dict) -> tuple:
    ops = args[1:]
    return tuple(ops[0]) if len(ops) == 1 and isinstance(ops[0], list | tuple) else ops


def _same(t: Tensor) -> Tensor:
    return t


def _diagonal_view(lab: list[str]) -> tuple[Callable[[Tensor], Tensor], list[str]]:
    """For subscripts that repeat (``ii``), the view taking those diagonals (each appended
    as the last axis, as :func:`diagonal` does) and the subscripts it leaves."""
    pairs = []
    lab = list(lab)
    while len(set(lab)) != len(lab):
        c = next(c for c in lab if lab.count(c) > 1)
        a = lab.index(c)
        b = lab.index(c, a + 1)
        pairs.append((a, b))
        lab = [x for k, x in enumerate(lab) if k not in (a, b)] + [c]
    if not pairs:
        return _same, lab

    def view(t: Tensor) -> Tensor:
        for a, b in pairs:
            t = t.diagonal(0, a, b)
        return t

    return view, lab


def _einsum_backward(ctx: Any, g: Tensor) -> tuple:
    """Operand ``i``'s gradient is the einsum of the output gradient with the other
    operands onto operand ``i``'s subscripts (subscripts only ``i`` holds are broadcast)."""
    ops = ctx.inputs
    terms, out = _parse(ctx.args[0], [shape_of(t) for t in ops])
    grads: list = []
    for i, t in enumerate(ops):
        lab = terms[i]
        if not t._requires_grad:
            grads.append(None)
            continue
        view, lab = _diagonal_view(lab)
        others = [terms[j] for j in range(len(ops)) if j != i]
        avail = set(out).union(*[set(o) for o in others])
        target = [c for c in lab if c in avail]
        eq = ",".join(["".join(out)] + ["".join(o) for o in others]) + "->" + "".join(target)
        gi = einsum(eq, g, *[ops[j] for j in range(len(ops)) if j != i])
        if len(target) != len(lab):
            for pos, c in enumerate(lab):
                if c not in avail:
                    gi = gi.unsqueeze(pos)
            shape = shape_of(view(t))
            gi = gi.expand(tuple(n if c not in avail else -1 for c, n in zip(lab, shape)))
        grads.append(gi if view is _same else embed(gi, shape_of(t), view, "Diagonal"))
    return tuple(grads)


@public(method=False)
@differentiable("EinsumBackward0", _einsum_backward, inputs=_einsum_inputs)
def einsum(equation: str, *operands: Any) -> Tensor:
    """Einstein summation over ``operands`` as written in ``equation`` (``"ij,jk->ik"``;
    without ``->`` the output holds the labels seen once, in alphabetical order; ``...``
    stands for broadcast dimensions).

    Example:
        >>> import ember
        >>> a = ember.tensor([[1., 2.], [3., 4.]])
        >>> ember.einsum("ii", a)
        tensor(5.)
    """
    if len(operands) == 1 and isinstance(operands[0], list | tuple):
        operands = tuple(operands[0])
    for t in operands:
        check_tensor("einsum", t, "operands")
    if not operands:
        raise RuntimeError("einsum(): must provide at least one operand")
    be = operands[0]._backend
    for t in operands[1:]:
        check_device("einsum", operands[0], t)
        if t._dtype is not operands[0]._dtype:
            raise RuntimeError(f"expected scalar type {_tname(operands[0]._dtype)} but found "
                               f"{_tname(t._dtype)}")
    dt = operands[0]._dtype
    terms, out = _parse(equation, [shape_of(t) for t in operands])
    arrays, labels = [], []
    for i, (t, lab) in enumerate(zip(operands, terms)):
        x, lab = _diagonals(be, t._data, lab, i)
        arrays.append(x)
        labels.append(lab)
    sizes: dict[str, int] = {}
    for i, (x, lab) in enumerate(zip(arrays, labels)):
        for c, n in zip(lab, be.shape(x)):
            seen = sizes.get(c)
            if seen is None or seen == 1:
                sizes[c] = n
            elif n != seen and n != 1:
                raise RuntimeError(f"einsum(): subscript {c} has size {n} for operand {i} which "
                                   f"does not broadcast with previously seen size {seen}")
    arrays = [x if tuple(sizes[c] for c in lab) == be.shape(x)
              else be.expand(x, tuple(sizes[c] for c in lab)) for x, lab in zip(arrays, labels)]
    fused = be.optional("einsum")
    if fused is not None:
        eq = ",".join("".join(lab) for lab in labels) + "->" + "".join(out)
        return _wrap(fused(eq, *arrays), dt, be)
    if len(arrays) > 1:
        _no_bool("einsum", dt)
    x, lab = arrays[0], labels[0]
    for j in range(1, len(arrays)):
        keep = set(out).union(*[set(v) for v in labels[j + 1:]])
        x, lab = _contract(be, x, lab, arrays[j], labels[j], keep, sizes)
    x, lab = _sum_out(be, x, lab, set(out))
    return _wrap(be.copy(be.permute(x, tuple(lab.index(c) for c in out))), dt, be)


# ``ember.linalg`` holds the matrix functions and registers ``det``, ``norm``, ... too.
