"""What a career question asks for, and which profile sections answer it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from careerbot.text import STOP_WORDS, stems, words

__all__ = ["CUE_STEMS", "INTENTS", "Intent", "detect_intent", "job_phrase", "make_intent", "subject_stems"]


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


def make_intent(name: str, question: str, sections: list[str], cues: str) -> Intent:
    return Intent(
        name,
        re.compile(question, re.I),
        tuple(re.compile(s, re.I) for s in sections),
        frozenset(stems(cues)),
    )


_BY_NAME = {
    i.name: i
    for i in (
        make_intent(
            "become",
            r"\bbecom|\bget (into|started|a job)|\bqualif|\bcareer path|\brequire|\bpath (to|into)"
            r"|\bhow (do|can|would|should) (i|you|one|someone) (start|get|enter|break)|\bstudy"
            r"|\beducation|\bdegree|\btrain|\blicen[cs]|\bcertif|\bwhat (does it take|do i need to do)",
            [
                r"education.*description|how to become",
                r"education",
                r"training|licen[cs]|certif",
                r"experience",
                r"skills|advancement|career path|how to become",
            ],
            "degree bachelor bachelors master diploma education educated college university school"
            " course courses program apprenticeship apprentice training trained license licensure"
            " licensed certification certified exam experience years begin start entry advance"
            " advancement promotion promoted supervisor supervisory ranks move graduate",
        ),
        make_intent(
            "pay",
            r"\bpay|\bpaid|\bearn|\bsalar|\bwage|\bincome|\bhow much (do|does|can|will)|\bmoney"
            r"|\bcompensation",
            [r"salary|wage|pay|earning|compensation"],
            "median annual wage wages salary pay paid earn earnings hourly income percent",
        ),
        make_intent(
            "skills",
            r"\bskill|\bqualities|\bgood at|\babilit|\btalent|\bstrength",
            [r"skill|qualities|abilities"],
            "skill skills ability communication interpersonal analytical problem leadership detail"
            " physical technical math organizational",
        ),
        make_intent(
            "outlook",
            r"\boutlook|\bdemand|\bfuture|\bgrow|\bprospect|\bjobs? (available|market)|\bprojected",
            [r"outlook|projection|demand"],
            "employment projected grow growth percent outlook demand openings decline average",
        ),
        make_intent(
            "environment",
            r"\bwork(ing)? (environment|conditions|hours|schedule)|\bwhere do|\bwhere does|\bhours"
            r"|\bovertime|\bschedule|\bshifts?\b|\btravel|\bdangerous|\bsafe|\boffice",
            [r"work environment|working conditions|environment"],
            "hours full time overtime shift shifts weekends nights office travel plant site"
            " outdoors conditions safety protective equipment",
        ),
        make_intent(
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

_OVERVIEW = make_intent(
    "overview",
    r"$^",
    [
        r"brief job description|^summary|^overview|^description|^job description",
        r"job profile|duties|what .* do",
    ],
    "",
)


# Every intent's cue words: what a follow-up like "is there overtime?" asks about, not who.
CUE_STEMS = frozenset().union(*(i.cues for i in INTENTS))


def detect_intent(question: str) -> Intent:
    """The first intent whose question pattern matches; a general overview otherwise.

    The patterns read the question with its job phrase replaced by "X", so a job's own name
    ("police officer", "shift supervisor", "licensed nurse") is not taken for what is asked.
    """
    framing = " ".join(_split(question)[1])
    # When the phrase swallowed the ask ("what certification does a stenographer need"),
    # the whole question is the better reading.
    for text in (framing, question):
        found = next((i for i in INTENTS if i.question.search(text)), None)
        if found:
            return found
    return _OVERVIEW


# Words that frame a career question rather than name its subject.
_FRAMING = frozenset(
    """become becoming do does doing earn earns earning make makes made pay paid salary salaries
    wage wages income money much skill skills need needed required requirement requirements job
    jobs career careers work works working worker occupation occupations profession person
    someone somebody people outlook future demand prospects duty duties responsibility
    responsibilities role roles position education degree train training qualification
    qualifications hour hours environment typical day like good best start get kind type
    field year annual describe description average typically usually role path study qualities
    day-to-day nowadays today right now please thanks thank help know tell explain question
    condition conditions setting settings benefit benefits stressful growth life""".split()
)
# Follow-up words that frame a question too, but also open titles ("First-Line Supervisor"),
# so they count for `subject_stems` and not for cutting the job phrase.
_FOLLOW_UP = """lot lots about first second third former latter last other one ones more likes liked
enjoy enjoys love loves someone"""
_SCAFFOLDING = frozenset(stems(" ".join(_FRAMING) + " " + _FOLLOW_UP))


def subject_stems(question: str) -> set[str]:
    """Stems of what a question is about, with its framing words ("how do I become") removed."""
    return set(stems(question)) - _SCAFFOLDING


# Framing words that may also open a job title ("education teacher", "career counselor",
# "training manager"): kept at the start of a phrase when a title word follows.
_SOFT_FRAMING = frozenset(stems("education training career job work position field safety"))
# Framing words that may also end a title ("social worker"): kept after a title word.
_TITLE_HEADS = frozenset(stems("worker workers person"))


def job_phrase(question: str) -> str:
    """The words of `question` that name a job: "How do I become a plant manager?" -> "plant manager".

    Framing ("how do I become a", "what does a ... earn") is cut from both ends of each clause;
    words inside the phrase stay ("stand up comedian", "director of nursing").
    """
    return " ".join(_split(question)[0])


def _split(question: str) -> tuple[list[str], list[str]]:
    """(the job phrases of each clause, the question's words with each phrase replaced by "X")."""
    phrases, framing_words = [], []
    for clause in re.split(r"[,.;:!?()]+", question):
        tokens = words(clause)
        framing = [w in STOP_WORDS or w in _FRAMING for w in tokens]
        start, end = 0, len(tokens)
        while start < end and framing[start] and not _opens_title(tokens, framing, start):
            start += 1
        while end > start and framing[end - 1] and not _ends_title(tokens, framing, end - 1, start):
            end -= 1
        if start < end:
            phrases.append(" ".join(tokens[start:end]))
        framing_words += [*tokens[:start], *(["X"] if start < end else []), *tokens[end:]]
    return phrases, framing_words


def _opens_title(tokens: list[str], framing: list[bool], i: int) -> bool:
    soft = tokens[i] not in STOP_WORDS and stems(tokens[i])[0] in _SOFT_FRAMING
    return soft and i + 1 < len(tokens) and not framing[i + 1]


def _ends_title(tokens: list[str], framing: list[bool], i: int, start: int) -> bool:
    head = tokens[i] not in STOP_WORDS and stems(tokens[i])[0] in _TITLE_HEADS
    return head and not all(framing[start:i])
