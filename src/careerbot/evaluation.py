"""Retrieval evaluation: does `bot.retrieve` find the right occupation and section, and how fast.

A question file has one JSON object a line: `{"question": ..., "soc6": "113051"}` (a hit is a
passage whose file name starts with `11-3051`) or `{"question": ..., "occupation": ...,
"section": ...}` (`section` may be a list of acceptable section names).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath

import numpy as np

from careerbot.bot import CareerBot
from careerbot.retrieval import Passage

__all__ = ["EvalReport", "QuestionResult", "evaluate", "load_questions"]

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


def evaluate(bot: CareerBot, questions: Iterable[dict]) -> EvalReport:
    """Retrieve for every question and score occupation rank, section and latency."""
    bot.retrieve("warm-up question about a nurse")  # loads the model and the index
    results = []
    for item in questions:
        started = time.perf_counter()
        passages = bot.retrieve(item["question"], k=PASSAGES)
        seconds = time.perf_counter() - started
        results.append(_judge(item, passages, seconds))
    return _summarise(results)


def _judge(item: dict, passages: list[Passage], seconds: float) -> QuestionResult:
    sources = list(dict.fromkeys(p.source for p in passages))
    matches = [n for n, source in enumerate(sources, 1) if _is_expected(item, source, passages)]
    section_ok = None
    if item.get("section"):
        wanted = item["section"] if isinstance(item["section"], list) else [item["section"]]
        section_ok = bool(passages) and passages[0].section.casefold() in {w.casefold() for w in wanted}
    top = f"{passages[0].occupation} / {passages[0].section}" if passages else ""
    return QuestionResult(item["question"], matches[0] if matches else None, section_ok, top, seconds)


def _is_expected(item: dict, source: str, passages: list[Passage]) -> bool:
    if "soc6" in item:
        code = str(item["soc6"])
        if PurePosixPath(source).name.startswith(f"{code[:2]}-{code[2:]}"):
            return True
    if "occupation" in item:
        occupation = next(p.occupation for p in passages if p.source == source)
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
