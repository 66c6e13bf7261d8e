"""The op database covers every public op (STYLE rule 10): a new op cannot ship silently.

"Public op" means every op of ``ember._ops._registry.OPS`` in ``ember`` and
``ember.linalg``, and every function of ``ember.nn.functional.__all__`` (keys
``"nn.functional.<name>"``).
"""

from __future__ import annotations

from .opdb import NOT_YET_COVERED, OPDB, all_cases, covered_names, nn_functional_ops, public_ops


def test_every_public_op_has_an_entry() -> None:
    ops = public_ops()
    missing = sorted(k for k in ops if k not in OPDB and k not in NOT_YET_COVERED)
    assert not missing, (
        f"{len(missing)} public op(s) of ember._ops._registry.OPS have no op-database entry "
        f"(conformance/ember_conformance/opdb/) and no reasoned line in "
        f"opdb/_uncovered.py NOT_YET_COVERED: {', '.join(missing)}")


def test_every_nn_functional_has_an_entry() -> None:
    missing = sorted(k for k in nn_functional_ops() if k not in OPDB and k not in NOT_YET_COVERED)
    assert not missing, (
        f"{len(missing)} public function(s) of ember.nn.functional.__all__ have no "
        f"op-database entry (conformance/ember_conformance/opdb/_nn_*.py) and no reasoned "
        f"line in opdb/_uncovered.py NOT_YET_COVERED: {', '.join(missing)}")


def test_not_yet_covered_is_current() -> None:
    names = covered_names()
    stale = sorted(k for k in NOT_YET_COVERED if k in OPDB or k not in names)
    assert not stale, (f"NOT_YET_COVERED lists ops that now have an entry or are no longer "
                       f"public; delete these lines: {', '.join(stale)}")
    unreasoned = sorted(k for k, why in NOT_YET_COVERED.items() if len(why.strip()) < 10)
    assert not unreasoned, f"NOT_YET_COVERED needs a reason for: {', '.join(unreasoned)}"


def test_every_covered_op_has_cases() -> None:
    counts: dict[str, int] = {}
    for case in all_cases():
        counts[case.op] = counts.get(case.op, 0) + 1
    empty = sorted(k for k in covered_names() if k in OPDB and not counts.get(k))
    assert not empty, f"op-database entries generating no case: {', '.join(empty)}"


def test_case_ids_are_unique() -> None:
    ids = [c.id for c in all_cases()]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    assert not dupes, f"duplicate case ids: {dupes[:10]}"
