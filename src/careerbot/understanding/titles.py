"""Where a job's title starts and ends around the words that name it.

A name may stand in a longer title ("piano instructor", "painter helper"): the title is read by
meaning, and the name's own occupations are offered. A long job phrase may go on with what is
asked ("graphic design jobs going away"): only its kernel, the fewest opening words that still
mean the same job, is masked when the question is read.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from langchain_core.embeddings import Embeddings

from careerbot.index.search import SearchIndex
from careerbot.retrieval.occupations import OccupationFinder
from careerbot.text import STOP_WORDS, singular, stem
from careerbot.understanding.language import LANGUAGE
from careerbot.understanding.meaning import embed
from careerbot.understanding.mentions import Candidate, Mention, NameForms, resolve
from careerbot.understanding.phrases import inside, said_in, tokens

__all__ = ["Phrase", "Titles", "after_correction"]

# A job phrase: its (start, end) in the question, and its words.
Phrase = tuple[tuple[int, int], str]

# A job phrase's kernel: at most this many opening words, as sure of the same job within the slack.
KERNEL_WORDS, KERNEL_SLACK = 4, 0.05
# A title reaches at most this many words before a name and after it: each title is embedded and
# searched, and a title is a few words ("piano instructor", "painter crew helper").
TITLE_WORDS = 4


class Titles:
    """Titles around names, and kernels of long phrases, over one search index."""

    def __init__(
        self, search: SearchIndex, finder: OccupationFinder, names: NameForms, embeddings: Embeddings
    ) -> None:
        self.search = search
        self.finder = finder
        self.names = names
        self.embeddings = embeddings
        self.heads = frozenset(search.heads)  # every name's head noun ("helper", "instructor")

    def around(self, text: str, mention: Mention, named: list[Mention]) -> Phrase | None:
        """The title a name stands in, when the finder should read it: with the words just before
        it ("piano instructor") and a job's head noun after it ("painter helper"), or the name
        alone when several jobs share it."""
        taken = [m.span for m in named]
        start, end = mention.span
        said = after_correction(text, start)
        for token in reversed([t for t in tokens(text[:start]) if not inside(t, taken)][-TITLE_WORDS:]):
            word = token.word
            plain = word in STOP_WORDS or word in LANGUAGE.framing or word in LANGUAGE.joiners
            plain = plain or stem(word) in LANGUAGE.kinds["rank"].cues  # "fastest": how to rank, no title
            if token.is_break or plain or token.start < said or text[token.end : start].strip():
                break
            start = token.start
        last = end  # then on to the last head noun of the words that follow ("painter crew helper")
        for token in tokens(text[end:])[:TITLE_WORDS]:
            at, word = mention.span[1] + token.start, token.word
            plain = word in STOP_WORDS or word in LANGUAGE.framing or word in LANGUAGE.joiners
            if token.is_break or plain or text[last:at].strip():
                break
            last = mention.span[1] + token.end
            if singular(word) in self.heads:
                end = last
        if (start, end) != mention.span:
            return (start, end), text[start:end]
        return (mention.span, mention.text) if mention.others else None

    def read(self, mention: Mention, title: Phrase, vector: np.ndarray) -> Mention:
        """A name read in its title. A longer title is resolved like any job phrase, the name's
        occupations offered when the title is closer to another; a name several jobs share goes
        to the one the finder ranks first."""
        span, phrase = title
        named = [mention.candidate, *mention.others]
        if span == mention.span:
            ranked = [Candidate(m.occupation, m.source) for m in self.finder.rank(phrase, vector, limit=20)]
            own = [c for c in ranked if c in named] + [c for c in named if c not in ranked]
            return replace(mention, occupation=own[0].occupation, source=own[0].source, others=tuple(own[1:]))
        confidence, (best, *others) = resolve(phrase, vector, self.search, self.finder)
        offered = [c for c in dict.fromkeys([*named, *others]) if c != best]
        return Mention(best.occupation, best.source, confidence, phrase, span, tuple(offered))

    def kernel(self, mention: Mention) -> Mention:
        """A long job phrase narrowed to its fewest opening words that still mean its occupation
        ("graphic design jobs going away": "graphic design"), so what follows is read as asked."""
        run = [t for t in tokens(mention.text) if not t.is_break]
        if len(run) < 3:
            return mention
        # Up to a word before the first "and", "or": "CDL and start driving semis" is one phrase.
        joined = next((n for n, t in enumerate(run) if t.word in LANGUAGE.joiners), len(run) + 1)
        longest = min(len(run) - 1, KERNEL_WORDS, joined - 2)
        openings = [said_in(mention.text, run[:n]) for n in range(1, longest + 1)]
        said = [self.names.spell_out(o) for o in openings]
        for n, (opening, vector) in enumerate(zip(said, embed(self.embeddings, said), strict=True), 1):
            confidence, (best, *_) = resolve(opening, vector, self.search, self.finder)
            if best == mention.candidate and confidence >= mention.confidence - KERNEL_SLACK:
                return replace(mention, span=(mention.span[0], mention.span[0] + run[n - 1].end))
        return mention


def after_correction(text: str, before: int) -> int:
    """Where the last correction ("... I mean") before `before` ends: no title reaches back past it."""
    lowered = text[:before].lower()
    return max((lowered.rfind(p) + len(p) for p in LANGUAGE.corrections if p in lowered), default=0)
