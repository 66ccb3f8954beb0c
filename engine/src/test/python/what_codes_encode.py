#!/usr/bin/python3
"""What a pre-trained wav2vec 2.0 model's quantizer codes say about loudness and speaker.

Not run by CI and never used by the product: a diagnostic for docs/experiment.md ("What the
targets encode"). The codes are the contrastive task's targets; the layer probe (`./speechwb probe
--representations codes`) measures how well they read as letters. This measures two other things
they might sort frames by, on every frame of the held-out utterances (evaluation mode: each group's
argmax of the quantizer logits, from the unmasked features):

- how many codes are in use: perplexity of each group's code and of the code pair;
- loudness: the share of the variance of each frame's level (dB below its utterance's loudest
  frame, as contrastive_by_loudness.py measures it) that the code pair explains (eta squared), and
  the mutual information between each group's code and a 10 dB loudness band, over the band's entropy;
- speaker: the mutual information between each group's code and the speaker, over the speaker's
  entropy. Frames of one utterance are not independent, so read it against the same figure for
  the random model, not as an absolute.

Usage (/usr/bin/python3 with Debian's python3-torch and python3-torchaudio):
  what_codes_encode.py --checkpoint model.pt --run RUN --corpus DIR --splits splits.tsv [--random SEED]
--random SEED ignores the checkpoint's weights: the same architecture at random initialisation.
--clusters: the checkpoint is one of ours (checkpoint-*.ckpt) pre-trained on MFCC cluster targets
(loss.mfccClusters); its "codes" are then each frame's cluster, one group, computed as the trainer
does (torchaudio's Kaldi MFCC with our Hamming window and deltas, with loss.mfccCmvn normalised per
utterance, frame 2t, nearest centroid).
"""
import json
import os
import sys
import zipfile

import numpy as np
import torch
import torchaudio

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from contrastive_by_loudness import audio_paths, frame_levels, load, model_arguments, split_rows  # noqa: E402
from reference_pretrain import Reference  # noqa: E402
import yaml  # noqa: E402


@torch.no_grad()
def codes_and_levels(model, wav):
    feats = model.unmasked_features(torch.from_numpy(wav).unsqueeze(0))[0]    # [T, C]
    T = feats.size(0)
    codes = model.weight_proj(feats).view(T, model.groups, -1).argmax(-1).numpy()   # [T, G]
    return codes, frame_levels(wav, T)


def read_centroids(ckpt):
    """label_centroids of one of our checkpoints (meta.json lists the tensors stored in order in params.bin)
    and whether its MFCCs are normalised per utterance (loss.mfccCmvn in the config it stores)."""
    with zipfile.ZipFile(ckpt) as z:
        meta = json.loads(z.read("meta.json"))
        buf = z.read("params.bin")
    cmvn = bool(yaml.safe_load(meta["config"]).get("loss", {}).get("mfccCmvn", False))
    offset = 0
    for t in meta["tensors"]:
        n = int(np.prod(t["shape"]))
        if t["name"] == "label_centroids":
            return np.frombuffer(buf, dtype="<f4", count=n, offset=4 * offset).reshape(t["shape"]), cmvn
        offset += n
    raise SystemExit(ckpt + " has no label_centroids: not pre-trained on MFCC cluster targets")


def cluster_labels(centroids, cmvn, wav):
    x = torch.from_numpy(wav).unsqueeze(0)
    c = torchaudio.compliance.kaldi.mfcc(waveform=x, sample_frequency=16000, use_energy=False, window_type="hamming",
                                         dither=0.0, num_mel_bins=23, num_ceps=13, low_freq=20, high_freq=8000).T
    d = torchaudio.functional.compute_deltas(c)
    feats = torch.cat([c, d, torchaudio.functional.compute_deltas(d)]).T.numpy()   # [frames at 100 Hz, 39]
    if cmvn:   # as MfccClusters: every frame of the utterance, a near-constant coefficient only centred
        std = feats.std(0)
        feats = (feats - feats.mean(0)) / np.where(std < 1e-3, 1.0, std)
    T = (len(wav) - 400) // 320 + 1
    f = feats[0:2 * T:2]
    labels = ((f[:, None, :] - centroids[None, :, :]) ** 2).sum(-1).argmin(1)
    return labels[:, None], frame_levels(wav, T)


def entropy(labels):
    _, counts = np.unique(labels, return_counts=True, axis=0)
    p = counts / counts.sum()
    return float(-(p * np.log2(p)).sum())


def mutual_information(a, b):
    joint = np.stack([a, b], 1)
    return entropy(a) + entropy(b) - entropy(joint)


def eta_squared(groups, values):
    total = values.var() * len(values)
    within = 0.0
    for g in np.unique(groups):
        v = values[groups == g]
        within += v.var() * len(v)
    return 1 - within / total


def main():
    ap = model_arguments()
    ap.add_argument("--random", type=int, help="random initialisation drawn from this seed instead of the weights")
    ap.add_argument("--json", help="also write the figures here")
    ap.add_argument("--clusters", action="store_true", help="the checkpoint is ours, pre-trained on MFCC cluster targets")
    a = ap.parse_args()
    torch.set_num_threads(1)
    torch.backends.mkldnn.enabled = False
    if a.clusters:
        centroids, cmvn = read_centroids(a.checkpoint)
        model = None
        what = a.checkpoint + " (MFCC clusters)"
    elif a.random is None:
        model, cfg = load(a.checkpoint, a.run)
        what = a.checkpoint
    else:
        with open(os.path.join(a.run, "config.yaml")) as f:
            cfg = yaml.safe_load(f)
        torch.manual_seed(a.random)
        model = Reference(cfg["wav2vec2"], cfg)
        model.eval()
        what = "random initialisation (seed %d)" % a.random
    spk = dict(split_rows(a.splits, a.role))
    codes, levels, who = [], [], []
    for utt, path in audio_paths(a.corpus, a.splits, a.role):
        w, sr = torchaudio.load(path)
        assert sr == 16000, path
        c, lv = cluster_labels(centroids, cmvn, w[0].numpy()) if a.clusters else codes_and_levels(model, w[0].numpy())
        codes.append(c), levels.append(lv), who.extend([spk[utt]] * len(lv))
    codes, levels = np.concatenate(codes), np.concatenate(levels)
    who = np.unique(np.array(who), return_inverse=True)[1]
    pair = codes[:, 0] if a.clusters else codes[:, 0] * model.entries + codes[:, 1]
    band = np.clip(np.floor(-levels / 10), 0, 4).astype(int)   # 0: within 10 dB of the peak … 4: 40 dB and more below
    out = {"model": what, "frames": int(len(pair)), "speakers": int(who.max() + 1),
           "pairPerplexity": 2 ** entropy(pair), "pairsUsed": int(len(np.unique(pair))),
           "groupPerplexity": [2 ** entropy(codes[:, g]) for g in range(codes.shape[1])],
           "loudnessEta2": float(eta_squared(pair, levels)),
           "loudnessBandInfo": [mutual_information(codes[:, g], band) / entropy(band) for g in range(codes.shape[1])],
           "speakerInfo": [mutual_information(codes[:, g], who) / entropy(who) for g in range(codes.shape[1])]}
    print("%s: %d frames of %d speakers; code pairs used %d, perplexity %.1f (groups %s)" % (
        what, out["frames"], out["speakers"], out["pairsUsed"], out["pairPerplexity"],
        " / ".join("%.1f" % p for p in out["groupPerplexity"])))
    print("  loudness: code pair explains %.1f %% of the level's variance; band information per group %s" % (
        100 * out["loudnessEta2"], " / ".join("%.1f %%" % (100 * x) for x in out["loudnessBandInfo"])))
    print("  speaker information per group %s" % " / ".join("%.1f %%" % (100 * x) for x in out["speakerInfo"]))
    if a.json:
        with open(a.json, "w") as f:
            json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
