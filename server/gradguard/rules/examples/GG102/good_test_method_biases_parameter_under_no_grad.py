"""A TestCase's `test...` method sets elements of a layer's bias under `torch.no_grad()`."""
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
        self.register_buffer("counts", torch.zeros(num_words))

    def forward(self, embeddings, targets):
        logits = embeddings @ self.softmax_w + self.softmax_b
        return nn.functional.cross_entropy(logits, targets)


class SoftmaxLossTest(TestCase):
    def test_unsampled_words_biased_out(self):
        loss_fn = SoftmaxLoss(num_words=6, embedding_dim=4)
        with torch.no_grad():
            for i in range(6):
                if i not in (1, 3):
                    loss_fn.softmax_b[i] = -10000
        loss_fn.counts[0] = 1.0  # a buffer does not require grad
        loss = loss_fn(torch.randn(5, 4), torch.tensor([1, 3, 3, 1, 1]))
        print("loss:", loss.item(), "counts:", loss_fn.counts.tolist())

    @torch.no_grad()
    def test_decorated_with_no_grad(self):
        loss_fn = SoftmaxLoss(num_words=6, embedding_dim=4)
        loss_fn.softmax_b[0] = -10000
        print("bias:", loss_fn.softmax_b.tolist())


SoftmaxLossTest().run()
