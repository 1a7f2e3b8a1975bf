"""Small-width variants of every torchvision 0.14 classification family, for scripts/make_onnx_fixtures.py.

Each variant is built by torchvision's own classes, so its forward pass (and therefore the ONNX graph's op pattern)
is the family's: the configurable families get a small configuration (fewer blocks, fewer channels), the others are
built at full size and then narrowed: every Conv2d, BatchNorm2d, Linear and LayerNorm is replaced by one with its
channel counts divided by a width divisor (the RGB input and the classes excepted), which keeps every concatenation,
split and depthwise grouping consistent. AlexNet's and VGG's adaptive 7x7/6x6 pooling needs a 224-px input to
export (ONNX has no adaptive pooling), so their small variants pool to 1x1 and their first classifier layer is
narrowed to match; the full-size exports of the zoo cover the 224-px pattern.
"""

import torch
import torch.nn as nn
import torchvision
from torchvision.models import convnext, efficientnet, mobilenetv3, regnet, resnet, shufflenetv2, swin_transformer
from torchvision.models import vision_transformer, densenet, vgg

CLASSES = 10


def _f(c, k):
    return max(1, c // k)


def narrow(model, k, classes=CLASSES):
    """Replace every Conv2d, BatchNorm2d, Linear and LayerNorm of model by one k times narrower (see module doc)."""
    for parent in list(model.modules()):
        for name, m in list(parent.named_children()):
            if isinstance(m, nn.Conv2d):
                cin = m.in_channels if m.in_channels == 3 else _f(m.in_channels, k)
                cout = classes if m.out_channels == 1000 else _f(m.out_channels, k)
                if m.groups == 1:
                    groups = 1
                elif m.groups == m.in_channels:
                    groups = cin
                else:
                    groups = max(1, m.groups // k)
                new = nn.Conv2d(cin, cout, m.kernel_size, m.stride, m.padding, m.dilation, groups,
                                m.bias is not None, m.padding_mode)
            elif isinstance(m, nn.BatchNorm2d):
                new = nn.BatchNorm2d(_f(m.num_features, k), m.eps, m.momentum)
            elif isinstance(m, nn.Linear):
                cout = classes if m.out_features == 1000 else _f(m.out_features, k)
                new = nn.Linear(_f(m.in_features, k), cout, m.bias is not None)
            elif isinstance(m, nn.LayerNorm):
                new = type(m)(_f(m.normalized_shape[0], k), eps=m.eps)
            else:
                continue
            setattr(parent, name, new)
    return model


def _alexnet():
    model = narrow(torchvision.models.alexnet(weights=None), 32)
    model.avgpool = nn.AdaptiveAvgPool2d(1)
    model.classifier[1] = nn.Linear(8, 128)
    return model


def _vgg():
    model = narrow(vgg.VGG(vgg.make_layers(vgg.cfgs["A"], batch_norm=True), num_classes=1000), 32)
    model.avgpool = nn.AdaptiveAvgPool2d(1)
    model.classifier[0] = nn.Linear(16, 128)
    return model


def _resnet(block, k, **kwargs):
    return narrow(resnet.ResNet(block, [1, 1, 1, 1], **kwargs), k)


def _googlenet():
    return narrow(torchvision.models.googlenet(weights=None, aux_logits=False, init_weights=True), 16)


def _inception():
    return narrow(torchvision.models.inception_v3(weights=None, aux_logits=False, init_weights=True), 32)


def _squeezenet():
    return narrow(torchvision.models.squeezenet1_1(weights=None), 4)


def _squeezenet_alive(model):
    """SqueezeNet ends in ReLU: with seeded weights every logit's ReLU was closed and the input gradient nil, so its
    final convolution's bias is raised by 1 to keep them open."""
    with torch.no_grad():
        model.classifier[1].bias.add_(1.0)
    return model


def _mnasnet():
    return narrow(torchvision.models.mnasnet0_5(weights=None), 8)


def _mobilenet_v2():
    setting = [[1, 16, 1, 1], [6, 24, 2, 2], [6, 32, 2, 2], [6, 64, 1, 2]]
    return narrow(torchvision.models.MobileNetV2(inverted_residual_setting=setting), 4)


def _mobilenet_v3():
    c = mobilenetv3.InvertedResidualConfig
    setting = [c(8, 3, 8, 8, True, "RE", 2, 1, 1.0), c(8, 3, 24, 16, False, "RE", 2, 1, 1.0),
               c(16, 5, 48, 16, True, "HS", 1, 1, 1.0), c(16, 3, 48, 24, True, "HS", 2, 1, 1.0)]
    return mobilenetv3.MobileNetV3(setting, last_channel=64, num_classes=CLASSES)


def _efficientnet():
    m = efficientnet.MBConvConfig
    setting = [m(1, 3, 1, 8, 8, 1), m(4, 5, 2, 8, 16, 2), m(4, 3, 2, 16, 24, 1)]
    return efficientnet.EfficientNet(setting, dropout=0.2, num_classes=CLASSES, last_channel=64)


def _efficientnet_v2():
    fused, m = efficientnet.FusedMBConvConfig, efficientnet.MBConvConfig
    setting = [fused(1, 3, 1, 8, 8, 1), fused(4, 3, 2, 8, 16, 2), m(4, 3, 2, 16, 24, 1)]
    norm = lambda c: nn.BatchNorm2d(c, eps=1e-3)  # noqa: E731 (as torchvision's efficientnet_v2 builders)
    return efficientnet.EfficientNet(setting, dropout=0.2, num_classes=CLASSES, last_channel=64, norm_layer=norm)


def _regnet():
    params = regnet.BlockParams.from_init_params(depth=3, w_0=8, w_a=8.0, w_m=2.0, group_width=8, se_ratio=0.25)
    return regnet.RegNet(params, num_classes=CLASSES, stem_width=8)


def _shufflenet():
    return shufflenetv2.ShuffleNetV2([2, 2, 2], [8, 16, 32, 64, 64], num_classes=CLASSES)


def _densenet():
    return densenet.DenseNet(growth_rate=4, block_config=(2, 2), num_init_features=8, bn_size=2, num_classes=CLASSES)


def _convnext():
    c = convnext.CNBlockConfig
    return convnext.ConvNeXt([c(8, 16, 1), c(16, 32, 1), c(32, None, 1)], layer_scale=0.5, num_classes=CLASSES)


def _swin():
    return swin_transformer.SwinTransformer(patch_size=[4, 4], embed_dim=8, depths=[2, 2], num_heads=[2, 4],
                                            window_size=[4, 4], stochastic_depth_prob=0.0, num_classes=CLASSES)


def _vit():
    return vision_transformer.VisionTransformer(image_size=32, patch_size=8, num_layers=2, num_heads=2, hidden_dim=16,
                                                mlp_dim=32, num_classes=CLASSES)


# family -> (builder, input size in pixels)
FAMILIES = {
    "alexnet": (_alexnet, 64),
    "convnext": (_convnext, 32),
    "densenet": (_densenet, 32),
    "efficientnet": (_efficientnet, 32),
    "efficientnet_v2": (_efficientnet_v2, 32),
    "googlenet": (_googlenet, 32),
    "inception_v3": (_inception, 75),
    "mnasnet": (_mnasnet, 32),
    "mobilenet_v2": (_mobilenet_v2, 32),
    "mobilenet_v3": (_mobilenet_v3, 32),
    "regnet": (_regnet, 32),
    "resnet": (lambda: _resnet(resnet.BasicBlock, 16), 32),
    "resnext": (lambda: _resnet(resnet.Bottleneck, 16, groups=32, width_per_group=4), 32),
    "shufflenet_v2": (_shufflenet, 32),
    "squeezenet": (_squeezenet, 32),
    "swin": (_swin, 32),
    "vgg": (_vgg, 32),
    "vit": (_vit, 32),
    "wide_resnet": (lambda: _resnet(resnet.Bottleneck, 32, width_per_group=128), 32),
}


def randomize(model, generator):
    """Seeded He-normal weights for every convolution and linear layer (some families initialise their classifier
    to zero or to tiny values, which would leave the logits uniform and the input gradients nil), small random biases,
    and non-trivial normalisation statistics and affine parameters, so that folding or skipping them would show."""
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                fan_in = m.weight[0].numel()
                m.weight.copy_(torch.randn(m.weight.shape, generator=generator) * (2 / fan_in) ** 0.5)
                if m.bias is not None:
                    m.bias.copy_(0.1 * torch.randn(m.bias.shape, generator=generator))
            elif isinstance(m, nn.BatchNorm2d):
                c = m.num_features
                m.weight.copy_(1 + 0.2 * torch.randn(c, generator=generator))
                m.bias.copy_(0.1 * torch.randn(c, generator=generator))
                m.running_mean.copy_(0.1 * torch.randn(c, generator=generator))
                m.running_var.copy_(0.5 + torch.rand(c, generator=generator))
            elif isinstance(m, nn.LayerNorm):
                c = m.weight.numel()
                m.weight.copy_((1 + 0.2 * torch.randn(c, generator=generator)).view_as(m.weight))
                m.bias.copy_((0.1 * torch.randn(c, generator=generator)).view_as(m.bias))
    return model


def build(name, seed):
    """The family's small variant in eval mode, with seeded weights."""
    torch.manual_seed(seed)
    builder, size = FAMILIES[name]
    model = builder()
    model = randomize(model, torch.Generator().manual_seed(seed))
    if name == "squeezenet":
        model = _squeezenet_alive(model)
    return model.eval(), size
