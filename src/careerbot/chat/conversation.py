"""A conversation: follow-ups stay on the occupation in focus until the user names another.

Rule-based, so it works with the extractive answerer: each question is routed by what it
names (one occupation, two to compare, "the first one", jobs to explore, or nothing) and the
focus carried over from earlier turns.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from careerbot.answer import Answer
from careerbot.answer.compare import compare, explore
from careerbot.answer.extractive import ExtractiveGenerator, not_covered, pieces
from careerbot.index.store import store_errors
from careerbot.retrieval import Passage
from careerbot.retrieval.intent import CUE_STEMS, subject_stems
from careerbot.text import stems

if TYPE_CHECKING:
    from careerbot.bot import CareerBot

__all__ = ["Conversation", "Focus", "Occupation"]

_COMPARE = re.compile(r"\b(compare|comparison|versus|vs\.?|differences? between)\b", re.I)
_COMPARE_SCAFFOLD = re.compile(
    r"\b(compare|comparison|versus|the|an?|differences? between|what(?:'s| is| are)|how does|"
    r"please|can you|could you|jobs? of|careers? of)\b|[?!.]",
    re.I,
)
_PARTS = re.compile(r"\s*(?:\band\b|\bvs\.?|\bversus\b|\bwith\b|\bto\b|\bor\b|,|/|&)\s*", re.I)
_ORDINAL = re.compile(r"\b(first|former|second|latter|last|other)\b(?:\s+one)?", re.I)
_EXPLORE = re.compile(
    r"\b(what|which)\s+(jobs?|careers?|occupations?|professions?|kinds? of (?:work|jobs?))\b"
    r"|\bjobs? (?:for|that|where) (?:someone|people|a person|me)\b|\bsuit(?:s|ed)? (?:someone|me)\b",
    re.I,
)
_GREETING = re.compile(
    r"^\s*(hi|hello|hey|good (morning|afternoon|evening)|thanks?( you)?|thx|bye)\b[\s!.]*$", re.I
)
_RUDE = re.compile(
    r"\b(fuck\w*|shit\w*|bitch\w*|asshole|bastard|idiot|stupid|moron|dumb|shut up|hate you|suck)\b", re.I
)
_REDIRECT = (
    "I'm here to help with career questions. Ask me about an occupation: how to become one, "
    "what it pays, which skills it needs, or compare two jobs."
)
_EMPTY = (
    "Please ask a question about an occupation, for example "
    '"How do I become a plant manager?" or "What does a logistician earn?"'
)
_HELLO = (
    'Hello! Ask me about an occupation, for example "How do I become a plant manager?" '
    'or "Compare an electrician and a plumber."'
)


@dataclass(frozen=True)
class Occupation:
    name: str
    source: str


@dataclass(frozen=True)
class Focus:
    """What the conversation is about: the occupation(s) of the last answer, and the last list
    (a comparison or suggestions) that "the first one" / "the other one" refer to."""

    occupations: tuple[Occupation, ...] = ()
    listed: tuple[Occupation, ...] = ()


@dataclass
class Conversation:
    """Questions and answers with one CareerBot; `ask` keeps the focus, `history` the messages."""

    bot: CareerBot
    history: list[dict[str, str]] = field(default_factory=list)
    focus: Focus = field(default_factory=Focus)

    @classmethod
    def resume(cls, bot: CareerBot, history: Sequence[Any] | None) -> Conversation:
        """A conversation whose focus is rebuilt from earlier messages (Gradio or OpenAI style)."""
        conversation = cls(bot)
        for question in _user_messages(history or [])[-20:]:
            conversation.focus = conversation._route(question)[1]  # no answers: cheap
        conversation.history = [
            {"role": m["role"], "content": m["content"]} for m in _messages(history or [])
        ]
        return conversation

    def ask(self, question: str) -> Answer:
        """Answer, keeping the focus on the occupation in question."""
        answer = None
        for piece in self.stream(question):
            if isinstance(piece, Answer):
                answer = piece
        assert answer is not None
        return answer

    def stream(self, question: str) -> Iterator[str | Answer]:
        """The answer in pieces as it is produced, then the Answer; the focus moves on at the end."""
        with store_errors(self.bot.settings):  # a store that doesn't answer: a clear error, no traceback
            kind, focus, passages = self._route(question)
            answer = None
            for piece in self._answer(kind, question, focus, passages):
                if isinstance(piece, Answer):
                    answer = piece
                yield piece
        assert answer is not None
        # The focus is whatever the answer turned out to be about.
        about = tuple(o for o in _sources(passages) if o.name in answer.occupations)
        if kind == "open":
            focus = Focus(about[:1], focus.listed)
        elif kind == "explore":
            focus = Focus((), tuple(sorted(about, key=lambda o: answer.occupations.index(o.name))))
        self.focus = focus
        self.history += [
            {"role": "user", "content": question},
            {"role": "assistant", "content": answer.text},
        ]

    # -- routing ----------------------------------------------------------------------------
    def _route(self, question: str) -> tuple[str, Focus, list[Passage]]:
        """Decide what the question is about: (kind, the focus after it, passages found)."""
        previous = self.focus
        if not question.strip() or _GREETING.match(question) or _RUDE.search(question):
            return "redirect", previous, []
        if _COMPARE.search(question):
            named = self._named_in_parts(question)
            if len(named) >= 2:
                return "compare", Focus(named, named), []
        if previous.listed and (ordinal := _ORDINAL.search(question)):
            chosen = _pick(ordinal[1].lower(), previous)
            if chosen:
                return "focused", Focus((chosen,), previous.listed), []
        if _EXPLORE.search(question):
            passages = self.bot.retriever.passages(question, k=30)
            return "explore", Focus((), _sources(passages)[:4]), passages
        named = self._named(question)
        if named:
            return "focused", Focus((named,), previous.listed), []
        if previous.occupations and not self._new_subject(question, previous):
            kind = "compare" if len(previous.occupations) > 1 else "focused"
            return kind, previous, []
        passages = self.bot._context(question)
        return "open", Focus(_sources(passages[:1]), previous.listed), passages

    def _named(self, text: str) -> Occupation | None:
        match = self.bot.retriever.named(text)
        return Occupation(match.occupation, match.source) if match else None

    def _named_in_parts(self, question: str) -> tuple[Occupation, ...]:
        """The occupations named in "compare X and Y" / "X vs Y", in the order given."""
        found: list[Occupation] = []
        for part in _PARTS.split(_COMPARE_SCAFFOLD.sub(" ", question)):
            occupation = self._named(part) if part.strip() else None
            if occupation and occupation not in found:
                found.append(occupation)
        return tuple(found)

    def _new_subject(self, question: str, focus: Focus) -> bool:
        """Does a question without an occupation's name still ask about something else?

        "What skills do I need?" or "Is there overtime?" ask about the focus; "what about the
        people who fix power lines?" names a subject the focused profile never mentions.
        """
        subject = subject_stems(question) - CUE_STEMS
        if not subject:
            return False
        said: set[str] = set()
        for occupation in focus.occupations:
            said |= set(
                stems(" ".join(p.text + " " + p.occupation for p in self.bot.profile(occupation.source)))
            )
        unsaid = subject - said
        # One strange word is a question about the focus ("forklift licence?"); several are not.
        return len(unsaid) >= 2 and len(unsaid) >= 2 * len(subject) / 3

    # -- answering ----------------------------------------------------------------------------
    def _answer(
        self, kind: str, question: str, focus: Focus, passages: list[Passage]
    ) -> Iterator[str | Answer]:
        bot = self.bot
        if kind == "redirect":
            text = _EMPTY if not question.strip() else _HELLO if _GREETING.match(question) else _REDIRECT
            yield text
            yield Answer(text)
            return
        if kind == "focused":
            (occupation,) = focus.occupations
            passages = bot.retriever.with_profile(bot.retriever.passages_of(question, occupation.source))
            yield from bot.generator.stream(
                question, passages, occupations=bot.occupations(), focus=occupation.name
            )
            return
        if kind == "open":
            yield from bot.generator.stream(question, passages, occupations=bot.occupations())
            return
        # Several occupations at once: always quoted sentence by sentence, whatever the generator.
        picker = ExtractiveGenerator(min_relevance=bot.settings.min_relevance)
        if kind == "compare":
            answer = compare(question, [bot.profile(o.source) for o in focus.occupations], picker)
        else:
            answer = explore(question, passages, picker)
        if not answer.citations:
            answer = not_covered(bot.occupations())
        yield from pieces(answer.text)
        yield answer


def _pick(word: str, focus: Focus) -> Occupation | None:
    listed = focus.listed
    if word in {"first", "former"}:
        return listed[0]
    if word in {"second", "latter"} and len(listed) > 1:
        return listed[1]
    if word == "last":
        return listed[-1]
    if word == "other":
        others = [o for o in listed if o not in focus.occupations]
        return others[0] if others else None
    return None


def _sources(passages: Sequence[Passage]) -> tuple[Occupation, ...]:
    """The distinct occupations of `passages`, in rank order."""
    seen: dict[str, Occupation] = {}
    for passage in passages:
        seen.setdefault(passage.source, Occupation(passage.occupation, passage.source))
    return tuple(seen.values())


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


def _user_messages(history: Sequence[Any]) -> list[str]:
    return [m["content"] for m in _messages(history) if m["role"] == "user" and m["content"]]


def _text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return " ".join(_text(part) for part in content)
    if isinstance(content, dict):
        return str(content.get("text") or content.get("content") or "")
    return "" if content is None else str(content)
