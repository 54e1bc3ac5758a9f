"""Words as retrieval sees them: lower-cased, stop words dropped, Snowball-stemmed."""

from __future__ import annotations

import re
from functools import lru_cache

import Stemmer

__all__ = [
    "MAX_QUESTION_CHARS",
    "STOP_WORDS",
    "clean_question",
    "head_words",
    "inert",
    "singular",
    "stem",
    "stems",
    "words",
]

STOP_WORDS = frozenset(
    """a about above after again all also am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further
    had has have having he her here hers him his how i if in into is it its itself just me more
    most my no nor not now of off on once only or other our ours out over own same she should so
    some such than that the their theirs them then there these they this those through to too
    under until up very was we were what when where which while who whom why will with would you
    your yours get got need needs want wants like tell know much many really us one ones""".split()
)

_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
_stemmer = Stemmer.Stemmer("english")


def words(text: str) -> list[str]:
    """Lower-cased words, possessives and quotes folded."""
    return [w.replace("’", "'").removesuffix("'s") for w in _WORD.findall(text.lower())]


def stems(text: str) -> list[str]:
    """Stems of the content words of `text`, in order."""
    return [stem(w) for w in words(text) if w not in STOP_WORDS]


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return _stemmer.stemWord(word)


def head_words(name: str) -> set[str]:
    """The head nouns of an occupation name, singular: what the worker is.

    "Cutting and Slicing Machine Setters, Operators, and Tenders" -> setter, operator, tender;
    "First-Line Supervisors of Office Workers" -> supervisor; "Helpers--Electricians" -> helper,
    electrician; "Rock Splitters, Quarry" -> splitter (a trailing qualifier is not a head).
    """
    text = re.sub(r",\s*(all other|except\b.*)$", "", name.lower())
    heads: set[str] = set()
    if "--" in text:
        first, text = text.split("--", 1)
        heads.add(first.split()[-1] if first.split() else "")
    text = text.split(" of ")[0]
    parts = [w for w in (words(p) for p in re.split(r",|\band\b|\bor\b|/", text)) if w]
    plural = [p[-1] for p in parts if _plural(p[-1])]
    heads |= set(plural) if plural else ({parts[-1][-1]} if parts else set())
    return {singular(h) for h in heads if h and h not in STOP_WORDS}


def singular(word: str) -> str:
    """A plural noun's singular, by the regular rules ("secretaries" -> "secretary")."""
    if not _plural(word):
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    return word[:-1]


def _plural(word: str) -> bool:
    return len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is"))


# Markup that a Markdown/HTML renderer would act on: images and links load or open what a document
# names. Each is replaced by its visible text, so quoting a document can never fetch or link anything.
_IMAGE_OR_LINK = re.compile(r"!?\[([^\[\]\n]*)\]\([^()\n]*(?:\([^()\n]*\)[^()\n]*)*\)")
_LINK_DEFINITION = re.compile(r"^ {0,3}\[[^\]\n]+\]:.*$", re.M)  # `[1]: url` would turn our [1] into a link
_AUTOLINK = re.compile(r"<((?:[a-z][a-z0-9+.-]{1,31}:|www\.)[^<>\s]*)>", re.I)
_TAG = re.compile(r"<!--.*?(?:-->|$)|<[a-z/!?][^<>\n]*>?", re.I | re.S)


def inert(text: str) -> str:
    """Document text with no active Markdown or HTML: images and links become their text, raw tags
    and link definitions are dropped. Everything a document says reaches an answer through this."""
    text = _LINK_DEFINITION.sub("", text)
    for _ in range(3):  # innermost first: [![alt](image)](link) -> [alt](link) -> alt
        text = _IMAGE_OR_LINK.sub(r"\1", text)
    text = text.replace("](", "] (")  # deeper nesting than that: no longer a link, in linear time
    text = _AUTOLINK.sub(r"\1", text)
    return _TAG.sub("", text)


# Longer questions, and longer messages of a conversation's history, are cut before they are read:
# the embedder reads ~256 tokens anyway, and the work of reading grows with the text.
MAX_QUESTION_CHARS = 2000
# Markup in a question: scripts and comments to their end (or the text's, when unclosed: in one pass,
# where a search for each opening's close would take quadratic time), tags.
_MARKUP = re.compile(
    r"<(script|style)\b.*?(?:</\1\s*>|$)|<!--.*?(?:-->|$)|</?[a-z][^<>]{0,500}>", re.I | re.S
)


def clean_question(text: str) -> str:
    """A question (or a message of the history) as it is read: printable text only (a lone surrogate
    is not), no HTML markup, whitespace folded, cut to MAX_QUESTION_CHARS."""
    text = _MARKUP.sub(" ", (text or "")[: 10 * MAX_QUESTION_CHARS])  # beyond that, nothing is read
    printable = "".join(ch if ch.isprintable() else " " for ch in text)
    return " ".join(printable.split())[:MAX_QUESTION_CHARS]
