"""`python -m knowledge.answerability train`: measure, cross-validate and fit the model."""

from __future__ import annotations

import argparse
import json
import logging

from knowledge.index import open_knowledge
from knowledge.settings import Settings

from .dataset import build_training_set
from .model import MODEL_FILE
from .train import TARGETS, train


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m knowledge.answerability")
    parser.add_argument("command", choices=["train"])
    parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    kb = open_knowledge(Settings())
    model = train(build_training_set(kb))
    print(json.dumps(model["training"], ensure_ascii=False, indent=1))
    cv = model["training"]["cv"]  # type: ignore[index]
    for name, target in TARGETS.items():
        print(f"{name:28s} {cv[name]:.3f}  (target ≥ {target})")
    print(f"cut-offs: domain {model['domain_cutoff']}, answer {model['answer_cutoff']} → {MODEL_FILE.name}")


if __name__ == "__main__":
    main()
