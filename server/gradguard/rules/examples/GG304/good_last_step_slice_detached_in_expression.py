"""`state = out[:, -1].detach()`: detach() returns a new tensor, which a view may have."""
import torch
import torch.nn as nn

torch.manual_seed(0)
lstm = nn.LSTM(3, 4, batch_first=True)
out, _ = lstm(torch.randn(2, 5, 3))
state = out[:, -1].detach()
print(state.shape)
