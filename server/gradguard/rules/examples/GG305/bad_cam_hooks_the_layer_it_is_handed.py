"""A Grad-CAM helper puts a full backward hook on the layer it is handed; the next ReLU is in place.

The hook makes the conv hand back its output as a view made by a custom autograd Function, and the model's
`nn.ReLU(inplace=True)` right after it (as in torchvision's VGG) changes that view in place: torch raises in the
forward pass. The helper cannot see the model; the twin takes the gradient with a tensor hook on the output.
"""
import torch
import torch.nn as nn


class GradCam:
    def __init__(self, model, target_layer):
        self.model = model
        self.gradients = None
        target_layer.register_full_backward_hook(self.save_gradient)  # expect GG305

    def save_gradient(self, module, grad_input, grad_output):
        self.gradients = grad_output[0].detach()

    def __call__(self, x, class_idx):
        scores = self.model(x)  # torch raises: Output 0 of BackwardHookFunction is a view and is being modified inplace
        scores[:, class_idx].sum().backward()
        return self.gradients.mean(dim=(2, 3))


if __name__ == "__main__":
    torch.manual_seed(0)
    net = nn.Sequential(nn.Conv2d(3, 4, 3), nn.ReLU(inplace=True), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                        nn.Linear(4, 2))
    cam = GradCam(net, net[0])
    print("channel weights:", [round(v, 4) for v in cam(torch.randn(1, 3, 8, 8), 1).flatten().tolist()])
