"""How long the upload check takes to refuse each bomb of the security corpus (issue #11).

    .venv/bin/python benchmarks/bench_upload_bombs.py [--rounds 3]

The figure that matters is the first line: the reported 1.8 MB TIFF of 500 frames of
7000 x 7000 px, which took 15 s of CPU before it was accepted. Each figure is the median of
``--rounds`` runs of ``check_upload`` with the default limits, wall time and CPU time.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.security.upload_corpus import (
    pdf_flate_bomb,
    pdf_huge_image,
    pdf_pages,
    tiff_bomb,
    tiff_pages,
)

from lotse.filecheck.uploads import UploadRefused, check_upload

BOMBS = [
    ("tiff 500 frames x 7000x7000", "a.tif", lambda: tiff_bomb(500, 7000, 7000)),
    ("tiff 150 small frames", "a.tif", lambda: tiff_pages(150)),
    ("pdf flate stream 300 MB", "a.pdf", lambda: pdf_flate_bomb(300)),
    ("pdf image 100000x100000", "a.pdf", pdf_huge_image),
    ("pdf 501 pages", "a.pdf", lambda: pdf_pages(501)),
]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    rounds = parser.parse_args().rounds
    print(f"{'bomb':32} {'bytes':>10} {'wall s':>8} {'cpu s':>8}  refusal")
    for name, filename, build in BOMBS:
        data = build()
        walls, cpus, code = [], [], ""
        for _ in range(rounds):
            wall, cpu = time.perf_counter(), time.process_time()
            try:
                check_upload(data, filename=filename, declared_type=None)
                code = "ACCEPTED"
            except UploadRefused as refused:
                code = refused.code
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
        print(
            f"{name:32} {len(data):>10,} {statistics.median(walls):>8.3f} "
            f"{statistics.median(cpus):>8.3f}  {code}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
