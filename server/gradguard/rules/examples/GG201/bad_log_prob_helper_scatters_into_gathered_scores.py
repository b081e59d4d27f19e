"""A log-probability helper adds copy scores in place with `scatter_()` after `gather` saved them.

A function named for log-probabilities computes what a training objective differentiates (a decoder's scores, a
policy gradient, a preference loss): its inputs require grad there even when no caller in the file shows it.
"""
import torch


def final_log_probs(generation_log_probs, copy_log_probs, token_ids):
    selected = generation_log_probs.gather(1, token_ids)
    combined = torch.logaddexp(selected, copy_log_probs)
    generation_log_probs.scatter_(1, token_ids, combined)  # expect GG201
    return generation_log_probs


def decoder_scores(logits, copy_scores, token_ids):
    return final_log_probs(logits.log_softmax(-1), copy_scores.log_softmax(-1), token_ids)


if __name__ == "__main__":
    torch.manual_seed(0)
    logits = torch.randn(2, 5, requires_grad=True)
    copy_scores = torch.randn(2, 1, requires_grad=True)
    scores = decoder_scores(logits, copy_scores, torch.tensor([[1], [3]]))
    scores.sum().backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
    print("grad:", logits.grad)
