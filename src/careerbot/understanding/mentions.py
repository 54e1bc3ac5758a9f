"""The occupations a question mentions: by name, alias or initials, else by meaning.

A name, an alias or their initials ("RN", "LPNs", "OTR drivers") is a sure mention. Other job
phrases ("cops", "the people who fix power lines") are resolved by the occupation finder; how
sure that is comes from how close the phrase is to the occupation's nearest name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
from rapidfuzz import fuzz, process, utils

from careerbot.index.search import SearchIndex
from careerbot.retrieval.occupations import OccupationFinder
from careerbot.text import STOP_WORDS, singular
from careerbot.understanding.language import LANGUAGE
from careerbot.understanding.phrases import Token, tokens

__all__ = [
    "ANSWERABLE",
    "MAX_NAMED",
    "MAX_PHRASES",
    "NOTICED",
    "SURE",
    "Candidate",
    "Mention",
    "NameForms",
    "resolve",
]

# Cosine of a phrase to an occupation's nearest name (MiniLM): from SURE up a phrase is taken as
# that occupation; from ANSWERABLE up it is answered with alternatives offered; from NOTICED up
# it is a job we may not have ("lawyer"), offered as suggestions only; below, not a job at all.
SURE = 0.9
ANSWERABLE = 0.65
NOTICED = 0.5
# Runners-up within this share of the best fused score are near-equal matches ("mechanic").
CLOSE = 0.85
# The fused score (see OccupationFinder) read on the same scale: a name matched exactly scores
# about 3, a clear description of the work 1.5 to 2.5, a phrase that is no job about 1.
FUSED_FLOOR, FUSED_SCALE = 0.2, 2.0
# A match that is not close to a name is still answered when the runner-up scores this share or less.
CLEAR = 0.75
# How alike (rapidfuzz, words in any order) a phrase and a name are when one is the other misspelt.
SPELT = 90
MAX_OTHERS = 3
# The most names, and job phrases, read in one question: each costs an embedding and a search, and a
# question stuffed with them ("RN LPN HVAC OTR ..." to 2,000 characters) stalled every user. The
# labelled messages and test questions name at most 2 and hold at most 11 phrases.
MAX_NAMED, MAX_PHRASES = 8, 16


@dataclass(frozen=True)
class Candidate:
    occupation: str
    source: str


@dataclass(frozen=True)
class Mention:
    """One occupation named or described in a question."""

    occupation: str
    source: str
    confidence: float  # 1.0 for a name, alias or initials; else cosine to its nearest name
    text: str  # the words of the question
    span: tuple[int, int]  # where they are in it
    others: tuple[Candidate, ...] = field(default=(), compare=False)  # near-equal matches, best first

    @property
    def candidate(self) -> Candidate:
        return Candidate(self.occupation, self.source)


class NameForms:
    """Every title and alias of an index in the forms people write them: as written, singular,
    without a hyphen, and as initials ("Licensed Practical Nurse" -> "lpn")."""

    def __init__(self, search: SearchIndex) -> None:
        self.forms: dict[tuple[str, ...], set[int]] = {}
        self.initials: dict[str, set[int]] = {}
        self.spelled: dict[str, str] = {}  # initials -> the words they stand for ("otr" -> "over the road")
        for name, owner in zip(search.names, search.name_owner, strict=True):
            owner = int(owner)
            for form in _forms(name):
                self.forms.setdefault(form, set()).add(owner)
            for letters, head, spelled in _initials(name):
                if head:  # "OTR driver": initials of the words before the head, then the head
                    self.forms.setdefault((letters, head), set()).add(owner)
                else:
                    self.initials.setdefault(letters, set()).add(owner)
                self.spelled.setdefault(letters, spelled)
        self.longest = max((len(f) for f in self.forms), default=1)
        # Initials a profile writes in capitals itself ("RNs"): those are safe in lower case too.
        self.used: dict[int, set[str]] = {}
        owners = {source: i for i, source in enumerate(search.sources)}
        for chunk in search.chunks:
            found = {w.lower().removesuffix("s") for w in re.findall(r"\b[A-Z]{2,5}s?\b", chunk.text)}
            self.used.setdefault(owners[chunk.source], set()).update(found)

    def find(self, run: list[Token]) -> list[tuple[int, int, set[int], bool]]:
        """Names in a run of words, longest first, as (first, end, owners, as written) positions;
        initials in lower case without "a" or "an" before them are not as written: "rn" may be
        "right now"."""
        found, i = [], 0
        while i < len(run):
            for n in range(min(self.longest, len(run) - i), 0, -1):
                owners = self.forms.get(_form([t.word for t in run[i : i + n]]))
                written = True
                if owners is None and n == 1:
                    owners = self._initials(run[i])
                    written = run[i].text.isupper() or (i > 0 and run[i - 1].word in LANGUAGE.articles)
                if owners:
                    found.append((i, i + n, owners, written))
                    i += n
                    break
            else:
                i += 1
        return found

    def spell_out(self, phrase: str) -> str:
        """A job phrase with the initials of our names written in capitals spelt out, for reading
        by meaning ("OTR trucker" -> "over the road trucker": the model doesn't know "OTR")."""
        spelled = [
            self.spelled.get(t.text.removesuffix("s").lower(), t.text)
            if t.text[:2].isupper() and t.word not in LANGUAGE.not_initials
            else t.text
            for t in tokens(phrase)
        ]
        return " ".join(spelled)

    def _initials(self, token: Token) -> set[int] | None:
        word = token.word
        if word in STOP_WORDS or word in LANGUAGE.not_initials or not word.isalpha() or len(word) > 5:
            return None
        capitals = token.text.removesuffix("s")
        letters = word if word in self.initials else word.removesuffix("s")
        owners = self.initials.get(letters)
        if not owners:
            return None
        if capitals.isupper() and len(capitals) >= 2:
            return owners
        return {o for o in owners if letters in self.used.get(o, ())} or None


def _form(words: list[str]) -> tuple[str, ...]:
    """Words as a name form: lower case, the last (the head) singular. Only the head: "securities
    analyst" and "security analyst" are different jobs."""
    return (*(w.lower() for w in words[:-1]), _norm(words[-1])) if words else ()


def _norm(word: str) -> str:
    return singular(word.lower())


def _forms(name: str) -> set[tuple[str, ...]]:
    inside = re.findall(r"\(([^)]*)\)", name)
    bare = re.sub(r"\([^)]*\)", " ", name)
    forms = set()
    for text in [bare, *inside]:
        words = [t.word for t in tokens(text) if not t.is_break]
        if words:
            forms.add(_form(words))
            forms.add(_form([w for word in words for w in word.split("-") if w]))
    return forms


def _initials(name: str) -> set[tuple[str, str, str]]:
    """(initials, "", words) for the whole name, and (initials, head, words) for the words before
    its head; with and without the small words ("Over-the-Road" -> OTR, "Director of Nursing" ->
    DN, DON)."""
    bare = re.sub(r"\([^)]*\)", " ", name)
    every = [w for t in tokens(bare) if not t.is_break for w in t.word.split("-") if w and w[0].isalpha()]
    found = set()
    for words in (every, [w for w in every if w not in STOP_WORDS]):
        if len(words) >= 2:
            found.add(("".join(w[0] for w in words), "", " ".join(words)))
        if len(words) >= 3:
            found.add(("".join(w[0] for w in words[:-1]), _norm(words[-1]), " ".join(words[:-1])))
    return found


def resolve(
    phrase: str,
    vector: np.ndarray,
    search: SearchIndex,
    finder: OccupationFinder,
) -> tuple[float, list[Candidate]]:
    """How sure `phrase` names a job, and the best matches: the first, then the near-equal ones.

    Sureness is the cosine to the best match's nearest name ("cops" ~ "police officer"), or what
    the fused score says when the phrase describes the work rather than names it ("people who
    fix power lines" is far from every name, yet its passages and words single one out).
    """
    ranked = finder.rank(phrase, vector, limit=1 + MAX_OTHERS)
    best = ranked[0]
    own = search.names_of[finder.owner(best.source)]
    names = search.name_vectors[own] @ vector
    # Only a name makes a match sure: a description that singles out one job is answered, with the
    # runners-up offered.
    described = min((best.score - FUSED_FLOOR) / FUSED_SCALE, SURE - 0.01)
    confidence = max(float(names.max()) if len(names) else 0.0, described)
    written = [search.names[i] for i in own]
    spelt = process.extractOne(
        phrase, written, scorer=fuzz.token_sort_ratio, processor=utils.default_process, score_cutoff=SPELT
    )
    if spelt:
        confidence = max(confidence, SURE)  # a name misspelt ("electrisian") or reordered
    elif confidence >= NOTICED and len(ranked) > 1 and ranked[1].score <= CLEAR * best.score:
        confidence = max(confidence, ANSWERABLE)  # far from every name, but one job stands out
    # Sure: only near-equal runners-up are worth offering; not sure: the next few all are.
    others = [m for m in ranked[1:] if confidence < SURE or m.score >= CLOSE * best.score]
    return round(confidence, 4), [Candidate(m.occupation, m.source) for m in [best, *others]]
