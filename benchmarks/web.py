"""Web app timings: start to page served (cold: builds the index; warm: reuses it), /ask latency
alone and with concurrent users, and the answer time a person sees in the page (chromium).

    PYTHONPATH=src python benchmarks/web.py [--corpus corpus] [--rounds 20]

Works on a temporary copy of the corpus; the repository's corpus/ and vectorstore/ are not touched.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from gradio_client import Client

PROJECT = Path(__file__).resolve().parents[1]
QUESTIONS = [
    "How do I become a plant manager?",
    "What does a logistician earn?",
    "What skills does a welder need?",
    "What is the job outlook for registered nurses?",
    "What does a pharmacist do?",
    "How do I become an electrician?",
]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=PROJECT / "corpus")
    parser.add_argument("--rounds", type=int, default=20, help="questions per latency measurement")
    parser.add_argument("--users", type=int, default=8, help="concurrent API users")
    options = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="careerbot-bench-") as temporary:
        root = Path(temporary)
        shutil.copytree(options.corpus, root / "corpus")
        for start in ("cold", "warm"):
            process, url, seconds = start_app(root)
            print(
                f"start to page served ({start}{': indexing included' if start == 'cold' else ''}): "
                f"{seconds:.1f} s"
            )
            if start == "warm":
                measure(url, options.rounds, options.users)
            stop(process)


def measure(url: str, rounds: int, users: int) -> None:
    client = Client(url, verbose=False)
    latencies = [
        timed(client.predict, QUESTIONS[n % len(QUESTIONS)], [], api_name="/ask") for n in range(rounds)
    ]
    report("/ask, one user", latencies)

    def one_user(n: int) -> list[float]:
        own = Client(url, verbose=False)
        return [
            timed(own.predict, QUESTIONS[(n + k) % len(QUESTIONS)], [], api_name="/ask") for k in range(5)
        ]

    started = time.perf_counter()
    with ThreadPoolExecutor(users) as pool:
        together = [t for times in pool.map(one_user, range(users)) for t in times]
    elapsed = time.perf_counter() - started
    report(f"/ask, {users} users at once", together)
    print(f"  throughput: {len(together) / elapsed:.1f} answers/s")

    if Path("/usr/bin/chromium").exists():
        report("answer shown in the page (Enter to sources visible)", page_times(url, min(rounds, 6)))


def page_times(url: str, rounds: int) -> list[float]:
    from playwright.sync_api import expect, sync_playwright

    times = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(url)
        box = page.locator("#question textarea")
        for n in range(rounds):
            box.fill(QUESTIONS[n % len(QUESTIONS)])
            started = time.perf_counter()
            box.press("Enter")
            page.locator("#chat .thought-group").nth(n).wait_for(timeout=60_000)
            times.append(time.perf_counter() - started)
            expect(box).to_be_editable(timeout=60_000)
        browser.close()
    return times


def start_app(root: Path) -> tuple[subprocess.Popen, str, float]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **os.environ,
        "CAREERBOT_CORPUS": str(root / "corpus"),
        "CAREERBOT_STORE": str(root / "store"),
        "CAREERBOT_PORT": str(port),
        "PYTHONPATH": os.pathsep.join([str(PROJECT / "src"), os.environ.get("PYTHONPATH", "")]),
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
    }
    url = f"http://127.0.0.1:{port}/"
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, str(PROJECT / "app.py")],
        cwd=root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    while process.poll() is None:
        try:
            if httpx.get(url, timeout=5).status_code == 200:
                return process, url, time.perf_counter() - started
        except httpx.TransportError:
            time.sleep(0.2)
    sys.exit(f"the app exited with {process.returncode}")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    process.wait(timeout=30)


def timed(function, *args, **kwargs) -> float:
    started = time.perf_counter()
    function(*args, **kwargs)
    return time.perf_counter() - started


def report(what: str, seconds: list[float]) -> None:
    ms = sorted(s * 1000 for s in seconds)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    print(
        f"{what}: mean {statistics.mean(ms):.0f} ms, median {statistics.median(ms):.0f} ms, "
        f"p95 {p95:.0f} ms ({len(ms)} answers)"
    )


if __name__ == "__main__":
    main()
