"""`inputs_embeds[mask] = image_embeds` on the input embedding's output, a leaf under LoRA's hook.

A vision-language model writes the image features into the token embeddings in place. Fine-tuned with LoRA and
gradient checkpointing, `model.enable_input_require_grads()` (Hugging Face) hooks the frozen embedding so that its
output requires grad: that output is then a leaf, and the write raises. Qwen-VL fine-tuning scripts shipped this.
"""
import torch
import torch.nn as nn


class TinyVisionLanguageModel(nn.Module):
    def __init__(self, vocab=10, dim=4, image_token=3):
        super().__init__()
        self.image_token = image_token
        self.embed_tokens = nn.Embedding(vocab, dim)
        self.lm_head = nn.Linear(dim, vocab)

    def get_input_embeddings(self):
        return self.embed_tokens

    def enable_input_require_grads(self):
        # what transformers' PreTrainedModel.enable_input_require_grads registers
        def make_inputs_require_grads(module, input, output):
            output.requires_grad_(True)

        self.get_input_embeddings().register_forward_hook(make_inputs_require_grads)

    def forward(self, input_ids, image_embeds):
        inputs_embeds = self.embed_tokens(input_ids)
        inputs_embeds[input_ids == self.image_token] = image_embeds  # expect GG101; torch raises: a leaf Variable that requires grad is being used in an in-place operation
        return self.lm_head(inputs_embeds)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = TinyVisionLanguageModel()
    model.embed_tokens.weight.requires_grad_(False)  # the frozen base of a LoRA fine-tuning
    model.enable_input_require_grads()
    input_ids = torch.tensor([[1, 3, 2, 3]])
    image_embeds = torch.randn(2, 4, requires_grad=True)
    logits = model(input_ids, image_embeds)
    logits.sum().backward()
    print("grad norm:", round(image_embeds.grad.norm().item(), 4))
