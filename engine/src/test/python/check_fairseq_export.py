"""Checks a checkpoint written by `speechwb export --format fairseq` with the reference libraries.

Usage: /usr/bin/python3 engine/src/test/python/check_fairseq_export.py FILE.pt

1. torch.load reads it, as fairseq's load_checkpoint_to_cpu does.
2. Its config becomes an OmegaConf config the way fairseq's load_checkpoint_to_cpu makes it
   (OmegaConf.create(cfg, flags={"allow_objects": True}); Debian's python3-omegaconf), and its
   bookkeeping has what fairseq's _upgrade_state_dict reads.
3. torchaudio's own fairseq key mapping (_convert_state_dict) turns its state dict into one that
   loads with strict=True into torchaudio's wav2vec2_model built from the config in the file: every
   encoder key is known there with the right shape. The pre-training-only parameters (quantizer,
   project_q, final_proj, mask_emb) must be present with fairseq's shapes.
4. The model runs on a second of noise and gives finite features.
"""
import ast
import sys

import torch
from torchaudio.models import wav2vec2_model
from torchaudio.models.wav2vec2.utils.import_fairseq import _convert_state_dict

state = torch.load(sys.argv[1], map_location="cpu")
cfg, sd = state["cfg"], state["model"]
assert isinstance(cfg, dict) and cfg["model"]["_name"] == "wav2vec2", cfg.get("model")
try:
    from omegaconf import OmegaConf
    oc = OmegaConf.create(cfg, flags={"allow_objects": True})
    assert oc.model._name == "wav2vec2" and oc.task._name == "audio_pretraining", oc
    omegaconf = "OmegaConf reads its cfg; "
except ImportError:
    omegaconf = "(omegaconf not installed: cfg not checked with it) "
hist = state["optimizer_history"][-1]
for k in ("criterion_name", "optimizer_name", "lr_scheduler_state", "num_updates"):
    assert k in hist, k
assert "epoch" in state["extra_state"]["train_iterator"]
m = cfg["model"]
conv = ast.literal_eval(m["conv_feature_layers"])
groups, entries = m["latent_groups"], m["latent_vars"]
final_dim = m["final_dim"] or m["encoder_embed_dim"]
assert tuple(sd["quantizer.vars"].shape) == (1, groups * entries, final_dim // groups), sd["quantizer.vars"].shape
assert tuple(sd["quantizer.weight_proj.weight"].shape) == (groups * entries, conv[-1][0])
assert tuple(sd["project_q.weight"].shape) == (final_dim, final_dim)
assert tuple(sd["final_proj.weight"].shape) == (final_dim, m["encoder_embed_dim"])
assert tuple(sd["mask_emb"].shape) == (m["encoder_embed_dim"],)
encoder_sd = {k: v for k, v in sd.items()
              if not k.startswith(("quantizer.", "project_q.", "final_proj.")) and k != "mask_emb"}
model = wav2vec2_model(
    extractor_mode="layer_norm" if m["extractor_mode"] == "layer_norm" else "group_norm",
    extractor_conv_layer_config=conv, extractor_conv_bias=m["conv_bias"],
    encoder_embed_dim=m["encoder_embed_dim"], encoder_projection_dropout=0.0,
    encoder_pos_conv_kernel=m["conv_pos"], encoder_pos_conv_groups=m["conv_pos_groups"],
    encoder_num_layers=m["encoder_layers"], encoder_num_heads=m["encoder_attention_heads"],
    encoder_attention_dropout=0.0, encoder_ff_interm_features=m["encoder_ffn_embed_dim"],
    encoder_ff_interm_dropout=0.0, encoder_dropout=0.0, encoder_layer_norm_first=m["layer_norm_first"],
    encoder_layer_drop=0.0, aux_num_out=None)
model.load_state_dict(_convert_state_dict(encoder_sd), strict=True)
model.eval()
with torch.no_grad():
    x, _ = model(torch.randn(1, 16000))
assert torch.isfinite(x).all()
print(f"ok: {omegaconf}{len(sd)} tensors, {sum(v.numel() for v in sd.values()):,} values; torchaudio loads the encoder"
      f" strictly; features {tuple(x.shape)}; updates {hist['num_updates']}")
