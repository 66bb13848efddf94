"""Enrichment: reviewed Russian/English renderings and sample questions per provision.

Written from the statute text and kept as data in `knowledge/enrichment/*.json`
(`{"act": ID, "entries": {PROVISION_ID: {"ru", "en", "questions"}}}`). It only helps a
Russian or English question find a Kazakh provision; it is never shown as the law.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

ENRICHMENT_DIR = Path(__file__).resolve().parent / "enrichment"


@dataclass(frozen=True)
class Enrichment:
    """Unofficial renderings of one provision and questions it answers."""

    ru: str
    en: str
    questions: tuple[str, ...]


def load_enrichment(folder: Path = ENRICHMENT_DIR) -> dict[str, Enrichment]:
    """Every entry, keyed "<act id>/<provision id>" (files are read in name order)."""
    out: dict[str, Enrichment] = {}
    for path in sorted(folder.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        act = data["act"]
        for provision_id, entry in data["entries"].items():
            out[f"{act}/{provision_id}"] = Enrichment(
                ru=entry.get("ru", ""), en=entry.get("en", ""), questions=tuple(entry.get("questions", ()))
            )
    return out
