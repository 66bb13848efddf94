"""The eligibility checklist for a police public assistant (Law on prevention of offences, art. 45).

Pure logic: the questions, and the outcome for a set of answers with the points that decided
it. The Telegram conversation asks the questions one by one with yes/no buttons.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot.answer.model import Language
from knowledge.chunks import Chunk
from knowledge.index import KnowledgeBase

Reply = Literal["yes", "no", "unsure"]
Outcome = Literal["eligible", "not_eligible", "check"]
ACT = "prevention"


@dataclass(frozen=True)
class Step:
    """One question, the provision behind it and the reply that bars the applicant."""

    key: str
    provision: str
    barring: Reply
    question: dict[str, str]


STEPS: tuple[Step, ...] = (
    Step(
        "age",
        "art_45__para_5__subpara_1",
        "no",
        {"kk": "Сізге 18 жас толды ма?", "ru": "Вам исполнилось 18 лет?", "en": "Are you 18 or older?"},
    ),
    Step(
        "citizen",
        "art_45__para_2",
        "no",
        {
            "kk": "Сіз Қазақстан Республикасының азаматысыз ба?",
            "ru": "Вы гражданин Республики Казахстан?",
            "en": "Are you a citizen of Kazakhstan?",
        },
    ),
    Step(
        "investigation",
        "art_45__para_5__subpara_2",
        "yes",
        {
            "kk": "Сізге қатысты қазір сотқа дейінгі тергеп-тексеру жүргізіліп жатыр ма?",
            "ru": "В отношении вас сейчас ведётся досудебное расследование?",
            "en": "Is a pre-trial investigation under way against you?",
        },
    ),
    Step(
        "register",
        "art_45__para_5__subpara_3",
        "yes",
        {
            "kk": "Сіз осы Заң бойынша профилактикалық есепте тұрсыз ба?",
            "ru": "Вы состоите на профилактическом учёте по этому закону?",
            "en": "Are you on the police preventive register under this law?",
        },
    ),
    Step(
        "penalty",
        "art_45__para_5__subpara_4",
        "yes",
        {
            "kk": "Соңғы бір жылда қасақана құқық бұзушылық үшін сот сізге әкімшілік жаза қолданды ма?",
            "ru": "За последний год суд назначал вам административное взыскание за умышленное правонарушение?",
            "en": "In the past year, did a court impose an administrative penalty on you for an intentional offence?",
        },
    ),
    Step(
        "health",
        "art_45__para_5__subpara_5",
        "yes",
        {
            "kk": "Сіз наркологиялық немесе психикалық-неврологиялық есепте тұрсыз ба, не сот сізді әрекетке "
            "қабілетсіз немесе әрекет қабілеті шектеулі деп таныды ма?",
            "ru": "Вы состоите на учёте у нарколога или психиатра, или суд признал вас недееспособным или "
            "ограниченно дееспособным?",
            "en": "Are you registered with a drug or psychiatric clinic, or has a court found you legally "
            "incapable or of limited capacity?",
        },
    ),
)
HOW_TO_APPLY = ("art_45__para_2", "art_45__para_3", "art_45__para_4")
VERDICT: dict[Outcome, dict[str, str]] = {
    "eligible": {
        "kk": "Сіздің жауаптарыңыз бойынша 45-баптағы кедергілердің ешқайсысы жоқ: өтініш бере аласыз.",
        "ru": "По вашим ответам ни одно из препятствий ст. 45 к вам не относится: вы можете подать заявление.",
        "en": "From your answers none of the bars in Art. 45 applies: you may apply.",
    },
    "not_eligible": {
        "kk": "Сіздің жауаптарыңыз бойынша қазір қоғамдық көмекші бола алмайсыз. Шешуші тармақтар:",
        "ru": "По вашим ответам сейчас вы не можете стать общественным помощником. Решающие нормы:",
        "en": "From your answers you cannot become a public assistant now. The deciding provisions:",
    },
    "check": {
        "kk": "Кедергі анықталмады, бірақ кейбір жауап белгісіз: құқық қорғау органы өтінішті тексереді. "
        "Тексерілетін тармақтар:",
        "ru": "Препятствий не выявлено, но часть ответов неизвестна: уточните в полиции — она проверяет "
        "заявителя. Проверяемые нормы:",
        "en": "No bar found, but some answers are unknown: check with the police, who vet every applicant. "
        "The provisions checked:",
    },
}
APPLY_HEAD = {
    "kk": "Қалай өтініш беріледі (45-бап, 2–4-тармақтар):",
    "ru": "Как подать заявление (ст. 45, пп. 2–4):",
    "en": "How to apply (Art. 45(2)–(4)):",
}
CHANGED_HEAD = {
    "kk": "Жағдай өзгерсе (45-бап, 6-тармақ):",
    "ru": "Если обстоятельства изменятся (ст. 45, п. 6):",
    "en": "If circumstances change (Art. 45(6)):",
}


@dataclass(frozen=True)
class Result:
    """The outcome, the provisions that decided it and the provisions on how to apply."""

    outcome: Outcome
    deciding: tuple[Chunk, ...]
    apply: tuple[Chunk, ...]


def evaluate(kb: KnowledgeBase, replies: dict[str, Reply]) -> Result:
    """The outcome of a completed (or cut short) checklist."""
    chunk = {s.key: kb.by_key[f"{ACT}/{s.provision}"] for s in STEPS}
    bars = [chunk[s.key] for s in STEPS if replies.get(s.key) == s.barring]
    unsure = [chunk[s.key] for s in STEPS if replies.get(s.key) == "unsure"]
    apply = tuple(kb.by_key[f"{ACT}/{p}"] for p in HOW_TO_APPLY)
    if bars:
        return Result("not_eligible", tuple(bars), (kb.by_key[f"{ACT}/art_45__para_6"],))
    if unsure:
        return Result("check", tuple(unsure), apply)
    return Result("eligible", (), apply)


def next_step(replies: dict[str, Reply]) -> Step | None:
    """The first unanswered question; None when the checklist is complete or already decided."""
    if any(replies.get(s.key) == s.barring for s in STEPS):
        return None
    return next((s for s in STEPS if s.key not in replies), None)


def render(kb: KnowledgeBase, result: Result, lang: Language) -> str:
    """The outcome as plain answer text: verdict, quoted provisions with citations, how to apply."""
    meta = kb.act(ACT).meta
    title = meta.title_in(lang)

    def quote(c: Chunk) -> str:
        return f"«{c.quote}»\n— {title}, {c.citation.format(lang)}"

    parts = [VERDICT[result.outcome][lang], *(quote(c) for c in result.deciding)]
    if result.apply:
        head = CHANGED_HEAD if result.outcome == "not_eligible" else APPLY_HEAD
        parts += [head[lang], *(quote(c) for c in result.apply)]
    return "\n\n".join(parts)
