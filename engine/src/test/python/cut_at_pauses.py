#!/usr/bin/python3
"""Cuts a pre-training run's utterances at pauses (energy VAD), into a Kaldi dir of wav files.

A diagnostic for docs/experiment.md: does pre-training on speechocean762 learn more without its
pauses and background noise? Speech = 20 ms frames louder than the utterance's loudest frame minus
THRESH dB; pauses of at least MIN_PAUSE s split an utterance; every piece is padded by PAD s and
pieces shorter than 1 s are left out (the pre-training batcher's minSampleSize drops them anyway). Not run by CI.

Usage: cut_at_pauses.py RUN CORPUS OUT THRESH_DB   (RUN: a pre-training run folder, whose
train-utterances.txt it cuts; CORPUS: the Kaldi directory it was trained on; OUT: a new Kaldi
directory, wav.scp and utt2spk, for `./speechwb pretrain --data OUT --split all`)
"""
import sys, os, numpy as np, torch, torchaudio
run, corpus, out = sys.argv[1:4]
THRESH, MIN_PAUSE, PAD = float(sys.argv[4]), 0.3, 0.1
ids = [l.strip() for l in open(os.path.join(run, "train-utterances.txt")) if l.strip()]
scp = dict(l.split(None, 1) for l in open(os.path.join(corpus, "wav.scp")))
spk = dict(l.split() for l in open(os.path.join(corpus, "utt2spk")))
os.makedirs(os.path.join(out, "audio"), exist_ok=True)
total = kept = 0.0; pieces = 0
with open(os.path.join(out, "wav.scp"), "w") as ws, open(os.path.join(out, "utt2spk"), "w") as us:
    for u in ids:
        w, sr = torchaudio.load(os.path.join(corpus, scp[u].strip()))
        x = w[0]; hop = sr // 50; n = len(x) // hop
        total += len(x) / sr
        db = 10 * torch.log10((x[:n * hop].reshape(n, hop) ** 2).mean(1) + 1e-12)
        speech = (db > db.max() - THRESH).numpy()
        idx = np.nonzero(speech)[0]
        if len(idx) == 0: continue
        segs = [[idx[0], idx[0]]]
        for i in idx[1:]:
            if (i - segs[-1][1] - 1) * 0.02 >= MIN_PAUSE: segs.append([i, i])
            else: segs[-1][1] = i
        for k, (a, b) in enumerate(segs):
            s = max(0, int((a * 0.02 - PAD) * sr)); e = min(len(x), int(((b + 1) * 0.02 + PAD) * sr))
            if e - s < sr: continue
            sid = "%s-%02d" % (u, k); path = os.path.join(out, "audio", sid + ".wav")
            torchaudio.save(path, x[s:e].unsqueeze(0), sr, encoding="PCM_S", bits_per_sample=16)
            ws.write("%s %s\n" % (sid, os.path.abspath(path))); us.write("%s %s\n" % (sid, spk[u]))
            kept += (e - s) / sr; pieces += 1
print("%d utterances, %.1f min -> %d pieces, %.1f min (%.1f %%) at -%g dB" % (len(ids), total / 60, pieces, kept / 60, 100 * kept / total, THRESH))
