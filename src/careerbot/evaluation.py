"""Evaluation: does the bot find the right occupation and section, and understand dialogs.

A question file has one JSON object a line: `{"question": ..., "soc6": "113051"}` (a hit is a
passage whose file name starts with `11-3051`) or `{"question": ..., "occupation": ...,
"section": ...}` (`section` may be a list of acceptable section names). A dialog file has
`{"turns": [{"q": ..., "kind": ..., "occ": [...], "facet": ...}, ...]}` a line, judged turn by
turn through `bot.chat()` (see `judge_turn`).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath

import numpy as np

from careerbot.answer import Answer
from careerbot.bot import CareerBot
from careerbot.retrieval import Passage

__all__ = [
    "DialogReport",
    "EvalReport",
    "QuestionResult",
    "evaluate",
    "evaluate_dialogs",
    "is_dialog_file",
    "judge_turn",
    "load_questions",
]

# Passages asked for per question: enough for ten distinct occupations (see CareerRetriever).
PASSAGES = 20


@dataclass(frozen=True)
class QuestionResult:
    question: str
    rank: int | None  # 1-based rank of the expected occupation among those retrieved
    section_ok: bool | None  # None when no section is expected
    top: str  # occupation and section of the first passage
    seconds: float


@dataclass
class EvalReport:
    questions: int = 0
    hit_at_1: float = 0.0
    hit_at_5: float = 0.0
    mrr_at_10: float = 0.0
    section_accuracy: float | None = None
    sections: int = 0  # questions with an expected section
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    # Share of questions whose expected occupation is the answer's, or one it offers instead.
    answer_or_alternative: float | None = None
    answer_p50_ms: float | None = None
    answer_p95_ms: float | None = None
    results: list[QuestionResult] = field(default_factory=list, repr=False)

    def table(self) -> str:
        rows = [
            ("questions", f"{self.questions}"),
            ("occupation hit@1", f"{self.hit_at_1:.3f}"),
            ("occupation hit@5", f"{self.hit_at_5:.3f}"),
            ("occupation MRR@10", f"{self.mrr_at_10:.3f}"),
            (
                "section accuracy",
                "-" if self.section_accuracy is None else f"{self.section_accuracy:.3f} ({self.sections})",
            ),
            ("latency p50", f"{self.p50_ms:.1f} ms"),
            ("latency p95", f"{self.p95_ms:.1f} ms"),
        ]
        if self.answer_or_alternative is not None:
            rows.append(("answer or alternative", f"{self.answer_or_alternative:.3f}"))
            rows.append(("answer p50 / p95", f"{self.answer_p50_ms:.1f} / {self.answer_p95_ms:.1f} ms"))
        width = max(len(name) for name, _ in rows)
        return "\n".join(f"{name:<{width}}  {value}" for name, value in rows)

    def to_dict(self, *, with_results: bool = False) -> dict:
        data = asdict(self)
        if not with_results:
            data.pop("results")
        return data


def load_questions(path: str | Path) -> list[dict]:
    """The questions of a JSON-lines file; blank lines are skipped."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    questions = [json.loads(line) for line in lines if line.strip()]
    for n, item in enumerate(questions, 1):
        if "question" not in item or not ({"soc6", "occupation"} & set(item)):
            raise ValueError(f"line {n} of {path} needs a question and a soc6 or an occupation")
    return questions


def evaluate(bot: CareerBot, questions: Iterable[dict], *, answers: bool = False) -> EvalReport:
    """Retrieve for every question and score occupation rank, section and latency; with `answers`,
    also ask it and count the expected occupation found as the answer's or an alternative."""
    bot.retrieve("warm-up question about a nurse")  # loads the model and the index
    results, offered, answering = [], [], []
    for item in questions:
        started = time.perf_counter()
        passages = bot.retrieve(item["question"], k=PASSAGES)
        seconds = time.perf_counter() - started
        results.append(_judge(item, passages, seconds))
        if answers:
            started = time.perf_counter()
            answer = bot.ask(item["question"])
            answering.append(time.perf_counter() - started)
            named = {*answer.occupations[:1], *answer.alternatives}
            offered.append(any(_is_expected(item, _source_of(bot, n), passages, n) for n in named))
    report = _summarise(results)
    if answers and answering:
        report.answer_or_alternative = sum(offered) / len(offered)
        report.answer_p50_ms = float(np.percentile(answering, 50) * 1000)
        report.answer_p95_ms = float(np.percentile(answering, 95) * 1000)
    return report


def _source_of(bot: CareerBot, occupation: str) -> str:
    return next((d.source for d in bot.documents() if d.occupation == occupation), "")


def _judge(item: dict, passages: list[Passage], seconds: float) -> QuestionResult:
    sources = list(dict.fromkeys(p.source for p in passages))
    matches = [n for n, source in enumerate(sources, 1) if _is_expected(item, source, passages)]
    section_ok = None
    if item.get("section"):
        wanted = item["section"] if isinstance(item["section"], list) else [item["section"]]
        section_ok = bool(passages) and passages[0].section.casefold() in {w.casefold() for w in wanted}
    top = f"{passages[0].occupation} / {passages[0].section}" if passages else ""
    return QuestionResult(item["question"], matches[0] if matches else None, section_ok, top, seconds)


def _is_expected(item: dict, source: str, passages: list[Passage], occupation: str | None = None) -> bool:
    if "soc6" in item:
        code = str(item["soc6"])
        if PurePosixPath(source).name.startswith(f"{code[:2]}-{code[2:]}"):
            return True
    if "occupation" in item:
        occupation = occupation or next(p.occupation for p in passages if p.source == source)
        return occupation.casefold() == str(item["occupation"]).casefold()
    return False


def _summarise(results: list[QuestionResult]) -> EvalReport:
    count = len(results) or 1
    ranks = [r.rank for r in results]
    sections = [r.section_ok for r in results if r.section_ok is not None]
    times = np.array([r.seconds for r in results]) * 1000 if results else np.zeros(1)
    return EvalReport(
        questions=len(results),
        hit_at_1=sum(r == 1 for r in ranks) / count,
        hit_at_5=sum(r is not None and r <= 5 for r in ranks) / count,
        mrr_at_10=sum(1 / r for r in ranks if r is not None and r <= 10) / count,
        section_accuracy=sum(sections) / len(sections) if sections else None,
        sections=len(sections),
        p50_ms=float(np.percentile(times, 50)),
        p95_ms=float(np.percentile(times, 95)),
        results=results,
    )


# -- dialogs ------------------------------------------------------------------------------------
# A facet is judged on the name of the section an answer cites (lower case, any of these words).
FACET_SECTIONS = {
    "become": ("education", "how to become", "training", "experience", "licens", "certif", "qualif",
               "advancement", "career path"),
    "pay": ("salary", "pay", "wage", "earn"),
    "duties": ("brief job description", "job profile", "duties", "what they do", "description"),
    "skills": ("skill", "qualities"),
    "env": ("work environment", "working conditions", "schedule", "hours"),
    "outlook": ("outlook", "projection"),
    "related": ("related",),
}  # fmt: skip


@dataclass
class DialogReport:
    turns: int = 0
    passed: int = 0
    kinds: dict[str, list[int]] = field(default_factory=dict)  # kind -> [passed, turns]
    failures: list[str] = field(default_factory=list)
    p50_ms: float = 0.0
    p95_ms: float = 0.0

    def table(self) -> str:
        rows = [f"turns passed  {self.passed}/{self.turns} ({self.passed / (self.turns or 1):.2f})"]
        rows += [f"  {kind:<11} {ok}/{count}" for kind, (ok, count) in sorted(self.kinds.items())]
        rows.append(f"answer p50 {self.p50_ms:.1f} ms, p95 {self.p95_ms:.1f} ms")
        return "\n".join(rows)

    def to_dict(self) -> dict:
        return asdict(self)


def is_dialog_file(path: str | Path) -> bool:
    """Does the file hold dialogs (a "turns" list a line) rather than single questions?"""
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip():
            return "turns" in json.loads(line)
    return False


def evaluate_dialogs(bot: CareerBot, path: str | Path) -> DialogReport:
    """Ask every dialog through `bot.chat()` and judge each turn (see `judge_turn`)."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    dialogs = [json.loads(line) for line in lines if line.strip()]
    bot.ask("warm-up question about a nurse")
    report, times = DialogReport(), []
    for dialog in dialogs:
        conversation, previous = bot.chat(), {}
        for turn in dialog["turns"]:
            started = time.perf_counter()
            try:
                answer = conversation.ask(turn["q"])
                ok, why = judge_turn(turn, answer, previous)
            except Exception as error:  # a crash is a failed turn, not a failed evaluation
                answer, ok, why = None, False, f"{type(error).__name__}: {error}"
            times.append(time.perf_counter() - started)
            occupations = list(answer.occupations) if answer is not None else []
            previous = {"occ": occupations[0] if occupations else None, "listed": occupations}
            counts = report.kinds.setdefault(turn["kind"], [0, 0])
            counts[0] += ok
            counts[1] += 1
            report.turns += 1
            report.passed += ok
            if not ok:
                report.failures.append(f"[{turn['kind']}] {turn['q']!r}: {why}")
    if times:
        report.p50_ms = float(np.percentile(times, 50) * 1000)
        report.p95_ms = float(np.percentile(times, 95) * 1000)
    return report


def judge_turn(turn: dict, answer: Answer, previous: dict) -> tuple[bool, str]:
    """One turn's verdict and why it failed.

    single / first / same: the answer's first occupation is the expected one (first: the first
    the previous answer listed; same: the previous turn's), and with a facet its first citation's
    section belongs to it. compare: every expected occupation is answered about, and with a facet
    each has a citation of it. explore: two or more listed, at least half expected. rank: the
    first is expected. none: no citation at all.
    """
    occupations, citations = list(answer.occupations), list(answer.citations)
    kind, expected, facet = turn["kind"], turn["occ"], turn.get("facet")
    if kind == "none":
        return not citations, "cited something"
    if not occupations:
        return False, "no occupation"
    lead = citations[0].section if citations else None
    if kind in ("single", "first", "same"):
        want = {"first": previous.get("listed", [None])[:1], "same": [previous.get("occ")]}.get(
            kind, expected[:1]
        )
        if occupations[0] not in want or (kind == "first" and occupations[0] not in expected):
            return False, f"got {occupations[0]}, want {want}"
        if facet and not _in_facet(lead, facet):
            return False, f"leads with {lead!r}"
        return True, ""
    if kind == "compare":
        if not set(expected) <= set(occupations):
            return False, f"got {occupations}"
        covered = {c.occupation for c in citations if _in_facet(c.section, facet)} if facet else set(expected)
        return set(expected) <= covered, f"{facet} cited for {sorted(covered)} only"
    if kind == "explore":
        good = [o for o in occupations if o in expected]
        return len(occupations) >= 2 and len(good) * 2 >= len(occupations), f"listed {occupations}"
    if kind == "rank":
        return occupations[0] in expected, f"led with {occupations[0]}"
    return False, f"unknown kind {kind}"


def _in_facet(section: str | None, facet: str) -> bool:
    name = (section or "").lower()
    return any(word in name for f in facet.split("|") for word in FACET_SECTIONS[f])
