"""The benchmark's server: several roots on one port, each under its own prefix, every request
logged with the bytes it sent.

tests/site_support.SiteServer serves one built site (under failure-mode prefixes); the benchmark
also needs the bare reference page and the plain Material build beside it, and the bytes each
request sent. The answers are those of the tests' server, GitHub Pages' (site_support.
PagesHandler: `Cache-Control: max-age=600`, an ETag and its 304, gzip for text and
WebAssembly, the MIME types Pyodide needs): the same handler, another routing.

Bytes are counted on the socket, per request: status line, headers and body, as the server wrote
them (compressed where Pages compresses). HTTP/1.0, one request per connection, so a
connection's bytes are a request's bytes. Every request of the page, of its workers and of the
service worker reaches this log unless the browser's cache answered it.
"""

from __future__ import annotations

import gzip
import io
import threading
import urllib.parse
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, ClassVar

from site_support import LoopbackServer, PagesHandler, free_port

if TYPE_CHECKING:
    from pathlib import Path


@dataclass(frozen=True, slots=True)
class Hit:
    """One request the server answered."""

    prefix: str
    path: str
    status: int
    sent: int  # bytes written on the socket: status line + headers + body
    file: Path | None  # the file served, for a 200
    aborted: bool = False  # the connection closed before the response was complete
    encoded: bool = False  # the body was sent gzip-compressed


@cache
def gzip_size(file: Path) -> int:
    """The body's size as a compressing host (gzip -6) would send it: an estimate."""
    return len(gzip.compress(file.read_bytes(), compresslevel=6))


class _Counting(io.RawIOBase):
    """A write-only stream that counts what goes through to the socket."""

    def __init__(self, inner: Any) -> None:  # noqa: ANN401 (socketserver's private writer)
        super().__init__()
        self.inner = inner
        self.count = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:  # noqa: ANN401 (bytes-like)
        written: int = self.inner.write(data)
        self.count += written
        return written


class _Handler(PagesHandler):
    roots: ClassVar[dict[str, Path]]
    log: ClassVar[list[Hit]]
    lock: ClassVar[threading.Lock]

    _file: Path | None = None

    def setup(self) -> None:
        super().setup()
        self._counter = _Counting(self.wfile)
        self.wfile = self._counter  # type: ignore[assignment]

    def translate_path(self, path: str) -> str:
        clean = urllib.parse.unquote(path.split("?", 1)[0].split("#", 1)[0])
        prefix, _, inner = clean.lstrip("/").partition("/")
        root = self.roots.get(prefix)
        missing = "/nonexistent/bench"
        if root is None:
            return missing
        target = (root / inner).resolve()
        if not target.is_relative_to(root):
            return missing
        if target.is_dir():
            self._file = target / "index.html"
        else:
            self._file = target
        return str(target)

    def handle(self) -> None:
        aborted = False
        try:
            super().handle()
        except ConnectionError:
            aborted = True  # the browser closed mid-response (a page left, a browser closed)
        if not getattr(self, "path", ""):
            return  # a pre-connection that never sent a request
        prefix = self.path.lstrip("/").partition("/")[0]
        served = self._file if self.status == 200 and self._file else None
        hit = Hit(
            prefix,
            self.path,
            self.status,
            self._counter.count,
            served,
            aborted=aborted or self.aborted,
            encoded=self.encoded,
        )
        with self.lock:
            self.log.append(hit)


class BenchServer(LoopbackServer):
    """Serves each `roots[prefix]` directory at `http://127.0.0.1:<port>/<prefix>/`."""

    def __init__(self, roots: dict[str, Path], port: int | None = None) -> None:
        self.log: list[Hit] = []
        self.lock = threading.Lock()
        resolved = {prefix: root.resolve() for prefix, root in roots.items()}
        handler = type(
            "Handler", (_Handler,), {"roots": resolved, "log": self.log, "lock": self.lock}
        )
        super().__init__(handler, port or free_port())

    def url(self, prefix: str, page: str = "") -> str:
        return f"{self.origin}/{prefix}/{page}"

    def mark(self) -> int:
        """A position in the log; `since(mark)` returns what came after it."""
        with self.lock:
            return len(self.log)

    def since(self, mark: int) -> list[Hit]:
        with self.lock:
            return list(self.log[mark:])
