"""Answers across occupations from their stated figures: ranked lists and two-way relations.

"What job earns the most money?", "the fastest growing jobs", "best paid without a degree", "jobs that
pay over $80k": `rank` lists the profiles by one measure, each line quoting the sentence that
holds the figure with its [n], and says how many profiles state no such figure. `relation`
states how two occupations compare ("Electricians and Plumbers earn about the same: ...").

Only stated figures are used: yearly pay is never compared with hourly pay, a range stays a
range, and no difference is computed or shown.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Literal

from careerbot.answer.answer import Answer, Citation
from careerbot.facts import Evidence, Facts, education_rank
from careerbot.profiles import occupation_key
from careerbot.retrieval import Passage

__all__ = ["ABOUT_THE_SAME", "Measure", "rank", "relation"]

Measure = Literal["pay", "growth", "education", "training"]
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
    citations = _Citations(passages)
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
        line = _line(facts_of, measure, citations, at_most_education, min_pay)
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
    facts_a: Facts, facts_b: Facts, measure: Measure, *, cite: tuple[str, str] = ("", "")
) -> str | None:
    """How two occupations compare on `measure`, from their stated figures; None when either has none
    (or they can't be compared without converting, such as yearly and hourly pay).

    `cite` is put after each figure, e.g. ("[1]", "[2]"): the markers of the sentences holding them.
    """
    a, b = _plural(facts_a.occupation), _plural(facts_b.occupation)
    mark_a, mark_b = (f" {m}" if m else "" for m in cite)
    if measure == "pay":
        pay_a, pay_b = facts_a.pay, facts_b.pay
        low_a, low_b = _span(facts_a), _span(facts_b)
        if not (pay_a and pay_b and low_a and low_b) or pay_a.per != pay_b.per:
            return None
        per = "an hour" if pay_a.per == "hour" else "a year"
        figures = f"{pay_a.text}{mark_a} and {pay_b.text}{mark_b} {per}"
        order = _order(low_a, low_b)
        if order == 0:
            return f"{a} and {b} earn about the same: {figures}."
        more, less = (a, b) if order > 0 else (b, a)
        return f"{more} earn more than {less}: {figures}."
    if measure == "growth":
        if facts_a.growth_percent is None or facts_b.growth_percent is None:
            return None
        x, y = facts_a.growth_percent, facts_b.growth_percent
        figures = f"{_growth_figure(facts_a)}{mark_a} and {_growth_figure(facts_b)}{mark_b}"
        period = facts_a.growth.period if facts_a.growth else None
        if period and facts_b.growth and facts_b.growth.period == period:
            figures += f", {period}"
        if abs(x - y) < 1:
            return f"Employment of {a} and {b} is projected to change by about the same: {figures}."
        faster, slower = (a, b) if x > y else (b, a)
        if max(x, y) <= 0:
            return f"Employment of {slower} is projected to decline more than that of {faster}: {figures}."
        return f"Employment of {faster} is projected to grow faster than that of {slower}: {figures}."
    if measure == "education":
        if facts_a.education is None or facts_b.education is None:
            return None
        x, y = education_rank(facts_a.education.level), education_rank(facts_b.education.level)
        words = f"{facts_a.education.words}{mark_a} and {facts_b.education.words}{mark_b}"
        if x == y:
            return f"{a} and {b} need the same level of education to enter: {words}."
        more, less = (a, b) if x > y else (b, a)
        return f"{more} need more education to enter than {less}: {words}."
    raise ValueError(f"unknown measure {measure!r}; use pay, growth or education")


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


def _growth_label(facts: Facts) -> str:
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
class _Citations:
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
    facts: Facts, measure: Measure, citations: _Citations, at_most_education: str | None, min_pay: int | None
) -> str | None:
    if measure == "pay":
        assert facts.pay is not None
        evidence, label = facts.pay.evidence, f"{facts.pay.text} a year"
    elif measure == "growth":
        assert facts.growth is not None
        evidence, label = facts.growth.evidence, _growth_label(facts)
    elif measure == "training":
        assert facts.training is not None
        evidence, label = facts.training.evidence, f"{facts.training.words} ({facts.training.kind})"
    else:
        assert facts.education is not None
        evidence, label = facts.education.evidence, facts.education.level
    marker = citations.cite(evidence)
    if marker is None:
        return None
    line = f"**{facts.occupation}**, {label}: {evidence.sentence} {marker}"
    # A filter's claim is cited too: the entry education, the pay.
    extra = []
    if at_most_education is not None and measure != "education" and facts.education:
        extra.append(("entry education", facts.education.words, facts.education.evidence))
    if min_pay is not None and measure != "pay" and facts.pay:
        extra.append(("pay", f"{facts.pay.text} a year", facts.pay.evidence))
    for name, words, where in extra:
        other = citations.cite(where)
        if other is None:
            return None
        line += f" ({name}: {words} {other})"
    return line


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


def _declines_without_figure(without: list[Facts], citations: _Citations) -> str:
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
