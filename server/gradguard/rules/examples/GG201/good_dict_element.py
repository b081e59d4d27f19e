"""`cache["h"] = cache["h"] + 1`: store a new tensor in the dict."""
import torch

x = torch.tensor([0.0, 1.0], requires_grad=True)
cache = {"h": torch.exp(x)}
cache["h"] = cache["h"] + 1
loss = cache["h"].prod()
loss.backward()
print("loss:", round(loss.item(), 4))
print("x.grad:", [round(v, 4) for v in x.grad.tolist()])
