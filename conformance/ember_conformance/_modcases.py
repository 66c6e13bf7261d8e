"""The layers and losses the module checks build (``test_modules.py``, ``test_losses.py``).

Each is a :class:`~._models.ModuleSpec`: how to build it (``nn`` is ``ember.nn``, ``f``
the factory keywords ``device`` and ``dtype``) and its forward's inputs as recipes. Sizes
are tiny: the reference backend computes them in pure Python.
"""

from __future__ import annotations

from typing import Any

from ._models import Input, ModuleSpec

__all__ = ["LAYERS", "LOSSES", "loss_names"]


def _t(e: Any, f: dict, data: list) -> Any:
    """A constant tensor (a loss's ``weight``) on the factory's device and dtype."""
    return e.tensor(data, **f)


X = Input  # short: the tables below are long
_IDX = X((4,), "index", high=3)  # class targets for 3 classes, batch 4

LAYERS: list[ModuleSpec] = [
    ModuleSpec("Linear", lambda e, f: e.nn.Linear(5, 3, **f), (X((4, 5)),)),
    ModuleSpec("Linear-nobias-3d", lambda e, f: e.nn.Linear(4, 2, bias=False, **f),
               (X((2, 3, 4)),)),
    ModuleSpec("Bilinear", lambda e, f: e.nn.Bilinear(3, 2, 4, **f), (X((3, 3)), X((3, 2)))),
    ModuleSpec("Conv1d", lambda e, f: e.nn.Conv1d(2, 3, 3, padding=1, **f), (X((2, 2, 7)),)),
    ModuleSpec("Conv2d", lambda e, f: e.nn.Conv2d(2, 3, 3, **f), (X((2, 2, 5, 5)),)),
    ModuleSpec("Conv2d-stride-pad-dil", lambda e, f: e.nn.Conv2d(
        2, 4, 3, stride=2, padding=2, dilation=2, **f), (X((1, 2, 6, 6)),)),
    ModuleSpec("Conv2d-groups", lambda e, f: e.nn.Conv2d(4, 4, 2, groups=2, **f),
               (X((1, 4, 4, 4)),)),
    ModuleSpec("ConvTranspose2d", lambda e, f: e.nn.ConvTranspose2d(
        2, 3, 3, stride=2, padding=1, output_padding=1, **f), (X((1, 2, 3, 3)),)),
    ModuleSpec("MaxPool2d", lambda e, f: e.nn.MaxPool2d(2), (X((2, 2, 4, 4)),)),
    ModuleSpec("MaxPool2d-overlap", lambda e, f: e.nn.MaxPool2d(3, stride=2, padding=1),
               (X((1, 2, 5, 5)),)),
    ModuleSpec("AvgPool2d", lambda e, f: e.nn.AvgPool2d(2), (X((2, 2, 4, 4)),)),
    ModuleSpec("AvgPool2d-pad", lambda e, f: e.nn.AvgPool2d(
        3, stride=2, padding=1, count_include_pad=False), (X((1, 2, 5, 5)),)),
    ModuleSpec("AdaptiveAvgPool2d", lambda e, f: e.nn.AdaptiveAvgPool2d((2, 3)),
               (X((1, 2, 5, 7)),)),
    ModuleSpec("BatchNorm1d", lambda e, f: e.nn.BatchNorm1d(3, **f), (X((5, 3)),)),
    ModuleSpec("BatchNorm1d-eval", lambda e, f: e.nn.BatchNorm1d(3, **f), (X((5, 3)),),
               mode="eval"),
    ModuleSpec("BatchNorm2d", lambda e, f: e.nn.BatchNorm2d(3, **f), (X((2, 3, 3, 3)),)),
    ModuleSpec("BatchNorm2d-eval", lambda e, f: e.nn.BatchNorm2d(3, **f),
               (X((2, 3, 3, 3)),), mode="eval"),
    ModuleSpec("InstanceNorm1d", lambda e, f: e.nn.InstanceNorm1d(2, affine=True, **f),
               (X((2, 2, 5)),)),
    ModuleSpec("LayerNorm", lambda e, f: e.nn.LayerNorm(4, **f), (X((3, 4)),)),
    ModuleSpec("LayerNorm-2d", lambda e, f: e.nn.LayerNorm((2, 3), **f), (X((2, 2, 3)),)),
    ModuleSpec("GroupNorm", lambda e, f: e.nn.GroupNorm(2, 4, **f), (X((2, 4, 3)),)),
    ModuleSpec("Embedding", lambda e, f: e.nn.Embedding(6, 3, **f),
               (X((2, 4), "index", high=6),)),
    ModuleSpec("Embedding-padding", lambda e, f: e.nn.Embedding(6, 3, padding_idx=0, **f),
               (X((7,), "data", data=(0, 1, 0, 5, 2, 2, 3)),)),
    ModuleSpec("Dropout-p0", lambda e, f: e.nn.Dropout(0.0), (X((3, 4)),)),
    ModuleSpec("Dropout-eval", lambda e, f: e.nn.Dropout(0.5), (X((3, 4)),), mode="eval"),
    ModuleSpec("PReLU", lambda e, f: e.nn.PReLU(3, **f), (X((2, 3, 2)),)),
    ModuleSpec("GELU-tanh", lambda e, f: e.nn.GELU("tanh"), (X((3, 4)),)),
    ModuleSpec("RNN", lambda e, f: e.nn.RNN(3, 4, **f), (X((4, 2, 3)),)),
    ModuleSpec("LSTM", lambda e, f: e.nn.LSTM(3, 4, **f), (X((4, 2, 3)),)),
    ModuleSpec("LSTM-2layer-bidir", lambda e, f: e.nn.LSTM(
        3, 2, num_layers=2, bidirectional=True, batch_first=True, **f), (X((2, 3, 3)),)),
    ModuleSpec("GRU", lambda e, f: e.nn.GRU(3, 4, **f), (X((4, 2, 3)),)),
    ModuleSpec("MultiheadAttention", lambda e, f: e.nn.MultiheadAttention(4, 2, **f),
               (X((3, 2, 4)), X((5, 2, 4)), X((5, 2, 4)))),
    ModuleSpec("TransformerEncoderLayer", lambda e, f: e.nn.TransformerEncoderLayer(
        4, 2, dim_feedforward=8, dropout=0.0, batch_first=True, **f), (X((2, 3, 4)),)),
]


LOSSES: list[ModuleSpec] = [
    ModuleSpec("CrossEntropyLoss", lambda e, f: e.nn.CrossEntropyLoss(), (X((4, 3)), _IDX)),
    ModuleSpec("CrossEntropyLoss-weight-smoothing", lambda e, f: e.nn.CrossEntropyLoss(
        weight=_t(e, f, [1.0, 2.0, 0.5]), label_smoothing=0.2), (X((4, 3)), _IDX)),
    ModuleSpec("CrossEntropyLoss-ignore-index", lambda e, f: e.nn.CrossEntropyLoss(
        ignore_index=1), (X((5, 3)), X((5,), "data", data=(0, 1, 2, 1, 2)))),
    ModuleSpec("CrossEntropyLoss-probs-none", lambda e, f: e.nn.CrossEntropyLoss(
        reduction="none", label_smoothing=0.1), (X((4, 3)), X((4, 3), "prob", grad=False))),
    ModuleSpec("CrossEntropyLoss-2d", lambda e, f: e.nn.CrossEntropyLoss(reduction="sum"),
               (X((2, 3, 2, 2)), X((2, 2, 2), "index", high=3))),
    ModuleSpec("NLLLoss", lambda e, f: e.nn.NLLLoss(), (X((4, 3)), _IDX)),
    ModuleSpec("NLLLoss-weight-ignore", lambda e, f: e.nn.NLLLoss(
        weight=_t(e, f, [0.5, 1.0, 2.0]), ignore_index=2), (X((4, 3)), _IDX)),
    ModuleSpec("MSELoss", lambda e, f: e.nn.MSELoss(), (X((3, 4)), X((3, 4)))),
    ModuleSpec("L1Loss", lambda e, f: e.nn.L1Loss(reduction="sum"), (X((3, 4)), X((3, 4)))),
    ModuleSpec("SmoothL1Loss", lambda e, f: e.nn.SmoothL1Loss(beta=0.5),
               (X((3, 4)), X((3, 4)))),
    ModuleSpec("HuberLoss", lambda e, f: e.nn.HuberLoss(delta=0.7), (X((3, 4)), X((3, 4)))),
    ModuleSpec("BCELoss", lambda e, f: e.nn.BCELoss(), (X((3, 4), "unit"),
                                                       X((3, 4), "binary", grad=False))),
    ModuleSpec("BCELoss-weight", lambda e, f: e.nn.BCELoss(
        weight=_t(e, f, [1.0, 0.5, 2.0, 1.5])), (X((3, 4), "unit"), X((3, 4), "unit",
                                                                      grad=False))),
    ModuleSpec("BCEWithLogitsLoss", lambda e, f: e.nn.BCEWithLogitsLoss(
        pos_weight=_t(e, f, [1.0, 3.0, 0.5, 2.0])), (X((3, 4)), X((3, 4), "unit"))),
    ModuleSpec("KLDivLoss", lambda e, f: e.nn.KLDivLoss(reduction="batchmean"),
               (X((3, 4)), X((3, 4), "prob"))),
    ModuleSpec("KLDivLoss-log-target", lambda e, f: e.nn.KLDivLoss(
        reduction="sum", log_target=True), (X((3, 4)), X((3, 4)))),
    ModuleSpec("PoissonNLLLoss", lambda e, f: e.nn.PoissonNLLLoss(),
               (X((3, 4)), X((3, 4), "positive"))),
    ModuleSpec("PoissonNLLLoss-full", lambda e, f: e.nn.PoissonNLLLoss(
        log_input=False, full=True), (X((3, 4), "positive"), X((3, 4), "positive"))),
    ModuleSpec("GaussianNLLLoss", lambda e, f: e.nn.GaussianNLLLoss(full=True),
               (X((3, 4)), X((3, 4)), X((3, 4), "positive"))),
    ModuleSpec("HingeEmbeddingLoss", lambda e, f: e.nn.HingeEmbeddingLoss(margin=0.5),
               (X((3, 4)), X((3, 4), "sign", grad=False))),
    ModuleSpec("SoftMarginLoss", lambda e, f: e.nn.SoftMarginLoss(),
               (X((3, 4)), X((3, 4), "sign", grad=False))),
    ModuleSpec("MultiLabelSoftMarginLoss", lambda e, f: e.nn.MultiLabelSoftMarginLoss(
        weight=_t(e, f, [1.0, 2.0, 0.5, 1.0])), (X((3, 4)), X((3, 4), "binary", grad=False))),
    ModuleSpec("CosineEmbeddingLoss", lambda e, f: e.nn.CosineEmbeddingLoss(margin=0.2),
               (X((4, 3)), X((4, 3)), X((4,), "sign", grad=False))),
    ModuleSpec("MarginRankingLoss", lambda e, f: e.nn.MarginRankingLoss(margin=0.3),
               (X((5,)), X((5,)), X((5,), "sign", grad=False))),
    ModuleSpec("MultiMarginLoss", lambda e, f: e.nn.MultiMarginLoss(), (X((4, 3)), _IDX)),
    ModuleSpec("MultiMarginLoss-p2-weight", lambda e, f: e.nn.MultiMarginLoss(
        p=2, margin=0.5, weight=_t(e, f, [1.0, 0.5, 2.0])), (X((4, 3)), _IDX)),
    ModuleSpec("TripletMarginLoss", lambda e, f: e.nn.TripletMarginLoss(margin=0.5),
               (X((3, 4)), X((3, 4)), X((3, 4)))),
    ModuleSpec("TripletMarginLoss-p1-swap", lambda e, f: e.nn.TripletMarginLoss(
        p=1.0, swap=True), (X((3, 4)), X((3, 4)), X((3, 4)))),
    ModuleSpec("CTCLoss", lambda e, f: e.nn.CTCLoss(), (
        X((6, 2, 4)), X((2, 3), "data", data=(1, 2, 2, 3, 1, 0)),
        X((2,), "data", data=(6, 5)), X((2,), "data", data=(3, 2)))),
]


def loss_names() -> set[str]:
    """The loss classes the table covers (the part of a case's name before the first -)."""
    return {s.name.partition("-")[0] for s in LOSSES}
