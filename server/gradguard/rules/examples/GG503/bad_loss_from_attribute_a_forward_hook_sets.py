"""A filter visualisation whose loss reads a target that only `__init__` sets, not the hooked output.

`self.target` is zeros made in `__init__`: nothing makes it depend on the image, so backward() finds no graph.
"""
import torch
import torch.nn as nn


class FilterVisualization:
    def __init__(self, model, layer, channel):
        self.model = model
        self.layer = layer
        self.channel = channel
        self.conv_output = 0
        self.target = torch.zeros(4)

    def hook_layer(self):
        def hook_function(module, inputs, output):
            self.conv_output = output[0, self.channel]
        self.model[self.layer].register_forward_hook(hook_function)

    def visualise(self, steps=3):
        self.hook_layer()
        image = torch.rand(1, 3, 8, 8, requires_grad=True)
        optimizer = torch.optim.Adam([image], lr=0.1)
        for _ in range(steps):
            optimizer.zero_grad()
            self.model(image)
            loss = -torch.mean(self.target)
            loss.backward()  # expect GG503; torch raises: element 0 of tensors does not require grad and does not have a grad_fn
            optimizer.step()
        return loss.item()


torch.manual_seed(0)
model = nn.Sequential(nn.Conv2d(3, 4, 3), nn.ReLU(), nn.Conv2d(4, 4, 3))
print("loss:", round(FilterVisualization(model, 0, 1).visualise(), 4))
