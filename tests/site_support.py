"""Build the real site and serve it like GitHub Pages would: under a sub-path, on loopback.

The server can also misbehave on purpose, under other prefixes of the same built site, so that
browser tests exercise real failure modes (a wrong MIME type, a missing runtime file) rather
than mocks of them.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import os
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar, Self

ROOT = Path(__file__).resolve().parents[1]
SUB_PATH = "crible"  # as https://<user>.github.io/crible/

# Prefix → failure mode. "/crible/" is the site as deployed.
MODES = {
    SUB_PATH: "normal",
    "crible-wrong-mime": "wrong-mime",  # the wasm served as text/plain: Pyodide hangs
    "crible-missing-runtime": "missing-runtime",  # pyodide.asm.wasm answers 404
    "crible-slow": "slow",  # the wheel arrives after SLOW_SECONDS: a slow network, held still
    "crible-csp-blocked": "csp-blocked",  # a stricter CSP header (no eval, no wasm) added
}
# Added on top of the pages' own policy, as a host or a proxy might: forbids what Pyodide needs.
BLOCKING_CSP = "script-src 'self' 'unsafe-inline'; worker-src 'self'"
SLOW_SECONDS = 5.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def build_site(
    site_dir: Path, site_url: str, *, timeout_ms: int = 15000, project: Path = ROOT
) -> str:
    """`mkdocs build --strict` of `project` (this one, or a copy of it) as a site owner runs
    it; returns its log (stderr)."""
    env = dict(os.environ, SITE_URL=site_url, CRIBLE_ENGINE_TIMEOUT_MS=str(timeout_ms))
    completed = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        msg = f"mkdocs build failed:\n{completed.stdout}\n{completed.stderr}"
        raise AssertionError(msg)
    return completed.stderr


@dataclass
class Requests:
    """Every path the server was asked for, in order, and the status of each answer
    (thread-safe)."""

    paths: list[str] = field(default_factory=list)
    answers: list[tuple[str, int]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, path: str) -> None:
        with self.lock:
            self.paths.append(path)

    def answered(self, path: str, status: int) -> None:
        with self.lock:
            self.answers.append((path, status))

    def snapshot(self) -> list[str]:
        with self.lock:
            return list(self.paths)

    def statuses(self) -> list[tuple[str, int]]:
        """(path, status) of every answer sent so far: a 304 is a revalidation, a 200 a full
        transfer."""
        with self.lock:
            return list(self.answers)


# What GitHub Pages compresses (text, and the WebAssembly: its 9.6 MB travel as 3.5 MB); not
# the zip archives, compressed already, nor the images.
COMPRESSED = frozenset({".html", ".css", ".js", ".mjs", ".json", ".xml", ".svg", ".wasm", ".txt"})


@functools.cache
def _gzipped(path: Path, mtime_ns: int) -> bytes:  # noqa: ARG001 (part of the cache's key)
    return gzip.compress(path.read_bytes(), compresslevel=6)


def send_gzipped(handler: SimpleHTTPRequestHandler, path: Path) -> bool:
    """Answer a GET for `path` with its gzip body, as GitHub Pages does for the types it
    compresses, when the browser accepts gzip; False (nothing sent) otherwise. The handler's
    own guess_type and end_headers apply (its validators, its failure modes)."""
    if path.is_dir():
        if not handler.path.split("?", 1)[0].endswith("/"):
            return False  # the handler's redirection to the directory's URL
        path = path / "index.html"
    if path.suffix not in COMPRESSED or not path.is_file():
        return False
    if "gzip" not in handler.headers.get("Accept-Encoding", ""):
        return False
    body = _gzipped(path, path.stat().st_mtime_ns)
    handler.send_response(HTTPStatus.OK)
    handler.send_header("Content-Type", handler.guess_type(str(path)))
    handler.send_header("Content-Encoding", "gzip")
    handler.send_header("Vary", "Accept-Encoding")
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    with contextlib.suppress(BrokenPipeError, ConnectionResetError):
        handler.wfile.write(body)
    return True


def etag(path: Path) -> str | None:
    """The validator of the file a path serves (a directory serves its index.html).

    Python's handler revalidates with Last-Modified, to the second, and Chromium checks sw.js
    for an update with If-Modified-Since: two deployments built within one second (the tests
    build two in a row, in under a second with warm caches) answered "not modified" for a
    changed sw.js, and the new worker was never installed. So this server sends no
    Last-Modified, and an ETag that changes with every write (modification time in
    nanoseconds, size) instead: a revalidation cannot confuse two deployments."""
    if path.is_dir():
        path = path / "index.html"
    try:
        stat = path.stat()
    except OSError:
        return None
    return f'"{stat.st_mtime_ns:x}-{stat.st_size:x}"'


class _Handler(SimpleHTTPRequestHandler):
    site_dir: ClassVar[Path]
    requests: ClassVar[Requests]
    extensions_map: ClassVar[dict[str, str]] = {  # type: ignore[misc]
        **SimpleHTTPRequestHandler.extensions_map,
        ".mjs": "text/javascript",
        ".js": "text/javascript",
        ".wasm": "application/wasm",
        ".whl": "application/zip",
        ".json": "application/json",
        ".svg": "image/svg+xml",
    }

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass  # quiet: the tests read self.requests instead

    def _route(self) -> tuple[str, str] | None:
        """(mode, path inside the site) for a request under a known prefix, else None."""
        path = self.path.split("?", 1)[0]
        for prefix, mode in MODES.items():
            if path.startswith(f"/{prefix}/"):
                return mode, path[len(prefix) + 1 :]
        return None

    def do_GET(self) -> None:
        self.requests.add(self.path)
        self._requested = self.path
        self._etag: str | None = None
        routed = self._route()
        if routed is None:
            self.send_error(HTTPStatus.NOT_FOUND)
            return
        mode, inner = routed
        if mode == "missing-runtime" and inner.endswith("/pyodide.asm.wasm"):
            self.send_error(HTTPStatus.NOT_FOUND)
            return
        if mode == "slow" and inner.endswith(".whl"):
            time.sleep(SLOW_SECONDS)
        self.path = inner
        self._mode = mode
        file = Path(self.translate_path(inner))
        self._etag = etag(file)
        if self._etag is not None and self.headers.get("If-None-Match") == self._etag:
            self.send_response(HTTPStatus.NOT_MODIFIED)
            self.end_headers()
            return
        if not send_gzipped(self, file):
            super().do_GET()

    def send_response(self, code: int, message: str | None = None) -> None:
        self.requests.answered(getattr(self, "_requested", self.path), code)
        super().send_response(code, message)

    def guess_type(self, path: str | os.PathLike[str]) -> str:
        if getattr(self, "_mode", "") == "wrong-mime" and str(path).endswith(".wasm"):
            return "text/plain"
        return super().guess_type(path)

    def send_header(self, keyword: str, value: str) -> None:
        if keyword != "Last-Modified":  # see etag()
            super().send_header(keyword, value)

    def end_headers(self) -> None:
        # As GitHub Pages does: cacheable for 10 minutes, revalidated with an ETag.
        self.send_header("Cache-Control", "max-age=600")
        validator = getattr(self, "_etag", None)
        if validator is not None:
            self.send_header("ETag", validator)
        if getattr(self, "_mode", "") == "csp-blocked":
            self.send_header("Content-Security-Policy", BLOCKING_CSP)
        super().end_headers()

    def copyfile(self, source: Any, outputfile: Any) -> None:
        # The browser went elsewhere mid-download (a test moved on): not an error.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            super().copyfile(source, outputfile)

    def translate_path(self, path: str) -> str:
        return str(self.site_dir / path.lstrip("/").split("?", 1)[0]) if path else ""


class SiteServer:
    """A static server on 127.0.0.1 serving `site_dir` under every prefix of MODES, with GitHub
    Pages' headers: `Cache-Control: max-age=600`, an ETag, gzip for text and WebAssembly."""

    def __init__(self, site_dir: Path, port: int) -> None:
        self.requests = Requests()
        handler = type("Handler", (_Handler,), {"site_dir": site_dir, "requests": self.requests})
        self.site_dir = site_dir
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), handler)
        self.origin = f"http://127.0.0.1:{port}"
        self.url = f"{self.origin}/{SUB_PATH}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> Self:
        self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def at(self, prefix: str) -> str:
        return f"{self.origin}/{prefix}/"
