"""scan_with_clamav against a fake clamd that speaks the INSTREAM protocol on 127.0.0.1.

The real daemon is in tests/security/test_clamd.py."""

from __future__ import annotations

import contextlib
import socket
import socketserver
import struct
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from lotse.filecheck.uploads import RefusalCode, UploadRefused, scan_with_clamav

# Stands in for a virus signature; the real EICAR string is not needed to test the protocol and
# would upset virus scanners on developer machines.
SIGNATURE = b"FAKE-MALWARE-7d1c"


class FakeClamd:
    """Answers like clamd: "stream: OK", "stream: <name> FOUND" or "<message> ERROR"."""

    def __init__(self, mode: str = "scan") -> None:
        self.mode = mode
        self.received: list[bytes] = []
        self.commands: list[bytes] = []
        self.max_stream = 1 << 30

    def handle(self, conn: socket.socket) -> None:
        command = _read_exactly(conn, len(b"zINSTREAM\0"))
        self.commands.append(command)
        if self.mode == "hang":
            time.sleep(2)
            return
        if self.mode == "close":
            return
        # Replies end as the command's prefix asks: "z" for NUL, "n" for a newline.
        end = b"\0" if command.startswith(b"z") else b"\n"
        payload = bytearray()
        while True:
            (length,) = struct.unpack("!I", _read_exactly(conn, 4))
            if length == 0:
                break
            payload += _read_exactly(conn, length)
            if len(payload) > self.max_stream:
                conn.sendall(b"INSTREAM size limit exceeded. ERROR" + end)
                return
        self.received.append(bytes(payload))
        if self.mode == "garbage":
            conn.sendall(b"PONG" + end)
        elif SIGNATURE in payload:
            conn.sendall(b"stream: Lotse.Test.Signature FOUND" + end)
        else:
            conn.sendall(b"stream: OK" + end)


def _read_exactly(conn: socket.socket, size: int) -> bytes:
    data = bytearray()
    while len(data) < size:
        part = conn.recv(size - len(data))
        if not part:
            raise ConnectionError("client closed early")
        data += part
    return bytes(data)


def _handler(fake: FakeClamd) -> type[socketserver.BaseRequestHandler]:
    class Handler(socketserver.BaseRequestHandler):
        def handle(self) -> None:
            # The client hanging up early is part of several tests, not a server failure.
            with contextlib.suppress(OSError):
                fake.handle(self.request)

    return Handler


@pytest.fixture
def clamd() -> Iterator[tuple[FakeClamd, int]]:
    fake = FakeClamd()
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _handler(fake))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake, server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def test_a_clean_file_passes_and_arrives_complete(clamd: tuple[FakeClamd, int]) -> None:
    fake, port = clamd
    data = bytes(range(256)) * 1000  # 256 KB: several 64 KB chunks
    scan_with_clamav(data, host="127.0.0.1", port=port, timeout=5)
    assert fake.commands == [b"nINSTREAM\n"]
    assert fake.received == [data]


def test_an_infected_file_is_refused(clamd: tuple[FakeClamd, int]) -> None:
    _, port = clamd
    with pytest.raises(UploadRefused) as caught:
        scan_with_clamav(b"%PDF-1.7 " + SIGNATURE, host="127.0.0.1", port=port, timeout=5)
    assert caught.value.code == RefusalCode.INFECTED
    assert "Lotse.Test.Signature" in caught.value.detail
    assert "Lotse.Test.Signature" not in caught.value.message_en


def test_a_size_limit_error_means_unavailable_not_clean(clamd: tuple[FakeClamd, int]) -> None:
    fake, port = clamd
    fake.max_stream = 100_000
    with pytest.raises(UploadRefused) as caught:
        scan_with_clamav(b"x" * 1_000_000, host="127.0.0.1", port=port, timeout=5)
    # clamd answers "size limit exceeded" and hangs up; the client may see the answer or only
    # the broken pipe while it is still sending. Neither is a verdict.
    assert caught.value.code == RefusalCode.SCANNER_UNAVAILABLE


@pytest.mark.parametrize("mode", ["close", "garbage"])
def test_no_verdict_means_unavailable(clamd: tuple[FakeClamd, int], mode: str) -> None:
    fake, port = clamd
    fake.mode = mode
    with pytest.raises(UploadRefused) as caught:
        scan_with_clamav(b"data", host="127.0.0.1", port=port, timeout=5)
    assert caught.value.code == RefusalCode.SCANNER_UNAVAILABLE


def test_a_hanging_daemon_times_out(clamd: tuple[FakeClamd, int]) -> None:
    fake, port = clamd
    fake.mode = "hang"
    started = time.monotonic()
    with pytest.raises(UploadRefused) as caught:
        scan_with_clamav(b"data", host="127.0.0.1", port=port, timeout=0.3)
    assert caught.value.code == RefusalCode.SCANNER_UNAVAILABLE
    assert time.monotonic() - started < 1.5


def test_a_daemon_that_is_not_running_means_unavailable() -> None:
    with socket.socket() as probe:  # a port that was free a moment ago
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(UploadRefused) as caught:
        scan_with_clamav(b"data", host="127.0.0.1", port=port, timeout=1)
    assert caught.value.code == RefusalCode.SCANNER_UNAVAILABLE


def test_it_speaks_over_a_unix_socket(tmp_path: Path) -> None:
    fake = FakeClamd()
    path = str(tmp_path / "clamd.sock")
    server = socketserver.ThreadingUnixStreamServer(path, _handler(fake))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        scan_with_clamav(b"clean", socket_path=path, timeout=5)
        with pytest.raises(UploadRefused) as caught:
            scan_with_clamav(SIGNATURE, socket_path=path, timeout=5)
        assert caught.value.code == RefusalCode.INFECTED
    finally:
        server.shutdown()
        server.server_close()
    with pytest.raises(UploadRefused) as caught:
        scan_with_clamav(b"clean", socket_path=str(tmp_path / "missing.sock"), timeout=1)
    assert caught.value.code == RefusalCode.SCANNER_UNAVAILABLE


@pytest.mark.parametrize(
    "kwargs",
    [{}, {"host": "127.0.0.1"}, {"host": "127.0.0.1", "port": 3310, "socket_path": "/x"}],
)
def test_a_misconfiguration_is_a_value_error(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="host and port or socket_path"):
        scan_with_clamav(b"data", **kwargs)  # type: ignore[arg-type]
