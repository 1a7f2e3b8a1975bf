#!/usr/bin/env python3
"""Generate the image and CIFAR-binary test fixtures for Advex (tests/fixtures/images, cifar10, cifar100).

Run from anywhere with Debian's PyTorch, torchvision and Pillow (python3-torch, python3-torchvision, python3-pil):

    /usr/bin/python3 scripts/make_image_fixtures.py

Inputs : tests/fixtures/onnx/cnn.pt (made by scripts/make_onnx_fixtures.py; CIFAR-normalized RGB input)
Outputs:
  tests/fixtures/images/cifar-png/{train,test}/<class>/NNN.png   32x32 RGB PNGs (lossless)
  tests/fixtures/cifar10/{data_batch_1.bin,data_batch_2.bin,test_batch.bin,batches.meta.txt}
      the same pixels and labels as cifar-png, records in the order an images: folder lists them
      (class folders in ordinal order, files in ordinal order)
  tests/fixtures/cifar100/{train.bin,test.bin,fine_label_names.txt,coarse_label_names.txt}   seeded random records
  tests/fixtures/images/photos/<class>/*.{png,jpg,bmp,webp}   RGB images of different sizes
  tests/fixtures/images/transforms/<config>.bin + transforms.json
      torchvision's ImageFolder + Resize / CenterCrop / Grayscale / ToTensor outputs for photos/, stored as the
      bytes ToTensor divided by 255 (ToTensor on a PIL image is exactly bytes/255)
  tests/fixtures/images/attacks.json
      reference FGSM and PGD robust accuracies of cnn.pt on the cifar-png test split, written here from the
      torchattacks formulas (no torchattacks package in Debian), with the normalization inside the model

The cifar-png images are made so that cnn.pt (untrained, seeded weights) classifies every one of them as its folder's
class with a margin drawn per image: starting from a smooth random image, signed-gradient steps raise the class's
logit margin until it exceeds the drawn target. So clean accuracy is 100% and the attacks' robust accuracy falls
with epsilon over a spread of margins. The run is deterministic (fixed seeds, one thread).
"""

import json
import os

import numpy as np
import torch
import torch.nn.functional as F
import torchvision
from PIL import Image
from torchvision import transforms

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
FIX = os.path.join(REPO, "tests", "fixtures")
COMMAND = "/usr/bin/python3 scripts/make_image_fixtures.py"
MEAN = [0.4914, 0.4822, 0.4465]
STD = [0.2470, 0.2435, 0.2616]
CLASSES = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]
PER_CLASS = {"train": 1, "test": 5}

torch.manual_seed(0)
torch.set_num_threads(1)
rng = np.random.default_rng(15)


def versions():
    import PIL
    return {"torch": torch.__version__, "torchvision": torchvision.__version__, "pillow": PIL.__version__}


def load_model():
    model = torch.jit.load(os.path.join(FIX, "onnx", "cnn.pt"))
    model.eval()
    mean = torch.tensor(MEAN).view(1, 3, 1, 1)
    std = torch.tensor(STD).view(1, 3, 1, 1)
    return lambda x: model((x - mean) / std)


def smooth_image(size=32):
    coarse = torch.tensor(rng.uniform(0, 1, (1, 3, 4, 4)), dtype=torch.float32)
    img = F.interpolate(coarse, size=(size, size), mode="bilinear", align_corners=False)
    img = img + torch.tensor(rng.normal(0, 0.03, (1, 3, size, size)), dtype=torch.float32)
    return img.clamp(0, 1)


def margin(logits, c):
    other = logits.clone()
    other[:, c] = -1e9
    return (logits[:, c] - other.max(1).values).item()


def make_class_image(f, c):
    """A 32x32 uint8 RGB image that f classifies as c with a margin above a drawn target."""
    target = float(rng.uniform(0.05, 1.5))
    x = smooth_image()
    for _ in range(400):
        q = torch.round(x * 255) / 255
        with torch.no_grad():
            m = margin(f(q), c)
        if m > target:
            return (q[0] * 255).round().to(torch.uint8).permute(1, 2, 0).numpy()
        x = x.detach().requires_grad_(True)
        logits = f(x)
        other = logits.clone()
        other[:, c] = -1e9
        loss = logits[:, c] - other.max(1).values
        (g,) = torch.autograd.grad(loss.sum(), x)
        x = (x + 0.004 * g.sign()).clamp(0, 1).detach()
    raise RuntimeError(f"could not reach class {c}")


def write_cifar_png(f):
    """Returns {split: [(class_index, file_name, HWC uint8)]} in the order an images: folder lists them."""
    out = {}
    for split, k in PER_CLASS.items():
        items = []
        for c, name in enumerate(CLASSES):
            folder = os.path.join(FIX, "images", "cifar-png", split, name)
            os.makedirs(folder, exist_ok=True)
            for i in range(k):
                img = make_class_image(f, c)
                file = f"{i:03d}.png"
                Image.fromarray(img, "RGB").save(os.path.join(folder, file))
                items.append((c, file, img))
        out[split] = items
    return out


def cifar_record(labels, img):
    return bytes(labels) + img.transpose(2, 0, 1).tobytes()  # 1024 R, 1024 G, 1024 B


def write_cifar10(splits):
    folder = os.path.join(FIX, "cifar10")
    os.makedirs(folder, exist_ok=True)
    train = splits["train"]
    half = len(train) // 2 + 1  # two files of unequal record counts
    for name, items in [("data_batch_1.bin", train[:half]), ("data_batch_2.bin", train[half:]),
                        ("test_batch.bin", splits["test"])]:
        with open(os.path.join(folder, name), "wb") as fh:
            for c, _, img in items:
                fh.write(cifar_record([c], img))
    with open(os.path.join(folder, "batches.meta.txt"), "w") as fh:
        fh.write("\n".join(CLASSES) + "\n\n")  # the real file ends with blank lines


def write_cifar100():
    folder = os.path.join(FIX, "cifar100")
    os.makedirs(folder, exist_ok=True)
    for name, n in [("train.bin", 6), ("test.bin", 10)]:
        with open(os.path.join(folder, name), "wb") as fh:
            for _ in range(n):
                fine = int(rng.integers(0, 100))
                coarse = fine // 5
                img = rng.integers(0, 256, (32, 32, 3), dtype=np.uint8)
                fh.write(cifar_record([coarse, fine], img))
    with open(os.path.join(folder, "fine_label_names.txt"), "w") as fh:
        fh.write("\n".join(f"fine{i:02d}" for i in range(100)) + "\n")
    with open(os.path.join(folder, "coarse_label_names.txt"), "w") as fh:
        fh.write("\n".join(f"coarse{i:02d}" for i in range(20)) + "\n")


PHOTOS = [  # class, file, width, height
    ("cat", "a.png", 48, 40),
    ("cat", "b.jpg", 37, 53),
    ("cat", "c.bmp", 64, 45),
    ("dog", "a.webp", 50, 50),
    ("dog", "b.jpg", 41, 33),
    ("dog", "c.png", 35, 61),
]


def photo(w, h):
    """A smooth image with edges: a coloured gradient plus a disc and a bar, so resampling has work to do."""
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float64)
    base = rng.uniform(0, 255, 3)
    slope = rng.uniform(-3, 3, (3, 2))
    img = np.stack([base[k] + slope[k, 0] * xx + slope[k, 1] * yy for k in range(3)], axis=-1)
    cx, cy, r = rng.uniform(0.3, 0.7) * w, rng.uniform(0.3, 0.7) * h, rng.uniform(0.15, 0.35) * min(w, h)
    img[(xx - cx) ** 2 + (yy - cy) ** 2 < r * r] = rng.uniform(0, 255, 3)
    x0 = int(rng.integers(0, w - 4))
    img[:, x0:x0 + 3] = rng.uniform(0, 255, 3)
    img += rng.normal(0, 6, img.shape)
    return np.clip(np.round(img), 0, 255).astype(np.uint8)


def write_photos():
    root = os.path.join(FIX, "images", "photos")
    for cls, file, w, h in PHOTOS:
        os.makedirs(os.path.join(root, cls), exist_ok=True)
        im = Image.fromarray(photo(w, h), "RGB")
        path = os.path.join(root, cls, file)
        if file.endswith(".jpg"):
            im.save(path, quality=90)
        elif file.endswith(".webp"):
            im.save(path, lossless=True)
        else:
            im.save(path)
    return root


TRANSFORMS = {  # name: (resize, center_crop, grayscale)
    "crop32": (None, 32, False),
    "crop56-pads": (None, 56, False),
    "resize24-crop24": (24, 24, False),
    "resize20-crop18-gray": (20, 18, True),
    "resize70-crop64": (70, 64, False),
}


def write_transforms(root):
    out = os.path.join(FIX, "images", "transforms")
    os.makedirs(out, exist_ok=True)
    meta = {"generated_by": COMMAND, "versions": versions(), "folder": "photos", "configs": {}}
    for name, (resize, crop, gray) in TRANSFORMS.items():
        steps = []
        if resize is not None:
            steps.append(transforms.Resize(resize))  # PIL bilinear: Pillow's antialiased resampling
        if crop is not None:
            steps.append(transforms.CenterCrop(crop))
        if gray:
            steps.append(transforms.Grayscale(1))
        steps.append(transforms.ToTensor())
        ds = torchvision.datasets.ImageFolder(root, transform=transforms.Compose(steps))
        xs = torch.stack([ds[i][0] for i in range(len(ds))])
        b = (xs * 255).round().to(torch.uint8)
        assert torch.equal(b.float() / 255, xs), "ToTensor is bytes/255"
        with open(os.path.join(out, name + ".bin"), "wb") as fh:
            fh.write(b.numpy().tobytes())
        meta["configs"][name] = {
            "resize": resize, "center_crop": crop, "grayscale": gray, "shape": list(b.shape),
            "files": [os.path.relpath(p, root) for p, _ in ds.samples], "labels": [l for _, l in ds.samples],
            "classes": ds.classes,
        }
    with open(os.path.join(out, "transforms.json"), "w") as fh:
        json.dump(meta, fh, indent=1)


def fgsm(f, x, y, eps):
    x = x.clone().requires_grad_(True)
    (g,) = torch.autograd.grad(F.cross_entropy(f(x), y), x)
    return (x + eps * g.sign()).clamp(0, 1).detach()


def pgd(f, x, y, eps, alpha, steps):
    """torchattacks.PGD with random_start=False: step, project onto the eps-ball, clip to [0,1]."""
    adv = x.clone()
    for _ in range(steps):
        adv.requires_grad_(True)
        (g,) = torch.autograd.grad(F.cross_entropy(f(adv), y), adv)
        adv = adv.detach() + alpha * g.sign()
        adv = (x + (adv - x).clamp(-eps, eps)).clamp(0, 1).detach()
    return adv


def write_attacks(f, splits):
    items = splits["test"]
    x = torch.tensor(np.stack([img for _, _, img in items])).permute(0, 3, 1, 2).float() / 255
    y = torch.tensor([c for c, _, _ in items])
    acc = lambda xa: (f(xa).argmax(1) == y).float().mean().item()
    runs = []
    with torch.no_grad():
        clean = acc(x)
    for k in [2, 4, 8, 16]:
        eps = k / 255
        adv = fgsm(f, x, y, eps)
        with torch.no_grad():
            runs.append({"attack": "fgsm", "eps": eps, "robust_accuracy": acc(adv)})
    for k in [4, 8, 16]:
        eps = k / 255
        alpha, steps = eps / 4, 10
        adv = pgd(f, x, y, eps, alpha, steps)
        with torch.no_grad():
            runs.append({"attack": "pgd", "eps": eps, "steps": steps, "step_size": alpha, "random_start": False,
                         "robust_accuracy": acc(adv)})
    meta = {"generated_by": COMMAND, "versions": versions(), "model": "tests/fixtures/onnx/cnn.pt",
            "mean": MEAN, "std": STD, "data": "images/cifar-png test = cifar10 test_batch.bin", "count": len(items),
            "clean_accuracy": clean, "runs": runs}
    with open(os.path.join(FIX, "images", "attacks.json"), "w") as fh:
        json.dump(meta, fh, indent=1)
    print(json.dumps(meta, indent=1))


def main():
    f = load_model()
    splits = write_cifar_png(f)
    write_cifar10(splits)
    write_cifar100()
    write_transforms(write_photos())
    write_attacks(f, splits)


if __name__ == "__main__":
    main()
