"""An out-of-place ReLU built in `__init__` and applied in `forward` to a sigmoid output."""
import torch
import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(3, 2)
        self.act = nn.ReLU(inplace=False)

    def forward(self, x):
        h = torch.sigmoid(self.fc(x))
        return self.act(h)


torch.manual_seed(0)
net = Net()
out = net(torch.tensor([[0.5, -1.0, 2.0]]))
out.sum().backward()
print("out:", [round(v, 4) for v in out.flatten().tolist()])
print("fc.bias.grad:", [round(v, 4) for v in net.fc.bias.grad.tolist()])
