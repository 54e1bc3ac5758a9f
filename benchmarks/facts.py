"""What reading career facts adds to indexing.

    .venv/bin/python benchmarks/facts.py [--corpus corpus] [--runs 2] [--before-src DIR]

1. In process: the time to read every profile's facts, next to the time to read and chunk them.
2. With --before-src (the src/ folder of the code before facts, e.g. from `git archive REV src`):
   full index builds of the corpus, this code and that code alternating, each in a fresh
   subprocess with a fresh store (the model load included); medians of wall and CPU seconds.
   `--embedder hash` leaves the model out, timing the rest of the pipeline, where facts are read.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BUILD = """
import json, sys, time
from careerbot import CareerBot
started, cpu = time.perf_counter(), time.process_time()
report = CareerBot(corpus=sys.argv[1], store=sys.argv[2], embedder=sys.argv[3]).index(progress=False)
print(json.dumps({"seconds": time.perf_counter() - started, "cpu": time.process_time() - cpu}))
"""


def extraction(corpus: Path) -> dict:
    from careerbot.chunks import chunk_profile
    from careerbot.documents import find_documents, read_profile
    from careerbot.facts import read_facts

    paths = find_documents(corpus)
    started = time.perf_counter()
    chunked = [chunk_profile(read_profile(p, corpus, max_bytes=5_000_000), 900) for p in paths]
    reading = time.perf_counter() - started
    started = time.perf_counter()
    for chunks in chunked:
        read_facts(chunks)
    facts = time.perf_counter() - started
    return {"documents": len(paths), "read_and_chunk_s": round(reading, 3), "facts_s": round(facts, 3)}


def build(corpus: Path, src: Path | None, embedder: str) -> dict:
    env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    if src is not None:
        env["PYTHONPATH"] = str(src)
    with tempfile.TemporaryDirectory() as store:
        out = subprocess.run(
            [sys.executable, "-c", BUILD, str(corpus), store, embedder],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", default="corpus", type=Path)
    parser.add_argument("--runs", default=2, type=int)
    parser.add_argument("--before-src", type=Path)
    parser.add_argument(
        "--embedder", default="sentence-transformers", help="hash: time everything but the model's work"
    )
    args = parser.parse_args()
    print(json.dumps({"extraction": extraction(args.corpus)}))
    if args.before_src is None:
        return
    runs: dict[str, list[dict]] = {"before": [], "after": []}
    for _ in range(args.runs):
        runs["before"].append(build(args.corpus, args.before_src, args.embedder))
        runs["after"].append(build(args.corpus, None, args.embedder))
    # CPU seconds (all threads) are the fairer figure on a shared machine: wall time waits for others.
    for figure in ("seconds", "cpu"):
        medians = {k: statistics.median(r[figure] for r in v) for k, v in runs.items()}
        change = (medians["after"] - medians["before"]) / medians["before"]
        every = {k: [round(r[figure], 1) for r in v] for k, v in runs.items()}
        print(json.dumps({"figure": figure, "runs": every, "change": f"{change:+.1%}"}))


if __name__ == "__main__":
    main()
