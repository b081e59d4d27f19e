"""The log-probability helper adds the copy scores out of place: `scatter()` returns a new tensor."""
import torch


def final_log_probs(generation_log_probs, copy_log_probs, token_ids):
    selected = generation_log_probs.gather(1, token_ids)
    combined = torch.logaddexp(selected, copy_log_probs)
    return generation_log_probs.scatter(1, token_ids, combined)


def decoder_scores(logits, copy_scores, token_ids):
    return final_log_probs(logits.log_softmax(-1), copy_scores.log_softmax(-1), token_ids)


if __name__ == "__main__":
    torch.manual_seed(0)
    logits = torch.randn(2, 5, requires_grad=True)
    copy_scores = torch.randn(2, 1, requires_grad=True)
    scores = decoder_scores(logits, copy_scores, torch.tensor([[1], [3]]))
    scores.sum().backward()
    print("grad:", logits.grad)
