"""Load test: N concurrent clients asking questions through the web app's HTTP API on loopback.

    .venv/bin/python benchmarks/load.py                         # starts `careerbot serve`, 16 clients, 30 s
    .venv/bin/python benchmarks/load.py --clients 32 --seconds 60
    .venv/bin/python benchmarks/load.py --url http://127.0.0.1:7860   # an app already running

Each client asks the chat endpoint (ENDPOINT) one question after another, for a bounded time,
through Gradio's HTTP API: by default with plain HTTP calls (POST /gradio_api/call/..., then read
the event stream), or with `--client gradio`, one gradio_client.Client each. gradio_client costs
the load generator about twice the CPU the app spends answering, which on a 2-core machine is
measured as the app's latency. Reports throughput, latency p50/p95/p99 and errors.
Target on this machine: zero errors, p95 <= 1 s at 16 clients.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The web app's named question endpoint: (question, history) -> {"answer", "citations", ...}.
ENDPOINT = "/ask"

QUESTIONS = [
    "How do I become a plant manager?",
    "What does a logistician earn?",
    "What skills does a welder need?",
    "What does an electrician do?",
    "How can I become a registered nurse?",
    "What is the job outlook for software developers?",
    "What education does a pharmacist need?",
    "Compare a plumber and an electrician",
    "What jobs suit someone who likes fixing machines?",
    "What is the work environment of a firefighter like?",
    "How much does a truck driver make?",
    "What does a data scientist do?",
    "How do I become a paramedic?",
    "What skills does an accountant need?",
    "What is the capital of France?",
    "What does a dental hygienist do?",
]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=30.0, help="how long the clients ask")
    parser.add_argument("--url", help="an app already running; otherwise one is started on a free port")
    parser.add_argument(
        "--client", choices=["http", "gradio"], default="http", help="how clients call the app"
    )
    parser.add_argument("--unique", action="store_true", help="make every question different (no cache hits)")
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    parser.add_argument("--store", type=Path, help="index folder [default: a fresh temporary one]")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()

    server = None
    with tempfile.TemporaryDirectory() as temporary:
        url = args.url
        if url is None:
            url, server = start_app(args.corpus, args.store or Path(temporary) / "store", Path(temporary))
        try:
            figures = run(url, args.clients, args.seconds, CLIENTS[args.client], unique=args.unique)
        finally:
            if server is not None:
                server.terminate()
                server.wait(timeout=60)
    print(report(figures))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1))


def start_app(corpus: Path, store: Path, folder: Path) -> tuple[str, subprocess.Popen]:
    """`careerbot serve` on a free loopback port; returns once it answers (indexing first if needed)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    careerbot = Path(sys.executable).with_name("careerbot")
    command = [str(careerbot), "serve", "--corpus", str(corpus), "--store", str(store), "--port", str(port)]
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    log = (folder / "serve.log").open("w")
    server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"careerbot serve exited:\n{(folder / 'serve.log').read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=5):
                return url, server
        except OSError:
            time.sleep(0.5)
    server.kill()
    raise SystemExit("careerbot serve did not answer within 10 minutes")


class HttpClient:
    """Gradio's HTTP API by hand: start the call, then read its event stream to the end."""

    def __init__(self, url: str) -> None:
        import httpx

        self.session = httpx.Client(base_url=url.rstrip("/") + "/gradio_api/call", timeout=60)

    def predict(self, question: str) -> str:
        started = self.session.post(ENDPOINT, json={"data": [question, []]})
        started.raise_for_status()
        with self.session.stream("GET", f"{ENDPOINT}/{started.json()['event_id']}") as events:
            event = None
            for line in events.iter_lines():
                if line.startswith("event: "):
                    event = line.removeprefix("event: ")
                elif line.startswith("data: ") and event in {"complete", "error"}:
                    if event == "error":
                        raise RuntimeError(f"the app answered with an error: {line[6:]}")
                    return json.loads(line[6:])[0]["answer"]
        raise RuntimeError("the event stream ended without an answer")


class GradioClient:
    def __init__(self, url: str) -> None:
        from gradio_client import Client

        self.client = Client(url, verbose=False)

    def predict(self, question: str) -> str:
        return self.client.predict(question, [], api_name=ENDPOINT)["answer"]


CLIENTS = {"http": HttpClient, "gradio": GradioClient}


def run(url: str, clients: int, seconds: float, kind: type, *, unique: bool = False) -> dict:
    """Every client asks one question after another until the time is up."""
    connected = [kind(url) for _ in range(clients)]
    for client in connected:  # warm up: the first call of each client is not measured
        client.predict(QUESTIONS[0])
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    start = time.perf_counter()
    deadline = start + seconds

    def ask(number: int, client: HttpClient | GradioClient) -> None:
        turn = number
        while time.perf_counter() < deadline:
            question = QUESTIONS[turn % len(QUESTIONS)]
            if unique:  # the app caches query embeddings: a numbered question is a new one
                question = f"{question} ({number}-{turn})"
            turn += 1
            began = time.perf_counter()
            try:
                reply = client.predict(question)
                error = None if isinstance(reply, str) and reply.strip() else f"empty reply to {question!r}"
            except Exception as failure:
                error = f"{type(failure).__name__}: {failure}"
            took = time.perf_counter() - began
            with lock:
                (errors.append(error) if error else latencies.append(took))

    threads = [threading.Thread(target=ask, args=(n, c)) for n, c in enumerate(connected)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [float("nan")] * 99
    return {
        "url": url,
        "endpoint": ENDPOINT,
        "client": kind.__name__,
        "unique": unique,
        "clients": clients,
        "seconds": round(elapsed, 1),
        "answers": len(latencies),
        "errors": len(errors),
        "error_examples": sorted(set(errors))[:5],
        "throughput_per_s": round(len(latencies) / elapsed, 1),
        "p50_s": round(cuts[49], 3),
        "p95_s": round(cuts[94], 3),
        "p99_s": round(cuts[98], 3),
        "max_s": round(max(latencies, default=float("nan")), 3),
    }


def report(figures: dict) -> str:
    target = figures["errors"] == 0 and figures["p95_s"] <= 1.0
    lines = [
        f"{figures['clients']} clients, {figures['seconds']} s, {figures['url']} {figures['endpoint']}",
        f"answers {figures['answers']}, errors {figures['errors']}, {figures['throughput_per_s']} answers/s",
        f"latency p50 {figures['p50_s']} s, p95 {figures['p95_s']} s, p99 {figures['p99_s']} s, "
        f"max {figures['max_s']} s",
        f"target (no errors, p95 <= 1 s): {'met' if target else 'NOT met'}",
    ]
    lines += [f"  error: {example}" for example in figures["error_examples"]]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
