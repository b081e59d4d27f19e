"""`torch.cat` of embedders picked by a computed key, run under no_grad: the loss has no grad."""
import torch


class Combined(torch.nn.Module):
    def __init__(self, embedders):
        super().__init__()
        self._embedders = embedders
        for key, embedder in embedders.items():
            self.add_module(f"embedder_{key}", embedder)
        self._keys = sorted(embedders.keys())

    def forward(self, inputs):
        outs = []
        for key in self._keys:
            outs.append(self._embedders[key](inputs[key]))
        return torch.cat(outs, dim=-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = Combined({"words": torch.nn.Embedding(10, 4), "chars": torch.nn.Embedding(20, 2)})
    with torch.no_grad():  # features computed as at evaluation
        out = model({"words": torch.tensor([[1, 2, 3]]), "chars": torch.tensor([[4, 5, 6]])})
    loss = out.mean()
    loss.backward()  # expect GG503; torch raises: element 0 of tensors does not require grad
    print("grad:", model._embedders["words"].weight.grad is not None)
