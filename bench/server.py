"""A static server on 127.0.0.1 for the benchmark: several roots, each under its own prefix.

tests/site_support.SiteServer serves one built site (under failure-mode prefixes); the benchmark
also needs the bare reference page and the plain Material build beside it, and the bytes each
request sent. Served as GitHub Pages serves them, as SiteServer does: `Cache-Control:
max-age=600`, an ETag (and Python's Last-Modified, as Pages sends both), gzip for text and
WebAssembly when the browser accepts it (site_support.send_gzipped), the MIME types Pyodide
needs.

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
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar, Self

from site_support import etag, free_port, send_gzipped


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


class _Handler(SimpleHTTPRequestHandler):
    roots: ClassVar[dict[str, Path]]
    log: ClassVar[list[Hit]]
    lock: ClassVar[threading.Lock]
    extensions_map: ClassVar[dict[str, str]] = {  # type: ignore[misc]
        **SimpleHTTPRequestHandler.extensions_map,
        ".mjs": "text/javascript",
        ".js": "text/javascript",
        ".wasm": "application/wasm",
        ".whl": "application/zip",
        ".json": "application/json",
        ".svg": "image/svg+xml",
    }

    _status = 0
    _file: Path | None = None

    def setup(self) -> None:
        super().setup()
        self._counter = _Counting(self.wfile)
        self.wfile = self._counter  # type: ignore[assignment]

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass  # quiet: the harness reads the log instead

    _etag: str | None = None
    _encoded = False

    def send_response(self, code: int, message: str | None = None) -> None:
        self._status = code
        super().send_response(code, message)

    def send_header(self, keyword: str, value: str) -> None:
        if keyword == "Content-Encoding":
            self._encoded = True
        super().send_header(keyword, value)

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "max-age=600")  # as GitHub Pages does
        if self._etag is not None:
            self.send_header("ETag", self._etag)
        super().end_headers()

    def do_GET(self) -> None:
        file = Path(self.translate_path(self.path))
        self._etag = etag(file)
        if self._etag is not None and self.headers.get("If-None-Match") == self._etag:
            self.send_response(HTTPStatus.NOT_MODIFIED)
            self.end_headers()
            return
        if not send_gzipped(self, file):
            super().do_GET()

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
        served = self._file if self._status == 200 and self._file else None
        hit = Hit(
            prefix,
            self.path,
            self._status,
            self._counter.count,
            served,
            aborted=aborted,
            encoded=self._encoded,
        )
        with self.lock:
            self.log.append(hit)


class BenchServer:
    """Serves each `roots[prefix]` directory at `http://127.0.0.1:<port>/<prefix>/`."""

    def __init__(self, roots: dict[str, Path], port: int | None = None) -> None:
        self.log: list[Hit] = []
        self.lock = threading.Lock()
        resolved = {prefix: root.resolve() for prefix, root in roots.items()}
        handler = type(
            "Handler", (_Handler,), {"roots": resolved, "log": self.log, "lock": self.lock}
        )
        self.port = port or free_port()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", self.port), handler)
        self.httpd.daemon_threads = True
        self.origin = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> Self:
        self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def url(self, prefix: str, page: str = "") -> str:
        return f"{self.origin}/{prefix}/{page}"

    def mark(self) -> int:
        """A position in the log; `since(mark)` returns what came after it."""
        with self.lock:
            return len(self.log)

    def since(self, mark: int) -> list[Hit]:
        with self.lock:
            return list(self.log[mark:])
