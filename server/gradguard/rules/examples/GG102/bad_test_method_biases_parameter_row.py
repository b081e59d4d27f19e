"""A TestCase's `test...` method writes elements of a layer's bias: the runner calls it in grad mode."""
import torch
import torch.nn as nn

torch.manual_seed(0)


class TestCase:
    """Stands in for unittest.TestCase: the runner finds each `test...` method by name and calls it."""

    def run(self):
        for name in dir(self):
            if name.startswith("test"):
                getattr(self, name)()


class SoftmaxLoss(nn.Module):
    def __init__(self, num_words, embedding_dim):
        super().__init__()
        self.softmax_w = nn.Parameter(torch.randn(embedding_dim, num_words))
        self.softmax_b = nn.Parameter(torch.zeros(num_words))

    def forward(self, embeddings, targets):
        logits = embeddings @ self.softmax_w + self.softmax_b
        return nn.functional.cross_entropy(logits, targets)


class SoftmaxLossTest(TestCase):
    def test_unsampled_words_biased_out(self):
        loss_fn = SoftmaxLoss(num_words=6, embedding_dim=4)
        for i in range(6):
            if i not in (1, 3):
                loss_fn.softmax_b[i] = -10000  # expect GG102; torch raises: a view of a leaf Variable that requires grad is being used in an in-place operation
        loss = loss_fn(torch.randn(5, 4), torch.tensor([1, 3, 3, 1, 1]))
        print("loss:", loss.item())


SoftmaxLossTest().run()
