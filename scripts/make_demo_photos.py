"""The photos embedded in Advex (data/photos): four of scikit-image's sample photos (Debian python3-skimage,
public domain / CC0), center-cropped to a square and resized to 224x224 (bicubic), the input size of ImageNet CNNs.
The same procedure as tests/fixtures/photos (scripts/make_checkpoint_fixtures.py), plus the rocket.

Run with Debian's Python from the repository root: /usr/bin/python3 scripts/make_demo_photos.py
"""
import os

from PIL import Image
from skimage import data

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "photos")
os.makedirs(OUT, exist_ok=True)
for name in ("astronaut", "chelsea", "coffee", "rocket"):
    img = Image.fromarray(getattr(data, name)()).convert("RGB")
    side = min(img.size)
    left, top = (img.size[0] - side) // 2, (img.size[1] - side) // 2
    img.crop((left, top, left + side, top + side)).resize((224, 224), Image.BICUBIC).save(
        os.path.join(OUT, name + ".png"), optimize=True)
    print("wrote", os.path.join(OUT, name + ".png"))
