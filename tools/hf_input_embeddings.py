#!/usr/bin/env python3
"""Run real transformers models the way LoRA fine-tuning runs them, to check what gradguard's input-embedding
warning (analysis/input_embeddings.py) says about transformers' own code: the base frozen, a trainable layer after
the embeddings (standing for the adapters), `model.enable_input_require_grads()`, one forward and backward; then
the same model fully fine-tuned. Not part of the test suite: it needs transformers, which gradguard never imports.

    pip install --target /tmp/hf transformers==5.23.0 huggingface_hub tokenizers safetensors regex pyyaml tqdm
    PYTHONPATH=/tmp/hf python tools/hf_input_embeddings.py

Prints one line per model and setup: "ok", or the RuntimeError torch raised.
"""
from __future__ import annotations

import torch


def run(name: str, build, inputs: dict) -> None:
    for lora in (True, False):
        model = build()
        model.train()
        if lora:
            for p in model.parameters():
                p.requires_grad_(False)
            for p in list(model.parameters())[-2:]:
                p.requires_grad_(True)
            model.enable_input_require_grads()
        try:
            model(**inputs).last_hidden_state.float().sum().backward()
            result = "ok"
        except RuntimeError as exc:
            result = str(exc).split("\n")[0]
        print(f"{name:22s} {'LoRA-style, hooked' if lora else 'full fine-tuning':20s} {result}")


def main() -> None:
    from transformers import BlipTextConfig, CTRLConfig, CTRLModel, GitConfig, GitModel
    from transformers.models.blip.modeling_blip_text import BlipTextModel
    from transformers.models.csm.modeling_csm import CsmDepthDecoderConfig, CsmDepthDecoderModel
    from transformers.models.kosmos2.modeling_kosmos2 import Kosmos2TextConfig, Kosmos2TextModel

    small = dict(num_hidden_layers=1, num_attention_heads=2, intermediate_size=37)
    ids = torch.tensor([[1, 5, 7, 2]])
    vision = dict(hidden_size=32, image_size=32, patch_size=16, **small)
    run("GitModel", lambda: GitModel(GitConfig(hidden_size=32, vision_config=vision, **small)), {"input_ids": ids})
    run("CTRLModel", lambda: CTRLModel(CTRLConfig(n_embd=32, n_layer=1, n_head=2, dff=37, vocab_size=100)),
        {"input_ids": ids})
    run("BlipTextModel", lambda: BlipTextModel(BlipTextConfig(hidden_size=32, encoder_hidden_size=32, **small)),
        {"input_ids": ids})
    run("Kosmos2TextModel", lambda: Kosmos2TextModel(Kosmos2TextConfig(embed_dim=32, layers=1, attention_heads=2,
                                                                       ffn_dim=37, vocab_size=100)),
        {"input_ids": ids, "image_embeds": torch.randn(1, 2, 32), "image_embeds_position_mask": torch.tensor([[0, 1, 1, 0]])})
    run("CsmDepthDecoderModel", lambda: CsmDepthDecoderModel(CsmDepthDecoderConfig(
        hidden_size=32, num_key_value_heads=2, backbone_hidden_size=32, vocab_size=50, num_codebooks=4, head_dim=16,
        **small)), {"input_ids": torch.tensor([[0, 5, 7, 2]]), "backbone_last_hidden_state": torch.randn(1, 32)})


if __name__ == "__main__":
    main()
