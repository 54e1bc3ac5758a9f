"""The person's situation: what they have, need and won't do, kept across a conversation.

It is read from what they say (the labels of `careerbot.understanding.learned`), kept until they
change it, and used to choose which jobs to recommend. Wants and deal-breakers are named like the
profile attributes (`careerbot.facts.ATTRIBUTES`) they are matched against.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from careerbot.facts import EDUCATION_LEVELS

__all__ = ["NO_DEGREE", "Situation"]

# "Without a degree": jobs whose stated entry education is at most this.
NO_DEGREE = "postsecondary certificate"

# How each want and deal-breaker reads on a chip and in "Without a degree, no blood: ...".
_WANTED = {
    "remote": "from home",
    "outdoors": "outdoors",
    "people": "with people",
    "things": "hands-on",
    "data": "with data",
    "emergencies": "action and emergencies",
}
_AVOIDED = {
    "blood": "no blood",
    "nights": "no nights",
    "weekends": "no weekends",
    "away_from_home": "home every night",
    "people": "little contact with people",
    "physical": "not physical",
    "office": "not a desk job",
    "outdoors": "indoors",
    "emergencies": "no emergencies",
}
_PLAIN = {"no_degree": "without a degree", "quick": "quick to start", "cheap": "little money for training"}


@dataclass(frozen=True)
class Situation:
    """What a person has said about themselves: their education, needs, wants and deal-breakers."""

    education: str | None = None  # the most they have, on careerbot.facts.EDUCATION_LEVELS
    no_degree: bool = False  # won't or can't study for a degree
    quick: bool = False  # wants to start work soon
    cheap: bool = False  # little money for training
    wants: tuple[str, ...] = ()  # attributes the job should have ("remote", "outdoors")
    avoids: tuple[str, ...] = ()  # deal-breakers ("blood", "nights")

    @classmethod
    def of(cls, labels: Iterable[str]) -> Situation:
        """From a reading's labels: "no_degree", "want:remote", "avoid:blood", "education:bachelor's"."""
        situation = cls()
        for label in labels:
            kind, _, value = label.partition(":")
            if kind in _PLAIN:
                situation = replace(situation, **{kind: True})
            elif kind == "want" and value in _WANTED:
                situation = replace(situation, wants=(*situation.wants, value))
            elif kind == "avoid" and value in _AVOIDED:
                situation = replace(situation, avoids=(*situation.avoids, value))
            elif kind == "education" and value in EDUCATION_LEVELS:
                situation = replace(situation, education=value)
        # Read as both wanted and not: unclear, so neither.
        both = set(situation.wants) & set(situation.avoids)
        return replace(
            situation,
            wants=tuple(w for w in situation.wants if w not in both),
            avoids=tuple(a for a in situation.avoids if a not in both),
        )

    @classmethod
    def from_chips(cls, chips: Iterable[str]) -> Situation:
        """From `chips()` words (what the page shows and sends back); unknown words are ignored."""
        everything = cls(
            education=None,
            no_degree=True,
            quick=True,
            cheap=True,
            wants=tuple(_WANTED),
            avoids=tuple(_AVOIDED),
        )
        kept = set(chips)
        situation = everything
        for chip in everything.chips():
            if chip not in kept:
                situation = situation.without(chip)
        education = next((c[4:] for c in kept if c.startswith("has ") and c[4:] in EDUCATION_LEVELS), None)
        return replace(situation, education=education)

    def __bool__(self) -> bool:
        return bool(self.chips())

    def updated(self, newer: Situation) -> Situation:
        """This situation with what was said since: a new statement of a slot replaces the old,
        a want replaces the deal-breaker of the same name and the other way round."""
        wants = tuple(dict.fromkeys(w for w in (*self.wants, *newer.wants) if w not in newer.avoids))
        avoids = tuple(dict.fromkeys(a for a in (*self.avoids, *newer.avoids) if a not in newer.wants))
        return Situation(
            education=newer.education or self.education,
            no_degree=self.no_degree or newer.no_degree,
            quick=self.quick or newer.quick,
            cheap=self.cheap or newer.cheap,
            wants=wants,
            avoids=avoids,
        )

    @property
    def max_education(self) -> str | None:
        """The most entry education a job may ask for: none without a degree or money for one."""
        return NO_DEGREE if self.no_degree or self.cheap else None

    @property
    def reach(self) -> str | None:
        """The most entry education open to them now: what they have, or a short certificate on
        top of a diploma; None when they haven't said."""
        if self.education is None:
            return None
        return max(self.education, NO_DEGREE, key=EDUCATION_LEVELS.index)

    def chips(self) -> list[str]:
        """Each part in a few words, in a fixed order: the page's removable chips."""
        chips = []
        if self.education:
            chips.append(f"has {self.education}")
        chips += [words for name, words in _PLAIN.items() if getattr(self, name)]
        chips += [_WANTED[w] for w in self.wants]
        chips += [_AVOIDED[a] for a in self.avoids]
        return chips

    def without(self, chip: str) -> Situation:
        """This situation with one chip removed (as `chips()` words it)."""
        if chip == f"has {self.education}":
            return replace(self, education=None)
        for name, words in _PLAIN.items():
            if chip == words:
                return replace(self, **{name: False})
        return replace(
            self,
            wants=tuple(w for w in self.wants if _WANTED[w] != chip),
            avoids=tuple(a for a in self.avoids if _AVOIDED[a] != chip),
        )

    def heading(self) -> str:
        """ "Without a degree, no blood" : the acknowledgement an answer starts with."""
        chips = [c for c in self.chips() if not c.startswith("has ")]
        text = ", ".join(chips)
        return text[:1].upper() + text[1:]

    def to_dict(self) -> dict:
        return {
            "education": self.education,
            "no_degree": self.no_degree,
            "quick": self.quick,
            "cheap": self.cheap,
            "wants": list(self.wants),
            "avoids": list(self.avoids),
            "chips": self.chips(),
        }
