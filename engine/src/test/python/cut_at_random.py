#!/usr/bin/python3
"""Control for cut_at_pauses.py: the same piece lengths per utterance, cut at random places (pauses kept).

Reads cut_at_pauses.py's output (piece ids UTT-NN with their wav lengths) and cuts each original utterance
into pieces of those lengths at random, non-overlapping offsets, in order: same count, lengths and
total as the pause-cut corpus, but the pauses stay in. Not run by CI.

Usage: cut_at_random.py PAUSE_CUT CORPUS OUT   (PAUSE_CUT: cut_at_pauses.py's OUT)
"""
import sys, os, numpy as np, torchaudio
vad, corpus, out = sys.argv[1:4]
rng = np.random.default_rng(20261205)
scp = dict(l.split(None, 1) for l in open(os.path.join(corpus, "wav.scp")))
pieces = {}
for line in open(os.path.join(vad, "wav.scp")):
    sid, path = line.split()
    utt = sid.rsplit("-", 1)[0]
    pieces.setdefault(utt, []).append((sid, torchaudio.info(path).num_frames))
spk = dict(l.split() for l in open(os.path.join(vad, "utt2spk")))
os.makedirs(os.path.join(out, "audio"), exist_ok=True)
kept = total = 0
with open(os.path.join(out, "wav.scp"), "w") as ws, open(os.path.join(out, "utt2spk"), "w") as us:
    for utt, ps in pieces.items():
        w, sr = torchaudio.load(os.path.join(corpus, scp[utt].strip()))
        x = w[0]; n = len(x); total += n
        free = n - sum(l for _, l in ps)
        gaps = np.diff(np.concatenate([[0], np.sort(rng.integers(0, free + 1, len(ps))), [free]]))
        pos = 0
        for (sid, l), g in zip(ps, gaps[:-1]):
            pos += int(g)
            path = os.path.join(out, "audio", sid + ".wav")
            torchaudio.save(path, x[pos:pos + l].unsqueeze(0), sr, encoding="PCM_S", bits_per_sample=16)
            ws.write("%s %s\n" % (sid, os.path.abspath(path))); us.write("%s %s\n" % (sid, spk[sid]))
            pos += l; kept += l
print("%d utterances -> %d pieces, %.1f of %.1f min" % (len(pieces), sum(len(p) for p in pieces.values()), kept / 16000 / 60, total / 16000 / 60))
