"""Time `import-onet` on the full O*NET occupation list, then a first index of its output (real model).

python benchmarks/import_onet.py [PATH]   # default: ../shared/data/onet/Occupation Data.txt
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from careerbot import CareerBot

DEFAULT = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "onet" / "Occupation Data.txt"


def main() -> None:
    release = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    with tempfile.TemporaryDirectory() as folder:
        corpus, store = Path(folder) / "corpus", Path(folder) / "store"
        bot = CareerBot(corpus=corpus, store=store)
        imported = bot.import_onet(release)
        print(f"import-onet: {imported.summary()}")

        print(f"model: {bot.embedder.name}")  # loaded first, so the index time is the indexing alone
        started = time.perf_counter()
        report = bot.index(progress=False)
        print(f"index: {report.summary()}")
        print(f"index wall time {time.perf_counter() - started:.1f} s for {report.documents} documents")

        started = time.perf_counter()
        again = bot.index(progress=False)
        print(f"second index (nothing changed): {time.perf_counter() - started:.1f} s, added {again.added}")


if __name__ == "__main__":
    main()
