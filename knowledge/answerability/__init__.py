"""Answerability: does a provision answer the question ("answer"), is it within these
statutes' subject but asks for what they do not contain ("related"), or is it off-domain
("decline")?

**Data** (`questions/*.jsonl`, one `{"question", "lang", "topic", "label"}` a line, written
for this and never taken from evaluation sets): `decline.jsonl` — off-domain questions
people in Kazakhstan ask a lawyer, an office or a chat bot (other laws and public services,
money, family, work, health, travel, everyday life, chit-chat, unrelated tasks, and
questions on other laws that name volunteers, public assistants or the Assembly), by topic;
`related.jsonl` — questions on volunteering, public assistants and the Assembly asking for
opinions, statistics, addresses, news, history, predictions or judgments of the law, by
kind and subject. Kazakh (Cyrillic, without its special letters, and Latin), Russian and
English. In-scope examples are enrichment sample questions held out from the index.
They are also indexed as the "scope" pseudo-act so that a search reports how near the
question is to each label's examples.

**Features** (`features.FEATURES`, from the hybrid search): best dense similarity; its
margin over the nearest off-domain and the nearest unanswerable example; log BM25 top
score; share of the question's terms covered by the top provision (and by the top three) with
their enrichment; share of terms found nowhere in the statutes, enrichment or glossary, and
their number (a question on another law that names the subject — a volunteer's tax return, a
public assistant's bank loan — still brings that law's own terms); for a question that names
the subject, the share of its other terms the top three provisions do not hold; question
length (a plain question of a few terms counts as five: `features.PLAIN_TERMS`); question-type
cues (`cues.toml`, kk/ru/en: subject words, chit-chat and task requests, address, statistic,
news, history, prediction, judgment, opinion). A term is its search token and what stands for
it: the folded form of a Kazakh word spelling restoration could not place, and the statute term
of a glossary phrase, so "ерікті" is covered where "волонтер" is and is no unknown word (the
search, too, reads a Kazakh question with the statute terms of its everyday words:
`retriever.dense_query`).

**Model** (`model.json`, read with numpy alone): two standardised logistic regressions —
in-domain vs off-domain, and answerable vs related — with probability cut-offs chosen on
out-of-fold predictions of topic-held-out cross-validation (GroupKFold: whole topics, or
whole articles for in-scope questions, are unseen by the fold's model and by its
nearest-example margins). The domain regression is fitted on answerable vs off-domain
questions: an unanswerable in-domain question is rightly not answered on either side of
it. "Related" needs a kind cue as well: an in-domain question that asks for
no opinion, statistic, contact, news, history, prediction, judgment or price asks what the
law says, so a low answerable score is then a weak search, not silent statutes, and the
question is answered (`model.decide`, applied alike in the bot and in the validation).
The answerable-vs-related regression ignores the subject cue, the length and
the subject's uncovered terms (`train.NOT_FOR_ANSWERABLE`: the written unanswerable questions
all name the subject and are short, which says how the sets were written, not whether a
question is answerable). In-scope examples are measured on a knowledge base without the
sample questions of one provision entry in four, from BM25 and from the vector search
alike, so that "answer" is not made easy by finding the question itself.

**Training**: `python -m knowledge.answerability train` (needs the `train` extra and a
built index) prints the cross-validated figures and rewrites `model.json`; it is
deterministic (sorted inputs, hash-chosen held-out entries, lbfgs).
"""
