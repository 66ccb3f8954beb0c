"""Reference MFCCs for MfccTest: torchaudio's Kaldi MFCC + compute_deltas, as fairseq's HuBERT
k-means input (examples/hubert/simple_kmeans/dump_mfcc_feature.py), with the Hamming window our
log-mel front end uses in place of Kaldi's Povey window.

/usr/bin/python3 engine/src/test/python/make_mfcc_fixture.py   (from the repository root)
"""
import wave

import numpy as np
import torch
import torchaudio

SRC = "datasets/real-speech/wav/spk1_snt1.wav"
OUT = "engine/src/test/resources/mfcc/spk1_snt1-2s-mfcc.npy"

with wave.open(SRC) as w:
    pcm = np.frombuffer(w.readframes(32000), dtype="<i2")
x = torch.from_numpy(pcm.astype(np.float32) / 32768.0).unsqueeze(0)
mfcc = torchaudio.compliance.kaldi.mfcc(
    waveform=x, sample_frequency=16000, use_energy=False, window_type="hamming", dither=0.0,
    num_mel_bins=23, num_ceps=13, low_freq=20, high_freq=8000)  # [frames, 13]
c = mfcc.transpose(0, 1)
d = torchaudio.functional.compute_deltas(c)
dd = torchaudio.functional.compute_deltas(d)
feats = torch.cat([c, d, dd], dim=0).transpose(0, 1).contiguous()  # [frames, 39]
np.save(OUT, feats.numpy().astype(np.float32))
print(OUT, tuple(feats.shape))
