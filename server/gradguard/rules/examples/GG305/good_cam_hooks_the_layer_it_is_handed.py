"""A Grad-CAM helper takes the gradient with a tensor hook on the output of the layer it is handed.

A forward hook registers `output.register_hook(...)` on the conv's output: the hook receives the same gradient a
full backward hook's `grad_output[0]` holds, and the output stays an ordinary tensor that the model's
`nn.ReLU(inplace=True)` may change in place.
"""
import torch
import torch.nn as nn


class GradCam:
    def __init__(self, model, target_layer):
        self.model = model
        self.gradients = None
        target_layer.register_forward_hook(self.hook_output)

    def hook_output(self, module, inputs, output):
        output.register_hook(self.save_gradient)

    def save_gradient(self, grad):
        self.gradients = grad.detach()

    def __call__(self, x, class_idx):
        scores = self.model(x)
        scores[:, class_idx].sum().backward()
        return self.gradients.mean(dim=(2, 3))


if __name__ == "__main__":
    torch.manual_seed(0)
    net = nn.Sequential(nn.Conv2d(3, 4, 3), nn.ReLU(inplace=True), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                        nn.Linear(4, 2))
    cam = GradCam(net, net[0])
    print("channel weights:", [round(v, 4) for v in cam(torch.randn(1, 3, 8, 8), 1).flatten().tolist()])
