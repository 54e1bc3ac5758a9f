"""The words of a question: which of them name a job, and which frame what is asked."""

from __future__ import annotations

import re
from dataclasses import dataclass

from careerbot.text import STOP_WORDS, singular, stems
from careerbot.understanding.language import LANGUAGE

__all__ = [
    "Token",
    "inside",
    "job_phrase",
    "masked",
    "said_in",
    "segments",
    "subject_stems",
    "tokens",
    "topic",
    "wanted",
]

_TOKEN = re.compile(r"#?[A-Za-z0-9]+(?:['’][A-Za-z]+)?(?:-[A-Za-z0-9]+)*|[,.;:!?()/&]")


@dataclass(frozen=True)
class Token:
    word: str  # lower case, possessive folded ("nurse's" -> "nurse")
    text: str  # as written
    start: int
    end: int

    @property
    def is_break(self) -> bool:
        """Punctuation that ends a clause or separates names."""
        return not self.word.lstrip("#")[:1].isalnum()


def tokens(question: str) -> list[Token]:
    """Words and clause punctuation, with their places in the question. The word after "your" is
    the bot's own data ("your list"), never a job or a field: it reads as punctuation."""
    found = []
    for match in _TOKEN.finditer(question):
        text = match.group()
        word = re.sub(r"['’]s$", "", text.lower()).replace("’", "'")
        if found and found[-1].word in LANGUAGE.addressed and word[0].isalnum():
            word = ","
        found.append(Token(word, text, match.start(), match.end()))
    return found


def _is_framing(word: str) -> bool:
    # A number is an age, a year or an amount ("I'm 17"), never a job's name.
    said = word in STOP_WORDS or word in LANGUAGE.framing or _stem(word) in LANGUAGE.cue_words
    return said or word.isdigit()


def _stem(word: str) -> str:
    found = stems(word)
    return found[0] if found else ""


def segments(question: str, *, split_joiners: bool = True) -> list[list[Token]]:
    """The runs of words that may name a job, framing cut from both ends of each.

    Clauses end at punctuation and before a question word; with `split_joiners`, "and", "or",
    "vs", "than" also separate runs ("plumber or electrician"). Words inside a run stay
    ("director of nursing").
    """
    runs: list[list[Token]] = [[]]
    for token in tokens(question):
        if token.is_break or (split_joiners and token.word in LANGUAGE.joiners):
            runs.append([])
        elif token.word in LANGUAGE.clause_openers:
            runs.append([token])  # trimmed as framing
        else:
            runs[-1].append(token)
    return [trimmed for run in runs if (trimmed := _trim(run))]


def _trim(run: list[Token]) -> list[Token]:
    """The run without the framing words at its ends ("how do I become a" ... "earn")."""
    framing = [_is_framing(t.word) for t in run]
    start, end = 0, len(run)
    while start < end and framing[start] and not _opens_title(run, framing, start):
        start += 1
    while end > start and framing[end - 1] and not _ends_title(run, framing, end - 1, start):
        end -= 1
    return run[start:end]


def _opens_title(run: list[Token], framing: list[bool], i: int) -> bool:
    """A framing word that opens a title when a title word follows: "training manager", and any
    cue word that is not plain framing ("travel agent", "safety inspector")."""
    word, stem = run[i].word, _stem(run[i].word)
    # A noun before a title is singular ("career counselor"); "careers exist" opens none.
    soft = (
        word not in STOP_WORDS
        and singular(word) == word
        and (stem in LANGUAGE.soft or (word not in LANGUAGE.framing and stem in LANGUAGE.cue_words))
    )
    return soft and i + 1 < len(run) and not framing[i + 1]


def _ends_title(run: list[Token], framing: list[bool], i: int, start: int) -> bool:
    head = run[i].word not in STOP_WORDS and singular(run[i].word) in LANGUAGE.title_heads
    return head and not all(framing[start:i])


def job_phrase(question: str) -> str:
    """The words of `question` that name a job: "How do I become a plant manager?" -> "plant manager"."""
    return " ".join(" ".join(t.word for t in run) for run in segments(question, split_joiners=False))


def masked(question: str, spans: list[tuple[int, int]]) -> str:
    """The question with each (start, end) span replaced by X, Y, ... (what it asks, not whom about)."""
    text, letters = question, "XYZW"
    for n, (start, end) in sorted(enumerate(spans), key=lambda item: -item[1][0]):
        text = text[:start] + letters[min(n, 3)] + text[end:]
    return text


def subject_stems(question: str, *, cues: bool = False) -> set[str]:
    """Stems of what a question is about, its framing ("how do I become") removed; with `cues`,
    the words that ask something of a job stay ("overtime", "weekends")."""
    kept = set()
    for token in tokens(question):
        word = token.word
        if token.is_break or word in STOP_WORDS or word in LANGUAGE.framing:
            continue
        if cues or _stem(word) not in LANGUAGE.cue_words:
            kept.add(_stem(word))
    return kept - {""}


# The most words of a topic read: each is embedded on its own (the labelled messages' topics have at
# most 14), and a question of 2,000 characters could hold hundreds.
TOPIC_WORDS = 24
# What a ranking can measure: its words say how to rank, not among which jobs.
_MEASURES = ("pay", "outlook", "become", "duration")


def wanted(found: list[Token]) -> list[Token]:
    """The tokens but what is said not to be wanted ("not a desk job", "I'd hate being indoors"):
    from a negation to the end of its clause or a "but"."""
    kept, unwanted = [], False
    for token in found:
        ends = token.is_break or token.word in LANGUAGE.wanted_again
        unwanted = (unwanted or token.word in LANGUAGE.negations) and not ends
        if not unwanted:
            kept.append(token)
    return kept


def topic(question: str, *, facets: bool) -> str:
    """What a search by interest or a ranking is about: "jobs for people who like working outdoors"
    -> "outdoors". Facet words stay with `facets`; without, the words of a measure go ("pays")."""
    kinds = frozenset().union(*(k.cues for k in LANGUAGE.kinds.values()))
    facet_cues = frozenset().union(*(LANGUAGE.facets[f].cues for f in _MEASURES))
    kept, shouted = [], question.isupper()
    for token in wanted(tokens(question)):
        word, stem = token.word, _stem(token.word)
        written_as_initials = len(token.text) > 1 and token.text.isupper() and not shouted  # "IT"
        said = word in STOP_WORDS or word in LANGUAGE.framing or word in LANGUAGE.schooling
        said = said or stem in kinds | LANGUAGE.lowest
        if token.is_break or (said and not written_as_initials):
            continue
        if facets or stem not in facet_cues:
            kept.append(token.text)
    return " ".join(kept[:TOPIC_WORDS])


def said_in(text: str, run: list[Token], by: int = 0) -> str:
    """The words of `text` from the first of `run` to its last (their places shifted by `by`)."""
    return text[run[0].start + by : run[-1].end + by] if run else ""


def inside(token: Token, spans: list[tuple[int, int]], offset: int = 0) -> bool:
    """Is the token (its place shifted by `offset`) within one of the (start, end) spans?"""
    at = token.start + offset
    return any(start <= at < end for start, end in spans)
