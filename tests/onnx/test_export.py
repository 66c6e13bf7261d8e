"""ember.onnx.export: ONNX Runtime runs the exported model with Ember's outputs."""

import io
import subprocess
import sys

import numpy as np
import pytest

import ember
from ember import nn

onnx = pytest.importorskip("onnx", reason="ember.onnx.export needs onnx (the test extra)")
ort = pytest.importorskip("onnxruntime", reason="ONNX Runtime runs the exported models")


def _run(model, x, **kwargs):
    buf = io.BytesIO()
    ember.onnx.export(model, x, buf, input_names=["x"], output_names=["y"], **kwargs)
    session = ort.InferenceSession(buf.getvalue(), providers=["CPUExecutionProvider"])
    return lambda t: session.run(None, {"x": t.numpy()})[0]


class CNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 4, 3, padding=1)
        self.bn = nn.BatchNorm2d(4)
        self.pool = nn.MaxPool2d(2)
        self.conv2 = nn.Conv2d(4, 8, 3, padding="same")
        self.avg = nn.AvgPool2d(2)
        self.drop = nn.Dropout(0.3)
        self.fc = nn.Linear(8 * 3 * 3, 10)

    def forward(self, x):
        x = self.pool(nn.functional.relu(self.bn(self.conv1(x))))
        x = self.avg(ember.tanh(self.conv2(x)))
        x = self.drop(x.view(x.size(0), -1))
        return ember.log_softmax(self.fc(x), dim=1)


def test_mlp_matches_onnxruntime():
    model = nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Linear(16, 8), nn.Sigmoid(),
                          nn.Linear(8, 8), nn.GELU(), nn.Linear(8, 4), nn.Softmax(dim=1))
    x = ember.randn(3, 6)
    run = _run(model, x)
    np.testing.assert_allclose(run(x), model(x).detach().numpy(), rtol=1e-5, atol=1e-6)


def test_cnn_matches_onnxruntime_with_dynamic_batch():
    model = CNN()
    model(ember.randn(4, 1, 12, 12))  # batch-norm running stats that are not the defaults
    x = ember.randn(2, 1, 12, 12)
    run = _run(model, x, dynamic_axes={"x": {0: "batch"}, "y": {0: "batch"}})
    assert model.training  # export traces in eval mode and restores the mode
    model.eval()
    x5 = ember.randn(5, 1, 12, 12)
    np.testing.assert_allclose(run(x5), model(x5).detach().numpy(), rtol=1e-5, atol=1e-6)


def test_tensor_ops_match_onnxruntime():
    def f(x):
        y = ember.cat([x, x.transpose(1, 2) * 2.0], dim=1)
        z = (1.0 - y).permute(0, 2, 1).flatten(1)
        s = z.reshape(2, 3, 6).sum(1) + z.mean(1, keepdim=True)
        return ember.addmm(ember.ones(3), s, ember.ones(6, 3)) / 3 + x.exp().unsqueeze(0).sum()

    x = ember.randn(2, 3, 3)
    run = _run(f, x)
    np.testing.assert_allclose(run(x), f(x).numpy(), rtol=1e-5, atol=1e-5)


def test_graph_inputs_outputs_and_initializers():
    buf = io.BytesIO()
    ember.onnx.export(nn.Linear(3, 2), ember.randn(1, 3), buf, input_names=["features"],
                      dynamic_axes={"features": [0]})
    model = onnx.load_from_string(buf.getvalue())
    assert [i.name for i in model.graph.input] == ["features"]
    assert [o.name for o in model.graph.output] == ["output_0"]
    assert sorted(i.name for i in model.graph.initializer) == ["bias", "weight"]
    assert [n.op_type for n in model.graph.node] == ["Gemm"]
    assert model.graph.input[0].type.tensor_type.shape.dim[0].dim_param
    assert model.opset_import[0].version == 17


def test_unsupported_op_is_named():
    with pytest.raises(ember.onnx.UnsupportedOperatorError, match="cumsum"):
        ember.onnx.export(lambda x: x.cumsum(0), ember.ones(3), io.BytesIO())


def test_batch_norm_in_training_is_refused():
    mean, var = ember.zeros(3), ember.ones(3)

    def f(x):
        return nn.functional.batch_norm(x, mean, var, training=True)

    with pytest.raises(ember.onnx.UnsupportedOperatorError, match="eval"):
        ember.onnx.export(f, ember.randn(4, 3), io.BytesIO())


def test_importing_ember_does_not_import_onnx():
    code = "import sys, ember; ember.onnx; ember.jit; print('onnx' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"


def test_missing_onnx_gives_clear_import_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "onnx", None)
    with pytest.raises(ImportError, match="requires the 'onnx' package"):
        ember.onnx.export(nn.Linear(2, 2), ember.ones(1, 2), io.BytesIO())
