"""Chunks carry their citation and a quote that is verbatim in the statute."""

from __future__ import annotations

import re

from ingest.citation import Citation
from ingest.model import Act
from knowledge.chunks import QUOTE_GAP, all_chunks


def test_chunk_citations_and_lead_ins(acts: dict[str, Act]) -> None:
    chunks = {c.key: c for c in all_chunks(list(acts.values()))}
    force = chunks["prevention/art_46__para_2__subpara_9"]
    assert force.citation == Citation("46", "2", "9")
    assert force.lead_in is not None and force.lead_in.startswith("Қоғамдық көмекшілердің осы Заңның 6-бабында")
    assert force.quote.startswith(force.lead_in + QUOTE_GAP + "9) құқық бұзушылықтың")
    assert chunks["prevention/art_13__subpara_10"].citation == Citation("13", None, "10")
    assert chunks["volunteer/art_7"].citation == Citation("7")
    assert chunks["protocol-report/intro__para_2"].citation == Citation(None, "2")
    assert chunks["protocol-report/art_6__para_19"].citation == Citation("6", "19")
    assert len(chunks) == len(all_chunks(list(acts.values())))


def test_repealed_items_are_not_chunks(acts: dict[str, Act]) -> None:
    keys = {c.key for c in all_chunks(list(acts.values()))}
    assert "volunteer/art_8__para_1__subpara_6" not in keys  # "алып тасталды"
    assert "volunteer/art_8__para_1__subpara_7" in keys


def test_quotes_are_verbatim(acts: dict[str, Act], raw_sources: dict[str, str]) -> None:
    squashed = {k: re.sub(r"\s+", "", v) for k, v in raw_sources.items()}
    for chunk in all_chunks(list(acts.values())):
        for piece in re.split(r"…|\n", chunk.quote):
            assert re.sub(r"\s+", "", piece) in squashed[chunk.act_id], chunk.key
