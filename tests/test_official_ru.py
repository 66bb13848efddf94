"""The official Russian texts parse into trees with the Kazakh ids, losing and inventing nothing."""

from __future__ import annotations

import hashlib
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest

from ingest.align import align
from ingest.errors import IngestError
from ingest.markdown import clean_markdown, strip_markup
from ingest.model import Act, OfficialText, OfficialTextMeta
from ingest.store import (
    ACTS_DIR,
    SOURCES_DIR,
    act_json,
    build_all,
    build_official,
    load_official_catalog,
    official_json_name,
)
from tests.conftest import no_space


@pytest.fixture(scope="module")
def official() -> dict[str, OfficialText]:
    """Every official Russian text parsed afresh from its Markdown (not read from the JSON)."""
    return {m.act: build_official(m, SOURCES_DIR / m.file) for m in load_official_catalog()}


def test_sources_listed_and_kept(official: dict[str, OfficialText]) -> None:
    assert sorted(official) == ["assembly", "prevention", "volunteer"]
    for text in official.values():
        assert text.meta.lang == "ru"
        assert text.meta.origin.startswith("kazakhstan-law/codes ")
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.meta.edition)


def test_same_articles_as_kazakh(official: dict[str, OfficialText], acts: dict[str, Act]) -> None:
    for key, text in official.items():
        assert [a.id for a in text.articles()] == [a.id for a in acts[key].articles()], key
    force = official["prevention"].find("art_46__para_2__subpara_9")
    assert force is not None
    assert force.text.startswith("применять в целях пресечения правонарушений")
    assert force.text.endswith("превышение необходимых для этого мер.")
    assert official["volunteer"].find("art_12__para_3__subpara_5") is not None
    assert [c.id for c in official["prevention"].children] == ["sec_1", "sec_2", "sec_3"]


def test_notes_are_metadata_never_text(official: dict[str, OfficialText]) -> None:
    for text in official.values():
        for node in text.walk():
            assert "Сноска" not in node.text, node.id
            assert all(n.startswith("Сноска.") for n in node.notes)
    art7 = official["volunteer"].article("7")
    assert art7 is not None
    assert art7.notes == [
        "Сноска. Статья 7 в редакции Закона РК от 19.04.2023 № 223-VII (вводится в действие по истечении "
        "десяти календарных дней после дня его первого официального опубликования)."
    ]
    assert official["assembly"].notes[0].startswith("Сноска. По всему тексту слова")


def _pieces(text: OfficialText) -> list[str]:
    """Everything the tree holds, as the blocks of the cleaned Markdown looked."""
    labels = {"paragraph": "{}.", "subparagraph": "{})"}
    heads = {"section": "РАЗДЕЛ {}. {}", "chapter": "Глава {}. {}", "article": "Статья {}. {}"}
    out = [*text.preamble, *text.notes, text.signature or ""]
    for node in text.walk():
        if node.kind in heads:
            out.append(heads[node.kind].format(node.num, node.heading or ""))
        if node.text:
            out.append(labels[node.kind].format(node.num) + node.text if node.kind in labels else node.text)
        out.extend(node.notes)
    return out


def test_no_text_lost_or_invented(official: dict[str, OfficialText]) -> None:
    for meta in load_official_catalog():
        cleaned, _ = clean_markdown((SOURCES_DIR / meta.file).read_text(encoding="utf-8"), meta.file)
        blocks = [cleaned.title, *(b.text for b in cleaned.blocks)]
        signature_blocks = "".join(no_space(b) for b in blocks[-2:])
        tree = official[meta.act]
        pieces = [no_space(tree.meta.title), *(no_space(p) for p in _pieces(tree))]
        expected = [no_space(b) for b in blocks[:-2]] + [signature_blocks]
        assert Counter(pieces) == Counter(expected), meta.act


def test_every_text_is_verbatim_in_the_source(official: dict[str, OfficialText]) -> None:
    for meta in load_official_catalog():
        raw = (SOURCES_DIR / meta.file).read_text(encoding="utf-8")
        plain = no_space("\n".join(strip_markup(line) for line in raw.splitlines()))
        for node in official[meta.act].walk():
            assert no_space(node.text) in plain, node.id
            assert all(no_space(n) in plain for n in node.notes)


def test_sources_are_the_mirror_bytes() -> None:
    """The project's copies are byte for byte the mirror's: the tree records their hash."""
    for meta in load_official_catalog():
        tree = OfficialText.model_validate_json((ACTS_DIR / official_json_name(meta)).read_text(encoding="utf-8"))
        assert tree.source_sha256 == hashlib.sha256((SOURCES_DIR / meta.file).read_bytes()).hexdigest()


def test_committed_trees_are_up_to_date(official: dict[str, OfficialText]) -> None:
    for meta in load_official_catalog():
        committed = (ACTS_DIR / official_json_name(meta)).read_text(encoding="utf-8")
        assert act_json(official[meta.act]) == committed, f"run `python -m ingest`: {official_json_name(meta)}"


def test_alignment_and_edition_rule(official: dict[str, OfficialText], acts: dict[str, Act]) -> None:
    volunteer = align(acts["volunteer"], official["volunteer"])
    assert volunteer.edition == "2024-01-01"
    assert volunteer.out_of_date == {"art_9": ("10.01.2025",)}
    assert volunteer.only_kk == ("art_9__subpara_7-3",)  # added by the 2025 amendment
    assert not volunteer.is_current("art_9__subpara_1")
    assert volunteer.is_current("art_12__para_3__subpara_5")
    assembly = align(acts["assembly"], official["assembly"])
    assert sorted(assembly.out_of_date) == ["art_10", "art_14", "art_18", "art_7", "art_9"]
    assert all(d == ("05.11.2022",) for d in assembly.out_of_date.values())
    prevention = align(acts["prevention"], official["prevention"])
    assert prevention.out_of_date == {}
    # the Russian text numbers art. 78 p. 1 as "1 " without its dot, so the article does not align
    assert {i.split("__")[0] for i in prevention.mismatches} == {"art_78"}
    assert not prevention.is_current("art_78__para_2__subpara_1")
    assert prevention.is_current("art_46__para_2__subpara_9")
    assert len(prevention.aligned) > 900


SNIPPET = """---
version_date: 2024-01-01
---

# О волонтерской деятельности

Вводный текст.

## Глава 1. ОБЩИЕ ПОЛОЖЕНИЯ

<a id="st1"></a>

### Статья 1. Понятия

1. Первый пункт:

   1) первый подпункт;

   *2) исключен Законом РК от 04.07.2022 № 134-VII;*

2. Второй пункт.

> *Сноска. Статья 1 с изменениями, внесенными Законом РК от 04.07.2022 № 134-VII.*

**Статья 2. Вторая**

Текст второй статьи.

**Президент Республики Казахстан**

**Н. НАЗАРБАЕВ**
"""


def _meta() -> OfficialTextMeta:
    return OfficialTextMeta(
        act="volunteer",
        lang="ru",
        file="x.ru.md",
        title="О волонтерской деятельности",
        edition="2024-01-01",
        origin="-",
    )


def test_made_up_snippet(tmp_path: Path) -> None:
    path = tmp_path / "x.ru.md"
    path.write_text(SNIPPET, encoding="utf-8")
    tree = build_official(_meta(), path)
    assert [p.id for p in tree.walk()] == [
        "ch_1",
        "art_1",
        "art_1__para_1",
        "art_1__para_1__subpara_1",
        "art_1__para_1__subpara_2",
        "art_1__para_2",
        "art_2",
    ]
    sp2 = tree.find("art_1__para_1__subpara_2")
    assert sp2 is not None
    assert sp2.text == "исключен Законом РК от 04.07.2022 № 134-VII;"
    art1 = tree.article("1")
    assert art1 is not None
    assert art1.notes == ["Сноска. Статья 1 с изменениями, внесенными Законом РК от 04.07.2022 № 134-VII."]
    assert tree.preamble == ["Вводный текст."]
    assert tree.signature == "Президент Республики Казахстан Н. НАЗАРБАЕВ"


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("", 1, "empty"),
        ("---\nversion_date: 2024-01-01\n\n# О волонтерской деятельности\n", 1, "never closed"),
        ("Без заголовка.\n", 1, "title"),
        (SNIPPET.replace("# О волонтерской", "# О волонтерской и иной"), 1, "title"),
        (SNIPPET.replace("2024-01-01", "2023-01-01"), 1, "edition"),
        (SNIPPET.split("**Статья 2")[0], 23, "truncated"),
        ("# О волонтерской деятельности\n\nТолько текст.\n", 3, "no articles"),
        (SNIPPET + "\nЛишний абзац.\n", 33, "after the signature"),
    ],
)
def test_bad_markdown_names_file_and_line(tmp_path: Path, text: str, line: int, message: str) -> None:
    path = tmp_path / "x.ru.md"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(IngestError, match=message) as err:
        build_official(_meta(), path)
    assert str(err.value).startswith(f"{path}:{line}: ")


def test_bad_translation_leaves_trees_untouched(tmp_path: Path) -> None:
    out = tmp_path / "acts"
    build_all(SOURCES_DIR, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    assert "volunteer.ru.json" in before
    sources = tmp_path / "sources"
    shutil.copytree(SOURCES_DIR, sources)
    target = sources / "ru" / "assembly.ru.md"
    target.chmod(0o644)
    lines = target.read_bytes().splitlines(keepends=True)
    target.write_bytes(b"".join(lines[: len(lines) // 2]))
    with pytest.raises(IngestError, match="truncated") as err:
        build_all(sources, out)
    assert err.value.file.endswith("assembly.ru.md")
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
