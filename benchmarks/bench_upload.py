"""Throughput of upload validation plus encryption, next to a plain file copy of the same bytes.

    .venv/bin/python benchmarks/bench_upload.py [--rounds 5]

The mix is what the worker abroad and the companies upload: a multi-page scanned PDF of a few
MB, phone photos / scans as JPEG, and a PNG scan. The images look like documents (white page,
lines of "text", sensor noise) so that they compress and decode like real ones, not like flat
colour (too fast) or pure noise (too slow).

Each figure is the median of ``--rounds`` rounds over the whole mix; MB/s is 10^6 bytes per
second of input. The copy baseline uses ``shutil.copyfile`` between two files in the same
temporary directory, so it mostly measures the page cache: it is the ceiling, not a disk test.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

from lotse.filecheck.crypto import Keyring, decrypt, encrypt
from lotse.filecheck.uploads import check_upload


def document_page(width: int, height: int, seed: int, *, grain: float = 0.15) -> Image.Image:
    rng = random.Random(seed)
    page = Image.new("L", (width, height), 245)
    draw = ImageDraw.Draw(page)
    margin, line = width // 10, max(height // 70, 8)
    for y in range(margin, height - margin, line * 2):
        x = margin
        while x < width - margin:
            word = rng.randint(line, line * 5)
            draw.rectangle(
                (x, y, min(x + word, width - margin), y + line), fill=rng.randint(20, 80)
            )
            x += word + line
    noise = Image.effect_noise((width, height), 12).filter(ImageFilter.GaussianBlur(0.6))
    return Image.blend(page, noise, grain)


def encode(image: Image.Image, fmt: str, **params: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **params)
    return buffer.getvalue()


def build_mix() -> list[tuple[str, bytes]]:
    pdf_pages = [document_page(1654, 2339, seed).convert("RGB") for seed in range(8)]  # A4 200 dpi
    buffer = io.BytesIO()
    pdf_pages[0].save(
        buffer, "PDF", save_all=True, append_images=pdf_pages[1:], resolution=200.0, quality=80
    )
    mix = [("scan-8-pages.pdf", buffer.getvalue())]
    for number in range(3):  # A4 at 300 dpi, as a phone or a flatbed delivers it
        photo = document_page(2480, 3508, 100 + number).convert("RGB")
        mix.append((f"photo-{number}.jpg", encode(photo, "JPEG", quality=85)))
    # A 12-megapixel phone photo of a certificate, grainier than a flatbed scan.
    phone = document_page(4032, 3024, 300, grain=0.35).convert("RGB")
    mix.append(("phone-12mp.jpg", encode(phone, "JPEG", quality=90)))
    mix.append(("scan.png", encode(document_page(2480, 3508, 200), "PNG", optimize=False)))
    return mix


def median_seconds(rounds: int, work: Callable[[], None]) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    mix = build_mix()
    total = sum(len(data) for _, data in mix)
    keyring = Keyring({"bench": os.urandom(32)}, primary="bench")
    blobs = [encrypt(data, keyring) for _, data in mix]

    with tempfile.TemporaryDirectory(prefix="lotse-bench-") as tmp:
        workdir = Path(tmp)
        sources = []
        for name, data in mix:
            path = workdir / name
            path.write_bytes(data)
            sources.append(path)

        def validate() -> None:
            for name, data in mix:
                check_upload(data, filename=name, declared_type=None)

        def encrypt_all() -> None:
            for _, data in mix:
                encrypt(data, keyring)

        def decrypt_all() -> None:
            for blob in blobs:
                decrypt(blob, keyring)

        def validate_encrypt_write() -> None:
            for name, data in mix:
                check_upload(data, filename=name, declared_type=None)
                (workdir / f"{name}.enc").write_bytes(encrypt(data, keyring))

        def copy() -> None:
            for path in sources:
                shutil.copyfile(path, workdir / f"{path.name}.copy")

        per_file = {}
        for name, data in mix:

            def one(name: str = name, data: bytes = data) -> None:
                check_upload(data, filename=name, declared_type=None)
                encrypt(data, keyring)

            per_file[name] = (len(data), median_seconds(args.rounds, one))

        results = [
            ("validation only", median_seconds(args.rounds, validate)),
            ("encryption only (AES-256-GCM)", median_seconds(args.rounds, encrypt_all)),
            ("decryption only", median_seconds(args.rounds, decrypt_all)),
            (
                "validation + encryption + write",
                median_seconds(args.rounds, validate_encrypt_write),
            ),
            ("plain copy (shutil.copyfile)", median_seconds(args.rounds, copy)),
        ]

    python = os.path.relpath(sys.executable) if sys.executable else "python"
    print(f"$ {' '.join([python, *sys.argv])}")
    print(
        f"Python {platform.python_version()} on {platform.system()} {platform.machine()}, "
        f"{os.cpu_count()} CPUs; median of {args.rounds} rounds"
    )
    print(f"mix: {len(mix)} files, {total / 1e6:.1f} MB")
    for name, data in mix:
        print(f"  {name:<20} {len(data) / 1e6:6.2f} MB")
    print()
    print(f"{'step':<34} {'seconds':>8} {'MB/s':>9}")
    for label, seconds in results:
        print(f"{label:<34} {seconds:8.3f} {total / 1e6 / seconds:9.1f}")
    print()
    print(f"{'validation + encryption per file':<34} {'seconds':>8} {'MB/s':>9}")
    for name, (size, seconds) in per_file.items():
        print(f"  {name:<32} {seconds:8.3f} {size / 1e6 / seconds:9.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
