#!/usr/bin/python3
"""How much of a corpus is quiet: the share of 20 ms frames at least 10, 20, ..., 50 dB below the
loudest frame of their file. A diagnostic for docs/experiment.md (pauses and background noise in
speechocean762 against the synthetic corpus); not run by CI.

Usage: loudness_shares.py [--every N] NAME=FOLDER ...   (every flac and wav file under FOLDER; every Nth, default 5)
"""
import argparse
import glob
import os

import numpy as np
import torchaudio

ap = argparse.ArgumentParser()
ap.add_argument("--every", type=int, default=5)
ap.add_argument("sets", nargs="+")
a = ap.parse_args()
for spec in a.sets:
    name, folder = spec.split("=", 1)
    files = sorted(f for ext in ("flac", "wav") for f in glob.glob(os.path.join(folder, "**", "*." + ext), recursive=True))
    files = files[::a.every]
    rel, dur = [], []
    for p in files:
        w, sr = torchaudio.load(p)
        x = w[0].numpy()
        n = len(x) // 320
        db = 10 * np.log10((x[:n * 320].reshape(n, 320) ** 2).mean(1) + 1e-12)
        rel.append(db - db.max())
        dur.append(len(x) / sr)
    r = np.concatenate(rel)
    print("%s: %d files, mean %.2f s; frames below the file's loudest by more than %s" % (
        name, len(files), np.mean(dur), ", ".join("%d dB %.1f %%" % (t, 100 * (r < -t).mean()) for t in (10, 20, 30, 40, 50))))
