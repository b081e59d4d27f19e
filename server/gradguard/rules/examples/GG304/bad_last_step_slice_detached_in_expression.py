"""`state = out[:, -1].detach_()`: the last time step of an LSTM's output is a view of it."""
import torch
import torch.nn as nn

torch.manual_seed(0)
lstm = nn.LSTM(3, 4, batch_first=True)
out, _ = lstm(torch.randn(2, 5, 3))
state = out[:, -1].detach_()  # expect GG304; torch raises: Can't detach views in-place
print(state.shape)
