"""shared/seeds/003 ("Pytorch速查"), data: Dataset/DataLoader, TensorDataset and random_split,
ImageFolder, samplers and the transforms list — run with ``import ember as torch`` and
``torchvision`` spelled ``ember.vision``.

The sheet's directories (``./eat_pytorch_datasets/cifar2``, ``./data/cat.jpeg``) are written
in a temporary directory first, with a few small JPEGs. torchvision is not installed here, so
the transforms are checked against what they are defined to do (crops and flips against
PIL/NumPy slicing); datasets and loaders are compared with PyTorch's on the same random draws.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from _snippets import (
    differential,
    normalize,
    run,
    run_both,
    same_text,
)

import ember

# --- 数据加载 -----------------------------------------------------------------------------------

TOY = """
from torch.utils.data import Dataset, DataLoader
class ToyDataset(Dataset):
    def __init__(self,X,Y):
        self.X = X
        self.Y = Y
    def __len__(self):
        return len(self.X) # 1、获取数据集长度
    def __getitem__(self,index):
        return self.X[index],self.Y[index]
X,Y = torch.randn(1000,3),torch.randint(low=0,high=2,size=(1000,)).float()
ds = ToyDataset(X,Y)
dl = DataLoader(ds,batch_size=4,drop_last = False) # 2、指定批次大小
features,labels = next(iter(dl))
print("features = ",features )
print("labels = ",labels )
"""


def test_toy_dataset(monkeypatch):
    ns, out, _, torch_out = run_both(TOY, monkeypatch)
    same_text(out, torch_out)
    np.testing.assert_array_equal(ns["features"].numpy(), ns["X"].numpy()[:4])
    assert len(ns["dl"]) == 250


def write_cifar2(root, per_class: int = 3) -> None:
    """eat_pytorch_datasets/cifar2/{train,test}/{0_airplane,1_automobile}/*.jpg, 32x32."""
    from PIL import Image

    rng = np.random.default_rng(0)
    for split in ("train", "test"):
        for cls in ("0_airplane", "1_automobile"):
            d = root / "eat_pytorch_datasets" / "cifar2" / split / cls
            d.mkdir(parents=True)
            for i in range(per_class):
                pixels = rng.integers(0, 256, (32, 32, 3), dtype=np.uint8)
                Image.fromarray(pixels).save(d / f"{i}.jpg")


TRANSFORMS_TRAIN = """
import torchvision.transforms as transforms
transform_train = transforms.Compose([
    transforms.RandomHorizontalFlip(), #随机水平翻转
    transforms.RandomVerticalFlip(), #随机垂直翻转
    transforms.RandomRotation(45), #随机在45度角度内旋转
    transforms.ToTensor() #转换成张量
]
)
transform_val = transforms.Compose([
    transforms.ToTensor()
]
)
transform_valid = transform_val
"""

CIFAR2 = """
from pathlib import Path
from PIL import Image
class Cifar2Dataset(Dataset):
    def __init__(self,imgs_dir,img_transform):
        self.files = list(Path(imgs_dir).rglob("*.jpg"))
        self.transform = img_transform
    def __len__(self,):
        return len(self.files)
    def __getitem__(self,i):
        file_i = str(self.files[i])
        img = Image.open(file_i)
        tensor = self.transform(img)
        label = torch.tensor([1.0]) if "1_automobile" in file_i else torch.tensor([0.0])
        return tensor,label
train_dir = "./eat_pytorch_datasets/cifar2/train/"
test_dir = "./eat_pytorch_datasets/cifar2/test/"
""" + TRANSFORMS_TRAIN + """
ds_train = Cifar2Dataset(train_dir,transform_train)
ds_val = Cifar2Dataset(test_dir,transform_val)
dl_train = DataLoader(ds_train,batch_size = 50,shuffle = True)
dl_val = DataLoader(ds_val,batch_size = 50,shuffle = True)
for features,labels in dl_train:
    print(features.shape)
    print(labels.shape)
    break
"""


def test_custom_image_dataset(tmp_path, monkeypatch):
    # A tiny cifar2 (3 JPEGs a class) where the sheet reads its directory.
    write_cifar2(tmp_path)
    monkeypatch.chdir(tmp_path)
    ns, out = run(CIFAR2)
    assert normalize(out) == "torch.Size([6, 3, 32, 32])\ntorch.Size([6, 1])\n"
    assert sorted(ns["labels"][:, 0].tolist()) == [0.0] * 3 + [1.0] * 3
    features, _ = next(iter(ns["dl_val"]))
    assert 0.0 <= features.min().item() and features.max().item() <= 1.0


IRIS = """
import numpy as np
import torch
from torch.utils.data import TensorDataset,Dataset,DataLoader,random_split
from sklearn import datasets
iris = datasets.load_iris()
ds_iris = TensorDataset(torch.tensor(iris.data),torch.tensor(iris.target))
n_train = int(len(ds_iris)*0.8)
n_val = len(ds_iris) - n_train
ds_train,ds_val = random_split(ds_iris,[n_train,n_val])
print(type(ds_iris))
print(type(ds_train))
dl_train,dl_val = DataLoader(ds_train,batch_size = 8),DataLoader(ds_val,batch_size = 8)
for features,labels in dl_train:
    print(features,labels)
    break
ds_data = ds_train + ds_val
print('len(ds_train) = ',len(ds_train))
print('len(ds_valid) = ',len(ds_val))
print('len(ds_train+ds_valid) = ',len(ds_data))
print(type(ds_data))
"""


def test_tensor_dataset_random_split_and_concat(monkeypatch):
    pytest.importorskip("sklearn", reason="the sheet loads iris with scikit-learn")
    ns, out, _, torch_out = run_both(IRIS, monkeypatch)
    same_text(out, torch_out)
    lines = normalize(out).splitlines()
    assert lines[:2] == ["<class 'torch.utils.data.dataset.TensorDataset'>",
                         "<class 'torch.utils.data.dataset.Subset'>"]
    assert lines[-4:] == ["len(ds_train) =  120", "len(ds_valid) =  30",
                          "len(ds_train+ds_valid) =  150",
                          "<class 'torch.utils.data.dataset.ConcatDataset'>"]
    assert sorted(ns["ds_train"].indices + ns["ds_val"].indices) == list(range(150))


IMAGE_FOLDER = TRANSFORMS_TRAIN + """
import numpy as np
import torch
from torch.utils.data import DataLoader
from torchvision import transforms,datasets
def transform_label(x):
    return torch.tensor([x]).float()
ds_train = datasets.ImageFolder("./eat_pytorch_datasets/cifar2/train/",
            transform = transform_train,target_transform= transform_label)
ds_val = datasets.ImageFolder("./eat_pytorch_datasets/cifar2/test/",
            transform = transform_valid, target_transform= transform_label)
print(ds_train.class_to_idx)
dl_train = DataLoader(ds_train,batch_size = 50,shuffle = True)
dl_val = DataLoader(ds_val,batch_size = 50,shuffle = True)
for features,labels in dl_train:
    print(features.shape)
    print(labels.shape)
    break
"""


def test_image_folder(tmp_path, monkeypatch):
    write_cifar2(tmp_path)
    monkeypatch.chdir(tmp_path)
    ns, out = run(IMAGE_FOLDER)
    assert normalize(out) == ("{'0_airplane': 0, '1_automobile': 1}\n"
                              "torch.Size([6, 3, 32, 32])\ntorch.Size([6, 1])\n")
    image, label = ns["ds_val"][4]
    assert label.tolist() == [1.0] and tuple(image.shape) == (3, 32, 32)


def test_dataloader_signature(monkeypatch):
    differential("[list(b) for b in loader]", monkeypatch, """
    dataset = TensorDataset(torch.arange(10.0), torch.arange(10))
    loader = DataLoader(
        dataset, # 数据集
        batch_size=3, # 批次大小
        shuffle=False, # 是否乱序
        sampler=None, # 样本采样函数,一般无需设置。
        batch_sampler=None, # 批次采样函数,一般无需设置。
        num_workers=0, # 使用多进程读取数据,设置的进程数。mac电脑设置会报错
        collate_fn=None, # 整理一个批次数据的函数。
        pin_memory=False, # 是否设置为锁业内存。
        drop_last=True, # 是否丢弃最后一个样本数量不足batch_size批次数据。
        timeout=0, # 加载一个数据批次的最长等待时间,一般无需设置。
        worker_init_fn=None, # 每个worker中dataset的初始化函数
        multiprocessing_context=None,
    )
    """)


def test_random_split(monkeypatch):
    differential("[list(s) for s in torch.utils.data.random_split(range(10), [7, 3])]",
                 monkeypatch)


# --- 数据预处理: transforms ---------------------------------------------------------------------


def _photo():
    from PIL import Image

    rng = np.random.default_rng(0)
    return Image.fromarray(rng.integers(0, 256, (40, 48, 3), dtype=np.uint8))


TRANSFORMS = [
    "transforms.CenterCrop(24)", "transforms.RandomCrop(24)", "transforms.RandomResizedCrop(24)",
    "transforms.FiveCrop(24)", "transforms.TenCrop(24)",
    "transforms.RandomHorizontalFlip(p=0.5)",
    "transforms.RandomVerticalFlip(p=0.5)", "transforms.RandomRotation(30)",
    "transforms.Resize(20)", "transforms.ToTensor()", "transforms.Pad(2)",
    "transforms.ColorJitter(brightness=0.4, contrast=0.4, saturation=0.4, hue=0.1)",
    "transforms.Grayscale()", "transforms.RandomAffine(degrees=10, translate=(0.1, 0.1))",
    "transforms.RandomGrayscale()",
    "transforms.RandomChoice([transforms.CenterCrop(24), transforms.Pad(2)])",
    "transforms.RandomApply([transforms.CenterCrop(24)], p=0.5)",
    "transforms.RandomOrder([transforms.CenterCrop(24), transforms.Pad(2)])",
]


@pytest.mark.parametrize("make", TRANSFORMS,
                         ids=[t if isinstance(t, str) else t.values[0] for t in TRANSFORMS])
def test_transforms_on_a_pil_image(make):
    # The sheet's list, each applied to a 48x40 photo (its argument-less calls such as
    # `RandomHorizontalFlip(p=0.5)()` are missing the image).
    from PIL import Image

    ns, _ = run(f"import torchvision.transforms as transforms\nout = {make}(img)",
                ns={"img": _photo()})
    out = ns["out"]
    expected_size = {"CenterCrop": (24, 24), "RandomCrop": (24, 24),
                     "RandomResizedCrop": (24, 24), "Resize": (24, 20), "Pad": (52, 44),
                     "RandomHorizontalFlip": (48, 40), "RandomRotation": (48, 40)}
    name = make.split("(")[0].split(".")[1]
    if name in ("FiveCrop", "TenCrop"):
        assert isinstance(out, tuple) and len(out) == (5 if name == "FiveCrop" else 10)
        a = np.asarray(_photo())
        crops = [a[:24, :24], a[:24, -24:], a[-24:, :24], a[-24:, -24:], a[8:32, 12:36]]
        if name == "TenCrop":
            m = a[:, ::-1]
            crops += [m[:24, :24], m[:24, -24:], m[-24:, :24], m[-24:, -24:], m[8:32, 12:36]]
        for got, want in zip(out, crops):
            np.testing.assert_array_equal(np.asarray(got), want)
    elif name == "ToTensor":
        assert tuple(out.shape) == (3, 40, 48)
    else:
        assert isinstance(out, Image.Image)
        if name in expected_size:
            assert out.size == expected_size[name]


def test_deterministic_transforms_match_pil():
    from PIL import Image, ImageOps

    img = _photo()
    ns, _ = run("""
    import torchvision.transforms as transforms
    center = transforms.CenterCrop(24)(img)
    resized = transforms.Resize(20)(img)
    padded = transforms.Pad(2)(img)
    gray = transforms.Grayscale()(img)
    hflip = transforms.RandomHorizontalFlip(p=1.0)(img)
    vflip = transforms.RandomVerticalFlip(p=1.0)(img)
    tensor = transforms.ToTensor()(img)
    back = transforms.ToPILImage()(tensor)
    normalized = transforms.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225])(tensor)
    """, ns={"img": img})  # noqa: E501
    a = np.asarray(img)
    np.testing.assert_array_equal(np.asarray(ns["center"]), a[8:32, 12:36])
    np.testing.assert_array_equal(np.asarray(ns["resized"]),
                                  np.asarray(img.resize((24, 20), Image.BILINEAR)))
    np.testing.assert_array_equal(np.asarray(ns["padded"]), np.pad(a, ((2, 2), (2, 2), (0, 0))))
    np.testing.assert_array_equal(np.asarray(ns["gray"]), np.asarray(img.convert("L")))
    np.testing.assert_array_equal(np.asarray(ns["hflip"]), np.asarray(ImageOps.mirror(img)))
    np.testing.assert_array_equal(np.asarray(ns["vflip"]), a[::-1])
    np.testing.assert_allclose(ns["tensor"].numpy(), a.transpose(2, 0, 1) / 255, rtol=1e-6)
    np.testing.assert_array_equal(np.asarray(ns["back"]), a)
    mean = np.array([0.485, 0.456, 0.406])[:, None, None]
    std = np.array([0.229, 0.224, 0.225])[:, None, None]
    np.testing.assert_allclose(ns["normalized"].numpy(), (a.transpose(2, 0, 1) / 255 - mean) / std,
                               rtol=1e-5, atol=1e-6)


def test_linear_transformation():
    # transforms.LinearTransformation(matrix, mean) on a tensor image (it flattens the image).
    ns, _ = run("""
    import torchvision.transforms as transforms
    img = torch.arange(12.0).reshape(3, 2, 2)
    matrix = torch.eye(12) * 2
    out = transforms.LinearTransformation(matrix, torch.zeros(12))(img)
    """)
    np.testing.assert_array_equal(ns["out"].numpy(), np.arange(12.0).reshape(3, 2, 2) * 2)


PREPROCESS = """
import torchvision.transforms as transforms
normalize = transforms.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225])
to_unit = transforms.Lambda(lambda x: x / 255.0) # 缩放到[0,1]
to_signed = transforms.Lambda(lambda x: (x - 0.5) * 2) # 缩放到[-1,1]
data = [[0.0, 127.5, 255.0]]
labels = [2, 0, 1]
as_float = torch.FloatTensor(data)
as_long = torch.LongTensor(labels)
scaled = to_signed(to_unit(as_float))
normalized = normalize(torch.ones(3, 2, 2))
"""


def test_preprocessing_examples():
    ns, _ = run(PREPROCESS)
    assert ns["as_float"].dtype == ember.float32 and ns["as_long"].dtype == ember.int64
    assert ns["scaled"].tolist() == [[-1.0, 0.0, 1.0]]
    np.testing.assert_allclose(ns["normalized"][:, 0, 0].numpy(),
                               (1 - np.array([0.485, 0.456, 0.406])) / [0.229, 0.224, 0.225],
                               rtol=1e-6)


AUGMENT = """
import torchvision.transforms as transforms
augment = transforms.Compose([
    transforms.RandomHorizontalFlip(p=0.5), # 水平翻转
    transforms.RandomRotation(10), # 随机旋转
    transforms.RandomResizedCrop(224), # 随机裁剪并缩放
    transforms.ColorJitter(brightness=0.4), # 亮度调整
    transforms.RandomAffine(degrees=0, translate=(0.1,0.1)), # 仿射变换
    transforms.RandomErasing(p=0.5) # 随机擦除
])
outs = [augment(img) for _ in range(4)]
"""


def test_augmentation_example():
    # RandomErasing works on tensors only, so the image is a tensor here (on a PIL image
    # torchvision's fails whenever it decides to erase).
    ember.manual_seed(0)
    ns, _ = run(AUGMENT, ns={"img": ember.rand(3, 64, 80)})
    for out in ns["outs"]:
        assert tuple(out.shape) == (3, 224, 224) and out.dtype == ember.float32


def test_weighted_random_sampler(monkeypatch):
    src = """
    from torch.utils.data import WeightedRandomSampler
    class_counts = [8, 2]
    targets = torch.tensor([0] * 8 + [1] * 2)
    weights = 1. / torch.tensor(class_counts)
    samples_weights = weights[targets]
    sampler = WeightedRandomSampler(
        weights=samples_weights,
        num_samples=len(samples_weights),
        replacement=True
    )
    drawn = list(sampler)
    """
    ens, _, tns, _ = run_both(src, monkeypatch)
    assert ens["drawn"] == tns["drawn"] and len(ens["drawn"]) == 10
    np.testing.assert_allclose(ens["samples_weights"].numpy(), [0.125] * 8 + [0.5] * 2)
    # Balanced classes: over many draws about half the samples come from the rare class.
    ember.manual_seed(0)
    many = list(ember.utils.data.WeightedRandomSampler(ens["samples_weights"], 4000))
    assert 0.45 < np.mean(np.array(many) >= 8) < 0.55


CUSTOM_DATASET = """
class CustomDataset(Dataset):
    def __init__(self, data_path, transform=None):
        self.data = torch.load(data_path)
        self.transform = transform
    def __len__(self):
        return len(self.data)
    def __getitem__(self, idx):
        sample = self.data[idx]
        if self.transform:
            sample = self.transform(sample)
        return sample
dataset = CustomDataset(data_path, transform=lambda s: s * 2)
train_loader = DataLoader(
    dataset,
    batch_size=32,
    shuffle=True,
    num_workers=4,
    pin_memory=True
)
batches = list(train_loader)
"""


def test_custom_dataset_with_workers(tmp_path, monkeypatch):
    # The sheet's `self.data = ...`: here a tensor saved at data_path and loaded back.
    ember.save(ember.arange(40.0).reshape(40, 1), tmp_path / "data.pt")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # pin_memory without an accelerator
        ns, _ = run(CUSTOM_DATASET, ns={"data_path": str(tmp_path / "data.pt")})
    assert [tuple(b.shape) for b in ns["batches"]] == [(32, 1), (8, 1)]
    values = sorted(ember.cat(ns["batches"]).flatten().tolist())
    assert values == [2.0 * i for i in range(40)]


PIPELINE = """
class DataPipeline:
    def __init__(self):
        self.transforms = []
    def add_transform(self, transform):
        self.transforms.append(transform)
    def process(self, data):
        for t in self.transforms:
            data = t(data)
        return data
import torchvision.transforms as transforms
pipeline = DataPipeline()
pipeline.add_transform(transforms.ToTensor())
pipeline.add_transform(transforms.Normalize([0.5], [0.5]))
out = pipeline.process(np.full((4, 4, 1), 255, dtype=np.uint8))
"""


def test_data_pipeline():
    ns, _ = run(PIPELINE)
    assert ns["out"].tolist() == [[[1.0] * 4] * 4]


CAT_DEMO = """
from PIL import Image
img = Image.open('./data/cat.jpeg')
img
flipped = transforms.RandomVerticalFlip()(img)
rotated = transforms.RandomRotation(45)(img)
""" + TRANSFORMS_TRAIN + """
train_out = transform_train(img)
valid_out = transform_valid(img)
"""


def test_augmentation_demo_on_a_jpeg(tmp_path, monkeypatch):
    (tmp_path / "data").mkdir()
    _photo().save(tmp_path / "data" / "cat.jpeg")
    monkeypatch.chdir(tmp_path)
    ns, _ = run("import torchvision.transforms as transforms\n" + CAT_DEMO)
    assert ns["flipped"].size == ns["rotated"].size == (48, 40)
    assert tuple(ns["train_out"].shape) == tuple(ns["valid_out"].shape) == (3, 40, 48)
    np.testing.assert_allclose(ns["valid_out"].numpy(),
                               np.asarray(ns["img"]).transpose(2, 0, 1) / 255, rtol=1e-6)
