"""A helper named for indices (`assign_gt_indices`) edits a boolean mask in place: not a loss.

Only its name ends in "indices"; the mask it changes is a comparison result, which never requires grad, and the
scores that do are only read. backward() through the scores runs.
"""
import torch


class CenterAssigner:
    def assign_gt_indices(self, is_in_core, priority):
        matched = is_in_core.any(dim=1)
        _, best = priority[matched].max(dim=1)
        is_in_core[matched, best] = False
        shadowed = is_in_core.nonzero()
        is_in_core[matched, best] = True
        return best, shadowed

    def assign(self, scores, threshold):
        is_in_core = scores > threshold
        priority = scores.detach().clone()
        best, shadowed = self.assign_gt_indices(is_in_core, priority)
        return scores[is_in_core].sum(), best, shadowed


if __name__ == "__main__":
    torch.manual_seed(0)
    scores = torch.rand(4, 3, requires_grad=True)
    total, best, shadowed = CenterAssigner().assign(scores, 0.3)
    total.backward()
    print("grad:", scores.grad.flatten().tolist(), "shadowed:", shadowed.shape[0])
