#!/usr/bin/python3
"""Pre-trains wav2vec 2.0 with a reference implementation, on the recipe and audio of one of our runs.

Not run by CI and never used by the product: it answers whether our engine's pre-training, at our
scale, learns worse than the reference would. It reads a workbench pre-training run folder
(`config.yaml`, `train-utterances.txt`) and the corpus it was trained on, and trains the same
network on the same utterances with the same recipe, in PyTorch:

  - the network is torchaudio's reimplementation of fairseq's wav2vec 2.0 (feature encoder and
    Transformer, checked against our engine by the interop fixtures), initialised as fairseq does
    (Kaiming-normal convolutions, N(0, 0.02) Transformer projections, the positional convolution's
    N(0, sqrt(4 / (k * d))), uniform mask embedding and codebook, N(0, 1) quantizer projection);
  - the pre-training head is fairseq's, ported from fairseq/models/wav2vec/wav2vec2.py (commit
    3d262bb): feature penalty on the encoder output, GradMultiply into the feature encoder,
    LayerNorm, dropout_input / dropout_features, span masks from compute_mask_indices (static
    lengths, min_masks 2, require_same_masks), the Gumbel quantizer on the masked frames of the
    unmasked features, project_q, distractors drawn from the other masked frames of the same
    utterance, cosine logits over logit_temp, -inf for a distractor equal to its target;
  - the criterion is fairseq's wav2vec criterion (infonce): summed cross-entropy, the diversity
    loss and the feature penalty weighted and scaled by the masked-frame count, gradients divided
    by that count, clipped to clipNorm; fairseq's Adam with decoupled weight decay, polynomial
    decay with linear warm-up, the Gumbel temperature max(start * decay^updates, end);
  - batches follow fairseq's RawAudioDataset without padding: utterances shorter than
    minSampleSize left out, sorted by min(length, maxSampleSize), filled up to maxTokens, every row
    cropped at random to the batch's shortest row, batches shuffled every epoch.

It writes, in --out: metrics.jsonl (one line per update, the fields of our runs' metrics.jsonl:
loss and contrastive in bits as fairseq logs them, accuracy, perplexities, temperature, lr, gradient
norm), checkpoint.pt (fairseq's Wav2Vec2Model key names and a plain-dict cfg, importable with
`./speechwb import checkpoint.pt --out RUN`), and state.pt every 500 updates: run it again with the
same arguments and it continues from there.

Usage (Debian's python3-torch and python3-torchaudio, run with /usr/bin/python3; install an optimised
BLAS too, e.g. libopenblas0-pthread, and set OPENBLAS_NUM_THREADS=1 with --threads 1: on Debian's
reference BLAS alone an update took 4.5 s instead of 0.3 s, two runs side by side on 2 cores):
  reference_pretrain.py --run /work/exp/so6/runs/pretrain --corpus DIR --out DIR [--threads 2] [--seed N]
"""
import argparse
import json
import math
import os
import random
import sys
import time
from collections import OrderedDict

import numpy as np
import torch
import torch.nn.functional as F
import torchaudio
import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_interop_fixtures import fairseq_key, hf_state_dict  # noqa: E402


class GradMultiply(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, scale):
        ctx.scale = scale
        return x.clone()

    @staticmethod
    def backward(ctx, grad):
        return grad * ctx.scale, None


def compute_mask_indices(bsz, sz, mask_prob, mask_length, min_masks, rng):
    """fairseq's compute_mask_indices: static lengths, no padding, overlap allowed, require_same_masks."""
    idcs = []
    for _ in range(bsz):
        num_mask = max(min_masks, int(mask_prob * sz / float(mask_length) + rng.random()))
        min_len = mask_length
        if sz - min_len <= num_mask:
            min_len = sz - num_mask - 1
        starts = rng.choice(sz - min_len, num_mask, replace=False)
        idc = np.asarray([s + o for s in starts for o in range(mask_length)])
        idcs.append(np.unique(idc[idc < sz]))
    target = min(len(m) for m in idcs)
    mask = np.zeros((bsz, sz), dtype=bool)
    for i, idc in enumerate(idcs):
        if len(idc) > target:
            idc = rng.choice(idc, target, replace=False)
        mask[i, idc] = True
    return mask


class Reference(torch.nn.Module):
    def __init__(self, m, cfg):
        super().__init__()
        conv = [(c["channels"], c["kernel"], c["stride"]) for c in m["convLayers"]]
        mode = {"default": "group_norm", "layer_norm": "layer_norm"}[m["extractorMode"]]
        self.w2v = torchaudio.models.wav2vec2_model(
            extractor_mode=mode, extractor_conv_layer_config=conv, extractor_conv_bias=m["convBias"],
            encoder_embed_dim=m["modelDim"], encoder_projection_dropout=m["inputDropout"],
            encoder_pos_conv_kernel=m["posConvKernel"], encoder_pos_conv_groups=m["posConvGroups"],
            encoder_num_layers=m["layers"], encoder_num_heads=m["heads"],
            encoder_attention_dropout=m["attentionDropout"], encoder_ff_interm_features=m["ffnDim"],
            encoder_ff_interm_dropout=m["activationDropout"], encoder_dropout=m["dropout"],
            encoder_layer_norm_first=m["layerNormFirst"], encoder_layer_drop=m["layerDrop"], aux_num_out=None)
        c = conv[-1][0]
        d = m["modelDim"]
        self.groups, self.entries = m["codebookGroups"], m["codebookEntries"]
        final = m["finalDim"]
        self.mask_emb = torch.nn.Parameter(torch.empty(d).uniform_())
        self.weight_proj = torch.nn.Linear(c, self.groups * self.entries)
        self.vars = torch.nn.Parameter(torch.empty(1, self.groups * self.entries, final // self.groups).uniform_())
        self.project_q = torch.nn.Linear(final, final)
        self.final_proj = torch.nn.Linear(d, final)
        self.feature_dropout = m["featureDropout"]
        self.grad_mult = m["featureGradMult"]
        self.logit_temp = m["logitTemperature"]
        self.negatives = cfg["loss"]["negatives"]
        self.mask = cfg["masking"]
        self.fairseq_init(m)

    def fairseq_init(self, m):
        with torch.no_grad():
            for layer in self.w2v.feature_extractor.conv_layers:
                torch.nn.init.kaiming_normal_(layer.conv.weight)
            for name, mod in self.w2v.encoder.transformer.named_modules():
                if isinstance(mod, torch.nn.Linear):      # init_bert_params
                    mod.weight.normal_(0.0, 0.02)
                    if mod.bias is not None:
                        mod.bias.zero_()
            pc = self.w2v.encoder.transformer.pos_conv_embed.conv
            torch.nn.utils.remove_weight_norm(pc)
            pc.weight.normal_(0.0, math.sqrt(4.0 / (m["posConvKernel"] * m["modelDim"])))
            pc.bias.zero_()
            torch.nn.utils.weight_norm(pc, name="weight", dim=2)
            torch.nn.init.normal_(self.weight_proj.weight, 0.0, 1.0)
            torch.nn.init.zeros_(self.weight_proj.bias)

    def unmasked_features(self, wav):
        """The features the quantizer reads: the feature encoder's output after its LayerNorm, [B, T, C]."""
        feats, _ = self.w2v.feature_extractor(wav, None)
        return self.w2v.encoder.feature_projection.layer_norm(feats)

    def targets(self, one_hot):
        """The contrastive targets of chosen codes: one-hot [N, G * V] -> projected code vectors [N, D]."""
        n = one_hot.size(0)
        q = one_hot.unsqueeze(-1) * self.vars.view(1, self.groups * self.entries, -1)
        return self.project_q(q.view(n, self.groups, self.entries, -1).sum(-2).view(n, -1))

    def forward(self, wav, temperature, rng):
        feats, _ = self.w2v.feature_extractor(wav, None)          # [B, T, C], before the LayerNorm
        if self.grad_mult != 1.0:
            feats = GradMultiply.apply(feats, self.grad_mult)
        pen = feats.float().pow(2).mean()
        fp = self.w2v.encoder.feature_projection
        feats = fp.layer_norm(feats)
        unmasked = feats.clone()
        x = fp.dropout(fp.projection(feats))
        unmasked = F.dropout(unmasked, self.feature_dropout, self.training)
        B, T, _ = x.shape
        mask = torch.from_numpy(compute_mask_indices(B, T, self.mask["maskProb"], self.mask["maskLength"],
                                                     self.mask["minMasks"], rng))
        x = x.clone()
        x[mask] = self.mask_emb.to(x.dtype)
        x = self.w2v.encoder.transformer(x)
        y = unmasked[mask].view(B, -1, unmasked.size(-1))
        M = y.size(1)

        # Gumbel quantizer
        logits = self.weight_proj(y.reshape(-1, y.size(-1))).view(B * M * self.groups, -1)
        with torch.no_grad():
            k = logits.argmax(-1)
            hard = torch.zeros_like(logits).scatter_(-1, k.view(-1, 1), 1.0).view(B * M, self.groups, -1)
            hp = hard.mean(0)
            code_ppl = torch.exp(-torch.sum(hp * torch.log(hp + 1e-7), -1)).sum()
        avg = torch.softmax(logits.view(B * M, self.groups, -1).float(), -1).mean(0)
        prob_ppl = torch.exp(-torch.sum(avg * torch.log(avg + 1e-7), -1)).sum()
        q = F.gumbel_softmax(logits.float(), tau=temperature, hard=True).view(B * M, -1)
        y = self.targets(q).view(B, M, -1)

        # distractors: other masked frames of the same utterance, with replacement
        N = self.negatives
        with torch.no_grad():
            tszs = torch.arange(M).unsqueeze(-1).expand(-1, N).flatten()
            neg = torch.randint(0, M - 1, (B, N * M))
            neg[neg >= tszs] += 1
            neg = neg + torch.arange(B).unsqueeze(1) * M
        negs = y.reshape(-1, y.size(-1))[neg.view(-1)].view(B, M, N, -1).permute(2, 0, 1, 3)

        x = self.final_proj(x[mask].view(B, M, -1))
        neg_is_pos = (y == negs).all(-1)
        targets = torch.cat([y.unsqueeze(0), negs], 0)
        lg = torch.cosine_similarity(x.float(), targets.float(), dim=-1) / self.logit_temp
        lg[1:][neg_is_pos] = float("-inf")
        lg = lg.transpose(0, 2).reshape(-1, N + 1)                 # fairseq's get_logits: [M * B, N + 1]
        ce = F.cross_entropy(lg, lg.new_zeros(lg.size(0), dtype=torch.long), reduction="sum")
        with torch.no_grad():
            mx, mn = lg.argmax(-1) == 0, lg.argmin(-1) == 0
            correct = (mx & ~mn).sum().item()
        return ce, lg.size(0), prob_ppl, code_ppl, pen, correct, B * T


def batches(lengths, max_sample, max_tokens, rng):
    """fairseq's batch_by_size over min(length, max_sample), in size order (random tie-break), shuffled."""
    sizes = np.minimum(lengths, max_sample)
    order = np.lexsort((rng.permutation(len(sizes)), sizes))
    out, cur, longest = [], [], 0
    for i in order:
        s = sizes[i]
        if cur and max(longest, s) * (len(cur) + 1) > max_tokens:
            out.append(cur)
            cur, longest = [], 0
        cur.append(int(i))
        longest = max(longest, s)
    if cur:
        out.append(cur)
    rng.shuffle(out)
    return out


def lr_at(update, o, total):
    peak, warm = o["lr"], o["warmupUpdates"]
    if update <= warm:
        return peak * update / warm
    frac = 1.0 - (update - 1 - warm) / float(total - warm)
    return (peak - o["endLr"]) * max(frac, 0.0) ** o["power"] + o["endLr"]


def read_corpus(corpus, ids):
    scp = {}
    with open(os.path.join(corpus, "wav.scp")) as f:
        for line in f:
            utt, path = line.strip().split(None, 1)
            scp[utt] = path if os.path.isabs(path) else os.path.join(corpus, path)
    audio = []
    for utt in ids:
        w, sr = torchaudio.load(scp[utt])
        assert sr == 16000 and w.size(0) == 1, scp[utt]
        audio.append(w[0].numpy())
    return audio


def fairseq_checkpoint(model, m, cfg, update):
    sd = OrderedDict()
    for k, v in hf_state_dict(model.w2v).items():
        sd[fairseq_key(k, m["extractorMode"] == "layer_norm")] = v
    sd["mask_emb"] = model.mask_emb.detach().clone()
    sd["quantizer.vars"] = model.vars.detach().clone()
    sd["quantizer.weight_proj.weight"] = model.weight_proj.weight.detach().clone()
    sd["quantizer.weight_proj.bias"] = model.weight_proj.bias.detach().clone()
    for name in ("project_q", "final_proj"):
        lin = getattr(model, name)
        sd[name + ".weight"] = lin.weight.detach().clone()
        sd[name + ".bias"] = lin.bias.detach().clone()
    convs = "[" + ", ".join("(%d, %d, %d)" % (c["channels"], c["kernel"], c["stride"]) for c in m["convLayers"]) + "]"
    q = cfg["quantizer"]
    model_cfg = {"_name": "wav2vec2", "extractor_mode": m["extractorMode"], "conv_feature_layers": convs,
                 "conv_bias": m["convBias"], "encoder_layers": m["layers"], "encoder_embed_dim": m["modelDim"],
                 "encoder_ffn_embed_dim": m["ffnDim"], "encoder_attention_heads": m["heads"], "activation_fn": "gelu",
                 "layer_norm_first": m["layerNormFirst"], "conv_pos": m["posConvKernel"],
                 "conv_pos_groups": m["posConvGroups"], "dropout": m["dropout"],
                 "attention_dropout": m["attentionDropout"], "activation_dropout": m["activationDropout"],
                 "dropout_input": m["inputDropout"], "dropout_features": m["featureDropout"],
                 "encoder_layerdrop": m["layerDrop"], "feature_grad_mult": m["featureGradMult"],
                 "final_dim": m["finalDim"], "latent_vars": m["codebookEntries"], "latent_groups": m["codebookGroups"],
                 "latent_dim": 0, "logit_temp": m["logitTemperature"], "quantize_targets": True,
                 "quantize_input": False, "same_quantizer": False, "target_glu": False,
                 "mask_prob": cfg["masking"]["maskProb"], "mask_length": cfg["masking"]["maskLength"],
                 "num_negatives": cfg["loss"]["negatives"],
                 "latent_temp": [q["startTemperature"], q["endTemperature"], q["decay"]]}
    fs_cfg = {"_name": None, "common": {"fp16": False, "log_format": "json", "seed": cfg["run"]["seed"]},
              "task": {"_name": "audio_pretraining", "normalize": bool(cfg["data"]["normalize"]), "sample_rate": 16000,
                       "max_sample_size": cfg["data"]["maxSampleSize"],
                       "min_sample_size": cfg["data"]["minSampleSize"]},
              "model": model_cfg,
              "criterion": {"_name": "wav2vec", "infonce": True,
                            "loss_weights": [cfg["loss"]["diversityWeight"], cfg["loss"]["penaltyWeight"]]},
              "optimization": {"max_update": cfg["run"]["maxUpdates"], "lr": [cfg["optimizer"]["lr"]],
                               "clip_norm": cfg["optimizer"]["clipNorm"]}}
    return {"args": None, "cfg": fs_cfg, "model": sd,
            "optimizer_history": [{"criterion_name": "Wav2vecCriterion", "optimizer_name": "FairseqAdam",
                                   "num_updates": update}],
            "extra_state": {"reference": "engine/src/test/python/reference_pretrain.py"}}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--run", required=True, help="workbench pre-training run folder (config.yaml, train-utterances.txt)")
    ap.add_argument("--corpus", required=True, help="the Kaldi data directory it was trained on")
    ap.add_argument("--out", required=True)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--updates", type=int, default=0, help="stop after this many (default: the run's maxUpdates)")
    ap.add_argument("--seed", type=int, default=0, help="another seed than the run's run.seed (another reference run)")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    # Debian's torch 1.13 oneDNN convolution backward gave non-finite weight gradients for the first
    # feature-encoder layer on some updates (AMD EPYC, 2026-12-04); the native kernels do not.
    torch.backends.mkldnn.enabled = False
    with open(os.path.join(a.run, "config.yaml")) as f:
        cfg = yaml.safe_load(f)
    assert cfg["family"] == "wav2vec2", cfg["family"]
    m, o, d = cfg["wav2vec2"], cfg["optimizer"], cfg["data"]
    assert o["updateFreq"] == 1 and not d["normalize"] and o["schedule"] == "polynomial", "recipe not covered"
    total = cfg["run"]["maxUpdates"]
    stop = a.updates or total
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.run, "train-utterances.txt")) as f:
        ids = [l.strip() for l in f if l.strip()]
    t0 = time.time()
    audio = read_corpus(a.corpus, ids)
    keep = [i for i, w in enumerate(audio) if len(w) >= d["minSampleSize"]]
    audio = [audio[i] for i in keep]
    lengths = np.array([len(w) for w in audio])
    print("%d utterances (%.1f min) read in %.0f s; %d shorter than %d samples left out" % (
        len(audio), lengths.sum() / 16000 / 60, time.time() - t0, len(ids) - len(audio), d["minSampleSize"]))

    seed = a.seed or cfg["run"]["seed"]
    cfg["run"]["seed"] = seed
    torch.manual_seed(seed)
    model = Reference(m, cfg)
    assert o["decayAllParams"], "recipe not covered: weight decay on some parameters only"
    opt = torch.optim.AdamW(model.parameters(), lr=o["lr"], betas=(o["beta1"], o["beta2"]), eps=o["eps"],
                            weight_decay=o["weightDecay"])
    rng = np.random.default_rng(seed)
    update, epoch, pending = 0, 0, []
    state_path = os.path.join(a.out, "state.pt")
    if os.path.exists(state_path):
        st = torch.load(state_path)
        model.load_state_dict(st["model"])
        opt.load_state_dict(st["opt"])
        update, epoch, pending = st["update"], st["epoch"], st["pending"]
        rng.bit_generator.state = st["rng"]
        torch.set_rng_state(st["torch_rng"])
        with open(os.path.join(a.out, "metrics.jsonl")) as f:
            kept = [l for l in f if json.loads(l)["update"] <= update]
        with open(os.path.join(a.out, "metrics.jsonl"), "w") as f:
            f.writelines(kept)
        print("resumed at update %d" % update)
    print("parameters: %d" % sum(p.numel() for p in model.parameters()))
    metrics = open(os.path.join(a.out, "metrics.jsonl"), "a")
    q = cfg["quantizer"]
    gv = m["codebookGroups"] * m["codebookEntries"]
    model.train()
    t_start = time.time()
    while update < stop:
        if not pending:
            pending = batches(lengths, d["maxSampleSize"], d["maxTokens"], rng)
            epoch += 1
        rows = pending.pop(0)
        crop = int(min(d["maxSampleSize"], min(lengths[i] for i in rows)))
        wav = np.stack([audio[i][s:s + crop] for i in rows
                        for s in [int(rng.integers(0, lengths[i] - crop + 1))]])
        temperature = max(q["startTemperature"] * q["decay"] ** update, q["endTemperature"])
        lr = lr_at(update + 1, o, total)
        for g in opt.param_groups:
            g["lr"] = lr
        t = time.time()
        ce, S, prob_ppl, code_ppl, pen, correct, frames = model(torch.from_numpy(wav), temperature, rng)
        div = (gv - prob_ppl) / gv
        loss = ce + (cfg["loss"]["diversityWeight"] * div + cfg["loss"]["penaltyWeight"] * pen) * S
        opt.zero_grad()
        (loss / S).backward()
        gnorm = torch.nn.utils.clip_grad_norm_(model.parameters(), o["clipNorm"]).item()
        opt.step()
        update += 1
        dt = time.time() - t
        rec = {"update": update, "epoch": epoch, "loss": loss.item() / S / math.log(2),
               "contrastive": ce.item() / S / math.log(2), "diversity": div.item(), "penalty": pen.item(),
               "accuracy": correct / S, "codePerplexity": code_ppl.item(), "probPerplexity": prob_ppl.item(),
               "temperature": temperature, "lr": lr, "gradNorm": gnorm, "maskedFraction": S / frames, "batchSize": len(rows), "cropSeconds": crop / 16000.0,
               "audioSecondsPerSecond": len(rows) * crop / 16000.0 / dt, "seconds": dt,
               "elapsedSeconds": time.time() - t_start}
        metrics.write(json.dumps(rec) + "\n")
        if update % 100 == 0:
            metrics.flush()
            print("update %5d  loss %.3f  contrastive %.3f bits  acc %.3f  code ppl %.1f  prob ppl %.1f  temp %.3f"
                  "  lr %.2e  |g| %.2f  %.1f audio-s/s" % (update, rec["loss"], rec["contrastive"], rec["accuracy"],
                                                           rec["codePerplexity"], rec["probPerplexity"], temperature,
                                                           lr, gnorm, rec["audioSecondsPerSecond"]), flush=True)
        if update % 500 == 0 or update == stop:
            metrics.flush()
            tmp = state_path + ".tmp"
            torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "update": update, "epoch": epoch,
                        "pending": pending, "rng": rng.bit_generator.state, "torch_rng": torch.get_rng_state()}, tmp)
            os.replace(tmp, state_path)
    metrics.close()
    model.eval()
    torch.save(fairseq_checkpoint(model, m, cfg, update), os.path.join(a.out, "checkpoint.pt"))
    print("wrote %s after %d updates" % (os.path.join(a.out, "checkpoint.pt"), update))


if __name__ == "__main__":
    main()
