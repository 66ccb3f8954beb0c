#!/usr/bin/python3
"""Where a pre-trained wav2vec 2.0 model solves its contrastive task: in pauses or in speech.

Not run by CI and never used by the product: a diagnostic for docs/experiment.md. It loads a
fairseq pre-training checkpoint (`./speechwb export --format fairseq`, or reference_pretrain.py's
checkpoint.pt) into reference_pretrain.py's network, masks held-out utterances as pre-training does
and scores every masked frame's prediction against its distractors, in evaluation mode (no dropout,
the quantizer's hard argmax instead of Gumbel noise). Each masked frame is put in a loudness band by
the energy of the 25 ms of audio under it (the encoder's receptive field) relative to its
utterance's loudest frame; per band it prints the share of masked frames, the accuracy (target
scored above all distractors) and the contrastive loss in bits.

Usage (/usr/bin/python3 with Debian's python3-torch and python3-torchaudio):
  contrastive_by_loudness.py --checkpoint model.pt --run RUN --corpus DIR --splits splits.tsv [--role valid]
RUN is the pre-training run folder whose config.yaml gives masking and distractors; DIR is a Kaldi
data directory (wav.scp) or a workbench corpus (utterances.tsv); splits.tsv an experiment's splits.
"""
import argparse
import json
import math
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F
import torchaudio
import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_interop_fixtures import fairseq_key, hf_state_dict  # noqa: E402
from reference_pretrain import Reference, compute_mask_indices  # noqa: E402

BANDS = [(-1e9, -40.0, "below -40 dB"), (-40.0, -30.0, "-40 to -30 dB"), (-30.0, -20.0, "-30 to -20 dB"),
         (-20.0, 1.0, "above -20 dB")]
QUIET = -30.0


def load(checkpoint, run):
    with open(os.path.join(run, "config.yaml")) as f:
        cfg = yaml.safe_load(f)
    m = cfg["wav2vec2"]
    model = Reference(m, cfg)
    sd = torch.load(checkpoint, map_location="cpu")["model"]
    large = m["extractorMode"] == "layer_norm"
    w2v = {}
    for hf_key, torchaudio_key in zip(hf_state_dict(model.w2v).keys(), model.w2v.state_dict().keys()):
        w2v[torchaudio_key] = sd[fairseq_key(hf_key, large)]
    model.w2v.load_state_dict(w2v)
    with torch.no_grad():
        model.mask_emb.copy_(sd["mask_emb"])
        model.vars.copy_(sd["quantizer.vars"])
        for name, key in (("weight_proj", "quantizer.weight_proj"), ("project_q", "project_q"),
                          ("final_proj", "final_proj")):
            getattr(model, name).weight.copy_(sd[key + ".weight"])
            getattr(model, name).bias.copy_(sd[key + ".bias"])
    model.eval()
    return model, cfg


def model_arguments():
    """The arguments every diagnostic that runs an exported model on a split's utterances takes."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--checkpoint", required=True)
    ap.add_argument("--run", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--splits", required=True)
    ap.add_argument("--role", default="valid")
    return ap


def frame_levels(wav, frames):
    """Each frame's level in dB below the utterance's loudest frame, from the 25 ms of audio under it."""
    energy = np.array([10 * math.log10(float(np.mean(wav[i * 320:i * 320 + 400] ** 2)) + 1e-12) for i in range(frames)])
    return energy - energy.max()


def split_rows(splits, role):
    """(utterance, speaker) of every row of the experiment's splits.tsv with this role, in file order."""
    rows = []
    with open(splits) as f:
        next(f)
        for line in f:
            utt, spk, r = line.rstrip("\n").split("\t")
            if r == role:
                rows.append((utt, spk))
    return rows


def audio_paths(corpus, splits, role):
    ids = [utt for utt, _ in split_rows(splits, role)]
    paths = {}
    if os.path.exists(os.path.join(corpus, "wav.scp")):
        with open(os.path.join(corpus, "wav.scp")) as f:
            for line in f:
                utt, p = line.strip().split(None, 1)
                paths[utt] = p
    else:
        with open(os.path.join(corpus, "utterances.tsv")) as f:
            next(f)
            for line in f:
                cols = line.rstrip("\n").split("\t")
                paths[cols[0]] = cols[1]
    return [(u, paths[u] if os.path.isabs(paths[u]) else os.path.join(corpus, paths[u])) for u in ids if u in paths]


@torch.no_grad()
def score(model, cfg, wav, rng):
    """Per masked frame: loudness (dB below the utterance's loudest frame), correct, loss in nats."""
    feats = model.unmasked_features(torch.from_numpy(wav).unsqueeze(0))
    unmasked = feats.clone()
    h = model.w2v.encoder.feature_projection.projection(feats)
    _, T, _ = h.shape
    mk = cfg["masking"]
    mask = torch.from_numpy(compute_mask_indices(1, T, mk["maskProb"], mk["maskLength"], mk["minMasks"], rng))
    h[mask] = model.mask_emb
    h = model.w2v.encoder.transformer(h)
    y = unmasked[mask]                                            # [M, C]
    M = y.size(0)
    logits = model.weight_proj(y).view(M * model.groups, -1)
    hard = torch.zeros_like(logits).scatter_(-1, logits.argmax(-1).view(-1, 1), 1.0).view(M, -1)
    y = model.targets(hard)
    N = model.negatives
    t = torch.arange(M).unsqueeze(-1).expand(-1, N).flatten()
    neg = torch.from_numpy(rng.integers(0, M - 1, N * M))
    neg[neg >= t] += 1
    negs = y[neg].view(M, N, -1)
    c = model.final_proj(h[mask])
    targets = torch.cat([y.unsqueeze(1), negs], 1)                # [M, N + 1, D]
    lg = torch.cosine_similarity(c.unsqueeze(1), targets, dim=-1) / model.logit_temp
    lg[:, 1:][(negs == y.unsqueeze(1)).all(-1)] = float("-inf")
    loss = F.cross_entropy(lg, lg.new_zeros(M, dtype=torch.long), reduction="none")
    correct = (lg.argmax(-1) == 0) & (lg.argmin(-1) != 0)
    frames = np.nonzero(mask[0].numpy())[0]
    return frame_levels(wav, T)[frames], correct.numpy(), loss.numpy()


def main():
    ap = model_arguments()
    ap.add_argument("--draws", type=int, default=3, help="masks drawn per utterance")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", help="also write the figures here")
    a = ap.parse_args()
    torch.set_num_threads(1)
    torch.backends.mkldnn.enabled = False
    model, cfg = load(a.checkpoint, a.run)
    rng = np.random.default_rng(a.seed)
    max_len = cfg["data"]["maxSampleSize"]
    rel, cor, loss = [], [], []
    utts = audio_paths(a.corpus, a.splits, a.role)
    for _, path in utts:
        w, sr = torchaudio.load(path)
        assert sr == 16000, path
        wav = w[0].numpy()[:max_len]
        for _ in range(a.draws):
            r, c, l_ = score(model, cfg, wav, rng)
            rel.append(r), cor.append(c), loss.append(l_)
    rel, cor, loss = np.concatenate(rel), np.concatenate(cor), np.concatenate(loss) / math.log(2)
    out = {"checkpoint": a.checkpoint, "utterances": len(utts), "maskedFrames": int(len(rel)),
           "chanceBits": math.log2(cfg["loss"]["negatives"] + 1), "bands": []}
    print("%s: %d %s utterances, %d masked frames; all: accuracy %.1f %%, loss %.3f bits (uniform %.3f)" % (
        a.checkpoint, len(utts), a.role, len(rel), 100 * cor.mean(), loss.mean(), out["chanceBits"]))
    bands = BANDS + [(-1e9, QUIET, "quiet (below -30 dB)"), (QUIET, 1.0, "speech (-30 dB and above)")]
    for lo, hi, name in bands:
        sel = (rel >= lo) & (rel < hi)
        if not sel.any():
            continue
        b = {"band": name, "share": float(sel.mean()), "accuracy": float(cor[sel].mean()), "bits": float(loss[sel].mean())}
        out["bands"].append(b)
        print("  %-26s %5.1f %% of frames  accuracy %5.1f %%  loss %.3f bits" % (name, 100 * b["share"],
                                                                               100 * b["accuracy"], b["bits"]))
    if a.json:
        with open(a.json, "w") as f:
            json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
