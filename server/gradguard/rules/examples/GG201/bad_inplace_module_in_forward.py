"""An in-place ReLU built in `__init__` and applied in `forward` to a sigmoid output."""
import torch
import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(3, 2)
        self.act = nn.ReLU(inplace=True)

    def forward(self, x):
        h = torch.sigmoid(self.fc(x))
        return self.act(h)  # expect GG201


torch.manual_seed(0)
net = Net()
out = net(torch.tensor([[0.5, -1.0, 2.0]]))
out.sum().backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
print("out:", [round(v, 4) for v in out.flatten().tolist()])
print("fc.bias.grad:", [round(v, 4) for v in net.fc.bias.grad.tolist()])
