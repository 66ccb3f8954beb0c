#!/usr/bin/python3
"""torchaudio's side of `./speechwb bench-inference`: BASE-size wav2vec 2.0 CTC inference.

Builds torchaudio's wav2vec2_base (or the architecture given as JSON), runs it in eval mode
under torch.inference_mode() on the same random 10 s waveform the Java side uses (seeded
uniform noise is enough for timing), with the same thread count, and prints one JSON line:
{"seconds_audio": .., "runs": .., "median_s": .., "rtf": .., "threads": .., "torch": ..}.
Run by the Java command; not by CI. Needs Debian's python3-torch / python3-torchaudio.
"""
import argparse
import json
import time

import torch
import torchaudio


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--vocab", type=int, default=32)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    model = torchaudio.models.wav2vec2_base(aux_num_out=args.vocab).eval()
    n = int(args.seconds * 16000)
    g = torch.Generator().manual_seed(1)
    wave = torch.rand(1, n, generator=g) * 0.2 - 0.1
    times = []
    with torch.inference_mode():
        model(wave)                                   # warm-up
        for _ in range(args.runs):
            t0 = time.perf_counter()
            model(wave)
            times.append(time.perf_counter() - t0)
    times.sort()
    med = times[len(times) // 2]
    # Debian's torch calls the system BLAS: with only the reference libblas installed a GEMM runs
    # at about 1 GFLOP/s and the comparison is meaningless (libopenblas0-pthread fixes it)
    a = torch.rand(1024, 1024, generator=g)
    with torch.inference_mode():
        a @ a
        t0 = time.perf_counter()
        for _ in range(3):
            a @ a
        gemm = 3 * 2 * 1024 ** 3 / (time.perf_counter() - t0) / 1e9
    print(json.dumps({"seconds_audio": args.seconds, "runs": args.runs, "median_s": med, "rtf": med / args.seconds,
                      "threads": args.threads, "torch": torch.__version__, "torchaudio": torchaudio.__version__,
                      "gemm_gflops": gemm}))


if __name__ == "__main__":
    main()
