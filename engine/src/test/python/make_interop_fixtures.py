#!/usr/bin/python3
"""Writes the interop fixtures under engine/src/test/resources/interop/ (not run by CI).

Small random wav2vec 2.0 models are built with torchaudio's reimplementation of fairseq's
wav2vec 2.0 (Debian's python3-torchaudio 0.13.1 on torch 1.13.1: `apt-get install
python3-torch python3-torchaudio`, run with /usr/bin/python3), their weights moved away from
the defaults (LayerNorm/GroupNorm gains not 1, every bias not 0), and written in Hugging Face
format: config.json (real transformers field names), model.safetensors or pytorch_model.bin
(transformers' key names: torchaudio's state-dict suffixes are transformers' own, see
torchaudio/models/wav2vec2/utils/import_huggingface.py), vocab.json, preprocessor_config.json.

For a few bundled utterances (cropped to about one second) it writes torchaudio's outputs:

  inputs/<utt>.npy               the waveform fed to every model, float32 [samples] (after
                                 transformers' do_normalize: (x - mean) / sqrt(var + 1e-7))
  <fixture>/<utt>/features.npy   feature-encoder output after feature_projection.layer_norm [T, C]
  <fixture>/<utt>/hidden_0.npy   Transformer input (after pos conv and, BASE, the LayerNorm) [T, d]
  <fixture>/<utt>/hidden_<l>.npy output of Transformer layer l (1-based; LARGE: before the final LayerNorm)
  <fixture>/<utt>/logits.npy     CTC logits [T, vocab]

and for the CTC fixtures a padded batch of both utterances (<fixture>/batch/):

  (input: inputs/<utt>.npy, the shorter one zero-padded; lengths in batch/ctc.json)
  batch/logits.npy     torchaudio's logits with lengths given (padded frames zeroed before the
                       positional convolution and masked out of attention) [2, T, vocab]
  batch/ctc.json       labels (the transcripts' first words), input frame lengths, and the
                       per-utterance CTC losses of torch.nn.functional.ctc_loss (reduction none,
                       blank = the model's pad token; in float64 from the float32 logits)
  batch/grad.npy       d(sum of the losses) / d(logits) [2, T, vocab] (zero on padded frames)

hidden_<n> is transformers' hidden_states[n] for n < layers; for the last layer of a
do_stable_layer_norm (LARGE) model transformers applies the encoder's final LayerNorm first.

Fixtures:
  base-ctc   BASE style: per-channel GroupNorm after the first conv, no conv bias, post-LN
             layers; model.safetensors (F32, weight_g / weight_v); English vocab with <pad> = 0.
  large-ctc  LARGE style: LayerNorm after every conv, conv bias, pre-LN layers and a final
             LayerNorm; pytorch_model.bin written by torch.save with the newer
             parametrizations.weight.original0/1 spelling; community-style vocab with [PAD]
             last (the blank is config.pad_token_id, not 0) and [UNK].
  base-ctc-f16  the base-ctc model stored as F16 safetensors; its outputs are computed from the
             F16-rounded weights (logits only).
  base-pretrain  Wav2Vec2ForPreTraining: the base-ctc encoder (another seed) plus masked_spec_embed
             and a Gumbel quantizer head (quantizer.weight_proj, quantizer.codevectors, project_q,
             project_hid; torchaudio has none, so these follow transformers' modeling_wav2vec2.py).
             <utt>/codes.npy holds the eval-mode codes [T, G]: argmax over each group's V logits
             of weight_proj(features after feature_projection.layer_norm), as transformers'
             Wav2Vec2GumbelVectorQuantizer does when not training.

fairseq fixtures (fairseq/, torch.save of the dict fairseq's checkpoint_utils writes: model, cfg or
args, optimizer_history with numpy scalars, extra_state, last_optimizer_state; fp16 weights as
fairseq's --fp16 runs save them; fairseq key names, e.g. feature_extractor.conv_layers.0.2.weight
for the GroupNorm, encoder.pos_conv.0.weight_g, encoder.layers.N.self_attn.q_proj.weight):
  base-ctc-dictconfig.pt  the base-ctc model as Wav2VecCtc (w2v_encoder.w2v_model.*, w2v_encoder.proj),
                          cfg a pickled OmegaConf DictConfig (python3-omegaconf), dict.ltr.txt beside it
  base-ctc-args.pt        the same model with only the 2020-style args Namespace
  base-pretrain-dict.pt   the base-pretrain model as Wav2Vec2Model, cfg a plain dict
  base-pretrain-recipe.pt the same with latent_temp [1.5, 0.25, 0.995] and loss_weights [0.3, 5.0]
  base-pretrain-recipe-args.pt  the same recipe as argparse args (strings), cfg None
  large-ctc-dictconfig.pt the LARGE style as Wav2VecCtc in fp16 (feature_extractor.conv_layers.N.2.1.* for the
                          conv LayerNorms, encoder.layer_norm last), English dict.ltr.txt; no Hugging Face
                          twin, so large-ctc-spk1_snt1-logits.npy holds the fp16-rounded model's logits
Their tests compare the imported weights with the Hugging Face fixtures' rounded to fp16.

Usage: /usr/bin/python3 engine/src/test/python/make_interop_fixtures.py [fairseq-large | fairseq-recipe]
(fairseq-large writes only the LARGE fairseq fixture, fairseq-recipe only the two recipe fixtures
derived from base-pretrain-dict.pt, leaving the others as they are)
"""
import json
import os
import wave
from collections import OrderedDict

import numpy as np
import torch
import torchaudio

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", ".."))
OUT = os.path.join(ROOT, "engine", "src", "test", "resources", "interop")
UTTERANCES = [
    ("spk1_snt1", os.path.join(ROOT, "datasets", "real-speech", "wav", "spk1_snt1.wav"), 4000, 16000),
    ("spk2_snt3", os.path.join(ROOT, "datasets", "real-speech", "wav", "spk2_snt3.wav"), 8000, 15040),
]
CONV = [(32, 10, 5), (32, 3, 2), (32, 3, 2), (32, 3, 2), (32, 3, 2), (32, 2, 2), (32, 2, 2)]


def read_wav(path):
    with wave.open(path, "rb") as w:
        assert w.getnchannels() == 1 and w.getsampwidth() == 2 and w.getframerate() == 16000, path
        pcm = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
    return pcm.astype(np.float32) / 32768.0


def hf_normalize(x):
    # transformers' Wav2Vec2FeatureExtractor.zero_mean_unit_var_norm
    return ((x - x.mean()) / np.sqrt(x.var() + 1e-7)).astype(np.float32)


def randomise(model, seed):
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "layer_norm" in name and name.endswith("weight"):
                p.copy_(1.0 + 0.3 * torch.randn(p.shape, generator=g))
            elif name.endswith("bias"):
                p.copy_(0.1 * torch.randn(p.shape, generator=g))
            elif name.endswith("weight_g"):
                p.copy_(p * (0.5 + torch.rand(p.shape, generator=g)))
            else:
                p.add_(0.3 * p.std() * torch.randn(p.shape, generator=g))
        # a CTC head with logits of a few units
        model.aux.weight.mul_(3.0)


def build(large, vocab_size, seed):
    torch.manual_seed(seed)
    m = torchaudio.models.wav2vec2_model(
        extractor_mode="layer_norm" if large else "group_norm",
        extractor_conv_layer_config=CONV,
        extractor_conv_bias=large,
        encoder_embed_dim=48,
        encoder_projection_dropout=0.0,
        encoder_pos_conv_kernel=16,
        encoder_pos_conv_groups=4,
        encoder_num_layers=3,
        encoder_num_heads=4,
        encoder_attention_dropout=0.0,
        encoder_ff_interm_features=96,
        encoder_ff_interm_dropout=0.0,
        encoder_dropout=0.0,
        encoder_layer_norm_first=large,
        encoder_layer_drop=0.0,
        aux_num_out=vocab_size,
    )
    randomise(m, seed + 1)
    return m.eval()


def hf_state_dict(model, parametrizations=False):
    """torchaudio → transformers key names (the suffixes are the same)."""
    out = OrderedDict()
    for k, v in model.state_dict().items():
        if k.startswith("feature_extractor."):
            key = "wav2vec2." + k
        elif k.startswith("encoder.feature_projection."):
            key = "wav2vec2.feature_projection." + k[len("encoder.feature_projection."):]
        elif k.startswith("encoder.transformer."):
            key = "wav2vec2.encoder." + k[len("encoder.transformer."):]
        elif k.startswith("aux."):
            key = "lm_head." + k[len("aux."):]
        else:
            raise ValueError(k)
        if parametrizations:
            key = key.replace("conv.weight_g", "conv.parametrizations.weight.original0")
            key = key.replace("conv.weight_v", "conv.parametrizations.weight.original1")
        out[key] = v.detach().clone().contiguous()
    return out


def hf_config(large, vocab_size, pad_id):
    return {
        "_name_or_path": "speechwb-interop-fixture",
        "architectures": ["Wav2Vec2ForCTC"],
        "model_type": "wav2vec2",
        "activation_dropout": 0.0,
        "apply_spec_augment": True,
        "attention_dropout": 0.0,
        "bos_token_id": 1,
        "conv_bias": large,
        "conv_dim": [c for c, _, _ in CONV],
        "conv_kernel": [k for _, k, _ in CONV],
        "conv_stride": [s for _, _, s in CONV],
        "ctc_loss_reduction": "sum",
        "ctc_zero_infinity": False,
        "do_stable_layer_norm": large,
        "eos_token_id": 2,
        "feat_extract_activation": "gelu",
        "feat_extract_norm": "layer" if large else "group",
        "feat_proj_dropout": 0.0,
        "final_dropout": 0.0,
        "hidden_act": "gelu",
        "hidden_dropout": 0.0,
        "hidden_size": 48,
        "initializer_range": 0.02,
        "intermediate_size": 96,
        "layer_norm_eps": 1e-05,
        "layerdrop": 0.0,
        "mask_time_length": 10,
        "mask_time_prob": 0.05,
        "num_attention_heads": 4,
        "num_conv_pos_embedding_groups": 4,
        "num_conv_pos_embeddings": 16,
        "num_feat_extract_layers": len(CONV),
        "num_hidden_layers": 3,
        "pad_token_id": pad_id,
        "transformers_version": "4.40.0",
        "vocab_size": vocab_size,
    }


def english_vocab():
    toks = ["<pad>", "<s>", "</s>", "<unk>", "|"] + list("ETAONIHSRDLUMWCFGYPBVK'XJQZ")
    return {t: i for i, t in enumerate(toks)}, 0


def community_vocab():
    toks = ["'"] + list("abcdefghijklmnopqrstuvwxyz") + ["|", "[UNK]", "[PAD]"]
    return {t: i for i, t in enumerate(toks)}, len(toks) - 1


def save_npy(path, x):
    np.save(path, np.ascontiguousarray(x, dtype=np.float32))


def save_input(utt, wav):
    d = os.path.join(OUT, "inputs")
    os.makedirs(d, exist_ok=True)
    save_npy(os.path.join(d, utt + ".npy"), wav)


def reference(model, wav, large, udir, logits_only=False):
    os.makedirs(udir, exist_ok=True)
    with torch.no_grad():
        x = torch.from_numpy(wav)[None]
        if not logits_only:
            feats, _ = model.feature_extractor(x, None)
            fp = model.encoder.feature_projection
            save_npy(os.path.join(udir, "features.npy"), fp.layer_norm(feats)[0])
            h = model.encoder.transformer._preprocess(fp(feats))
            save_npy(os.path.join(udir, "hidden_0.npy"), h[0])
            for i, layer in enumerate(model.encoder.transformer.layers):
                h = layer(h, None)
                save_npy(os.path.join(udir, "hidden_%d.npy" % (i + 1)), h[0])
        logits, _ = model(x)
        save_npy(os.path.join(udir, "logits.npy"), logits[0])
    return logits[0].abs().max().item()


def write_batch(model, vocab, pad_id, d):
    bdir = os.path.join(d, "batch")
    os.makedirs(bdir, exist_ok=True)
    waves = [hf_normalize(read_wav(path)[start:start + n]) for _, path, start, n in UTTERANCES]
    n = max(len(w) for w in waves)
    x = np.zeros((len(waves), n), dtype=np.float32)
    for i, w in enumerate(waves):
        x[i, :len(w)] = w
    lengths = torch.tensor([len(w) for w in waves])
    with torch.no_grad():
        logits, out_lengths = model(torch.from_numpy(x), lengths)
    save_npy(os.path.join(bdir, "logits.npy"), logits)
    lower = not any(k.isupper() for k in vocab if len(k) == 1)
    texts = ["THE CHILD", "TEAR THIN"]
    labels = []
    for t in texts:
        t = t.lower() if lower else t
        labels.append([vocab[c] for c in "|".join(t.split())])
    lg = logits.double().clone().requires_grad_(True)           # float64: float32 CTC carries ~2e-5 of rounding
    lp = torch.nn.functional.log_softmax(lg, dim=-1).transpose(0, 1)
    flat = torch.tensor([i for l in labels for i in l])
    losses = torch.nn.functional.ctc_loss(lp, flat, out_lengths, torch.tensor([len(l) for l in labels]),
                                          blank=pad_id, reduction="none", zero_infinity=False)
    losses.sum().backward()
    save_npy(os.path.join(bdir, "grad.npy"), lg.grad)
    with open(os.path.join(bdir, "ctc.json"), "w") as f:
        json.dump({"lengths": lengths.tolist(), "frames": out_lengths.tolist(), "labels": labels, "blank": pad_id,
                   "losses": losses.tolist()}, f, indent=1)


def write_fixture(name, model, large, vocab, pad_id, fmt, parametrizations=False, dtype=torch.float32):
    d = os.path.join(OUT, name)
    os.makedirs(d, exist_ok=True)
    for f in os.listdir(d):
        if f.endswith((".json", ".bin", ".safetensors")):
            os.remove(os.path.join(d, f))
    if dtype != torch.float32:
        with torch.no_grad():                     # the reference sees exactly the stored values
            for p in model.parameters():
                p.copy_(p.to(dtype).to(torch.float32))
    sd = hf_state_dict(model, parametrizations)
    with open(os.path.join(d, "config.json"), "w") as f:
        json.dump(hf_config(large, len(vocab), pad_id), f, indent=2)
    with open(os.path.join(d, "vocab.json"), "w") as f:
        json.dump(vocab, f, ensure_ascii=False)
    with open(os.path.join(d, "preprocessor_config.json"), "w") as f:
        json.dump({"do_normalize": True, "feature_extractor_type": "Wav2Vec2FeatureExtractor", "feature_size": 1,
                   "padding_side": "right", "padding_value": 0.0, "return_attention_mask": large,
                   "sampling_rate": 16000}, f, indent=2)
    if fmt == "bin":
        torch.save(sd, os.path.join(d, "pytorch_model.bin"))
    else:
        write_safetensors(os.path.join(d, "model.safetensors"), sd, dtype)
    worst = 0.0
    for utt, path, start, n in UTTERANCES:
        wav = hf_normalize(read_wav(path)[start:start + n])
        save_input(utt, wav)
        worst = max(worst, reference(model, wav, large, os.path.join(d, utt), logits_only=dtype != torch.float32))
    if dtype == torch.float32:
        write_batch(model, vocab, pad_id, d)
    print("%s: %d tensors, max |logit| %.2f" % (name, len(sd), worst))


def write_safetensors(path, sd, dtype):
    names = {torch.float32: "F32", torch.float16: "F16"}
    header, blobs, off = {"__metadata__": {"format": "pt"}}, [], 0
    for k, v in sd.items():
        raw = v.numpy().astype("<f2" if dtype == torch.float16 else "<f4").tobytes()
        header[k] = {"dtype": names[dtype], "shape": list(v.shape), "data_offsets": [off, off + len(raw)]}
        blobs.append(raw)
        off += len(raw)
    h = json.dumps(header, separators=(",", ":")).encode("utf-8")
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(len(h).to_bytes(8, "little"))
        f.write(h)
        for b in blobs:
            f.write(b)


def write_pretrain_fixture(name, model, groups=2, entries=16, code_dim=16, seed=5):
    """Returns the state dict written (transformers names)."""
    d = os.path.join(OUT, name)
    os.makedirs(d, exist_ok=True)
    for f in os.listdir(d):
        if f.endswith((".json", ".bin", ".safetensors")):
            os.remove(os.path.join(d, f))
    g = torch.Generator().manual_seed(seed)
    sd = OrderedDict((k, v) for k, v in hf_state_dict(model).items() if not k.startswith("lm_head."))
    c, hidden = CONV[-1][0], 48
    sd["wav2vec2.masked_spec_embed"] = torch.rand(hidden, generator=g)
    sd["quantizer.codevectors"] = torch.rand(1, groups * entries, code_dim // groups, generator=g)
    sd["quantizer.weight_proj.weight"] = torch.randn(groups * entries, c, generator=g)
    sd["quantizer.weight_proj.bias"] = 0.1 * torch.randn(groups * entries, generator=g)
    sd["project_hid.weight"] = 0.2 * torch.randn(code_dim, hidden, generator=g)
    sd["project_hid.bias"] = 0.1 * torch.randn(code_dim, generator=g)
    sd["project_q.weight"] = 0.2 * torch.randn(code_dim, code_dim, generator=g)
    sd["project_q.bias"] = 0.1 * torch.randn(code_dim, generator=g)
    cfg = hf_config(False, 32, 0)
    cfg.update({"architectures": ["Wav2Vec2ForPreTraining"], "num_codevector_groups": groups,
                "num_codevectors_per_group": entries, "codevector_dim": code_dim, "proj_codevector_dim": code_dim,
                "contrastive_logits_temperature": 0.1, "num_negatives": 100, "diversity_loss_weight": 0.1,
                "mask_time_prob": 0.65, "mask_time_length": 10, "feat_quantizer_dropout": 0.0})
    with open(os.path.join(d, "config.json"), "w") as f:
        json.dump(cfg, f, indent=2)
    with open(os.path.join(d, "preprocessor_config.json"), "w") as f:
        json.dump({"do_normalize": True, "feature_extractor_type": "Wav2Vec2FeatureExtractor", "feature_size": 1,
                   "padding_side": "right", "padding_value": 0.0, "return_attention_mask": False,
                   "sampling_rate": 16000}, f, indent=2)
    write_safetensors(os.path.join(d, "model.safetensors"), sd, torch.float32)
    for utt, path, start, n in UTTERANCES:
        udir = os.path.join(d, utt)
        os.makedirs(udir, exist_ok=True)
        wav = hf_normalize(read_wav(path)[start:start + n])
        save_input(utt, wav)
        with torch.no_grad():
            feats, _ = model.feature_extractor(torch.from_numpy(wav)[None], None)
            z = model.encoder.feature_projection.layer_norm(feats)[0]
            logits = torch.nn.functional.linear(z, sd["quantizer.weight_proj.weight"], sd["quantizer.weight_proj.bias"])
            codes = logits.view(z.shape[0], groups, entries).argmax(-1)
            gap = logits.view(z.shape[0], groups, entries).topk(2, -1).values
            save_npy(os.path.join(udir, "features.npy"), z)
            save_npy(os.path.join(udir, "codes.npy"), codes.float())
        print("%s/%s: %d frames, smallest top-2 logit gap %.2e" % (name, utt, z.shape[0],
                                                                   (gap[..., 0] - gap[..., 1]).min().item()))
    return sd


def read_safetensors(path):
    """The tensors of a safetensors file written by write_safetensors (float32)."""
    with open(path, "rb") as f:
        n = int.from_bytes(f.read(8), "little")
        header = json.loads(f.read(n))
        base = 8 + n
        out = OrderedDict()
        for k, v in header.items():
            if k == "__metadata__":
                continue
            a, b = v["data_offsets"]
            f.seek(base + a)
            out[k] = torch.from_numpy(np.frombuffer(f.read(b - a), dtype=np.float32).reshape(v["shape"]).copy())
    return out


def write_pretrain_loss_reference(name, model, groups=2, entries=16, negatives=10, seed=7):
    """The pre-training head as transformers' Wav2Vec2ForPreTraining computes it in eval mode
    (modeling_wav2vec2.py: _mask_hidden_states, Wav2Vec2GumbelVectorQuantizer without Gumbel noise,
    project_hid / project_q, compute_contrastive_logits with neg_is_pos set to -inf, the summed
    cross-entropy over masked frames), for a fixed mask and fixed distractor indices per utterance.
    Writes <utt>/mask.npy [T, 1], negatives.npy [T, K] (frame indices; -1 rows for unmasked frames),
    project_hid.npy, project_q.npy [T, D], contrastive_logits.npy [T, K + 1] (-inf kept as -1e30;
    unmasked rows 0), contrastive_loss.npy [1, 1] (nats, summed) and head_terms.npy [1, 4] (prob
    perplexity, code perplexity, diversity, feature penalty)."""
    d = os.path.join(OUT, name)
    sd = read_safetensors(os.path.join(d, "model.safetensors"))
    rng = np.random.default_rng(seed)
    for utt, path, start, n in UTTERANCES:
        udir = os.path.join(d, utt)
        wav = hf_normalize(read_wav(path)[start:start + n])
        with torch.no_grad():
            feats, _ = model.feature_extractor(torch.from_numpy(wav)[None], None)
            z = model.encoder.feature_projection.layer_norm(feats)
            T = z.shape[1]
            mask = np.zeros(T, dtype=bool)
            for s0 in rng.choice(T - 5, size=6, replace=False):
                mask[s0:s0 + 5] = True
            idx = np.flatnonzero(mask)
            neg = -np.ones((T, negatives), dtype=np.int64)
            for i, t in enumerate(idx):
                others = np.delete(idx, i)
                neg[t] = rng.choice(others, size=negatives, replace=True)
            x = model.encoder.feature_projection.projection(z)
            x[0, torch.from_numpy(mask)] = sd["wav2vec2.masked_spec_embed"]
            h = model.encoder.transformer(x)
            c = torch.nn.functional.linear(h, sd["project_hid.weight"], sd["project_hid.bias"])[0]
            qlog = torch.nn.functional.linear(z[0], sd["quantizer.weight_proj.weight"], sd["quantizer.weight_proj.bias"])
            codes = qlog.view(T, groups, entries).argmax(-1)
            onehot = torch.zeros(T * groups, entries).scatter_(1, codes.view(-1, 1), 1.0).view(T, groups * entries)
            vectors = sd["quantizer.codevectors"][0]                      # [G*V, D/G]
            q = (onehot.unsqueeze(-1) * vectors).view(T, groups, entries, -1).sum(2).view(T, -1)
            q = torch.nn.functional.linear(q, sd["project_q.weight"], sd["project_q.bias"])
            logits = torch.zeros(T, negatives + 1)
            loss = 0.0
            for t in idx:
                targets = torch.cat([q[t:t + 1], q[torch.from_numpy(neg[t])]], 0)
                row = torch.cosine_similarity(c[t:t + 1].expand_as(targets), targets, dim=-1) / 0.1
                neg_is_pos = (q[torch.from_numpy(neg[t])] == q[t]).all(-1)
                row[1:][neg_is_pos] = float("-inf")
                loss += torch.nn.functional.cross_entropy(row[None].double(), torch.zeros(1, dtype=torch.long),
                                                         reduction="sum").item()
                logits[t] = torch.where(torch.isinf(row), torch.full_like(row, -1e30), row)
            save_npy(os.path.join(udir, "mask.npy"), torch.from_numpy(mask.astype(np.float32))[:, None])
            save_npy(os.path.join(udir, "negatives.npy"), torch.from_numpy(neg.astype(np.float32)))
            save_npy(os.path.join(udir, "project_hid.npy"), c)
            save_npy(os.path.join(udir, "project_q.npy"), q)
            save_npy(os.path.join(udir, "contrastive_logits.npy"), logits)
            save_npy(os.path.join(udir, "contrastive_loss.npy"), torch.tensor([[loss]]))
            # the other loss terms, as fairseq's wav2vec2 and transformers' training mode define them over
            # the masked frames: prob perplexity of the mean softmax per group, code perplexity of the
            # argmax codes, diversity (GV - prob ppl) / GV, feature penalty = mean square of the conv output
            soft = torch.softmax(qlog.view(T, groups, entries).double(), -1)[torch.from_numpy(mask)].mean(0)
            prob_ppl = torch.exp(-(soft * torch.log(soft + 1e-7)).sum(-1)).sum().item()
            hard = torch.nn.functional.one_hot(codes, entries).double()[torch.from_numpy(mask)].mean(0)
            code_ppl = torch.exp(-(hard * torch.log(hard + 1e-7)).sum(-1)).sum().item()
            gv = groups * entries
            pen = feats.double().pow(2).mean().item()
            save_npy(os.path.join(udir, "head_terms.npy"),
                     torch.tensor([[prob_ppl, code_ppl, (gv - prob_ppl) / gv, pen]]))
            same = sum(int(((q[torch.from_numpy(neg[t])] == q[t]).all(-1)).sum()) for t in idx)
            print("%s/%s: %d masked of %d frames, %d distractors equal to their target, loss %.6f nats" % (
                name, utt, len(idx), T, same, loss))


def fairseq_key(k, large):
    """transformers key (as written above) -> fairseq Wav2Vec2Model key."""
    import re
    k = k.replace("wav2vec2.", "", 1) if k.startswith("wav2vec2.") else k
    m = re.match(r"feature_extractor\.conv_layers\.(\d+)\.(conv|layer_norm)\.(weight|bias)$", k)
    if m:
        i, part, w = m.groups()
        if part == "conv":
            return "feature_extractor.conv_layers.%s.0.%s" % (i, w)
        return "feature_extractor.conv_layers.%s.2.%s%s" % (i, "1." if large else "", w)
    k = k.replace("feature_projection.layer_norm.", "layer_norm.")
    k = k.replace("feature_projection.projection.", "post_extract_proj.")
    k = k.replace("masked_spec_embed", "mask_emb")
    k = k.replace("encoder.pos_conv_embed.conv.", "encoder.pos_conv.0.")
    k = re.sub(r"encoder\.layers\.(\d+)\.layer_norm\.", r"encoder.layers.\1.self_attn_layer_norm.", k)
    k = k.replace(".attention.", ".self_attn.")
    k = k.replace(".feed_forward.intermediate_dense.", ".fc1.").replace(".feed_forward.output_dense.", ".fc2.")
    k = k.replace("quantizer.codevectors", "quantizer.vars").replace("project_hid.", "final_proj.")
    return k


def fairseq_model_cfg(large, pretrain_extra=None):
    c = {"_name": "wav2vec2", "extractor_mode": "layer_norm" if large else "default",
         "conv_feature_layers": "[(32, 10, 5)] + [(32, 3, 2)] * 4 + [(32,2,2)] * 2", "conv_bias": large,
         "encoder_layers": 3, "encoder_embed_dim": 48, "encoder_ffn_embed_dim": 96, "encoder_attention_heads": 4,
         "activation_fn": "gelu", "layer_norm_first": large, "conv_pos": 16, "conv_pos_groups": 4,
         "dropout": 0.1, "attention_dropout": 0.1, "activation_dropout": 0.0, "dropout_input": 0.1,
         "dropout_features": 0.1, "encoder_layerdrop": 0.05, "feature_grad_mult": 0.1, "final_dim": 16,
         "latent_vars": 16, "latent_groups": 2, "latent_dim": 0, "logit_temp": 0.1, "quantize_targets": True,
         "quantize_input": False, "same_quantizer": False, "target_glu": False, "mask_prob": 0.65,
         "mask_length": 10, "num_negatives": 100, "latent_temp": [2.0, 0.5, 0.999995]}
    c.update(pretrain_extra or {})
    return c


def training_state(sd):
    """What fairseq saves beside the model: numpy scalars and an optimizer state that must not be loaded."""
    first = next(iter(sd.values()))
    return {
        "criterion": None,
        "optimizer_history": [{"criterion_name": "CtcCriterion", "optimizer_name": "FairseqAdam",
                               "lr_scheduler_state": {"best": np.float64(0.3125)}, "num_updates": 20000}],
        "extra_state": {"metrics": {}, "previous_best": np.float64(0.5), "train_iterator": {"epoch": 3, "iterations_in_epoch": 7}},
        "last_optimizer_state": {"state": {0: {"step": 20000, "exp_avg": torch.zeros_like(first, dtype=torch.float32),
                                               "exp_avg_sq": torch.ones_like(first, dtype=torch.float32)}},
                                 "param_groups": [{"lr": 3e-5, "betas": (0.9, 0.98), "params": [0]}]},
    }


def fairseq_ctc_state(model, large, seed):
    """A torchaudio CTC model's weights as fairseq's Wav2VecCtc names them, in fp16, with a mask_emb."""
    sd = OrderedDict()
    for k, v in hf_state_dict(model).items():
        sd["w2v_encoder.proj." + k[len("lm_head."):] if k.startswith("lm_head.")
           else "w2v_encoder.w2v_model." + fairseq_key(k, large)] = v.half()
    sd["w2v_encoder.w2v_model.mask_emb"] = torch.rand(48, generator=torch.Generator().manual_seed(seed)).half()
    return sd


def fairseq_ctc_checkpoint(ctc_sd, large, w2v_path, mask_prob):
    """What fairseq's checkpoint_utils saves for a fine-tuned Wav2VecCtc, cfg a DictConfig."""
    from omegaconf import OmegaConf
    ctc_model_cfg = {"_name": "wav2vec_ctc", "w2v_path": w2v_path, "no_pretrained_weights": False,
                     "final_dropout": 0.0, "dropout": 0.0, "attention_dropout": 0.0, "activation_dropout": 0.1,
                     "dropout_input": 0.0, "layerdrop": 0.1, "feature_grad_mult": 0.0, "mask_prob": mask_prob,
                     "mask_length": 10, "apply_mask": True, "normalize": True,
                     "w2v_args": {"model": fairseq_model_cfg(large), "task": {"_name": "audio_pretraining",
                                                                             "normalize": True, "sample_rate": 16000}}}
    cfg = OmegaConf.create({"_name": None, "common": {"fp16": True, "log_format": "json", "seed": 1},
                            "task": {"_name": "audio_finetuning", "normalize": True, "labels": "ltr",
                                     "sample_rate": 16000},
                            "model": ctc_model_cfg,
                            "criterion": {"_name": "ctc", "zero_infinity": True}})
    ckpt = {"args": None, "cfg": cfg, "model": ctc_sd}
    ckpt.update(training_state(ctc_sd))
    return ckpt


def write_fairseq_fixtures(base_ctc, base_pre_sd, vocab):
    import argparse
    d = os.path.join(OUT, "fairseq")
    os.makedirs(d, exist_ok=True)
    ctc_sd = fairseq_ctc_state(base_ctc, False, 99)
    torch.save(fairseq_ctc_checkpoint(ctc_sd, False, "/data/wav2vec_small.pt", 0.65),
               os.path.join(d, "base-ctc-dictconfig.pt"))

    pre = fairseq_model_cfg(False)
    pre.pop("_name")
    w2v_args = argparse.Namespace(arch="wav2vec2", task="audio_pretraining", normalize=True, sample_rate=16000, **pre)
    args = argparse.Namespace(arch="wav2vec_ctc", task="audio_pretraining", normalize=True, labels="ltr",
                              w2v_path="/data/wav2vec_small.pt", w2v_args=w2v_args, final_dropout=0.0, dropout=0.0,
                              attention_dropout=0.0, activation_dropout=0.1, dropout_input=0.0, layerdrop=0.1,
                              feature_grad_mult=0.0, fp16=True)
    ckpt = {"args": args, "model": ctc_sd}
    ckpt.update(training_state(ctc_sd))
    torch.save(ckpt, os.path.join(d, "base-ctc-args.pt"))
    with open(os.path.join(d, "dict.ltr.txt"), "w") as f:
        for tok, i in sorted(vocab.items(), key=lambda kv: kv[1]):
            if i >= 4:
                f.write("%s %d\n" % (tok, 1000 - 10 * i))

    pre_sd = OrderedDict((fairseq_key(k, False), v.half()) for k, v in base_pre_sd.items())
    cfg = {"_name": None, "common": {"fp16": True, "log_format": "json"},
           "task": {"_name": "audio_pretraining", "normalize": True, "sample_rate": 16000, "max_sample_size": 250000},
           "model": fairseq_model_cfg(False), "criterion": {"_name": "wav2vec", "infonce": True,
                                                           "loss_weights": [0.1, 10.0]}}
    ckpt = {"args": None, "cfg": cfg, "model": pre_sd}
    ckpt.update(training_state(pre_sd))
    torch.save(ckpt, os.path.join(d, "base-pretrain-dict.pt"))
    for f in sorted(os.listdir(d)):
        print("fairseq/%s: %d bytes" % (f, os.path.getsize(os.path.join(d, f))))


def write_fairseq_large():
    """LARGE style (LayerNorm after every conv, conv bias, pre-LN layers, final LayerNorm) as fairseq
    saves it: fairseq keys (feature_extractor.conv_layers.N.2.1.weight for the conv LayerNorms),
    fp16 weights, cfg a DictConfig, the English dict.ltr.txt of the base fixtures. There is no
    Hugging Face twin, so the reference logits of the fp16-rounded model are stored beside it."""
    d = os.path.join(OUT, "fairseq")
    ev, _ = english_vocab()
    model = build(True, len(ev), 41)
    with torch.no_grad():
        for k, v in model.state_dict().items():
            v.copy_(v.half().float())
    torch.save(fairseq_ctc_checkpoint(fairseq_ctc_state(model, True, 98), True, "/data/wav2vec_vox_new.pt", 0.5),
               os.path.join(d, "large-ctc-dictconfig.pt"))
    wav = np.load(os.path.join(OUT, "inputs", "spk1_snt1.npy"))
    with torch.no_grad():
        logits, _ = model(torch.from_numpy(wav)[None])
    save_npy(os.path.join(d, "large-ctc-spk1_snt1-logits.npy"), logits[0])
    print("fairseq/large-ctc-dictconfig.pt: %d bytes, max |logit| %.3f" % (
        os.path.getsize(os.path.join(d, "large-ctc-dictconfig.pt")), logits.abs().max().item()))


def write_fairseq_recipe():
    """base-pretrain-dict.pt with a pre-training recipe other than fairseq's BASE defaults (Gumbel
    temperature schedule, loss weights), in both spellings fairseq has saved them: a list in a
    dict cfg, and the strings of an argparse Namespace."""
    import argparse
    d = os.path.join(OUT, "fairseq")
    ckpt = torch.load(os.path.join(d, "base-pretrain-dict.pt"))
    ckpt["cfg"]["model"]["latent_temp"] = [1.5, 0.25, 0.995]
    ckpt["cfg"]["criterion"]["loss_weights"] = [0.3, 5.0]
    torch.save(ckpt, os.path.join(d, "base-pretrain-recipe.pt"))
    args = dict(ckpt["cfg"]["model"])
    args.pop("_name")
    args.update(latent_temp="(1.5, 0.25, 0.995)", loss_weights="[0.3, 5.0]")
    ckpt["args"] = argparse.Namespace(arch="wav2vec2", task="audio_pretraining", criterion="wav2vec", infonce=True,
                                      normalize=False, sample_rate=16000, **args)
    ckpt["cfg"] = None
    torch.save(ckpt, os.path.join(d, "base-pretrain-recipe-args.pt"))
    for f in ("base-pretrain-recipe.pt", "base-pretrain-recipe-args.pt"):
        print("fairseq/%s: %d bytes" % (f, os.path.getsize(os.path.join(d, f))))


def main():
    import sys
    torch.set_num_threads(1)
    if sys.argv[1:] == ["fairseq-large"]:
        write_fairseq_large()
        return
    if sys.argv[1:] == ["fairseq-recipe"]:
        write_fairseq_recipe()
        return
    ev, ep = english_vocab()
    base = build(False, len(ev), 11)
    write_fixture("base-ctc", base, False, ev, ep, "safetensors")
    cv, cp = community_vocab()
    large = build(True, len(cv), 23)
    write_fixture("large-ctc", large, True, cv, cp, "bin", parametrizations=True)
    base16 = build(False, len(ev), 11)
    write_fixture("base-ctc-f16", base16, False, ev, ep, "safetensors", dtype=torch.float16)
    pre_model = build(False, 32, 37)
    pre_sd = write_pretrain_fixture("base-pretrain", pre_model)
    write_pretrain_loss_reference("base-pretrain", pre_model)
    write_fairseq_fixtures(build(False, len(ev), 11), pre_sd, ev)


if __name__ == "__main__":
    main()
