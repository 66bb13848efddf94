"""Telegram HTML: escaping, quote blocks, and splitting under 4096 characters on safe boundaries."""

from __future__ import annotations

from html.parser import HTMLParser

from bot.telegram.render import MAX_MESSAGE, answer_blocks, pack, short_blocks


class _Balanced(HTMLParser):
    """Fails on an unclosed or mismatched tag."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack.pop() == tag


def balanced(message: str) -> bool:
    parser = _Balanced()
    parser.feed(message)
    parser.close()
    return not parser.stack


ANSWER = "Lead <script> & co\n\n«Quote one»\n— Act, 1-бап\n\n«Quote two»\n— Act, 2-бап\n\n/article x 1"


def test_blocks_escape_and_mark_quotes() -> None:
    blocks = answer_blocks(ANSWER)
    assert blocks[0] == "Lead &lt;script&gt; &amp; co"
    assert blocks[1] == "<blockquote>«Quote one»</blockquote>\n<i>— Act, 1-бап</i>"
    assert blocks[-1] == "<code>/article x 1</code>"
    assert short_blocks(ANSWER) == [blocks[0], blocks[1], blocks[-1]]


def test_a_6000_character_answer_arrives_as_valid_parts() -> None:
    quotes = [f"«{n}. " + "Қазақстан Республикасының заңдары & «шарттары» " * 40 + "»\n— Act, 1-бап" for n in range(4)]
    text = "\n\n".join(["Lead", *quotes, "/article x 1"])
    assert len(text) > 6000
    messages = pack(answer_blocks(text))
    assert len(messages) >= 2
    assert all(len(m) <= MAX_MESSAGE for m in messages)
    assert all(balanced(m) for m in messages)
    joined = "".join(messages)
    for n in range(4):
        assert f"«{n}. " in joined  # no provision lost
    assert joined.count("<blockquote>") == 4  # split between provisions, not inside them


def test_one_enormous_provision_is_split_inside_with_complete_tags() -> None:
    text = "«" + "сөз & " * 2000 + "x" * 5000 + "»\n— Act, 1-бап"
    messages = pack(answer_blocks(text))
    assert all(len(m) <= MAX_MESSAGE for m in messages)
    assert all(balanced(m) for m in messages)
    assert all("&amp" not in m[-5:] or m.endswith("&amp;") or m.endswith("</blockquote>") for m in messages)
