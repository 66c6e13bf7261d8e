"""ember.jit.trace: a recorded static graph replayed on new inputs, checked against eager
Ember and against torch.jit.trace."""

import io
import warnings

import numpy as np
import pytest

import ember
import ember.jit
from ember import nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 3, 3, padding=1)
        self.bn = nn.BatchNorm2d(3)
        self.fc = nn.Linear(3 * 4 * 4, 5)

    def forward(self, x):
        x = nn.functional.max_pool2d(ember.relu(self.bn(self.conv(x))), 2)
        return self.fc(x.view(x.size(0), -1)).softmax(dim=1)


def test_module_replays_graph_on_new_batch_size():
    model = Net().eval()
    traced = ember.jit.trace(model, ember.randn(2, 1, 8, 8))
    x = ember.randn(7, 1, 8, 8)
    np.testing.assert_allclose(traced(x).detach().numpy(), model(x).detach().numpy(),
                               rtol=1e-6, atol=1e-7)
    assert isinstance(traced, ember.jit.ScriptModule)
    assert [k for k, _ in traced.named_parameters()] == [k for k, _ in model.named_parameters()]


def test_control_flow_is_frozen():
    def f(x):
        if x.sum() > 0:  # evaluated once, at trace time
            return x * 2
        return x - 100

    with pytest.warns(ember.jit.TracerWarning, match="Python boolean"):
        traced = ember.jit.trace(f, ember.ones(3), check_trace=False)
    assert traced(-ember.ones(3)).tolist() == [-2.0, -2.0, -2.0]
    assert f(-ember.ones(3)).tolist() == [-101.0, -101.0, -101.0]
    assert [n.target for n in traced.graph.nodes] == ["Tensor.__mul__"]


def test_item_warns_and_becomes_constant():
    def f(x):
        return x * x.max().item()

    with pytest.warns(ember.jit.TracerWarning, match="Python number"):
        traced = ember.jit.trace(f, ember.tensor([1.0, 2.0]), check_trace=False)
    assert traced(ember.tensor([1.0, 5.0])).tolist() == [2.0, 10.0]


def test_follows_weight_updates():
    model = nn.Linear(3, 2)
    traced = ember.jit.trace(model, ember.randn(1, 3))
    opt = ember.optim.SGD(model.parameters(), lr=0.5)
    x = ember.randn(4, 3)
    model(x).sum().backward()
    opt.step()
    np.testing.assert_allclose(traced(x).detach().numpy(), model(x).detach().numpy())


def test_gradients_flow_through_replay():
    model = nn.Linear(3, 2)
    traced = ember.jit.trace(model, ember.randn(1, 3))
    traced(ember.ones(2, 3)).sum().backward()
    np.testing.assert_allclose(model.weight.grad.numpy(), np.full((2, 3), 2.0))


def test_only_outermost_calls_are_recorded():
    traced = ember.jit.trace(lambda x: nn.functional.gelu(x) + 1, ember.randn(3))
    assert [n.target for n in traced.graph.nodes] == ["ember.nn.functional.gelu",
                                                     "Tensor.__add__"]


def test_multiple_inputs_outputs_and_methods():
    def f(a, b):
        c = ember.cat([a, b.t()], dim=0)
        return c.sum(0), (a @ b).T

    a, b = ember.randn(2, 3), ember.randn(3, 2)
    traced = ember.jit.trace(f, (a, b))
    a2, b2 = ember.randn(2, 3), ember.randn(3, 2)
    for got, want in zip(traced(a2, b2), f(a2, b2)):
        np.testing.assert_allclose(got.numpy(), want.numpy(), rtol=1e-6)


def test_check_trace_catches_divergence():
    calls = []

    def f(x):
        calls.append(1)
        return x * 2 if len(calls) == 1 else x.relu()

    with pytest.raises(ember.jit.TracingCheckError, match="Graphs differed"):
        ember.jit.trace(f, ember.ones(2))


def test_check_trace_restores_buffers():
    model = Net()  # training mode: batch norm updates its running stats on every run
    x = ember.randn(2, 1, 8, 8)
    ember.jit.trace(model, x)  # the trace run updates them; the check's runs are undone
    assert int(model.bn.num_batches_tracked) == 1
    fresh = Net()
    fresh.load_state_dict({k: v for k, v in model.state_dict().items()
                           if not k.startswith("bn.running") and "num_batches" not in k},
                          strict=False)
    fresh(x)
    np.testing.assert_allclose(model.bn.running_mean.numpy(), fresh.bn.running_mean.numpy(),
                               rtol=1e-6)


def test_list_output_warns_when_strict():
    with pytest.warns(ember.jit.TracerWarning, match="Encountering a list"):
        ember.jit.trace(lambda x: [x + 1], ember.ones(2))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ember.jit.trace(lambda x: [x + 1], ember.ones(2), strict=False)


def test_graph_and_code_are_readable():
    traced = ember.jit.trace(nn.Linear(3, 2), ember.ones(1, 3))
    assert "ember.nn.functional.linear(%input, %weight, %bias)" in str(traced.graph)
    assert "Float(1, 2)" in str(traced.graph)
    assert traced.code.startswith("def forward(self, input: Tensor):")
    assert "self.weight" in traced.code
    assert repr(traced) == "Linear(original_name=Linear)"


def test_save_load_round_trip(tmp_path):
    model = Net().eval()
    traced = ember.jit.trace(model, ember.randn(2, 1, 8, 8))
    path = tmp_path / "net.pt"
    traced.save(path)
    loaded = ember.jit.load(path)
    x = ember.randn(3, 1, 8, 8)
    np.testing.assert_allclose(loaded(x).detach().numpy(), model(x).detach().numpy(),
                               rtol=1e-6, atol=1e-7)
    assert loaded.state_dict().keys() == model.state_dict().keys()
    assert not loaded.training


def test_save_load_function_with_constant():
    w = ember.tensor([1.0, 2.0, 3.0])
    traced = ember.jit.trace(lambda x: (x * w)[1:].float(), ember.ones(3))
    buf = io.BytesIO()
    ember.jit.save(traced, buf)
    buf.seek(0)
    assert ember.jit.load(buf)(ember.full((3,), 2.0)).tolist() == [4.0, 6.0]


def test_load_rejects_foreign_targets():
    import json
    import zipfile

    buf = io.BytesIO()
    ember.jit.trace(lambda x: x + 1, ember.ones(2)).save(buf)
    data = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    meta = json.loads(data.read("ember_jit/graph.json"))
    meta["nodes"][0][0] = "os.system"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("ember_jit/graph.json", json.dumps(meta))
        z.writestr("ember_jit/tensors.safetensors",
                   data.read("ember_jit/tensors.safetensors"))
    out.seek(0)
    with pytest.raises(RuntimeError, match="not in Ember's public namespaces"):
        ember.jit.load(out)


def test_ops_are_not_wrapped_outside_a_trace():
    before = ember.Tensor.__add__, ember.add, nn.functional.linear
    ember.jit.trace(nn.Linear(2, 2), ember.ones(1, 2))
    assert (ember.Tensor.__add__, ember.add, nn.functional.linear) == before
    assert not ember.jit.is_tracing()


def test_wrong_number_of_inputs():
    traced = ember.jit.trace(lambda a, b: a + b, (ember.ones(2), ember.ones(2)))
    with pytest.raises(RuntimeError, match="takes 2 tensor input"):
        traced(ember.ones(2))


def test_ref_device():
    model = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 1)).to("ref")
    x = ember.randn(2, 3, device="ref")
    traced = ember.jit.trace(model, x)
    np.testing.assert_allclose(traced(x).detach().cpu().numpy(),
                               model(x).detach().cpu().numpy(), rtol=1e-6)


def test_matches_torch_jit_trace(torch):
    ember.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))
    tmodel = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 3))
    tmodel.load_state_dict({k: torch.tensor(v.detach().numpy())
                            for k, v in model.state_dict().items()})
    x = np.random.default_rng(0).standard_normal((5, 4)).astype(np.float32)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        ttraced = torch.jit.trace(tmodel, torch.tensor(x[:1]))
    traced = ember.jit.trace(model, ember.tensor(x[:1]))
    np.testing.assert_allclose(traced(ember.tensor(x)).detach().numpy(),
                               ttraced(torch.tensor(x)).detach().numpy(), rtol=1e-5,
                               atol=1e-6)
