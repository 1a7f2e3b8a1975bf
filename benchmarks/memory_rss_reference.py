"""PyTorch side of benchmarks/memory-rss.sh: PGD L-inf (Madry et al. 2018: x <- clip(Pi_eps(x + alpha*sign(grad)))),
labels from the clean predictions, on torchvision's mobilenet_v2 with the seeded random weights that
scripts/make_real_size_set.py exported (torch.manual_seed(0)), photos read as torchvision's Resize(256) ->
CenterCrop(224) -> ToTensor, ImageNet normalization inside the model. Prints {"peak_rss_bytes", "seconds"}; the peak
is the process's ru_maxrss (Debian's python3-torch 1.13)."""
import json
import os
import resource
import sys
import time

import torch
import torchvision
from PIL import Image
from torchvision import transforms

folder, batch, steps, eps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
torch.set_num_threads(1)
torch.manual_seed(0)
net = torchvision.models.mobilenet_v2(weights=None).eval()
mean = torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1)
std = torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1)
model = lambda x: net((x - mean) / std)
prep = transforms.Compose([transforms.Resize(256), transforms.CenterCrop(224), transforms.ToTensor()])
files = sorted(f for f in os.listdir(folder) if f.endswith(".png"))
x_all = torch.stack([prep(Image.open(os.path.join(folder, f)).convert("RGB")) for f in files])
start = time.time()
alpha = 2.5 * eps / steps
for i in range(0, len(files), batch):
    x0 = x_all[i:i + batch]
    with torch.no_grad():
        y = model(x0).argmax(1)
    x = (x0 + torch.empty_like(x0).uniform_(-eps, eps)).clamp(0, 1)
    for _ in range(steps):
        x.requires_grad_(True)
        loss = torch.nn.functional.cross_entropy(model(x), y)
        g, = torch.autograd.grad(loss, [x])
        x = (torch.min(torch.max(x.detach() + alpha * g.sign(), x0 - eps), x0 + eps)).clamp(0, 1)
print(json.dumps({"peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
                  "seconds": time.time() - start}))
