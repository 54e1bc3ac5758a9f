"""Real processes for the tests: `careerbot` started, paused at a named point, killed; `chroma run`.

`pause_at.py` runs the real `careerbot` command with one method wrapped so that the process stops at
a chosen point of an indexing run, says so in a marker file and waits there to be killed.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from careerbot import CareerBot

PAUSE_SCRIPT = Path(__file__).with_name("pause_at.py")
CAREERBOT = Path(sys.executable).with_name("careerbot")


def wait_for(condition: Callable[[], object], timeout: float, what: str) -> object:
    """Poll until `condition()` is true; generous timeouts, since the machine may be busy."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


class Run:
    """One `careerbot` process, its output in files (no pipe can fill up and block it)."""

    def __init__(self, args: list[str], folder: Path, env: dict[str, str], name: str) -> None:
        self.out = folder / f"{name}.out"
        self.err = folder / f"{name}.err"
        self.marker = folder / f"{name}.paused"
        env = {**os.environ, **env, "PAUSE_MARKER": str(self.marker)}
        with self.out.open("w") as out, self.err.open("w") as err:
            self.process = subprocess.Popen(args, stdout=out, stderr=err, env=env, stdin=subprocess.DEVNULL)

    @property
    def pid(self) -> int:
        return self.process.pid

    def stderr(self) -> str:
        return self.err.read_text()

    def stdout(self) -> str:
        return self.out.read_text()

    def wait_paused(self, timeout: float = 180) -> None:
        def paused() -> bool:
            if self.process.poll() is not None:
                code = self.process.returncode
                raise AssertionError(f"exited with {code} before pausing:\n{self.stderr()}")
            return self.marker.exists()

        wait_for(paused, timeout, f"{self.process.args} to pause")

    def kill(self) -> None:
        """SIGKILL: no cleanup, no atexit, no flush; as if the machine lost power for this process."""
        os.kill(self.pid, signal.SIGKILL)
        self.process.wait(timeout=60)

    def finish(self, timeout: float = 300) -> subprocess.CompletedProcess:
        code = self.process.wait(timeout=timeout)
        return subprocess.CompletedProcess(self.process.args, code, self.stdout(), self.stderr())


def careerbot(folder: Path, *args: str, env: dict[str, str], name: str, pause_at: str | None = None) -> Run:
    """Start `careerbot ARGS...`, optionally paused at a point of pause_at.py."""
    command = [sys.executable, str(PAUSE_SCRIPT), pause_at] if pause_at else [str(CAREERBOT)]
    return Run([*command, *args], folder, env, name)


def index_state(corpus: Path, store: Path, **settings) -> dict:
    """What an index holds, read by a fresh bot: chunk ids and texts, record keys, manifest, doctor."""
    bot = CareerBot(corpus=corpus, store=store, **settings)
    found = bot.store.vectors.get(include=["documents", "metadatas"])
    manifest = bot._manifest()
    return {
        "ids": sorted(found["ids"]),
        "texts": dict(zip(found["ids"], found["documents"], strict=True)),
        "records": sorted(bot.store.records.list_keys()),
        "documents": manifest.documents if manifest else None,
        "checkup": bot.doctor(),
    }


def assert_same_as_clean_build(corpus: Path, store: Path, clean_store: Path, **settings) -> dict:
    """The index in `store` equals a clean build of `corpus`: same chunk ids and texts, no duplicates,
    nothing missing, records and vectors in agreement, the same manifest; the doctor finds nothing."""
    clean = CareerBot(corpus=corpus, store=clean_store, **settings)
    assert not clean.index().problems
    expected, got = index_state(corpus, clean_store, **settings), index_state(corpus, store, **settings)
    assert got["ids"] == expected["ids"]
    assert len(set(got["ids"])) == len(got["ids"])
    assert got["records"] == got["ids"]
    assert got["texts"] == expected["texts"]
    assert got["documents"] == expected["documents"]
    assert got["checkup"].healthy, got["checkup"].summary()
    return got


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ChromaServer:
    """A real `chroma run` on 127.0.0.1, which a test can stop, start again, freeze and thaw."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        chroma = str(Path(sys.executable).with_name("chroma"))
        command = [chroma, "run", "--path", str(self.path), "--host", "127.0.0.1", "--port", str(self.port)]
        with (self.path.parent / "chroma-server.log").open("a") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=log, stdin=subprocess.DEVNULL)
        wait_for(self._answers, 120, f"chroma run on port {self.port}")

    def _answers(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError(f"chroma run exited with {self.process.returncode}")
        try:
            with urllib.request.urlopen(f"{self.url}/api/v2/heartbeat", timeout=2):
                return True
        except OSError:
            return False

    def stop(self) -> None:
        """Gone at once, as a crashed or unplugged server is."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=60)

    def freeze(self) -> None:
        """Still listening, never answering: the server that hangs."""
        os.kill(self.process.pid, signal.SIGSTOP)

    def thaw(self) -> None:
        os.kill(self.process.pid, signal.SIGCONT)
