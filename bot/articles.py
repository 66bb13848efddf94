"""Showing one article: the `/article` command and `python -m bot article` share this code."""

from __future__ import annotations

from typing import Any

from bot.present.texts import text
from ingest.citation import Lang
from ingest.clean import normalise
from ingest.model import Act, Provision
from knowledge.official import OfficialTexts


class ArticleNotFoundError(LookupError):
    """The act or article asked for does not exist; the message is for the user."""


def _fold(text: str) -> str:
    return normalise(text).lower()


def find_act(acts: list[Act], query: str) -> Act | None:
    """The act whose Kazakh, Russian or English title, id or number contains a word of `query`.

    A word matches a title word that starts with it ("волонтер" → "Волонтерлік"), so users
    may type a stem in either language.
    """
    words = [w for w in _fold(query).replace("«", " ").replace("»", " ").split() if len(w) >= 3]
    if not words and query.strip():
        words = [_fold(query).strip()]
    best: tuple[int, Act] | None = None
    for act in acts:
        m = act.meta
        titles = _fold(" ".join((m.title, m.title_ru, m.title_en, m.id, m.number)))
        title_words = titles.replace("-", " ").split() + titles.split()
        hits = sum(any(t.startswith(w) or w == t for t in title_words) for w in words)
        if hits and (best is None or hits > best[0]):
            best = (hits, act)
    return best[1] if best else None


def get_article(acts: list[Act], act_query: str, num: str, lang: Lang = "kk") -> tuple[Act, Provision]:
    """The act and article asked for, or ArticleNotFoundError with a message in `lang`."""
    act = find_act(acts, act_query)
    if act is None:
        known = "; ".join(a.meta.title if lang == "kk" else a.meta.title_ru for a in acts)
        raise ArticleNotFoundError(text(lang).act_not_found.format(query=act_query, known=known))
    article = act.article(num.strip().rstrip("."))
    if article is None:
        raise ArticleNotFoundError(text(lang).article_not_found.format(act=act.meta.title, num=num))
    return act, article


def _label(node: Provision) -> str:
    if node.kind == "paragraph":
        return f"{node.num}. "
    if node.kind == "subparagraph":
        return f"{node.num}) "
    return ""


def _date(iso: str) -> str:
    return f"{iso[8:]}.{iso[5:7]}.{iso[:4]}"


def article_lines(article: Provision, lang: Lang = "kk") -> list[str]:
    """The article as the bot shows it: heading, then each provision on its own line."""
    if lang == "ru":
        heading = f"Статья {article.num}. {article.heading or ''}".strip()
    else:
        heading = f"{article.num}-бап. {article.heading}" if article.heading else f"{article.num}-бап"
    lines = [heading]
    if article.text:
        lines.append(article.text)

    def visit(node: Provision, depth: int) -> None:
        for child in node.children:
            lines.append("  " * depth + _label(child) + child.text)
            visit(child, depth + 1)

    visit(article, 0)
    lines.extend(article.notes)
    return lines


def article_text(act: Act, article: Provision) -> str:
    """The plain-text article with its act's title on top."""
    return "\n".join([act.meta.title, "", *article_lines(article)])


def official_article(act: Act, article: Provision, official: OfficialTexts) -> tuple[str, Provision | None]:
    """The official Russian article where current, with a note on its edition; else why there is none."""
    t = text("ru")
    tree, alignment = official.trees.get(act.meta.id), official.alignments.get(act.meta.id)
    ru_article = tree.article(article.num or "") if tree is not None else None
    if tree is None or alignment is None or ru_article is None:
        return t.article_no_official, None
    edition = _date(tree.meta.edition)
    stale = alignment.out_of_date.get(article.id)
    if stale:
        return t.article_stale.format(edition=edition, dates=", ".join(stale)), None
    return t.article_official.format(edition=edition), ru_article


def article_view(act: Act, article: Provision, lang: Lang, official: OfficialTexts) -> list[str]:
    """The article's lines for a reader of `lang`: the official Russian where current, else the Kazakh."""
    if lang != "ru":
        return [act.meta.title, "", *article_lines(article)]
    note, ru_article = official_article(act, article, official)
    if ru_article is not None:
        return [act.meta.title_ru, note, "", *article_lines(ru_article, "ru")]
    return [note, "", act.meta.title, "", *article_lines(article)]


def _child_json(node: Provision) -> dict[str, Any]:
    return {
        "kind": node.kind,
        "num": node.num,
        "text": node.text,
        "children": [_child_json(c) for c in node.children],
    }


def article_json(act: Act, article: Provision) -> dict[str, Any]:
    """The article as `{act, article, heading, text, notes, children}`."""
    return {
        "act": act.meta.title,
        "article": article.num,
        "heading": article.heading,
        "text": article.text,
        "notes": article.notes,
        "children": [_child_json(c) for c in article.children],
    }
