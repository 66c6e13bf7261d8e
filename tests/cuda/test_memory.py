"""ember.cuda's memory statistics without a CUDA device, against PyTorch's CPU-only build."""

from __future__ import annotations

import pytest

import ember

ZERO = ["memory_allocated", "max_memory_allocated", "memory_reserved", "max_memory_reserved"]


@pytest.mark.parametrize("name", ZERO)
def test_counts_are_zero_like_pytorch(name, torch):
    assert getattr(ember.cuda, name)() == getattr(torch.cuda, name)() == 0


def test_stats_are_empty_like_pytorch(torch):
    assert ember.cuda.memory_stats() == torch.cuda.memory_stats() == {}
    assert ember.cuda.memory_stats_as_nested_dict() == {}


@pytest.mark.parametrize("name", ["memory_cached", "max_memory_cached"])
def test_deprecated_names_warn_like_pytorch(name, torch):
    with pytest.warns(FutureWarning) as rec:
        assert getattr(ember.cuda, name)() == 0
    with pytest.warns(FutureWarning) as trec:
        getattr(torch.cuda, name)()
    assert str(rec[0].message) == str(trec[0].message)


@pytest.mark.filterwarnings("ignore::FutureWarning")
@pytest.mark.parametrize("name", ["reset_peak_memory_stats", "reset_max_memory_allocated",
                                  "reset_accumulated_memory_stats", "mem_get_info"])
def test_need_cuda(name, torch):
    with pytest.raises(RuntimeError, match="CUDA is not available"):
        getattr(ember.cuda, name)()
    with pytest.raises(Exception):  # noqa: B017 - PyTorch's CPU build: AttributeError/Assertion
        getattr(torch.cuda, name)()


@pytest.mark.parametrize("abbreviated", [False, True])
def test_summary_is_pytorchs_table_of_zeros(abbreviated, torch):
    # PyTorch without an initialised CUDA raises KeyError here (its stats are empty); Ember
    # prints the table PyTorch prints, every figure 0.
    text = ember.cuda.memory_summary(abbreviated=abbreviated)
    lines = text.splitlines()
    assert text.endswith("|\n") and {len(line) for line in lines} == {77}
    assert len(lines) == (29 if abbreviated else 47)
    assert "Ember CUDA memory summary, device ID 0" in lines[1]
    assert lines[7] == "| Allocated memory      |      0 B   |      0 B   |      0 B   |      0 B   |"
    with pytest.raises(KeyError, match="allocated_bytes.all.current"):
        torch.cuda.memory_summary()
