"""Retrieval latency per question, split into embedding the job phrase and everything else.

    python benchmarks/retrieval.py [QUESTIONS.jsonl] [--corpus DIR] [--store DIR] [--limit N]

Defaults: the O*NET eval corpus and dev questions in ../shared/eval, indexed once into the
same temp-folder store `careerbot eval` uses. Run it on a quiet machine: the figures are
wall-clock times on whatever else the cores are doing.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from langchain_core.embeddings import Embeddings

from careerbot import CareerBot
from careerbot.cli import eval_store
from careerbot.evaluation import load_questions
from careerbot.settings import Settings
from careerbot.understanding import job_phrase

SHARED = Path(__file__).resolve().parents[2] / "shared" / "eval"


def _percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p50 = ordered[len(ordered) // 2] * 1000
    p95 = ordered[int(len(ordered) * 0.95)] * 1000
    return f"p50 {p50:6.1f} ms   p95 {p95:6.1f} ms   mean {statistics.fmean(ordered) * 1000:6.1f} ms"


class _Known(Embeddings):
    """Embeddings already computed, looked up by text."""

    def __init__(self, vectors: dict[str, list[float]]) -> None:
        self.vectors = vectors

    def embed_query(self, text: str) -> list[float]:
        return self.vectors[text]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self.vectors[t] for t in texts]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("questions", nargs="?", default=SHARED / "queries_dev.jsonl", type=Path)
    parser.add_argument("--corpus", default=SHARED / "onet_corpus", type=Path)
    parser.add_argument("--store", type=Path)
    parser.add_argument("--limit", type=int, default=300)
    args = parser.parse_args()

    bot = CareerBot(corpus=args.corpus, store=args.store or eval_store(args.corpus, Settings().embedder))
    started = time.perf_counter()
    print(bot.index().summary())
    print(f"index run {time.perf_counter() - started:.1f} s")
    questions = [q["question"] for q in load_questions(args.questions)][: args.limit]
    bot.retrieve(questions[0])  # model and search files loaded outside the timings

    retriever = bot.retriever
    embeddings = retriever.embeddings
    total, embedding = [], []
    for question in questions:
        started = time.perf_counter()
        bot.retrieve(question)
        total.append(time.perf_counter() - started)
    vectors = {}
    for question in questions:
        started = time.perf_counter()
        phrase = job_phrase(question) or question
        vectors[phrase] = embeddings.embed_query(phrase)
        embedding.append(time.perf_counter() - started)
    # The same questions with the embeddings looked up: what search and fusion cost on their own.
    retriever.embeddings = _Known(vectors)
    rest = []
    for question in questions:
        started = time.perf_counter()
        bot.retrieve(question)
        rest.append(time.perf_counter() - started)
    retriever.embeddings = embeddings
    print(f"{len(questions)} questions over {len(bot.occupations())} occupations")
    print(f"retrieve            {_percentiles(total)}")
    print(f"  embed the phrase  {_percentiles(embedding)}")
    print(f"  search and fusion {_percentiles(rest)}")
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
