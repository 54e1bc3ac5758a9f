"""Read a profile's facts from its chunks: pure functions, no model, no index (attributes: attributes.py).

Each fact comes from one sentence of one chunk, and keeps that sentence verbatim. Money amounts
are parsed by price-parser, number words ("four to five years") by text2num; what is left here
is deciding which figure a sentence states about this occupation, and refusing to guess:

- pay needs a unit in the sentence ("annual", "a year", "hourly", "per hour"); nothing is
  converted between the two, and "over $80,000" or "the mid-$60,000s" is not a median figure;
- with several figures in one sentence, the one "for" this occupation wins, else the latest
  year; when neither decides, the sentence gives no pay;
- growth needs a projection of employment ("projected to", "projections"); a percent after a
  word of decline is negative; "little or no change" with no percent is 0, its words kept.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace

from price_parser import Price
from text_to_num import text2num

from careerbot.chunks import Chunk, chunk_profile, split_sentences
from careerbot.facts.attributes import read_attributes
from careerbot.facts.model import Education, Evidence, Facts, Growth, Licence, Pay, Training
from careerbot.profiles import Profile
from careerbot.text import stems

__all__ = ["education_level", "facts_of", "implausible", "read_facts"]

_APPROX = r"(?:about|around|roughly|approximately|nearly|almost|some)"
_MONEY = r"\$\s?\d[\d,]*(?:\.\d+)?(?:\s?(?:k|K|thousand|million)\b)?(?!\d|,\d|s\b)"
_MONEY_RANGE = re.compile(
    rf"(?:(?P<approx>{_APPROX})\s+)?(?:between\s+)?(?P<low>{_MONEY})(?:\s*(?:to|-|–|and)\s*(?P<high>{_MONEY}))?",
    re.I,
)
# How far before a figure its qualifiers ("over", "mid-") are looked for.
_WINDOW = 40
_BOUND_BEFORE = re.compile(
    r"(?:over|above|more than|less than|under|below|up to|at least|exceed\w*)\s*$", re.I
)
_MULTIPLIER = {"k": 1_000, "thousand": 1_000, "million": 1_000_000}
_PAY_CUE = re.compile(r"\b(?:wages?|salar\w*|pay|paid|earn\w*|income|median)\b", re.I)
_PER_HOUR = re.compile(r"\b(?:hourly|per hour|an hour|a hour)\b|/\s?(?:hour|hr)\b", re.I)
_PER_YEAR = re.compile(r"\b(?:annual\w*|yearly|per year|a year|salary)\b|/\s?(?:year|yr)\b", re.I)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_PERIOD = re.compile(r"\b((?:19|20)\d\d)\s*(?:to|through|-|–)\s*((?:19|20)?\d\d)\b")
# "for registered nurses", right after a figure (matched there: `.match(text, end)`).
_FOR_WHOM = re.compile(
    r"\s*(?:a year |an hour |per year |per hour )?for\s+(?P<who>[^,;.$()]{1,80}?)"
    r"(?=\s+(?:and|was|were|in)\b|[,;.()]|$)",
    re.I,
)
_ACCORDING = re.compile(r"according to (?:the )?(?P<source>.+?)\.?$", re.I)
_PARENTHESES = re.compile(r"\(([^()]*+)\)")
_CITED = re.compile(r"Bureau|BLS|O\*NET|Statistics|Handbook|Survey")  # a source named in parentheses

_PROJECTION = re.compile(r"\bprojected\b|\bprojections?\b", re.I)
_EMPLOYMENT = re.compile(r"\b(?:employment|jobs?|workers|occupation)\b", re.I)
_PERCENT = re.compile(
    rf"(?:(?P<approx>{_APPROX})\s+)?(?<!\d)(?P<number>\d++(?:\.\d++)?)\s*(?:percent|per cent|%)", re.I
)
_DECLINE = re.compile(r"\b(?:declin\w*|decreas\w*|fall\w*|drop\w*|shrink\w*|los[es]\w*)\b", re.I)
_NO_CHANGE = re.compile(r"little or no change", re.I)
_GROWTH_WORDS = re.compile(
    r"(?:projected to|point to|points to|show|shows)\s+(?P<words>.+?)"
    r"(?=\s+(?:from|between|over|during|through|for)\s+(?:the\s+)?\d{4}"
    r"|\s+in the number\b|\s*\(|[,;]|\.?$)",
    re.I,
)

_LEVELS = (  # (level, pattern); a text's level is the one whose pattern matches first in it
    (
        "doctoral/professional",
        r"doctor\w*|professional degree|ph\.?\s?d\b|pharm\.?\s?d\b|\bdpt\b|\bm\.?d\.?\b",
    ),
    ("master's", r"master[’']?s?\b(?! electrician| plumber)|\bmba\b|\bmsw\b"),
    ("bachelor's", r"bachelor[’']?s?\b|\bbsn\b|four-year (?:college )?degree"),
    (
        "some college/associate's",
        r"associate[’']?s? degree|associate degree|some college|two-year (?:college )?degree",
    ),
    (
        "postsecondary certificate",
        r"postsecondary (?:non-?degree|certificate)|non-?degree award|certificate|vocational",
    ),
    ("high school", r"high school|\bged\b|secondary school"),
    ("none", r"no formal (?:educational )?(?:credential|education)"),
)
_LEVEL_FIELD = re.compile(
    r"^(?:typical\s+)?(?:entry[- ]level\s+)?education(?:\s*(?:&|and)\s*training)?(?:\s+level)?$"
    r"|level of education|required education|education required",
    re.I,
)
_EDUCATION_SECTION = re.compile(r"education|how to become|qualification|requirement|training", re.I)
_REQUIRES = re.compile(
    r"\b(?:typically|usually|generally)?\s*(?:need|needs|require|requires|required|must have|at least|"
    r"minimum|qualify|prefer)\b",
    re.I,
)

_NUMBER_WORD = r"\d+(?:\.\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a"
_UNIT = r"years?|months?|weeks?"
# "four to five years", "three- to four-year", "18 to 24 months", "six months to two years", "about a year".
_DURATION = re.compile(
    rf"\b(?P<low>{_NUMBER_WORD})(?:[\s-]+(?P<low_unit>{_UNIT}))?"
    rf"(?:-?\s*(?:to|or|-|–)\s*(?P<high>{_NUMBER_WORD}))?[\s-](?P<unit>{_UNIT})\b",
    re.I,
)
_VAGUE_LOW = re.compile(
    rf"\b(?:several|a few|few|many)\s+(?:{_UNIT})\s+to\s*$", re.I
)  # "several months to two years"
_OPEN_BEFORE = re.compile(r"\b(?:at least|more than|less than|up to)\s*$", re.I)
_OPEN_AFTER = re.compile(r"^\s*or (?:more|longer)\b", re.I)  # "a year or more"
_NOT_A_LENGTH = re.compile(
    r"^\s*(?:college|school|university|institution|old)\b", re.I
)  # "a four-year college"
# Kinds of training; the degree kinds count only at the entry level ("A two-year degree" is no entry path
# for an occupation entered with a high school diploma).
_TRAINING_KIND = re.compile(
    r"\b(?P<kind>apprenticeship|residency|on-the-job training|academy|training|program|certificate)s?\b"
    r"|\b(?P<degree>degree|BSN|ADN|Pharm\.?\s?D|DPT|MSW)s?\b",
    re.I,
)
_MONTHS_PER = {"year": 12, "month": 1, "week": 12 / 52}
_TRAINING_SECTION = re.compile(r"experience|how to become|education|training", re.I)

# A named credential: capitalised words or an acronym before "license", "certification", "exam"...,
# or a "Certified ..." title with its acronym: "Uniform CPA Examination", "Certified Welder (CW)". A name
# starts at a word and has a few words: a long run of capitalised words is not read again from each one.
_CREDENTIAL = re.compile(
    r"(?<![\w’'-])(?P<name>[A-Z][\w’'-]*+(?:\s++(?:[A-Z][\w’'-]*+|of|and|for|in)){0,8}?"
    r"\s++(?:License|Licence|Licensure Examination|Examination|Exam|Certification|Certificate|Credential|"
    r"license|licence|certification|credential|exam)\b(?:\s*\([A-Z][\w-]*+\))?)"
    r"|(?<![\w’'-])(?P<titled>(?:Certified|Registered|Licensed|Accredited)\s++[A-Z][\w’'-]*+"
    r"(?:\s++[A-Z][\w’'-]*+){0,6}\s*\([A-Z]+\))"
)
_CREDENTIAL_CUE = re.compile(r"licen[cs]|certif|credential|exam", re.I)
# Capitalised only because they open a sentence, or too generic to name a credential.
_NOT_A_NAME = {
    "a",
    "an",
    "the",
    "most",
    "many",
    "some",
    "every",
    "all",
    "to",
    "with",
    "and",
    "state",
    "each",
    "they",
    "for",
    "employment",
    "optional",
    "common",
    "voluntary",
    "professional",
    "other",
    "this",
}


def facts_of(profile: Profile, max_chars: int = 900) -> Facts:
    """The facts of a parsed profile, cited to the chunks the index makes of it."""
    return read_facts(chunk_profile(profile, max_chars), occupation=profile.occupation, source=profile.source)


def read_facts(
    chunks: Sequence[Chunk],
    *,
    occupation: str | None = None,
    source: str | None = None,
    check: Callable[[], None] = lambda: None,
) -> Facts:
    """The facts stated in a profile's chunks (as `chunk_profile` makes them). `check` is called
    between the kinds of fact, and may raise to stop (a document's time limit)."""
    first = chunks[0] if chunks else None
    occupation = occupation or (first.occupation if first else "")
    source = source or (first.source if first else "")
    names = [occupation, *(first.aliases if first else ())]
    sentences = [_Sentence(chunk, text) for chunk in chunks for text in split_sentences(chunk.text)]
    check()
    pay = _first(_pay(s, names) for s in _ordered(sentences, r"salary|wage|pay|earning|income"))
    check()
    growth = _first(_growth(s, names) for s in _ordered(sentences, r"outlook|projection|growth"))
    check()
    education = _education(sentences)
    entry_level = education.level if education else None
    training_sentences = _ordered(sentences, _TRAINING_SECTION.pattern, only=True)
    training = _first(_training(s, entry_level) for s in training_sentences)
    check()
    licences = _licences(sentences)
    check()
    attributes = read_attributes(sentences)
    check()
    return Facts(
        occupation=" ".join(occupation.split()),
        source=source,
        pay=pay,
        growth=growth,
        education=education,
        training=training,
        licences=licences,
        attributes=attributes,
    )


# Figures no profile can honestly state: no occupation's median pay comes near these, and no
# projection grows employment more than this. Such a figure is a mistake or a trick, and would top
# every ranking by pay or growth.
MAX_PAY = {"year": 1_000_000, "hour": 500}
MAX_GROWTH_PERCENT = 100


def implausible(facts: Facts) -> tuple[Facts, list[str]]:
    """The facts without figures past the plausible, and a note on each left out."""
    notes = []
    pay, growth = facts.pay, facts.growth
    per = pay.per if pay is not None and pay.per in MAX_PAY else "year"
    if pay is not None and max(pay.amount or 0, pay.high or 0) > MAX_PAY[per]:
        notes.append(
            f"its pay figure {pay.text} is implausible (over ${MAX_PAY[per]:,} {_PER[per]}): left out"
        )
        pay = None
    if growth is not None and growth.percent is not None and abs(growth.percent) > MAX_GROWTH_PERCENT:
        notes.append(
            f"its growth figure {growth.text} is implausible (over {MAX_GROWTH_PERCENT} percent): left out"
        )
        growth = None
    return replace(facts, pay=pay, growth=growth), notes


_PER = {"year": "a year", "hour": "an hour"}


def education_level(text: str) -> str | None:
    """The entry level a text names: the scale level whose words come first in it."""
    found = []
    for level, pattern in _LEVELS:
        match = re.search(pattern, text, re.I)
        if match:
            found.append((match.start(), level))
    return min(found)[1] if found else None


@dataclass(frozen=True)
class _Sentence:
    chunk: Chunk
    text: str

    def evidence(self) -> Evidence:
        return Evidence(self.chunk.source, self.chunk.section, self.chunk.position, self.text)


def _ordered(sentences: list[_Sentence], sections: str, *, only: bool = False) -> list[_Sentence]:
    """Sentences of the sections named like `sections` first (or only), each in document order."""
    wanted = re.compile(sections, re.I)
    preferred = [s for s in sentences if wanted.search(s.chunk.section)]
    return preferred if only else preferred + [s for s in sentences if not wanted.search(s.chunk.section)]


def _first(facts: Iterable[object | None]) -> object | None:
    return next((fact for fact in facts if fact is not None), None)


# -- pay --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Figure:
    text: str
    amount: float | None
    low: float | None
    high: float | None
    approximate: bool
    per: str | None
    year: int | None
    whom: str  # the "for ..." words right after the figure, if any


def _pay(sentence: _Sentence, names: list[str]) -> Pay | None:
    text = sentence.text
    if "$" not in text or not _PAY_CUE.search(text):
        return None
    figures = list(_figures(text))
    figures = [f for f in figures if f.per is not None]
    if len(figures) > 1:
        # Two figures in one sentence: the one "for" this occupation, else the latest year's.
        score = {id(f): _names_match(f.whom, names) for f in figures}
        best = max(score.values())
        if best > 0:
            figures = [f for f in figures if score[id(f)] == best]
        years = {f.year for f in figures}
        if len(figures) > 1 and len(years) > 1 and None not in years:
            latest = max(y for y in years if y is not None)
            figures = [f for f in figures if f.year == latest]
        if len(figures) > 1:
            return None  # it doesn't say which one is this occupation's
    if not figures:
        return None
    figure = figures[0]
    return Pay(
        per=figure.per or "",
        text=figure.text,
        evidence=sentence.evidence(),
        amount=figure.amount,
        low=figure.low,
        high=figure.high,
        approximate=figure.approximate,
        year=figure.year,
        according_to=_according_to(text),
    )


def _figures(text: str) -> Iterator[_Figure]:
    """Each money figure of a sentence, read in one pass: the words around a figure are looked at
    in a window before it and up to the next figure after it, never in the whole sentence again."""
    matches = list(_MONEY_RANGE.finditer(text))
    sentence_unit = _unit(text)
    # Years not part of a period ("2023 to 2033"), blanked to keep positions: a figure's year is the
    # first one after it (before the next figure), else the last one before it.
    undated = _PERIOD.sub(lambda period: " " * len(period[0]), text)
    years = [(year.start(), int(year[0])) for year in _YEAR.finditer(undated)]
    starts = [start for start, _ in years]
    for n, match in enumerate(matches):
        before = text[max(0, match.start() - _WINDOW) : match.start()]
        if _BOUND_BEFORE.search(before) and not match["approx"]:
            continue  # "over $80,000": a bound, not a figure
        end = matches[n + 1].start() if n + 1 < len(matches) else len(text)
        after = text[match.end() : end]
        low = _amount(match["low"])
        high = _amount(match["high"]) if match["high"] else None
        approximate = bool(match["approx"]) or before.rstrip().endswith("mid-")
        first_after, last_before = bisect_left(starts, match.end()), bisect_left(starts, match.start())
        if first_after < len(years) and years[first_after][0] < end:
            year: int | None = years[first_after][1]
        else:
            year = years[last_before - 1][1] if last_before else None
        whom = _FOR_WHOM.match(after)
        yield _Figure(
            text=match.group(0)[len(match["approx"] or "") :].strip(),
            amount=None if high is not None else low,
            low=low if high is not None else None,
            high=high,
            approximate=approximate,
            per=_unit(after[:25]) or sentence_unit,
            year=year,
            whom=whom["who"] if whom else "",
        )


def _amount(text: str) -> float | None:
    amount = Price.fromstring(text).amount
    if amount is None:
        return None
    suffix = re.search(r"(k|thousand|million)\s*$", text, re.I)
    value = float(amount) * (_MULTIPLIER[suffix[1].lower()] if suffix else 1)
    return int(value) if value.is_integer() else value


def _unit(text: str) -> str | None:
    hour, year = _PER_HOUR.search(text), _PER_YEAR.search(text)
    if hour and year:
        return "hour" if hour.start() < year.start() else "year"
    return "hour" if hour else "year" if year else None


def _according_to(text: str) -> str | None:
    match = _ACCORDING.search(text)
    if match:
        return match["source"].strip()
    cited = next((p[1] for p in _PARENTHESES.finditer(text) if _CITED.search(p[1])), None)
    return cited.strip() if cited else None


def _names_match(words: str, names: list[str]) -> int:
    """2 when `words` name the occupation's title, 1 one of its aliases, else 0."""
    said = set(stems(words))
    if not said:
        return 0
    for rank, name in enumerate(names):
        own = set(stems(name))
        if own and len(said & own) >= (len(own) + 1) // 2:  # at least half its words
            return 2 if rank == 0 else 1
    return 0


# -- growth -----------------------------------------------------------------------------------
def _growth(sentence: _Sentence, names: list[str]) -> Growth | None:
    text = sentence.text
    if not (_PROJECTION.search(text) and _EMPLOYMENT.search(text)):
        return None
    words_match = _GROWTH_WORDS.search(text)
    percents = list(_PERCENT.finditer(text))
    no_change = _NO_CHANGE.search(text)
    if not (percents or no_change or words_match):
        return None
    period = _PERIOD.search(text)
    words = words_match["words"].strip() if words_match else (no_change[0] if no_change else "")
    if not percents:
        if no_change:
            return Growth(words, sentence.evidence(), 0.0, no_change[0], True, _period(period))
        if not re.search(r"\b(?:grow|growth|declin|decreas|change|increase|shrink)", words, re.I):
            return None
        return Growth(words, sentence.evidence(), period=_period(period))
    # Several percents: the one "for" this occupation, else the first.
    chosen = percents[0]
    for match in percents:
        whom = _FOR_WHOM.match(text, match.end())
        if whom and _names_match(whom["who"], names):
            chosen = match
            break
    value = float(chosen["number"])
    clause = re.split(r"[;]", text[: chosen.start()])[-1]
    if _DECLINE.search(clause[-40:]) or _DECLINE.search(words.split()[0] if words else ""):
        value = -value
    figure = chosen.group(0)
    return Growth(words, sentence.evidence(), value, figure, bool(chosen["approx"]), _period(period))


def _period(match: re.Match | None) -> str | None:
    return f"{match[1]} to {match[2]}" if match else None


# -- education --------------------------------------------------------------------------------
def _education(sentences: list[_Sentence]) -> Education | None:
    # A field that states the level ("Education & Training Level | Bachelor's degree") first ...
    for sentence in sentences:
        if _LEVEL_FIELD.search(sentence.chunk.section):
            level = education_level(sentence.text) or _none_field(sentence.text)
            if level:
                return Education(level, sentence.text, sentence.evidence())
    # ... else a sentence of an education section saying what is needed.
    for sentence in sentences:
        if _EDUCATION_SECTION.search(sentence.chunk.section) and _REQUIRES.search(sentence.text):
            level = education_level(sentence.text)
            if level:
                return Education(level, sentence.text, sentence.evidence())
    return None


def _none_field(text: str) -> str | None:
    return "none" if re.match(r"^\s*none\b", text, re.I) else None


# -- training ---------------------------------------------------------------------------------
def _training(sentence: _Sentence, entry_level: str | None = None) -> Training | None:
    """The length of the training a sentence names: every duration near a kind of training, as a span."""
    text = sentence.text
    kinds = [
        (m.start(), m.end(), (m["kind"] or "degree").lower())
        for m in _TRAINING_KIND.finditer(text)
        if m["kind"] or _entry_degree(text[max(0, m.start() - 40) : m.end()], entry_level)
    ]
    kind_ends = [end for _, end, _ in kinds]  # in order, as the kinds don't overlap
    found = []  # (match, kind, low, high)
    for match in _DURATION.finditer(text):
        before = text[max(0, match.start() - _WINDOW) : match.start()]
        after = text[match.end() : match.end() + _WINDOW]
        if (
            re.match(r"\s*experience\b", after[:25])
            or _VAGUE_LOW.search(before)
            or _NOT_A_LENGTH.match(after)
        ):
            continue
        # The first kind of training that ends at most 90 characters before the duration, if it
        # starts at most 60 after it.
        near = bisect_left(kind_ends, match.start() - 90)
        kind = kinds[near][2] if near < len(kinds) and kinds[near][0] - 60 <= match.start() else None
        low = _number(match["low"])
        high = _number(match["high"]) if match["high"] else low
        if kind is None or low is None or high is None:
            continue
        if _OPEN_AFTER.match(after) or _OPEN_BEFORE.search(before):
            high = None  # "a year or more": a lower bound, no length
        found.append((match, kind, low, high))
    if not found:
        return None
    first, last = found[0][0], found[-1][0]
    words = text[first.start() : last.end()].strip()
    units = {(m["low_unit"] or m["unit"]).lower().rstrip("s") for m, *_ in found} | {
        m["unit"].lower().rstrip("s") for m, *_ in found
    }
    if len(units) == 1:
        unit = units.pop()
        lows = [low for _, _, low, _ in found]
        highs = [high for _, _, _, high in found]
    else:  # "six months to two years": both ends in months
        unit = "month"
        lows = [low * _MONTHS_PER[(m["low_unit"] or m["unit"]).lower().rstrip("s")] for m, _, low, _ in found]
        highs = [
            None if high is None else high * _MONTHS_PER[m["unit"].lower().rstrip("s")]
            for m, _, _, high in found
        ]
    high = None if None in highs else max(h for h in highs if h is not None)
    return Training(found[0][1], words, sentence.evidence(), min(lows), high, unit)


def _entry_degree(text: str, entry_level: str | None) -> bool:
    """Is the degree named at the end of `text` the occupation's entry level (when that is known)?"""
    return entry_level is None or education_level(text) == entry_level


def _number(word: str) -> float | None:
    if re.fullmatch(r"\d+(?:\.\d+)?", word):
        return float(word)
    if word.lower() == "a":
        return 1.0
    try:
        return float(text2num(word.lower(), "en"))
    except ValueError:
        return None


# -- licences ---------------------------------------------------------------------------------
def _licences(sentences: list[_Sentence]) -> tuple[Licence, ...]:
    found: dict[str, Licence] = {}
    for sentence in sentences:
        if not _CREDENTIAL_CUE.search(sentence.text):
            continue
        for match in _CREDENTIAL.finditer(sentence.text):
            name = (match["name"] or match["titled"]).split()
            while name and name[0].casefold() in _NOT_A_NAME:
                name = name[1:]
            named = [w for w in name[:-1] if w[:1].isupper()]  # the words before "license" etc.
            if named and (len(named) >= 2 or any(c.isupper() for c in named[0][1:]) or match["titled"]):
                label = " ".join(name)
                found.setdefault(label.casefold(), Licence(label, sentence.evidence()))
    return tuple(found.values())
