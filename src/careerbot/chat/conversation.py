"""A conversation: each question is read in the light of the dialog so far, then answered.

The reader (understanding) says what a question is: about one occupation, several to compare,
an interest to explore, a ranking, a greeting or not a career question; the conversation picks
the passages and the answerer for it, and keeps the dialog state for the next question.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field, replace
from typing import Any, cast

from careerbot.answer import Answer, Citation, Generator
from careerbot.answer.compare import compare, explore
from careerbot.answer.counsel import direct, overview, recommend, ruled_out_by, suits
from careerbot.answer.extractive import ExtractiveGenerator, not_covered, pieces
from careerbot.answer.rank import Measure, rank
from careerbot.facts import Facts
from careerbot.retrieval import CareerRetriever, Passage
from careerbot.text import MAX_QUESTION_CHARS, clean_question
from careerbot.understanding import LANGUAGE, Candidate, DialogState, Query, Reader
from careerbot.understanding.language import facet_of
from careerbot.understanding.mentions import ANSWERABLE
from careerbot.understanding.situation import NO_DEGREE, Situation

__all__ = ["Conversation"]

_EMPTY = (
    "Please ask a question about an occupation, for example "
    '"How do I become a plant manager?" or "What does a logistician earn?"'
)
_HELLO = (
    'Hello! Ask me about an occupation, for example "How do I become a plant manager?" '
    'or "Compare an electrician and a plumber."'
)
# After a direct answer, at most this many paragraphs of support.
_SUPPORT = 2
# How many earlier questions `resume` reads again to rebuild the dialog state, and how much of their
# text at most (the latest question always): reading grows with the text, and a real one is short.
_REPLAYED, _REPLAYED_CHARS = 8, 2 * MAX_QUESTION_CHARS
# A field of work, for a ranking within it ("which IT job pays best"): the occupations
# that fit it, up to this many, within this much of the best fit.
_FIELD_SIZE, _FIELD_WINDOW = 10, 0.12
# A topic no profile speaks of this closely names no field ("in your list"): rank them all.
_FIELD_FIT = 0.3


@dataclass
class Conversation:
    """Questions and answers over one index; `ask` keeps the dialog state, `history` the messages.

    Built from a retriever and its reader (`reading` gives the current pair at each turn, so a
    conversation follows re-indexing by any process) and an answerer; `occupations` lists what is
    indexed (for the reply to what is not covered), `facts` every profile's stated figures (for
    rankings and comparisons), and `guard` wraps each turn (the bot turns store failures into clear
    errors there).
    """

    reading: Callable[[], tuple[CareerRetriever, Reader]]
    generator: Generator
    occupations: Callable[[], list[str]] = list
    facts: Callable[[], list[Facts]] = list
    guard: Callable[[], AbstractContextManager[Any]] = nullcontext
    min_relevance: float = 0.3
    history: list[dict[str, str]] = field(default_factory=list)
    state: DialogState = field(default_factory=DialogState)
    retriever: CareerRetriever = field(init=False)
    reader: Reader = field(init=False)

    def resume(self, history: Sequence[Any] | None, situation: Sequence[str] | None = None) -> Conversation:
        """This conversation with its state rebuilt from earlier messages (Gradio or OpenAI style);
        `situation`, when given (as `Answer.situation` words), replaces the situation they tell."""
        messages = _messages(history or [])
        with self.guard():
            self.retriever, self.reader = self.reading()
            for question in _replayed(messages):
                query = self.reader.read(question, self.state)
                self.state = self.state.after(query, self._about(query))
        if situation is not None:
            self.state = replace(self.state, situation=Situation.from_chips(situation))
        self.history = messages
        return self

    def ask(self, question: str) -> Answer:
        """Answer, keeping the dialog state."""
        answer = None
        for piece in self.stream(question):
            if isinstance(piece, Answer):
                answer = piece
        assert answer is not None
        return answer

    def stream(self, question: str) -> Iterator[str | Answer]:
        """The answer in pieces as it is produced, then the Answer; the state moves on at the end."""
        question = clean_question(question)
        with self.guard():
            self.retriever, self.reader = self.reading()
            query = self.reader.read(question, self.state)
            situation = tuple(self.state.situation.updated(query.situation).chips())
            answer = None
            for piece in self._answer(query):
                if isinstance(piece, Answer):
                    answer = piece = replace(piece, situation=situation)
                yield piece
        assert answer is not None
        about = {c.occupation: c for c in self._candidates(answer)}
        self.state = self.state.after(query, tuple(about[n] for n in answer.occupations if n in about))
        self.history += [
            {"role": "user", "content": question},
            {"role": "assistant", "content": answer.text},
        ]

    # -- answering -------------------------------------------------------------------------
    def _answer(self, query: Query) -> Iterator[str | Answer]:
        kind = query.kind
        if kind in ("empty", "greeting"):
            text = _EMPTY if kind == "empty" else _HELLO
            yield text
            yield Answer(text)
            return
        if kind == "offtopic":  # say what we do know instead
            answer = not_covered(self.occupations())
            yield from pieces(answer.text)
            yield answer
            return
        if kind == "single":
            (occupation,) = query.occupations
            passages = self.retriever.passages_of(query.text, occupation.source, asked=query.facet)
            passages = self.retriever.with_profile(passages)
            alternatives = tuple(c.occupation for c in query.alternatives)
            lead = self._direct(query, occupation.source, passages)
            facet = facet_of(query.asks) if lead else query.facet
            note = _closest(query)
            if query.facet is None and not lead and isinstance(self.generator, ExtractiveGenerator):
                known = next((f for f in self.facts() if f.source == occupation.source), None)
                card = overview(known, self.retriever.profile) if known else Answer("")
                if card.citations:  # what the job is at a glance: what it is, takes, pays, outlook
                    yield from pieces(note + card.text)
                    yield replace(card, text=note + card.text, alternatives=alternatives)
                    return
            if note:
                yield note
            for piece in self.generator.stream(
                query.text,
                passages,
                occupations=self.occupations(),
                focus=occupation.occupation,
                facet=facet or query.facet,
            ):
                if isinstance(piece, Answer):
                    if lead:  # the direct answer goes first: the text is written again
                        piece = _led(piece, *lead)
                        yield from pieces(piece.text)
                    yield replace(piece, text=note + piece.text, alternatives=alternatives)
                elif not lead:
                    yield piece
            return
        # Several occupations at once: always quoted sentence by sentence, whatever the generator.
        picker = ExtractiveGenerator(min_relevance=self.min_relevance)
        if kind == "compare":
            profiles = [self.retriever.profile(c.source) for c in query.occupations]
            known = {f.source: f for f in self.facts()}
            figures = [known.get(c.source) for c in query.occupations]
            found = [p for p in profiles if p]
            answer = compare(query.text, found, picker, facet=query.facet, facts=figures, asks=query.asks)
        elif kind == "rank":
            answer = self._rank(query)
        elif self._situation(query):
            answer = self._recommend(query)
        else:
            answer = explore(query.text, self._fitting(query), picker)
        # Nothing cited: say what we cover, unless the answer says why nothing fits the person.
        if not answer.citations and not (
            answer.text and kind in ("rank", "explore") and self._situation(query)
        ):
            answer = not_covered(self.occupations())
        yield from pieces(answer.text)
        yield answer

    def _fitting(self, query: Query, **limits: float) -> list[list[Passage]]:
        return self.retriever.fitting(query.interests or (query.topic or query.text,), **limits)

    def _situation(self, query: Query) -> Situation:
        return self.state.situation.updated(query.situation)

    def _rank(self, query: Query) -> Answer:
        """Occupations ordered by the figure asked (pay unless said otherwise, training time for a
        quick start): those the question names, those of the last list ("which of those ..."), or
        those of the field it names, if any; of them, those that suit the person's situation."""
        among = None
        if len(query.mentions) > 1:
            among = {c.source for c in query.occupations}
        elif query.among_listed:
            among = {c.source for c in self.state.listed}
        elif query.topic:
            field = self._fitting(query, limit=_FIELD_SIZE, window=_FIELD_WINDOW)
            if field and field[0][0].score >= _FIELD_FIT:
                among = {group[0].source for group in field}
        situation = self._situation(query)
        facts = self.facts()
        # The jobs named or just listed are ranked as they are; the others must suit the person.
        if situation and len(query.mentions) < 2 and not query.among_listed:
            fitting = [f for f in facts if suits(f, situation)]
            if not fitting:
                return self._nothing_fits(situation)
            facts = fitting
        # What is ranked: the figure asked; else a quick start's training time, or among a list,
        # the least education for "without a degree"; else pay.
        measure, lowest = "pay", query.lowest
        # The education they have limits the ranking ("best paid with a bachelor's"); it is not what
        # is ranked.
        if (
            query.facet
            and query.facet.measure
            and not (query.situation.education and query.facet.measure == "education")
        ):
            measure = query.facet.measure
        elif query.situation.quick:
            measure, lowest = "training", True
        elif query.among_listed and query.situation.no_degree:
            measure, lowest = "education", True
        # Open to them: without a degree; with the education they say they have ("with just an
        # associate's"), or a short course on top of the one told before.
        at_most = NO_DEGREE if query.without_degree else query.situation.education
        if at_most is None and among is None and not query.among_listed:
            at_most = situation.reach
        answer = rank(
            facts,
            self.retriever.profile,
            measure=cast(Measure, measure),
            descending=not lowest,
            min_pay=query.min_pay,
            at_most_education=at_most,
            among=among,
        )
        if situation.heading() and answer.citations:
            answer = replace(answer, text=f"*{situation.heading()}*\n\n{answer.text}")
        return answer

    def _recommend(self, query: Query) -> Answer:
        """Jobs that suit the person's situation, nearest what they are after first."""
        situation = self._situation(query)
        facts = {f.source: f for f in self.facts()}
        fitting = []
        if query.topic:  # those that fit the interest as closely as a search by interest lists them,
            # or, if the situation rules out all but one of those, any that fit it at all
            fitting = self._fitting(query, limit=len(facts))
            if sum(suits(facts[g[0].source], situation) for g in fitting if g[0].source in facts) < 2:
                fitting = self._fitting(query, limit=len(facts), window=2.0)
        if not fitting:  # nothing asked for beyond the situation: every profile, best paid first
            paid = sorted(facts.values(), key=lambda f: -(f.median_annual_pay or 0))
            fitting = [self.retriever.profile(f.source) for f in paid]
        answer = recommend(fitting, facts, situation, self.retriever.profile, fitted=bool(query.topic))
        return answer if answer.citations else self._nothing_fits(situation)

    def _nothing_fits(self, situation: Situation) -> Answer:
        chip = ruled_out_by(self.facts(), situation)
        text = f"No profile I have fits all of this: {', '.join(situation.chips())}."
        if chip:
            text += f" “{chip}” is what rules them all out; without it, some would fit."
        return Answer(text)

    def _direct(self, query: Query, source: str, passages: list[Passage]) -> tuple[str, Passage, str] | None:
        """What answers a yes/no or "how long" question first, from the profile's stated facts."""
        known = next((f for f in self.facts() if f.source == source), None)
        if known is None or not query.asks:
            return None
        found = direct(known, query.asks, yes_no=_yes_no(query.text), facet=query.facet)
        if found is None:
            return None
        words, evidence = found
        holding = next((p for p in passages if evidence.sentence in p.text), None)
        return (words, holding, evidence.sentence) if holding else None

    def _about(self, query: Query) -> tuple[Candidate, ...]:
        """The occupations an answer to `query` is about, without writing it (to replay history)."""
        if query.kind == "explore" and not self._situation(query):
            return tuple(Candidate(g[0].occupation, g[0].source) for g in self._fitting(query))
        if query.kind in ("explore", "rank"):
            listed = self._recommend(query) if query.kind == "explore" else self._rank(query)
            sources = {f.occupation: f.source for f in self.facts()}
            return tuple(Candidate(n, sources[n]) for n in listed.occupations if n in sources)
        return query.occupations

    def _candidates(self, answer: Answer) -> list[Candidate]:
        cited = [Candidate(p.occupation, p.source) for p in answer.passages]
        known = {c.occupation for c in [*cited, *self.state.listed, *self.state.focus]}
        # Only the occupations named nowhere else are looked up among every profile's figures.
        missing = set(answer.occupations) - known
        figures = (
            [Candidate(f.occupation, f.source) for f in self.facts() if f.occupation in missing]
            if missing
            else []
        )
        return [*cited, *figures, *self.state.listed, *self.state.focus]


def _yes_no(question: str) -> bool:
    """Is it asked to be answered yes or no ("are paramedics ever on call?")?"""
    first = question.lower().split()[:1]
    return bool(first) and first[0].strip(",.?!") in LANGUAGE.yes_no


def _led(answer: Answer, words: str, passage: Passage, sentence: str) -> Answer:
    """`answer` opening with a direct answer: its first words and the sentence backing them, cited
    [1]; then at most `_SUPPORT` of its paragraphs from the same section (another section's pads
    it), their markers renumbered after it."""
    head, _, body = answer.text.partition("\n\n")
    # Said once: the sentence leaves the paragraph it stood in (and a paragraph left empty goes).
    body = re.sub(re.escape(sentence) + r"\s*", "", body, count=1)
    sections = {c.id: c.section for c in answer.citations}
    marked = [(p, [int(n) for n in re.findall(r"\[(\d+)\]", p)]) for p in body.split("\n\n")]
    support = [
        (p, ids)
        for p, ids in marked
        if not re.fullmatch(r"(\*\*[^*]+:\*\* )?\[\d+\]", p.strip())
        and {sections.get(n) for n in ids} <= {passage.section}
    ][:_SUPPORT]
    # [1] is the lead's passage; the others are numbered in the order they are cited.
    first = next((c.id for c in answer.citations if c.source == passage.source and c.text == passage.text), 0)
    order = [first, *dict.fromkeys(n for _, ids in support for n in ids if n != first)]
    numbers = {old: new for new, old in enumerate(order, start=1)}
    by_id = {c.id: c for c in answer.citations if c.id != first}
    citations = [Citation.from_passage(1, passage)]
    citations += [replace(by_id[old], id=new) for old, new in numbers.items() if old in by_id]
    paragraphs = [re.sub(r"\[(\d+)\]", lambda m: f"[{numbers.get(int(m[1]), m[1])}]", p) for p, _ in support]
    lead = f"{words}: {sentence} [1]" if words else f"{sentence} [1]"
    text = "\n\n".join(part for part in (head, lead, *paragraphs) if part.strip())
    return replace(answer, text=text, citations=tuple(citations))


def _replayed(messages: list[dict[str, str]]) -> list[str]:
    """The person's last _REPLAYED questions, oldest first, cleaned and cut as a question is; fewer when
    their text would pass _REPLAYED_CHARS."""
    kept: list[str] = []
    for message in reversed(messages):
        question = clean_question(message["content"]) if message["role"] == "user" else ""
        if not question:
            continue
        if len(kept) == _REPLAYED or (kept and sum(map(len, kept)) + len(question) > _REPLAYED_CHARS):
            break
        kept.insert(0, question)
    return kept


def _closest(query: Query) -> str:
    """When the job asked for is only near one we have ("lawyer"): say which one answers."""
    (mention,) = query.mentions
    if not mention.text or mention.confidence >= ANSWERABLE:
        return ""
    asked = re.sub(r"([\\`*_{}\[\]<>()#+!|~])", r"\\\1", mention.text)  # the user's words, as written
    return f"I have no profile for “{asked}”; the closest I have is {mention.occupation}.\n\n"


def _messages(history: Sequence[Any]) -> list[dict[str, str]]:
    """Normalise history: dicts with role/content (content may be Gradio's list of parts),
    or (user, assistant) pairs."""
    messages = []
    for item in history:
        if isinstance(item, dict):
            messages.append({"role": item.get("role", "user"), "content": _text(item.get("content"))})
        elif isinstance(item, list | tuple) and len(item) == 2:
            messages += [
                {"role": "user", "content": _text(item[0])},
                {"role": "assistant", "content": _text(item[1])},
            ]
    return messages


def _text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return " ".join(_text(part) for part in content)
    if isinstance(content, dict):
        return str(content.get("text") or content.get("content") or "")
    return "" if content is None else str(content)
