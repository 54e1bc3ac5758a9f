"""From a question and what the dialog is about to a `Query`: what kind of question, about whom,
asking what. The one place where questions are understood."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

import numpy as np
from langchain_core.embeddings import Embeddings
from price_parser import Price

from careerbot.index.search import SearchIndex
from careerbot.retrieval.occupations import OccupationFinder, role_and_field
from careerbot.retrieval.retriever import one_blas_thread
from careerbot.text import singular, stem, stems
from careerbot.understanding.language import FACETS, LANGUAGE, Facet, facet_of
from careerbot.understanding.learned import Labeller
from careerbot.understanding.meaning import embed, examples_for
from careerbot.understanding.mentions import (
    ANSWERABLE,
    MAX_NAMED,
    MAX_PHRASES,
    NOTICED,
    SURE,
    Candidate,
    Mention,
    NameForms,
    resolve,
)
from careerbot.understanding.phrases import (
    Token,
    inside,
    job_phrase,
    masked,
    said_in,
    segments,
    tokens,
    topic,
    wanted,
)
from careerbot.understanding.situation import Situation
from careerbot.understanding.titles import Phrase, Titles

__all__ = ["DialogState", "Query", "QueryKind", "Reader"]

QueryKind = Literal[
    "single",  # one occupation (named, or the one in focus)
    "compare",  # several occupations side by side
    "explore",  # occupations that fit an interest, trait or field
    "rank",  # occupations ordered by a figure (highest paid, fastest growing)
    "greeting",  # hello, thanks, bye
    "offtopic",  # not a career question, or nothing we can read
    "empty",
]

# A facet is taken as asked when its score (nearest examples plus cues) reaches this.
FACET_MIN = 0.5
# A kind (explore, rank, ...) beats the best facet by this margin to change what is asked.
KIND_MARGIN = 0.02
# ... or when, its job phrases masked, it reads this much as one about a job, and as written, no
# more than SLACK more off-topic than a career question ("what does a ... do?").
JOB_FRAME, SLACK = 0.7, 0.05
# As written, this much more off-topic than any career question, and no job named: another kind of
# request ("a recipe for lasagna" is no question about chefs).
ASIDE = 0.12
# Below this, a question asks nothing of a job, nor for a list (a compare of two named jobs reads 0.3).
ASKED_MIN = 0.4
# Parts joined by "and", "or" are several jobs when each is this near as sure as the whole.
SPLIT_SLACK = 0.1
# Below this, "hi" and "thanks" are too far to be a greeting (gibberish is near every label).
GREETING_MIN = 0.5
# A message's situation is read in at most this many of its clauses (each is embedded).
_CLAUSES = 4
# Below this, nothing reads as a search by interest (gibberish is near no example).
EXPLORE_MIN = 0.55


@dataclass(frozen=True)
class DialogState:
    """What a conversation is about after a turn."""

    focus: tuple[Candidate, ...] = ()  # the occupation(s) of the last answer
    listed: tuple[Candidate, ...] = ()  # the last list: "the second one" picks from it
    facet: str | None = None  # the last thing asked ("pay"), carried to "what about X?"
    recent: tuple[Candidate, ...] = ()  # occupations discussed one by one, latest first
    situation: Situation = field(
        default_factory=Situation
    )  # what the person has said about themselves, until changed

    def after(self, query: Query, occupations: tuple[Candidate, ...]) -> DialogState:
        """The state once `query` was answered about `occupations`."""
        situation = self.situation.updated(query.situation)
        if query.kind in ("greeting", "offtopic", "empty"):
            return replace(self, situation=situation)
        facet = query.facet.name if query.facet else self.facet
        if query.kind == "single":
            recent = tuple(dict.fromkeys([*occupations[:1], *self.recent]))[:2]
            listed = (*occupations[:1], *query.alternatives) if query.alternatives else self.listed
            return DialogState(occupations[:1], listed, facet, recent, situation)
        if query.kind == "compare":
            return DialogState(occupations, occupations, facet, self.recent, situation)
        # Explore, rank: the first listed is what "does that one ..." means next.
        return DialogState(occupations[:1], occupations, facet, self.recent, situation)


@dataclass(frozen=True)
class Query:
    """A question as understood."""

    text: str
    kind: QueryKind
    mentions: tuple[Mention, ...] = ()  # the occupations it is about, in the order given
    facet: Facet | None = None  # what it asks about them; None: an overview
    topic: str = ""  # explore and rank: the interest or field ("science", "healthcare")
    # explore and rank: the topic, then each of its words, widened by the field of work they name
    interests: tuple[str, ...] = ()
    lowest: bool = False  # rank: lowest first
    min_pay: int | None = None  # rank: only jobs stated to pay at least this a year
    without_degree: bool = False  # rank and explore: only jobs open without a degree
    among_listed: bool = False  # rank: among the jobs of the last list ("which of those ...")
    situation: Situation = field(default_factory=Situation)  # what it says of the person ("I faint at blood")
    asks: tuple[str, ...] = ()  # the profile attributes it asks about ("nights", "duration")
    alternatives: tuple[Candidate, ...] = ()  # other occupations it may mean
    follow_up: bool = False  # about the occupation(s) already in focus
    scores: dict[str, float] = field(default_factory=dict, repr=False, compare=False)

    @property
    def occupations(self) -> tuple[Candidate, ...]:
        return tuple(m.candidate for m in self.mentions)


class Reader:
    """Understands questions about the occupations of one search index."""

    def __init__(
        self,
        search: SearchIndex,
        finder: OccupationFinder,
        embeddings: Embeddings,
        labeller: Labeller | None = None,
    ) -> None:
        self.search = search
        self.labeller = labeller
        self.finder = finder
        self.embeddings = embeddings
        self.names = NameForms(search)
        self.titles = Titles(search, finder, self.names, embeddings)

    def read(self, question: str, state: DialogState | None = None) -> Query:
        """What `question` asks, given the dialog so far."""
        with one_blas_thread():
            return self._read(question, state or DialogState())

    def _read(self, question: str, state: DialogState) -> Query:
        text = " ".join(question.split())
        words = [t for t in tokens(text) if not t.is_break]
        if not words:  # nothing we can read: nothing at all, or only another script
            return Query(text, "offtopic" if any(ch.isalnum() for ch in text) else "empty")
        named, runs = self._mentions(text, searching=_needs(words, "explore"))
        titles = [self.titles.around(text, m, named) for m in named]
        titled = [t for t in titles if t is not None]
        phrases = [p for whole, parts in runs for p in [whole, *parts]]
        spans = [m.span for m in named] + [whole[0] for whole, _ in runs]
        # Masked, the question says what it asks; as written, whether it is a career question at
        # all. One batch with the job phrases and their fields (which the finder embeds next).
        said = [self.names.spell_out(p) for _, p in phrases]  # read by meaning with initials spelt out
        # The person's situation and what is asked of a job: read in the message and each clause.
        clauses = [text, *_clauses(text)] if self.labeller else []
        fields = [f for p in [*(p for _, p in titled), *said] if (f := role_and_field(p)[1])]
        vectors = embed(
            self.embeddings,
            [
                masked(text, spans),
                text,
                *said,
                *(p for _, p in titled),
                *fields,
                *clauses,
            ],
        )
        resolved = {p: self._resolve(p, said[n], vectors[2 + n]) for n, p in enumerate(phrases)}
        title_vectors = iter(vectors[2 + len(phrases) :])
        named = [
            m if t is None else self.titles.read(m, t, next(title_vectors))
            for m, t in zip(named, titles, strict=True)
        ]
        found = []
        for whole, parts in runs:
            # "plumbers or electricians" is two jobs when each part is a better match than the whole.
            split = [resolved[p] for p in parts]
            lowest = min((m.confidence for m in split), default=0.0)
            # ... or each is a different job, near as sure as the whole ("a carpentry apprenticeship
            # and an electrical one"), unless the whole is a title ("paint and varnish mixer").
            apart = len({m.source for m in split}) == len(split) and resolved[whole].confidence < SURE
            better = (
                split
                and lowest >= ANSWERABLE
                and (
                    lowest >= resolved[whole].confidence
                    or (apart and lowest >= resolved[whole].confidence - SPLIT_SLACK)
                )
            )
            found += split if better else [resolved[whole]]
        found = [self.titles.kernel(m) if m.confidence >= ANSWERABLE else m for m in found]
        mentions = _corrected(
            text, sorted(named + [m for m in found if m.confidence >= ANSWERABLE], key=_place)
        )
        mentions = _distinct(mentions)
        weak = [m for m in found if NOTICED <= m.confidence < ANSWERABLE]
        faint = [m for m in found if m.confidence < NOTICED]
        # Only the jobs are masked: a clause that names none, and the words after a job's kernel,
        # are part of what is asked.
        jobs = [m.span for m in named] + [m.span for m in found if m.confidence >= NOTICED]
        if mentions and sorted(jobs) != sorted(spans):
            vectors[0] = embed(self.embeddings, [masked(text, jobs)])[0]
        examples = examples_for(self.embeddings)
        masked_scores, plain = examples.scores(vectors[0], text), examples.scores(vectors[1], text)
        # What is asked of a job: read with the job masked, if there is one. Whether it is a career
        # question at all: read as written. Interests and rankings: either reading.
        scores = masked_scores if mentions else plain
        scores |= {kind: plain[kind] for kind in ("greeting", "offtopic")}
        scores |= {kind: max(masked_scores[kind], plain[kind]) for kind in ("explore", "rank")}
        # The words around the job phrases ask about a job ("what does X do?") more than for work by
        # interest ("jobs with X"), and the question as written reads as a career one.
        asked = max(masked_scores[f] for f in FACETS)
        career = max(plain[k] for k in (*FACETS, "explore", "rank"))
        frame = asked >= JOB_FRAME and asked > masked_scores["explore"] and plain["offtopic"] < career + SLACK
        # Another kind of request: off-topic as written, around its job phrases as well (a title
        # alone, however strange, is no request).
        phrased = [m.span for m in [*named, *found]]
        around = [t for t in tokens(masked(text, phrased)) if not t.is_break and len(t.word) > 1]
        aside = plain["offtopic"] > career + ASIDE and not frame and bool(around)
        # ... or one phrase near a job's work, in words that ask nothing of a job ("reply 'I have
        # been hacked'"): "hacked" is no question about security analysts.
        unasked = max(scores[k] for k in (*FACETS, "explore", "rank", "compare")) < ASKED_MIN
        aside = aside or (len(mentions) == 1 and bool(around) and unasked)
        labels = self.labeller.read(clauses, vectors[len(vectors) - len(clauses) :]) if self.labeller else ()
        # Asking whether a job has something ("do they work nights?") says nothing of the person.
        asked = {label[5:] for label in labels if label.startswith("asks:")}
        situation = Situation.of(label for label in labels if label.partition(":")[2] not in asked)
        query = self._decide(text, words, state, scores, mentions, weak, faint, frame, aside, situation)
        query = _referred(query, state, labels, words, _facet(scores) or _cued_facet(words, scores))
        query = _counselled(query, state, words, situation, asked=bool(asked))
        query = replace(
            query, situation=situation, asks=tuple(a[5:] for a in labels if a.startswith("asks:"))
        )
        if query.kind == "explore":
            query = replace(query, without_degree=situation.no_degree)
        if query.kind == "rank":
            query = replace(query, **_ranking(text, words), without_degree=situation.no_degree)
            # "Which could I start soonest?": by the stated training, unless another figure is asked.
            measured = query.facet is not None and query.facet.measure not in ("", "education", "training")
            if not measured and any(t.word in LANGUAGE.soonest for t in words):
                query = replace(query, facet=FACETS["duration"], lowest=True)
        if query.without_degree:  # "no degree" says which jobs are open, not among which or by what
            measure = query.facet.measure if query.facet else ""
            query = replace(
                query,
                topic=topic(_unsaid(text, (*LANGUAGE.no_degree, *_sure(query.mentions))), facets=False),
                facet=None if measure == "education" else query.facet,
            )
        if query.topic and query.kind in ("explore", "rank"):
            interests = self._interests(query.topic)
            query = replace(query, interests=interests, topic=query.topic if interests else "")
        return replace(query, scores=scores)

    def _interests(self, topic: str) -> tuple[str, ...]:
        """The topic and (if several) those of its words that name a field of work, each with that
        field: a word near no field ("finished", "handy") is how it was said, not what is wanted."""
        content = [w for w in topic.split() if stems(w)]
        parts = [topic, *content] if len(content) > 1 else [topic]
        examples = examples_for(self.embeddings)
        vectors = embed(self.embeddings, parts)
        fields = [examples.field(v) or _field_by_initials(p) for p, v in zip(parts, vectors, strict=True)]
        if len(parts) > 1 and not any(fields):  # several words, none near a field: no interest told
            return ()
        return tuple(
            f"{part}: {field}" if field else part
            for n, (part, field) in enumerate(zip(parts, fields, strict=True))
            if n == 0 or field
        )

    def search_terms(self, question: str) -> tuple[str, Facet | None]:
        """The job phrase of a question and the facet it asks: what retrieval alone needs."""
        phrase = job_phrase(question) or question
        spans = [_span(run) for run in segments(question, split_joiners=False)]
        with one_blas_thread():
            vector = embed(self.embeddings, [masked(question, spans)])[0]
            return phrase, _facet(examples_for(self.embeddings).scores(vector, question))

    # -- who is mentioned ------------------------------------------------------------------
    def _mentions(
        self, text: str, *, searching: bool
    ) -> tuple[list[Mention], list[tuple[Phrase, list[Phrase]]]]:
        """Sure mentions (names, aliases, initials), and the other job phrases: each whole, and its
        parts where "and", "or", "vs" join several. What is said not to be wanted names no job
        ("not a desk job"); when `searching` for work, not even by name ("I don't want to be a
        math teacher, what careers ...?")."""
        kept = {t.start for t in wanted(tokens(text))}
        sure: list[Mention] = []
        clause: list[Token] = []
        for token in [*tokens(text), None]:
            if token is not None and not token.is_break:
                clause.append(token)
                continue
            for first, end, owners, written in self.names.find(clause)[: MAX_NAMED - len(sure)]:
                sure.append(self._named(text, clause[first:end], owners, written))
            clause = []
        if searching:
            sure = [m for m in sure if m.span[0] in kept]
        taken = [m.span for m in sure]
        runs: list[tuple[Phrase, list[Phrase]]] = []
        for run in segments(text, split_joiners=False):
            if not any(t.start in kept for t in run):
                continue
            start = run[0].start
            parts = [
                (_offset(_span(p), start), said_in(text, p, start))
                for p in segments(said_in(text, run))
                if not any(inside(t, taken, start) for t in p)
            ]
            if any(inside(t, taken) for t in run):
                # A named job's run: other words are qualifiers ("in a factory") unless joined on.
                runs += [(part, []) for part in parts if len(parts) > 0 and _joined(run, part, taken)]
            else:
                runs.append(((_span(run), said_in(text, run)), parts if len(parts) > 1 else []))
        return sure, _few(runs)

    def _named(self, text: str, run: list[Token], owners: set[int], written: bool) -> Mention:
        search = self.search
        ranked = sorted(owners, key=lambda o: search.occupations[o])
        candidates = [Candidate(search.occupations[o], search.sources[o]) for o in ranked]
        best, *others = candidates
        confidence = 1.0 if written else SURE  # "rn": a job, unless the question reads otherwise
        return Mention(
            best.occupation, best.source, confidence, said_in(text, run), _span(run), tuple(others)
        )

    def _resolve(self, phrase: Phrase, said: str, vector: np.ndarray) -> Mention:
        """The occupation a job phrase is closest to, read as `said` (its initials spelt out), whose
        embedding `vector` is."""
        span, text = phrase
        confidence, (best, *others) = resolve(said, vector, self.search, self.finder)
        return Mention(best.occupation, best.source, confidence, text, span, tuple(others))

    # -- what kind of question -------------------------------------------------------------
    def _decide(
        self,
        text: str,
        words: list[Token],
        state: DialogState,
        scores: dict[str, float],
        mentions: list[Mention],
        weak: list[Mention],
        faint: list[Mention],
        frame: bool,
        aside: bool,
        situation: Situation,
    ) -> Query:
        facet = _facet(scores) or _cued_facet(words, scores)
        asks = max(scores[f] for f in FACETS)  # how much it reads as a question about one job
        kinds = {k: scores[k] for k in ("explore", "rank", "compare", "carry")}
        named = any(m.confidence >= 1.0 for m in mentions)  # by name, alias or initials

        picked = self._ordinal(words, state) if not mentions else None
        if picked is not None:
            return Query(text, "single", (picked,), facet or _carried(state), follow_up=True)
        if aside and not named:  # another kind of request ("a recipe for lasagna")
            return Query(text, "offtopic")
        if not mentions and not weak and _social(scores, asks, words):
            greeting = scores["greeting"] > max(scores["offtopic"], GREETING_MIN)
            return Query(text, "greeting" if greeting else "offtopic")
        if len(mentions) >= 2:  # "which of X, Y and Z pays best" ranks them; two are compared
            ranked = len(mentions) > 2 and _has_cue(words, "rank") and kinds["rank"] >= EXPLORE_MIN
            return Query(text, "rank" if ranked else "compare", tuple(mentions), facet)
        # A ranking's measure is a facet ("the worst outlook"): with no job named, it need not win.
        measured = facet is not None and bool(facet.measure) and not named
        ranked = kinds["rank"] >= EXPLORE_MIN and (kinds["rank"] > asks + KIND_MARGIN or measured)
        if ranked and _has_cue(words, "rank") and not named:
            # A job the ranking is sure of is no field ("fastest growing career rn"): all are ranked.
            among = _unsaid(text, _sure(mentions))
            return Query(text, "rank", tuple(mentions), facet, topic=topic(among, facets=False))
        # An unfamiliar title in a job's frame ("what does a ... do?", "work as a ..."), not an interest.
        unsure = weak or faint
        if not (mentions or state.focus) and unsure and frame and _one_person(text, unsure):
            return _closest(text, unsure, facet)
        interest = topic(text, facets=True) if _needs(words, "explore") else ""
        searched = interest and kinds["explore"] >= EXPLORE_MIN and not named
        # Or the one job phrase is a field, and the question asks no related jobs ("jobs related to
        # accounting" are an accountant's).
        related = facet is not None and facet.name == "related" and _has_facet_cue(words, facet)
        if searched and (
            kinds["explore"] > asks + KIND_MARGIN or (not related and self._field_named(text, mentions))
        ):
            return Query(text, "explore", facet=facet, topic=interest)
        if mentions:
            (mention,) = mentions
            if facet is None or kinds["carry"] > scores[facet.name]:
                facet = _carried(state) if kinds["carry"] > asks else facet
            alternatives = mention.others if mention.confidence < 1.0 or mention.others else ()
            return Query(text, "single", (mention,), facet, alternatives=alternatives[:3])
        # No job named for sure: one we may not have, a follow-up on the focus, a comparison of the
        # last two, or not a career question.
        # A job we may have no profile for: the closest, said to be so, and the others; unless the
        # question points back at the job(s) in focus ("which one is growing faster?").
        if weak and not (state.focus and _refers(words)):
            return _closest(text, weak, facet)
        if scores["offtopic"] > asks and not _refers(words) and not _cued(words):
            return Query(text, "offtopic")
        if len(state.focus) >= 2 or (kinds["compare"] >= asks and len(state.recent) >= 2):
            pair = state.focus if len(state.focus) >= 2 else tuple(reversed(state.recent))
            return Query(text, "compare", tuple(_recalled(c) for c in pair), facet, follow_up=True)
        if state.focus and (facet is not None or _refers(words)):
            return Query(text, "single", (_recalled(state.focus[0]),), facet, follow_up=True)
        # Work asked for, no job named, nothing in focus: a search by what the person wants.
        if interest and kinds["explore"] > scores["offtopic"]:
            return Query(text, "explore", facet=facet, topic=interest)
        return Query(text, "offtopic")

    def _field_named(self, text: str, mentions: list[Mention]) -> bool:
        """Is the one job phrase a field of work ("jobs in aviation"), not a job that is in it? A
        title ends in a job's head noun ("aviation mechanic"), or is one person ("a ...")."""
        if len(mentions) != 1 or _one_person(text, mentions):
            return False
        if singular(mentions[0].text.split()[-1].lower()) in self.titles.heads:
            return False
        vector = embed(self.embeddings, [mentions[0].text])[0]
        return examples_for(self.embeddings).field(vector) is not None

    def _ordinal(self, words: list[Token], state: DialogState) -> Mention | None:
        """ "the second one", "the latter", "the other one": an item of the last list."""
        if not state.listed:
            return None
        said = [t.word for t in words]
        for at in range(len(said)):
            place = LANGUAGE.ordinals.get(tuple(said[at : at + 2])) or LANGUAGE.ordinals.get((said[at],))
            chosen = _pick(place, state) if place else None
            if chosen is not None:
                return _recalled(chosen)
        return None


def _referred(
    query: Query, state: DialogState, labels: Sequence[str], words: list[Token], asked_facet: Facet | None
) -> Query:
    """What the learned reading of a pointing-back message changes ("ref:choose": "which one pays
    more?" picks among the jobs just listed; "ref:more": "tell me more about that one" is an overview
    of the job in focus, not the facet asked before; "asks:...": "would I be away a lot?" asks it of
    the job in focus), when it names no job of its own for sure."""
    asked = [label[5:] for label in labels if label.startswith("asks:")]
    unsure = all(m.confidence < SURE for m in query.mentions) and (not query.mentions or _refers(words))
    if asked and state.focus and unsure and query.kind in ("single", "offtopic", "explore", "greeting"):
        facet = facet_of(asked)
        if query.kind == "single" and query.follow_up and query.facet is not None:
            facet = query.facet
        return Query(query.text, "single", (_recalled(state.focus[0]),), facet, follow_up=True)
    # "Is that paid more than a welder?": the one job named, set against the one in focus.
    if (
        query.kind == "single"
        and not query.follow_up
        and state.focus
        and query.occupations[0].source != state.focus[0].source
        and _refers(words)
        and any(t.word in LANGUAGE.against for t in words)
    ):
        return Query(query.text, "compare", (_recalled(state.focus[0]), *query.mentions), query.facet)
    if query.mentions and not query.follow_up:
        return query
    if "ref:choose" in labels and len(state.listed) > 1 and query.kind != "compare":
        return Query(query.text, "rank", facet=query.facet, among_listed=True)
    if "ref:more" in labels and state.focus and query.kind in ("single", "offtopic", "greeting"):
        about = query.mentions or (_recalled(state.focus[0]),)
        return Query(query.text, "single", tuple(about), asked_facet, follow_up=True)
    return query


def _counselled(
    query: Query, state: DialogState, words: list[Token], situation: Situation, *, asked: bool = False
) -> Query:
    """What the person's situation and the last list change: "which of those ..." ranks the jobs
    just listed; a situation told with no job named for sure, and nothing else asked or work asked
    for, gets what fits it (the job phrase was their background: "hurt my back in a warehouse")."""
    among = len(state.listed) > 1 and any(t.word in LANGUAGE.plural_pronouns for t in words)
    if (
        state.listed
        and not (query.mentions and not query.follow_up)
        and ((query.kind in ("rank", "explore") and _refers(words)) or (query.kind == "single" and among))
    ):
        return Query(query.text, "rank", facet=query.facet, among_listed=True)
    # Work asked for with nothing else said ("what else could I do?"): what fits what was told before.
    asking = (
        not query.mentions and query.kind == "offtopic" and bool(state.situation) and _needs(words, "explore")
    )
    # More told of the situation after a list ("I'd rather be indoors, though"), nothing asked of
    # a job: what fits now.
    refined = query.follow_up and bool(situation) and not asked and len(state.listed) > 1
    if refined and query.kind == "single" and not _refers(words):
        return Query(query.text, "explore")
    if not (situation or asking) or query.follow_up:
        return query
    # Told with a situation, a job phrase not read for sure is background ("framing houses for 25
    # years", "my high school diploma") when work is asked for.
    unsure = all(m.confidence < SURE for m in query.mentions) and _needs(words, "explore")
    # ... and a phrase that is no job we know of is the story itself ("I crave adrenaline").
    unsure = unsure or all(m.confidence < ANSWERABLE for m in query.mentions)
    if (not query.mentions and query.kind in ("offtopic", "greeting")) or (
        query.mentions and query.kind in ("single", "compare") and unsure
    ):
        return Query(query.text, "explore", facet=query.facet, topic=topic(query.text, facets=True))
    return query


def _clauses(text: str) -> list[str]:
    """The sentences and clauses of a longer message ("..., but ..."), when it has several."""
    parts = [p.strip() for p in re.split(r"[.!?;:—–]+|,?\s+but\s+", text) if len(p.split()) >= 2]
    return parts[:_CLAUSES] if len(parts) > 1 else []


def _closest(text: str, found: list[Mention], facet: Facet | None) -> Query:
    """The closest profile to a job we may not have, with the next ones offered."""
    best = max(found, key=lambda m: m.confidence)
    return Query(text, "single", (best,), facet, alternatives=best.others[:3])


def _one_person(text: str, found: list[Mention]) -> bool:
    """The likeliest job phrase follows "a" or "an": one person, not an interest ("animals")."""
    best = max(found, key=lambda m: m.confidence)
    before = text[: best.span[0]].lower().split()
    return bool(before) and before[-1] in LANGUAGE.articles


def _corrected(text: str, mentions: list[Mention]) -> list[Mention]:
    """ "X... I mean Y": the job named just before a correction is taken back, when one follows it."""
    lowered = text.lower()
    found = [(lowered.rfind(p), len(p)) for p in LANGUAGE.corrections if p in lowered]
    if not found:
        return mentions
    start, length = max(found)
    before = [m for m in mentions if m.span[1] <= start]
    # Taken back only when named right before it ("bakers... I mean"), not a clause earlier.
    if not before or len(text[before[-1].span[1] : start].split()) > 1:
        return mentions
    if not any(m.span[0] >= start + length for m in mentions):
        return mentions
    return [m for m in mentions if m is not before[-1]]


def _field_by_initials(part: str) -> str | None:
    """The field whose description writes these initials ("IT"): to an uncased model they are a
    small word ("it"), near no field."""
    if not (len(part) > 1 and part.isupper() and part.isalpha()):
        return None
    return next((f for f in LANGUAGE.fields.values() if re.search(rf"\b{part}\b", f)), None)


def _sure(mentions: Sequence[Mention]) -> tuple[str, ...]:
    return tuple(m.text for m in mentions if m.confidence >= SURE)


def _unsaid(text: str, phrases: tuple[str, ...]) -> str:
    """`text` without any of `phrases` (in any case)."""
    for phrase in phrases:
        text = re.sub(rf"\b{re.escape(phrase)}\b", " ", text, flags=re.I)
    return text


def _ranking(text: str, words: list[Token]) -> dict[str, object]:
    """How a ranking is ordered and limited: lowest first, a pay floor."""
    floor = None
    if any(t.word in LANGUAGE.floor for t in words):
        price = Price.fromstring(re.sub(r"(\d)\s*k\b", r"\g<1>000", text, flags=re.I))
        floor = int(price.amount) if price.amount and price.amount >= 1000 else None
    return {"lowest": any(stem(t.word) in LANGUAGE.lowest for t in words), "min_pay": floor}


def _facet(scores: dict[str, float]) -> Facet | None:
    name = max(FACETS, key=lambda f: scores[f])
    return FACETS[name] if scores[name] >= FACET_MIN else None


def _carried(state: DialogState) -> Facet | None:
    return FACETS.get(state.facet or "")


def _social(scores: dict[str, float], asks: float, words: list[Token]) -> bool:
    # A search by interest must ask for work: a question all job phrase, masked, is just "X",
    # which is near "X jobs" whatever it was.
    explore = scores["explore"] if _needs(words, "explore") else 0.0
    return max(scores["greeting"], scores["offtopic"]) > max(asks, explore, scores["rank"])


def _has_cue(words: list[Token], kind: str) -> bool:
    # An adverb is no cue, whatever its stem ("mostly" is not "most").
    return any(stem(t.word) in LANGUAGE.kinds[kind].cues for t in words if not t.word.endswith("ly"))


def _has_facet_cue(words: list[Token], facet: Facet) -> bool:
    return any(stem(t.word) in facet.cues for t in words)


def _cued(words: list[Token]) -> bool:
    """Does it use a word that asks about a job ("overtime", "salary")?"""
    return _cued_facet(words, {}) is not None


def _cued_facet(words: list[Token], scores: dict[str, float]) -> Facet | None:
    """The best scored facet whose cue words the question uses, if any."""
    asked = {stem(t.word) for t in words}
    cued = [f for f in FACETS.values() if asked & f.cues]
    return max(cued, key=lambda f: scores.get(f.name, 0.0)) if cued else None


def _needs(words: list[Token], kind: str) -> bool:
    needs = LANGUAGE.kinds[kind].needs
    said = f" {' '.join(t.word for t in words)} "
    return not needs or any(f" {need} " in said for need in needs)


def _refers(words: list[Token]) -> bool:
    """Does it point back ("they", "that", "the other one")?"""
    return any(t.word in LANGUAGE.pronouns or (t.word,) in LANGUAGE.ordinals for t in words)


_PLACES = ("first", "second", "third", "fourth", "fifth")


def _pick(place: str, state: DialogState) -> Candidate | None:
    listed = state.listed
    if place in _PLACES:
        at = _PLACES.index(place)
        return listed[at] if at < len(listed) else None
    if place == "last":
        return listed[-1]
    others = [c for c in listed if c not in state.focus]
    return others[0] if others else None


def _recalled(candidate: Candidate) -> Mention:
    return Mention(candidate.occupation, candidate.source, 1.0, "", (0, 0))


def _distinct(mentions: list[Mention]) -> list[Mention]:
    seen: dict[str, Mention] = {}
    for mention in mentions:
        seen.setdefault(mention.source, mention)
    return list(seen.values())


def _joined(run: list[Token], part: Phrase, taken: list[tuple[int, int]]) -> bool:
    """Is this part of a run joined to a named job by "and", "or", "vs" (not a qualifier)?"""
    between = [
        t.word
        for t in run
        if any(s[1] <= t.start < part[0][0] or part[0][1] <= t.start < s[0] for s in taken)
    ]
    return any(w in LANGUAGE.joiners for w in between)


def _place(mention: Mention) -> int:
    return mention.span[0]


def _span(run: list[Token]) -> tuple[int, int]:
    return (run[0].start, run[-1].end)


def _offset(span: tuple[int, int], by: int) -> tuple[int, int]:
    return (span[0] + by, span[1] + by)


def _few(runs: list[tuple[Phrase, list[Phrase]]]) -> list[tuple[Phrase, list[Phrase]]]:
    """The first job phrases, until MAX_PHRASES of them (a run's parts count too) are read. (Each is
    kept, even said twice: a phrase left unmasked changes what the question reads as asking.)"""
    kept: list[tuple[Phrase, list[Phrase]]] = []
    room = MAX_PHRASES
    for whole, parts in runs:
        if room < 1:
            break
        parts = parts if len(parts) < room else []  # all or none: whether to split weighs them all
        kept.append((whole, parts))
        room -= 1 + len(parts)
    return kept
