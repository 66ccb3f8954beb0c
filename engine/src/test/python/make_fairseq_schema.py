#!/usr/bin/env python3
"""Derives the config schema that `export-run --to fairseq` is checked against.

Reads fairseq's source (a checkout; never imported or run) with `ast`, collects the fields of
the dataclasses a wav2vec 2.0 hydra config is made of, and prints JSON:
{"source": ..., "groups": {"model/wav2vec2": {"field": "int" | "float" | "bool" | "str" |
"list[float]" | "list[int]" | "list[str]" | "choice:a,b", ...}, ...}}.
Nested-group names follow fairseq's registries (`_name` in the YAML).

Usage: python3 make_fairseq_schema.py FAIRSEQ_CHECKOUT [COMMIT] > fairseq-schema.json
Run by hand when fairseq changes; the output is committed as test data
(engine/src/test/resources/interop/handoff/fairseq-schema.json).
"""
import ast
import json
import sys
from pathlib import Path

# group key in the YAML -> (file, dataclass); an `_name` group lists the registered name.
GROUPS = {
    "common": ("fairseq/dataclass/configs.py", "CommonConfig"),
    "dataset": ("fairseq/dataclass/configs.py", "DatasetConfig"),
    "optimization": ("fairseq/dataclass/configs.py", "OptimizationConfig"),
    "checkpoint": ("fairseq/dataclass/configs.py", "CheckpointConfig"),
    "distributed_training": ("fairseq/dataclass/configs.py", "DistributedTrainingConfig"),
    "task/audio_pretraining": ("fairseq/tasks/audio_pretraining.py", "AudioPretrainingConfig"),
    "task/audio_finetuning": ("fairseq/tasks/audio_finetuning.py", "AudioFinetuningConfig"),
    "model/wav2vec2": ("fairseq/models/wav2vec/wav2vec2.py", "Wav2Vec2Config"),
    "model/wav2vec_ctc": ("fairseq/models/wav2vec/wav2vec2_asr.py", "Wav2Vec2CtcConfig"),
    "criterion/wav2vec": ("fairseq/criterions/wav2vec_criterion.py", "Wav2VecCriterionConfig"),
    "criterion/ctc": ("fairseq/criterions/ctc.py", "CtcCriterionConfig"),
    "optimizer/adam": ("fairseq/optim/adam.py", "FairseqAdamConfig"),
    "lr_scheduler/polynomial_decay": ("fairseq/optim/lr_scheduler/polynomial_decay_schedule.py",
                                      "PolynomialDecayLRScheduleConfig"),
    "lr_scheduler/tri_stage": ("fairseq/optim/lr_scheduler/tri_stage_lr_scheduler.py", "TriStageLRScheduleConfig"),
    "lr_scheduler/cosine": ("fairseq/optim/lr_scheduler/cosine_lr_scheduler.py", "CosineLRScheduleConfig"),
}


def parse(root, rel):
    return ast.parse((root / rel).read_text(), rel)


def module_choices(tree):
    """NAME = ChoiceEnum([...]) assignments of a module."""
    out = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) and \
                getattr(node.value.func, "id", "") == "ChoiceEnum" and node.value.args and \
                isinstance(node.value.args[0], ast.List):
            vals = [e.value for e in node.value.args[0].elts if isinstance(e, ast.Constant)]
            for t in node.targets:
                out[t.id] = "choice:" + ",".join(vals)
    return out


def type_of(ann, choices):
    if isinstance(ann, ast.Name):
        if ann.id in ("int", "float", "bool", "str"):
            return ann.id
        if ann.id in choices:
            return choices[ann.id]
        return "other:" + ann.id
    if isinstance(ann, ast.Call) and getattr(ann.func, "id", "") == "ChoiceEnum":
        if ann.args and isinstance(ann.args[0], ast.List):
            return "choice:" + ",".join(e.value for e in ann.args[0].elts if isinstance(e, ast.Constant))
        return "str"  # ChoiceEnum(utils.get_available_activation_fns()) and the like
    if isinstance(ann, ast.Subscript):
        outer = getattr(ann.value, "id", getattr(ann.value, "attr", ""))
        inner = ann.slice
        if outer == "Optional":
            return type_of(inner, choices)
        if outer in ("List", "Tuple"):
            elts = inner.elts if isinstance(inner, ast.Tuple) else [inner]
            kinds = {type_of(e, choices) for e in elts if not isinstance(e, ast.Constant)}
            return "list[" + (kinds.pop() if len(kinds) == 1 else "any") + "]"
        if outer == "Any":
            return "any"
    if isinstance(ann, ast.Attribute):
        return "other:" + ann.attr
    return "any"


def defining_file(root, rel, tree, name):
    """The file a base class comes from: this module, or the fairseq module it is imported from."""
    if any(isinstance(n, ast.ClassDef) and n.name == name for n in tree.body):
        return rel
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("fairseq.") and \
                any(a.name == name for a in node.names):
            return node.module.replace(".", "/") + ".py"
    raise SystemExit(f"{rel}: cannot find where {name} is defined")


def fields(root, rel, cls):
    tree = parse(root, rel)
    choices = module_choices(tree)
    # choices imported from another fairseq module (EXTRACTOR_MODE_CHOICES, ...)
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("fairseq."):
            path = root / (node.module.replace(".", "/") + ".py")
            if path.is_file():
                imported = module_choices(ast.parse(path.read_text()))
                for alias in node.names:
                    if alias.name in imported:
                        choices[alias.name] = imported[alias.name]
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name == cls:
            out = {}
            for base in node.bases:
                name = getattr(base, "id", "")
                if name and name != "FairseqDataclass":
                    out.update(fields(root, defining_file(root, rel, tree, name), name))
            for stmt in node.body:
                if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
                    out[stmt.target.id] = type_of(stmt.annotation, choices)
            return out
    raise SystemExit(f"{rel}: no class {cls}")


def main():
    root = Path(sys.argv[1])
    commit = sys.argv[2] if len(sys.argv) > 2 else "unknown"
    groups = {key: fields(root, rel, cls) for key, (rel, cls) in GROUPS.items()}
    print(json.dumps({"source": "facebookresearch/fairseq@" + commit, "groups": groups}, indent=1, sort_keys=True))


if __name__ == "__main__":
    main()
