"""Answers across occupations from their stated figures: ranked lists and two-way relations.

"What job earns the most money?", "the fastest growing jobs", "best paid without a degree", "jobs that
pay over $80k": `rank` lists the profiles by one measure, each line quoting the sentence that
holds the figure with its [n], and says how many profiles state no such figure. `relation`
states how two occupations compare ("Electricians and Plumbers earn about the same: ..."),
`verdict` how two or more do (also on the stated length of training), and `unstated` which
profiles state no figure.

Only stated figures are used: yearly pay is never compared with hourly pay, months never with
years, a range stays a range, and no difference is computed or shown.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Literal

from careerbot.answer.answer import Answer, Citation
from careerbot.facts import Evidence, Facts, Training, education_rank
from careerbot.profiles import occupation_key
from careerbot.retrieval import Passage

__all__ = [
    "ABOUT_THE_SAME",
    "Compared",
    "EvidenceCitations",
    "Measure",
    "growth_label",
    "rank",
    "relation",
    "relation_order",
    "unstated",
    "up_to_figure",
    "verdict",
    "verdict_order",
]

Measure = Literal["pay", "growth", "education", "training"]
# What two or more occupations can be compared on: the measures, the length of training among them.
Compared = Measure
# Two pay figures this close (relative) are "about the same"; growth figures within a point.
ABOUT_THE_SAME = 0.02
_NAMED_WITHOUT_FIGURE = 6  # name the profiles with no figure when there are at most this many

Passages = Mapping[str, Sequence[Passage]] | Callable[[str], Sequence[Passage]]


def rank(
    facts: Sequence[Facts],
    passages: Passages,
    *,
    measure: Measure,
    descending: bool = True,
    limit: int = 5,
    at_most_education: str | None = None,
    min_pay: int | None = None,
    among: Collection[str] | None = None,
) -> Answer:
    """The occupations ranked by `measure`, best first when `descending`, as a cited short list.

    facts: every profile's facts (`bot.facts()`); passages: a profile's indexed passages by its
    source (`bot.profile`, or a dict), to cite the chunk holding each figure.
    measure: "pay" (median pay a year), "growth" (projected percent), "education" (entry level).
    at_most_education: keep profiles whose entry education is at most this level (see
    `careerbot.facts.EDUCATION_LEVELS`; "high school" for "without a degree").
    min_pay: keep profiles whose stated yearly pay is at least this (a range: its low end).
    among: keep these occupations (titles, case and plurals aside, or source files): a field.

    `answer.occupations` is the ranked order, so `answer.occupations[0]` is the top one.
    """
    if measure not in ("pay", "growth", "education", "training"):
        raise ValueError(f"unknown measure {measure!r}; use pay, growth, education or training")
    citations = EvidenceCitations(passages)
    chosen = [f for f in facts if among is None or _named(f, among)]
    considered = len(chosen)
    notes: list[str] = []
    if at_most_education is not None:
        education_rank(at_most_education)  # an unknown level is an error, whatever the profiles
        unknown = [f for f in chosen if f.education is None]
        chosen = [f for f in chosen if f.open_with(at_most_education)]
        if unknown:
            notes.append(f"{len(unknown)} state no entry education, so they are left out.")
    if min_pay is not None:
        unknown = [f for f in chosen if _yearly(f) is None]
        chosen = [f for f in chosen if (_yearly(f) or (0, 0))[0] >= min_pay]
        if unknown and measure != "pay":
            notes.append(f"{len(unknown)} state no yearly pay, so they are left out.")
    with_figure = [f for f in chosen if _value(f, measure) is not None]
    without = [f for f in chosen if _value(f, measure) is None]
    with_figure.sort(key=lambda f: (-_value(f, measure) if descending else _value(f, measure), f.occupation))

    lines, ranked = [], []
    for facts_of in with_figure:
        line = _line(facts_of, measure, citations, min_pay)
        if line is None:  # its sentence is not in the index (a stale store): say nothing from it
            continue
        ranked.append(facts_of.occupation)
        lines.append(f"{len(ranked)}. {line}")
        if len(ranked) >= limit:
            break

    heading = _heading(measure, descending, at_most_education, min_pay, among, considered)
    if not lines:
        if not chosen and (at_most_education is not None or min_pay is not None):
            wanted = _filters(at_most_education, min_pay).strip(" ()")
            return Answer(f"None of the {considered} profiles states {wanted}." + " ".join(["", *notes]))
        return Answer(f"None of the {considered} profiles states {_what(measure)}.")
    text = "\n".join([f"**{heading}**", "", *lines])
    if measure == "growth" and not descending:
        text += _declines_without_figure(without, citations)
    text += _without_line(without, measure, considered)
    if notes:
        text += "\n" + " ".join(notes)
    cited = tuple(citations.citations)
    return Answer(text, cited, tuple(ranked), tuple(citations.passages))


def relation(
    facts_a: Facts, facts_b: Facts, measure: Compared, *, cite: tuple[str, str] = ("", "")
) -> str | None:
    """How two occupations compare on `measure`, from their stated figures; None when either has none
    (or they can't be compared without converting, such as yearly and hourly pay).

    measure: "pay", "growth", "education" or "training" (its length, as stated).
    `cite` holds the markers of the sentences stating a's and b's figures, e.g. ("[1]", "[2]"); each
    follows its own figure. The figures are listed in the order the sentence names the occupations
    (`relation_order`), so "Plumbers earn more than Electricians: $X [2] and $Y [1] a year."
    """
    named = relation_order(facts_a, facts_b, measure)
    if named is None:
        return None
    pair, marks = (facts_a, facts_b), tuple(f" {m}" if m else "" for m in cite)
    i, j = named
    one, two = _stated(pair[i], measure), _stated(pair[j], measure)
    assert one is not None and two is not None
    if _compare(one, two, measure) == 0:
        how = "same"
    else:
        how = "declines" if measure == "growth" and max(one.span[0], two.span[0]) <= 0 else "more"
    names = [_plural(pair[i].occupation), _plural(pair[j].occupation)]
    return _said(measure, how, names, [one, two], [marks[i], marks[j]])


def _said(measure: Compared, how: str, names: list[str], figures: list[_Stated], marks: list[str]) -> str:
    """The sentence: the first named is higher than the second ("more"), declines more ("declines"),
    or all of them are about the same ("same"); each figure with its marker, in the order named."""
    listed = [f"{f.text}{m}" for f, m in zip(figures, marks, strict=True)]
    shown = f"{', '.join(listed[:-1])} and {listed[-1]}"
    if measure == "pay":
        shown += " an hour" if figures[0].unit == "hour" else " a year"
    periods = {f.period for f in figures}
    if measure == "growth" and len(periods) == 1 and figures[0].period:
        shown += f", {figures[0].period}"
    x, y = names[0], names[1]
    everyone = f"{', '.join(names[:-1])} and {names[-1]}"
    said = {
        ("pay", "same"): f"{everyone} earn about the same",
        ("pay", "more"): f"{x} earn more than {y}",
        ("growth", "same"): f"Employment of {everyone} is projected to change by about the same",
        ("growth", "more"): f"Employment of {x} is projected to grow faster than that of {y}",
        ("growth", "declines"): f"Employment of {x} is projected to decline more than that of {y}",
        ("education", "same"): f"{everyone} need the same level of education to enter",
        ("education", "more"): f"{x} need more education to enter than {y}",
        ("training", "same"): f"The stated training of {everyone} is about as long",
        ("training", "more"): f"The stated training of {x} is longer than that of {y}",
    }[(measure, how)]
    return f"{said}: {shown}."


def relation_order(facts_a: Facts, facts_b: Facts, measure: Compared) -> tuple[int, int] | None:
    """The order `relation` names the two in: (0, 1) when a comes first, (1, 0) when b does; None
    when it has nothing to say."""
    a, b = _stated(facts_a, measure), _stated(facts_b, measure)
    if a is None or b is None or a.unit != b.unit:
        return None
    order = _compare(a, b, measure)
    if measure == "growth" and order != 0 and max(a.span[0], b.span[0]) <= 0:
        order = -order  # both decline: the one declining more is named first
    return (1, 0) if order < 0 else (0, 1)


def verdict(facts: Sequence[Facts], measure: Compared, *, cite: Sequence[str] = ()) -> str | None:
    """One sentence on how several occupations stand on `measure`: `relation` for two, a ranked
    list for more, or (figures in units that are not converted) each figure as stated. None unless
    every one states a figure. `cite[i]` is the marker of facts[i]'s figure."""
    order = verdict_order(facts, measure)
    if order is None:
        return None
    marks = [f" {m}" if m else "" for m in (tuple(cite) or ("",) * len(facts))]
    figures = [_stated(f, measure) for f in facts]
    stated = [s for s in figures if s is not None]
    listed = "; ".join(
        f"{_plural(facts[i].occupation)}, {_shown(stated[i], measure)}{marks[i]}" for i in order
    )
    if len({s.unit for s in stated}) > 1:
        return f"Their profiles give {_WHAT[measure][1]} in different units, so it is not compared: {listed}."
    if len(facts) == 2:
        return relation(facts[0], facts[1], measure, cite=(marks[0].strip(), marks[1].strip()))
    if _all_same(stated, measure):
        names = [_plural(f.occupation) for f in facts]
        return _said(measure, "same", names, stated, marks)
    periods = {s.period for s in stated}
    after = f", {stated[0].period}" if measure == "growth" and len(periods) == 1 and stated[0].period else ""
    return f"Ranked by {_WHAT[measure][2]}: {listed}{after}."


def verdict_order(facts: Sequence[Facts], measure: Compared) -> list[int] | None:
    """The order `verdict` lists the occupations' figures in (their indexes); None when it says nothing."""
    figures = [_stated(f, measure) for f in facts]
    if len(facts) < 2 or any(s is None for s in figures):
        return None
    stated = [s for s in figures if s is not None]
    if len({s.unit for s in stated}) > 1 or _all_same(stated, measure):
        return list(range(len(facts)))
    if len(facts) == 2:
        named = relation_order(facts[0], facts[1], measure)
        return None if named is None else list(named)
    return sorted(range(len(facts)), key=lambda i: -sum(stated[i].span))  # highest first; ties as given


def _all_same(stated: list[_Stated], measure: Compared) -> bool:
    return all(_compare(a, b, measure) == 0 for a, b in combinations(stated, 2))


def unstated(facts: Sequence[Facts], measure: Compared) -> str | None:
    """ "The Plumber profile states no median pay." for those of `facts` whose profile states no figure
    for `measure`; None when every one does."""
    missing = [f.occupation for f in facts if _missing(f, measure)]
    if not missing:
        return None
    names = missing[0] if len(missing) == 1 else f"{', '.join(missing[:-1])} and {missing[-1]}"
    verb = "profile states" if len(missing) == 1 else "profiles state"
    return f"The {names} {verb} no {_WHAT[measure][0]}."


# -- figures ----------------------------------------------------------------------------------
def _yearly(facts: Facts) -> tuple[float, float] | None:
    """A stated yearly pay as (low, high): one figure is (x, x); None for hourly or no pay."""
    pay = facts.pay
    if pay is None or pay.per != "year":
        return None
    return _span(facts)


def _span(facts: Facts) -> tuple[float, float] | None:
    pay = facts.pay
    if pay is None:
        return None
    if pay.amount is not None:
        return (pay.amount, pay.amount)
    if pay.low is not None and pay.high is not None:
        return (pay.low, pay.high)
    return None


@dataclass(frozen=True)
class _Stated:
    """A figure as a comparison uses it: its words, unit and (low, high) span."""

    text: str
    unit: str
    span: tuple[float, float]
    period: str | None = None


def _stated(facts: Facts, measure: Compared) -> _Stated | None:
    if measure == "pay":
        span = _span(facts)
        return None if facts.pay is None or span is None else _Stated(facts.pay.text, facts.pay.per, span)
    if measure == "growth":
        growth = facts.growth
        if growth is None or growth.percent is None:
            return None
        return _Stated(_growth_figure(facts), "percent", (growth.percent, growth.percent), growth.period)
    if measure == "education":
        if facts.education is None:
            return None
        level = float(education_rank(facts.education.level))
        return _Stated(facts.education.words, "level", (level, level))
    if measure == "training":
        training = facts.training
        if training is None or training.low is None:
            return None
        sentence = training.evidence.sentence
        if re.search(r"-\s*(?:to|or)\s+$", sentence[: max(sentence.find(training.words), 0)]):
            return None  # "three- to four-year" read as "four-year": not the duration as written
        span = (training.low, training.high if training.high is not None else training.low)
        return _Stated(_duration(training), training.unit, span)
    raise ValueError(f"unknown measure {measure!r}; use pay, growth, education or training")


def _missing(facts: Facts, measure: Compared) -> bool:
    """Does the profile state no figure at all for `measure` (not: one that can't be compared)?"""
    if measure == "growth":
        return facts.growth is None or facts.growth.percent is None
    return {"pay": facts.pay, "education": facts.education, "training": facts.training}[measure] is None


def _compare(a: _Stated, b: _Stated, measure: Compared) -> int:
    """1 if `a` is higher, -1 if lower, 0 if about the same."""
    if measure == "growth":
        return 0 if abs(a.span[0] - b.span[0]) < 1 else (1 if a.span[0] > b.span[0] else -1)
    if measure == "education":
        return (a.span[0] > b.span[0]) - (a.span[0] < b.span[0])
    return _order(a.span, b.span)


def _shown(figure: _Stated, measure: Compared) -> str:
    if measure == "pay":
        return f"{figure.text} {'an hour' if figure.unit == 'hour' else 'a year'}"
    return figure.text


def _duration(training: Training) -> str:
    """The training as the profile words it: "an apprenticeship of four to five years", "a four-year
    apprenticeship", "a year of training"."""
    kind, words = training.kind, training.words
    if kind.endswith("training"):
        return f"{words} of {kind}"
    if re.search(r"-(?:year|month|week)$", words):
        return f"{_article(words)} {words} {kind}"
    return f"{_article(kind)} {kind} of {words}"


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


# The words for a measure: what a profile may not state, what may come in units, a ranking's title.
_WHAT: dict[str, tuple[str, str, str]] = {
    "pay": ("median pay", "pay", "median pay, highest first"),
    "growth": ("projected growth figure", "growth", "projected employment growth, fastest first"),
    "education": ("entry education", "education", "entry education, most first"),
    "training": ("length of training", "training", "the stated length of training, longest first"),
}


def _value(facts: Facts, measure: Measure) -> float | None:
    """What a profile is ranked by; a pay range by its middle (its line shows the range as written)."""
    if measure == "pay":
        span = _yearly(facts)
        return None if span is None else (span[0] + span[1]) / 2
    if measure == "growth":
        return facts.growth_percent
    if measure == "education":
        return None if facts.education is None else float(education_rank(facts.education.level))
    if measure == "training":  # the shortest stated training first, then the narrower range
        months = facts.training_months
        return None if months is None else months[0] + months[1] / 1000
    raise ValueError(f"unknown measure {measure!r}; use pay, growth or education")


def _order(a: tuple[float, float], b: tuple[float, float]) -> int:
    """1 if `a` is higher, -1 if lower, 0 if about the same (close figures, or overlapping ranges)."""
    if a[0] > b[1] * (1 + ABOUT_THE_SAME):
        return 1
    if b[0] > a[1] * (1 + ABOUT_THE_SAME):
        return -1
    return 0


def growth_label(facts: Facts) -> str:
    """The stated outlook in a few words: "grow 11 percent", "much faster than average, 9 percent"."""
    growth = facts.growth
    assert growth is not None
    if not growth.text or growth.text in growth.words:
        return growth.words
    decline = "a decline of " if (growth.percent or 0) < 0 else ""
    return f"{growth.words}, {decline}{growth.text}"


def _growth_figure(facts: Facts) -> str:
    """The stated figure alone: "11 percent", "a decline of about 3 percent", "little or no change"."""
    growth = facts.growth
    assert growth is not None and growth.percent is not None
    text = growth.text or growth.words
    return f"a decline of {text}" if growth.percent < 0 and "declin" not in text else text


# -- text -------------------------------------------------------------------------------------
class EvidenceCitations:
    """Numbers the cited passages in the order they are first cited."""

    def __init__(self, passages: Passages) -> None:
        self._passages = passages
        self.numbers: dict[str, int] = {}
        self.citations: list[Citation] = []
        self.passages: list[Passage] = []

    def cite(self, evidence: Evidence) -> str | None:
        """The [n] of the passage holding the evidence's sentence; None if no indexed passage does."""
        passage = self._find(evidence)
        if passage is None:
            return None
        if passage.chunk_id not in self.numbers:
            self.numbers[passage.chunk_id] = len(self.numbers) + 1
            self.citations.append(Citation.from_passage(self.numbers[passage.chunk_id], passage))
            self.passages.append(passage)
        return f"[{self.numbers[passage.chunk_id]}]"

    def _find(self, evidence: Evidence) -> Passage | None:
        if callable(self._passages):
            own = self._passages(evidence.source) or ()
        else:
            own = self._passages.get(evidence.source, ())
        holding = [p for p in own if evidence.sentence in p.text]
        exact = [p for p in holding if evidence.chunk_id and p.chunk_id == evidence.chunk_id]
        placed = [p for p in holding if (p.section, p.position) == (evidence.section, evidence.position)]
        return (exact or placed or holding or [None])[0]


def _line(
    facts: Facts,
    measure: Measure,
    citations: EvidenceCitations,
    min_pay: int | None,
) -> str | None:
    if measure == "pay":
        assert facts.pay is not None
        evidence, label = facts.pay.evidence, f"{facts.pay.text} a year"
    elif measure == "growth":
        assert facts.growth is not None
        evidence, label = facts.growth.evidence, growth_label(facts)
    elif measure == "training":
        assert facts.training is not None
        evidence, label = facts.training.evidence, f"{facts.training.words} ({facts.training.kind})"
    else:
        assert facts.education is not None
        evidence, label = facts.education.evidence, facts.education.level
    marker = citations.cite(evidence)
    if marker is None:
        return None
    line = f"**{facts.occupation}**, {label}: {up_to_figure(evidence.sentence, label)} {marker}"
    # What it takes to enter, and a filter's claim (the pay), are cited too.
    extra = []
    if measure != "education" and facts.education:
        extra.append(("entry education", facts.education.words, facts.education.evidence))
    if min_pay is not None and measure != "pay" and facts.pay:
        extra.append(("pay", f"{facts.pay.text} a year", facts.pay.evidence))
    for name, words, where in extra:
        other = citations.cite(where)
        if other is None:
            return None
        line += f" ({name}: {words} {other})"
    return line


def up_to_figure(sentence: str, label: str) -> str:
    """The sentence as written, up to the end of the clause stating the figure: "The median annual
    wage for welders was $48,940 in May 2023" (where it goes on to say whose figures they are)."""
    figures = re.findall(r"\$?\d[\d,.]*", label)
    clauses = sentence.split(", ")
    for end in range(1, len(clauses)):
        said = ", ".join(clauses[:end])
        if figures and all(f in said for f in figures):
            return said
    return sentence


def _heading(
    measure: Measure,
    descending: bool,
    at_most_education: str | None,
    min_pay: int | None,
    among: Collection[str] | None,
    considered: int,
) -> str:
    title = {
        ("pay", True): "Highest median pay",
        ("pay", False): "Lowest median pay",
        ("growth", True): "Fastest projected growth",
        ("growth", False): "Slowest projected growth",
        ("education", True): "Most education to enter",
        ("education", False): "Least education to enter",
        ("training", True): "Longest stated training",
        ("training", False): "Quickest to train for",
    }[(measure, descending)]
    scope = f" among {considered} occupations" if among is not None else " in the profiles"
    return title + scope + _filters(at_most_education, min_pay)


def _filters(at_most_education: str | None, min_pay: int | None) -> str:
    parts = []
    if at_most_education is not None:
        parts.append(f"entry education at most {at_most_education}")
    if min_pay is not None:
        parts.append(f"median pay of ${min_pay:,} a year or more")
    return f" ({'; '.join(parts)})" if parts else ""


def _what(measure: Measure) -> str:
    return {
        "pay": "a yearly median pay",
        "growth": "a projected growth figure",
        "education": "its entry education",
        "training": "how long its training takes",
    }[measure]


def _without_line(without: list[Facts], measure: Measure, considered: int) -> str:
    if not without:
        return ""
    names = sorted(f.occupation for f in without)
    listed = f": {', '.join(names)}" if len(names) <= _NAMED_WITHOUT_FIGURE else ""
    hourly = sum(1 for f in without if measure == "pay" and f.pay and f.pay.per == "hour")
    note = f" ({hourly} state hourly pay, which is not ranked with yearly pay)" if hourly else ""
    verb = "doesn't" if len(without) == 1 else "don't"
    return f"\n\n{len(without)} of the {considered} profiles {verb} state {_what(measure)}{listed}.{note}"


def _declines_without_figure(without: list[Facts], citations: EvidenceCitations) -> str:
    """Profiles that say employment will decline without giving a percent: worth naming here."""
    lines = []
    for facts in without:
        growth = facts.growth
        if growth and "declin" in growth.words.lower():
            marker = citations.cite(growth.evidence)
            if marker:
                lines.append(f"- **{facts.occupation}**: {growth.evidence.sentence} {marker}")
    return "\n\nProjected to decline, with no figure:\n" + "\n".join(lines) if lines else ""


def _named(facts: Facts, among: Collection[str]) -> bool:
    keys = {occupation_key(name) for name in among}
    return occupation_key(facts.occupation) in keys or facts.source in among


def _plural(title: str) -> str:
    """ "Electrician" -> "Electricians", "Installer and Repairer" -> "Installers and Repairers"."""
    first, joined, rest = title.partition(" and ")
    if joined and re.search(r"(?:er|or|ist|ian|ant|ent)$", first):  # two roles: both plural
        return f"{_plural_noun(first)} and {_plural_noun(rest)}"
    return _plural_noun(title)


def _plural_noun(phrase: str) -> str:
    words = phrase.split()
    if not words:
        return phrase
    last = words[-1]
    if last.endswith("s") and not last.endswith("ss"):
        return phrase  # already plural ("Electricians", as O*NET titles are)
    if last.endswith("y") and last[-2:-1].lower() not in "aeiou":
        last = last[:-1] + "ies"
    elif last.endswith(("s", "x", "ch", "sh")):
        last += "es"
    else:
        last += "s"
    return " ".join([*words[:-1], last])
