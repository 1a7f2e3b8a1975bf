"""A 224-px ImageNet-shaped model and a folder of real photos for the real-size memory measurement (issue 23).

Writes, into the folder given as the first argument (never into the repository; both are large):
  mobilenet_v2.onnx  torchvision's mobilenet_v2 with seeded random weights (torch.manual_seed(0)), opset 13,
                     dynamic batch, 1,000 classes, input [N,3,224,224] normalized with ImageNet's mean/std outside
  photos/NNNN.png    N photos (second argument, default 1000), each a random crop (random size, position and flip)
                     of one of scikit-image's colour sample photos (Debian python3-skimage; public domain / CC0),
                     resized to 320x(240..400) so that --resize 256 --center-crop 224 has work to do

Run with Debian's Python: /usr/bin/python3 scripts/make_real_size_set.py /tmp/realsize 1000
"""
import os
import sys

import numpy as np
import torch
import torchvision
from PIL import Image
from skimage import data

out = sys.argv[1]
count = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
os.makedirs(os.path.join(out, "photos"), exist_ok=True)

torch.manual_seed(0)
model = torchvision.models.mobilenet_v2(weights=None).eval()
torch.onnx.export(model, torch.zeros(1, 3, 224, 224), os.path.join(out, "mobilenet_v2.onnx"), opset_version=13,
                  input_names=["input"], output_names=["logits"], dynamic_axes={"input": {0: "N"}, "logits": {0: "N"}})

sources = [data.astronaut(), data.chelsea(), data.coffee(), data.rocket(), data.immunohistochemistry(),
           data.hubble_deep_field(), data.retina(), data.coins().reshape(*data.coins().shape, 1).repeat(3, 2)]
rng = np.random.default_rng(0)
for i in range(count):
    src = sources[i % len(sources)]
    h, w = src.shape[:2]
    ch, cw = int(h * rng.uniform(0.5, 1.0)), int(w * rng.uniform(0.5, 1.0))
    y, x = rng.integers(0, h - ch + 1), rng.integers(0, w - cw + 1)
    crop = Image.fromarray(src[y:y + ch, x:x + cw, :3])
    if rng.random() < 0.5:
        crop = crop.transpose(Image.FLIP_LEFT_RIGHT)
    crop.resize((320, int(rng.integers(240, 401))), Image.BILINEAR).save(os.path.join(out, "photos", f"{i:04d}.png"))
print(f"wrote {os.path.join(out, 'mobilenet_v2.onnx')} and {count} photos")
