"""Issue #11, uploads: decompression and CPU bombs are refused before they cost.

Every bomb is checked with a :class:`Budget` of the default wall time; the assertion is on the
check's own timer (it refused by a cap, inside its budget), not on a stopwatch of the test.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from lotse.documents.uploads import upload_limits
from lotse.filecheck.uploads import (
    DEFAULT_MAX_SECONDS,
    Budget,
    Limits,
    RefusalCode,
    UploadRefused,
    check_upload,
)

from .upload_corpus import pdf_flate_bomb, pdf_huge_image, pdf_pages, tiff_bomb, tiff_pages


@dataclass(frozen=True)
class Bomb:
    name: str
    filename: str
    build: Callable[[], bytes]
    expected: RefusalCode


BOMBS = [
    # The reported case: 500 frames of 7000 x 7000, each under the per-frame cap.
    Bomb(
        "tiff_500_frames_of_49_mp",
        "scan.tif",
        lambda: tiff_bomb(500, 7000, 7000),
        RefusalCode.IMAGE_TOO_LARGE,
    ),
    Bomb("tiff_150_small_frames", "scan.tif", lambda: tiff_pages(150), RefusalCode.TOO_MANY_PAGES),
    Bomb(
        "tiff_9_frames_of_49_mp",
        "scan.tif",
        lambda: tiff_bomb(9, 7000, 7000),
        RefusalCode.IMAGE_TOO_LARGE,
    ),
    Bomb(
        "pdf_flate_stream_of_300_mb",
        "a.pdf",
        lambda: pdf_flate_bomb(300),
        RefusalCode.PDF_TOO_COMPLEX,
    ),
    Bomb("pdf_image_of_10_gigapixels", "a.pdf", pdf_huge_image, RefusalCode.PDF_TOO_COMPLEX),
    Bomb("pdf_of_501_pages", "a.pdf", lambda: pdf_pages(501), RefusalCode.TOO_MANY_PAGES),
]


@pytest.mark.parametrize("bomb", BOMBS, ids=lambda b: b.name)
def test_a_bomb_is_refused_by_its_cap_within_the_time_budget(bomb: Bomb) -> None:
    data = bomb.build()
    assert len(data) < 2 * 1024 * 1024  # small on disk: the cost is in what it declares
    budget = Budget(DEFAULT_MAX_SECONDS)
    with pytest.raises(UploadRefused) as caught:
        check_upload(data, filename=bomb.filename, declared_type=None, budget=budget)
    assert caught.value.code == bomb.expected
    assert budget.spent <= budget.seconds


def test_the_reported_tiff_is_refused_before_a_single_frame_is_decoded() -> None:
    # Counting frames and pixels reads headers only: the budget is asked a handful of times,
    # once per 16 headers, and never from inside the decoding loop (once per frame).
    budget = Budget(DEFAULT_MAX_SECONDS)
    with pytest.raises(UploadRefused) as caught:
        check_upload(
            tiff_bomb(500, 7000, 7000), filename="scan.tif", declared_type=None, budget=budget
        )
    assert "frames" in caught.value.detail
    assert budget.questions <= 3


def test_the_caps_are_settings() -> None:
    small = Limits(max_frames=3, max_pdf_pages=2, max_total_pixels=1000)
    with pytest.raises(UploadRefused) as caught:
        check_upload(tiff_pages(4), filename="a.tif", declared_type=None, limits=small)
    assert caught.value.code == RefusalCode.TOO_MANY_PAGES
    assert "3" in caught.value.message_de
    with pytest.raises(UploadRefused) as caught:
        check_upload(pdf_pages(3), filename="a.pdf", declared_type=None, limits=small)
    assert caught.value.code == RefusalCode.TOO_MANY_PAGES
    with pytest.raises(UploadRefused) as caught:
        check_upload(
            pdf_flate_bomb(2),
            filename="a.pdf",
            declared_type=None,
            limits=Limits(max_decompressed_bytes=1024 * 1024),
        )
    assert caught.value.code == RefusalCode.PDF_TOO_COMPLEX
    assert check_upload(tiff_pages(3), filename="a.tif", declared_type=None, limits=small)


class SteppingClock:
    """A clock that advances one second each time it is read."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        self.now += 1.0
        return self.now


@pytest.mark.parametrize(
    ("filename", "build"),
    [("scan.tif", lambda: tiff_pages(40)), ("a.pdf", lambda: pdf_flate_bomb(40))],
    ids=["tiff_frames", "pdf_stream_pieces"],
)
def test_a_check_stops_at_its_time_budget(filename: str, build: Callable[[], bytes]) -> None:
    # Files within every cap whose check takes many steps; with one second per step and a
    # budget of five, the check must give up at the first question after five seconds.
    clock = SteppingClock()
    budget = Budget(5.0, clock=clock)
    with pytest.raises(UploadRefused) as caught:
        check_upload(build(), filename=filename, declared_type=None, budget=budget)
    assert caught.value.code == RefusalCode.CHECK_TIME_EXCEEDED
    assert budget.spent == 6.0
    assert clock.now == 7.0  # read once at the start and six times after; nothing ran on


def test_the_time_budget_is_a_setting(settings: object) -> None:
    settings.LOTSE_UPLOAD_CHECK_SECONDS = 2.5  # type: ignore[attr-defined]
    settings.LOTSE_UPLOAD_MAX_FRAMES = 7  # type: ignore[attr-defined]
    limits = upload_limits()
    assert limits.max_seconds == 2.5
    assert limits.max_frames == 7
