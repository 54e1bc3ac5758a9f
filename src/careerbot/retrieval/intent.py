"""What a career question asks for, and which profile sections answer it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from careerbot.text import STOP_WORDS, stems, words

__all__ = ["INTENTS", "Intent", "detect_intent", "job_phrase", "subject_stems"]


@dataclass(frozen=True)
class Intent:
    name: str
    question: re.Pattern[str]
    # Section-name patterns in the order an answer presents them.
    sections: tuple[re.Pattern[str], ...]
    # Stems that mark a sentence as speaking to this intent.
    cues: frozenset[str]

    def section_rank(self, section: str) -> int | None:
        """Position of `section` among this intent's sections, or None if it is not one."""
        return next((i for i, p in enumerate(self.sections) if p.search(section)), None)


def _intent(name: str, question: str, sections: list[str], cues: str) -> Intent:
    return Intent(
        name,
        re.compile(question, re.I),
        tuple(re.compile(s, re.I) for s in sections),
        frozenset(stems(cues)),
    )


_BY_NAME = {
    i.name: i
    for i in (
        _intent(
            "become",
            r"\bbecom|\bget (into|started|a job)|\bqualif|\bcareer path|\brequire|\bpath (to|into)"
            r"|\bhow (do|can|would|should) (i|you|one|someone) (start|get|enter|break)|\bstudy"
            r"|\beducation|\bdegree|\btrain|\blicen[cs]|\bcertif|\bwhat (does it take|do i need to do)",
            [
                r"education.*description|how to become|education",
                r"training|licen[cs]|certif",
                r"experience",
                r"skills|advancement|career path|how to become",
            ],
            "degree bachelor bachelors master diploma education educated college university school"
            " course courses program apprenticeship apprentice training trained license licensure"
            " licensed certification certified exam experience years begin start entry advance"
            " advancement promotion promoted supervisor supervisory ranks move graduate",
        ),
        _intent(
            "pay",
            r"\bpay|\bpaid|\bearn|\bsalar|\bwage|\bincome|\bhow much (do|does|can|will)|\bmoney"
            r"|\bcompensation",
            [r"salary|wage|pay|earning|compensation"],
            "median annual wage wages salary pay paid earn earnings hourly income percent",
        ),
        _intent(
            "skills",
            r"\bskill|\bqualities|\bgood at|\babilit|\btalent|\bstrength",
            [r"skill|qualities|abilities"],
            "skill skills ability communication interpersonal analytical problem leadership detail"
            " physical technical math organizational",
        ),
        _intent(
            "outlook",
            r"\boutlook|\bdemand|\bfuture|\bgrow|\bprospect|\bjobs? (available|market)|\bprojected",
            [r"outlook|projection|demand"],
            "employment projected grow growth percent outlook demand openings decline average",
        ),
        _intent(
            "environment",
            r"\bwork(ing)? (environment|conditions|hours|schedule)|\bwhere do|\bwhere does|\bhours"
            r"|\bovertime|\bschedule|\bshifts?\b|\btravel|\bdangerous|\bsafe|\boffice",
            [r"work environment|working conditions|environment"],
            "work hours full time overtime shift shifts weekends nights office travel plant site"
            " outdoors conditions safety protective equipment",
        ),
        _intent(
            "duties",
            r"\bwhat (does|do|would) (a|an|the)?\s*.* do\b|\bduties|\bresponsib|\bday to day"
            r"|\btypical day|\bwhat is (a|an)\b|\brole|\btasks?\b|\bjob description",
            [
                r"brief job description|^summary|^overview|^description|^job description",
                r"job profile|duties|what .* do",
            ],
            "oversee coordinate plan direct manage responsible duties tasks typically work",
        ),
    )
}
# Checked in this order: the more specific asks win ("what skills do I need to become ...").
INTENTS = tuple(_BY_NAME[name] for name in ("skills", "pay", "outlook", "become", "environment", "duties"))

_OVERVIEW = _intent(
    "overview",
    r"$^",
    [
        r"brief job description|^summary|^overview|^description|^job description",
        r"job profile|duties|what .* do",
    ],
    "",
)


def detect_intent(question: str) -> Intent:
    """The first intent whose question pattern matches; a general overview otherwise."""
    return next((i for i in INTENTS if i.question.search(question)), _OVERVIEW)


# Words that frame a career question rather than name its subject.
_SCAFFOLDING = frozenset(
    stems(
        """become becoming do does doing earn earns earning make makes made pay paid salary salaries
        wage wages income money much skill skills need needed required requirement requirements job
        jobs career careers work works working worker occupation occupations profession person
        someone somebody people outlook future demand prospects duty duties responsibility
        responsibilities role roles position education degree train training qualification
        qualifications hour hours environment typical day like good best start get kind type
        field year annual describe description average typically usually role path study qualities
        day-to-day nowadays today right now please thanks thank help know tell explain question
        condition conditions setting settings benefit benefits stressful growth"""
    )
)


def subject_stems(question: str) -> set[str]:
    """Stems of what a question is about, with its framing words ("how do I become") removed."""
    return set(stems(question)) - _SCAFFOLDING


# Framing words that may also open a job title ("education teacher", "career counselor",
# "training manager"): kept only when the next word is part of the phrase.
_SOFT_FRAMING = frozenset(stems("education training career job work position field safety"))
# Head words that end a title ("social worker"): kept when a title word comes before them.
_TITLE_HEADS = frozenset(stems("worker person"))


def job_phrase(question: str) -> str:
    """The words of `question` that name a job: "How do I become a plant manager?" -> "plant manager".

    Stop words and framing words ("become", "earn", "skills") are dropped; a few framing words
    that also occur in titles are kept where they lead into, or end, a title.
    """
    tokens = [w for w in words(question) if w]
    stemmed = [stems(w)[0] if w not in STOP_WORDS else "" for w in tokens]
    keep = [False] * len(tokens)
    for i in reversed(range(len(tokens))):
        stem = stemmed[i]
        if not stem:
            continue
        if stem in _TITLE_HEADS:
            keep[i] = i > 0 and bool(stemmed[i - 1]) and stemmed[i - 1] not in _SCAFFOLDING
        elif stem in _SOFT_FRAMING:
            keep[i] = i + 1 < len(tokens) and keep[i + 1]
        else:
            keep[i] = stem not in _SCAFFOLDING
    return " ".join(w for w, k in zip(tokens, keep, strict=True) if k)
