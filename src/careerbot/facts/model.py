"""Career facts: the figures a profile states (pay, growth, entry education, training, licences) and
what it says about the work (attributes), each with the sentence it was read from.

Honest by construction: a fact holds only what its sentence says. A pay figure keeps its unit as
written (a year or an hour, never converted), a range stays a range, a growth with no figure keeps
its words and no percent.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

__all__ = [
    "ATTRIBUTES",
    "EDUCATION_LEVELS",
    "Attribute",
    "Education",
    "Evidence",
    "Facts",
    "Growth",
    "Licence",
    "Pay",
    "Training",
    "education_rank",
]

# The entry-education scale, lowest first.
EDUCATION_LEVELS = (
    "none",
    "high school",
    "postsecondary certificate",
    "some college/associate's",
    "bachelor's",
    "master's",
    "doctoral/professional",
)


# What a profile can say about the work; see attributes.toml for the words that say each.
ATTRIBUTES = (
    "office",
    "outdoors",
    "field",
    "vehicle",
    "remote",
    "nights",
    "weekends",
    "on_call",
    "long_shifts",
    "away_from_home",
    "physical",
    "patients",
    "blood",
    "emergencies",
    "people",
    "data",
    "things",
    "licence_required",
)

_MONTHS = {"year": 12, "month": 1, "week": 12 / 52}


def education_rank(level: str) -> int:
    """The place of `level` on EDUCATION_LEVELS (0 = none); ValueError for an unknown name."""
    if level not in EDUCATION_LEVELS:
        raise ValueError(f"unknown education level {level!r}; the levels are {', '.join(EDUCATION_LEVELS)}")
    return EDUCATION_LEVELS.index(level)


@dataclass(frozen=True)
class Evidence:
    """Where a fact was read: the passage (chunk) and the exact sentence, as it is written there."""

    source: str  # the profile's file, relative to the corpus
    section: str
    position: int  # the chunk's position within its profile
    sentence: str  # verbatim, a substring of the chunk's text
    chunk_id: str = ""  # the indexed chunk's id, filled in by the indexing run


@dataclass(frozen=True)
class Pay:
    """A median pay figure, or a range, per year or per hour as the sentence says."""

    per: str  # "year" or "hour"
    text: str  # the figure as written: "$61,590", "$60,000 to $63,000"
    evidence: Evidence
    amount: float | None = None  # a single figure
    low: float | None = None  # a range ("roughly $60,000 to $63,000")
    high: float | None = None
    approximate: bool = False  # "about", "roughly", "mid-"
    year: int | None = None  # the year the figure is for ("in May 2023")
    according_to: str | None = None  # the source the sentence names


@dataclass(frozen=True)
class Growth:
    """Projected employment change: a percent (negative for a decline) where one is stated."""

    words: str  # "grow 11 percent", "show little or no change", "decline"
    evidence: Evidence
    percent: float | None = None
    text: str | None = None  # the figure as written: "11 percent", "about 3 percent"
    approximate: bool = False
    period: str | None = None  # "2023 to 2033"


@dataclass(frozen=True)
class Education:
    level: str  # one of EDUCATION_LEVELS
    words: str  # the profile's own words: "Postsecondary nondegree award"
    evidence: Evidence


@dataclass(frozen=True)
class Training:
    kind: str  # "apprenticeship", "training", "program", "residency"
    words: str  # the duration as written: "four to five years"
    evidence: Evidence
    low: float | None = None  # 4.0
    high: float | None = None  # 5.0; None for "a year or more"
    unit: str = "year"  # "year", "month" or "week", as written (months when a range mixes them)


@dataclass(frozen=True)
class Licence:
    name: str  # "NCLEX-RN", "Class A CDL", "master electrician license"
    evidence: Evidence


@dataclass(frozen=True)
class Attribute:
    """What the profile says about the work: `stated` True when it says it holds, False when it says not."""

    name: str  # one of ATTRIBUTES
    stated: bool
    evidence: Evidence


@dataclass(frozen=True)
class Facts:
    """What one profile states about pay, outlook, education, training, licences and the work."""

    occupation: str
    source: str
    pay: Pay | None = None
    growth: Growth | None = None
    education: Education | None = None
    training: Training | None = None
    licences: tuple[Licence, ...] = field(default=())
    attributes: tuple[Attribute, ...] = field(default=())  # at most one per name, in ATTRIBUTES order

    @property
    def median_annual_pay(self) -> int | None:
        """USD a year, only where a sentence states one annual figure (not a range, not hourly)."""
        if self.pay and self.pay.per == "year" and self.pay.amount is not None:
            return round(self.pay.amount)
        return None

    @property
    def median_hourly_pay(self) -> float | None:
        if self.pay and self.pay.per == "hour" and self.pay.amount is not None:
            return self.pay.amount
        return None

    @property
    def growth_percent(self) -> float | None:
        return self.growth.percent if self.growth else None

    @property
    def entry_education(self) -> str | None:
        return self.education.level if self.education else None

    @property
    def training_months(self) -> tuple[float, float] | None:
        """Months of the training that leads to a first job, only where a sentence states its length."""
        training = self.training
        if training is None or training.low is None or training.high is None:
            return None
        per = _MONTHS.get(training.unit)
        if per is None:
            return None
        return (round(training.low * per, 1), round(training.high * per, 1))

    def attribute(self, name: str) -> Attribute | None:
        """What the profile says about `name` (one of ATTRIBUTES), or None when it is silent."""
        if name not in ATTRIBUTES:
            raise ValueError(f"unknown attribute {name!r}; the attributes are {', '.join(ATTRIBUTES)}")
        return next((a for a in self.attributes if a.name == name), None)

    def has(self, name: str) -> bool | None:
        """True or False as the profile states it, None when it says nothing about `name`."""
        found = self.attribute(name)
        return found.stated if found else None

    def open_with(self, level: str) -> bool:
        """Does it state an entry education of at most `level` (see EDUCATION_LEVELS)?"""
        return self.education is not None and education_rank(self.education.level) <= education_rank(level)

    @property
    def citations(self) -> dict[str, Evidence]:
        """Which sentence backs each fact: "pay", "growth", "education", "training", "licence:<name>",
        "attribute:<name>"."""
        backed: dict[str, Evidence] = {}
        for name in ("pay", "growth", "education", "training"):
            fact = getattr(self, name)
            if fact is not None:
                backed[name] = fact.evidence
        for licence in self.licences:
            backed[f"licence:{licence.name}"] = licence.evidence
        for attribute in self.attributes:
            backed[f"attribute:{attribute.name}"] = attribute.evidence
        return backed

    def with_chunk_ids(self, ids: dict[tuple[str, int], str]) -> Facts:
        """A copy whose evidence names the indexed chunk, by (source, position)."""

        def fill(fact: Any) -> Any:
            if fact is None:
                return None
            evidence = fact.evidence
            chunk_id = ids.get((evidence.source, evidence.position), evidence.chunk_id)
            return replace(fact, evidence=replace(evidence, chunk_id=chunk_id))

        return replace(
            self,
            pay=fill(self.pay),
            growth=fill(self.growth),
            education=fill(self.education),
            training=fill(self.training),
            licences=tuple(fill(licence) for licence in self.licences),
            attributes=tuple(fill(attribute) for attribute in self.attributes),
        )

    # -- stored form (the manifest's per-document entry) -----------------------------------
    def to_dict(self) -> dict:
        """The stored and `--json` form: the raw facts, then the headline figures."""
        data = asdict(self)
        data["licences"] = [asdict(licence) for licence in self.licences]
        data["attributes"] = [asdict(attribute) for attribute in self.attributes]
        data.update(
            median_annual_pay=self.median_annual_pay,
            median_hourly_pay=self.median_hourly_pay,
            growth_percent=self.growth_percent,
            entry_education=self.entry_education,
        )
        return data

    def stored(self) -> dict:
        """The form kept in the manifest: the raw facts only, facts not stated left out."""
        data = asdict(self)
        return {key: value for key, value in data.items() if value not in (None, (), [])}

    @classmethod
    def from_dict(cls, data: dict) -> Facts:
        """From `to_dict()` or `stored()`."""

        def load(kind: type, value: dict | None) -> Any:
            if value is None:
                return None
            known = {f.name for f in fields(kind)}
            value = {k: v for k, v in value.items() if k in known}
            return kind(**{**value, "evidence": Evidence(**value["evidence"])})

        return cls(
            occupation=data["occupation"],
            source=data["source"],
            pay=load(Pay, data.get("pay")),
            growth=load(Growth, data.get("growth")),
            education=load(Education, data.get("education")),
            training=load(Training, data.get("training")),
            licences=tuple(load(Licence, item) for item in data.get("licences", [])),
            attributes=tuple(load(Attribute, item) for item in data.get("attributes", [])),
        )
