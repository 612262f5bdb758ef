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
import shutil
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Self, cast

if TYPE_CHECKING:
    from collections.abc import Iterator

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


# What `mkdocs build` reads of the repository: a copy of these builds like the site itself.
PROJECT_FILES = (
    "mkdocs.yml", "pyproject.toml", "docs", "overrides", "scoring", "package.json",
    "package-lock.json",
)  # fmt: skip


def copy_project(copy: Path) -> Path:
    """A copy of the repository's buildable part in `copy` (created), sharing node_modules and
    the compiled stdlib's cache (keyed on the same sources), so that it builds like the site."""
    copy.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, copy / name)
    (copy / "node_modules").symlink_to(ROOT / "node_modules")
    (ROOT / ".cache").mkdir(exist_ok=True)
    (copy / ".cache").symlink_to(ROOT / ".cache")
    return copy


def add_to_nav(project: Path, after: str, line: str) -> None:
    """Add `line` to the nav of a copy's mkdocs.yml, after the line `after`."""
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    assert after in config
    (project / "mkdocs.yml").write_text(config.replace(after, after + line, 1), "utf-8")


def build_site(
    site_dir: Path, site_url: str, *, timeout_ms: int = 15000, project: Path = ROOT
) -> str:
    """`mkdocs build --strict` of `project` (this one, or a copy of it) as a site owner runs
    it; returns its log (stderr). A copy's hooks import the copy's own `scoring`, ahead of this
    checkout's editable one (the wheel the browser runs is built from the copy in any case)."""
    env = dict(os.environ, SITE_URL=site_url, CRIBLE_ENGINE_TIMEOUT_MS=str(timeout_ms))
    if project != ROOT:
        env["PYTHONPATH"] = os.pathsep.join([str(project), env.get("PYTHONPATH", "")])
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


class PagesHandler(SimpleHTTPRequestHandler):
    """Static files answered as GitHub Pages answers them: `Cache-Control: max-age=600`, an
    ETag and its 304, gzip for the types Pages compresses, the MIME types Pyodide needs. The
    one server of the tests (SiteServer) and of the benchmark (bench/server.py): each says
    where a request's file is (`translate_path`) and calls `serve`.

    After a request: `status` is the last status sent, `encoded` whether the body went
    gzip-compressed, `aborted` whether the browser closed the connection mid-body."""

    extensions_map: ClassVar[dict[str, str]] = {  # type: ignore[misc]
        **SimpleHTTPRequestHandler.extensions_map,
        ".mjs": "text/javascript",
        ".js": "text/javascript",
        ".wasm": "application/wasm",
        ".whl": "application/zip",
        ".json": "application/json",
        ".svg": "image/svg+xml",
    }
    status = 0
    encoded = False
    aborted = False
    _etag: str | None = None

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass  # quiet: the tests and the benchmark keep their own record

    def do_GET(self) -> None:
        self.serve()

    def serve(self) -> None:
        """Answer the GET of `self.path`: "not modified" for the browser's current validator,
        else the gzip body when Pages would compress it, else the file as Python sends it."""
        file = Path(self.translate_path(self.path))
        self._etag = etag(file)
        if self._etag is not None and self.headers.get("If-None-Match") == self._etag:
            self.send_response(HTTPStatus.NOT_MODIFIED)
            self.end_headers()
            return
        if not self._send_gzipped(file):
            super().do_GET()

    def _send_gzipped(self, path: Path) -> bool:
        """The gzip body of `path` when the browser accepts gzip; False (nothing sent) for a
        type Pages sends as is, or a directory's URL without its slash (Python's handler
        redirects it)."""
        if path.is_dir():
            if not self.path.split("?", 1)[0].endswith("/"):
                return False
            path = path / "index.html"
        if path.suffix not in COMPRESSED or not path.is_file():
            return False
        if "gzip" not in self.headers.get("Accept-Encoding", ""):
            return False
        body = _gzipped(path, path.stat().st_mtime_ns)
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.encoded = True
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            self.aborted = True
        return True

    def send_response(self, code: int, message: str | None = None) -> None:
        self.status = code
        super().send_response(code, message)

    def send_header(self, keyword: str, value: str) -> None:
        if keyword != "Last-Modified":  # see etag()
            super().send_header(keyword, value)

    def end_headers(self) -> None:
        # As GitHub Pages does: cacheable for 10 minutes, revalidated with an ETag.
        self.send_header("Cache-Control", "max-age=600")
        if self._etag is not None:
            self.send_header("ETag", self._etag)
        super().end_headers()

    def copyfile(self, source: Any, outputfile: Any) -> None:
        # The browser went elsewhere mid-download (a page left, a browser closed): not an error.
        try:
            super().copyfile(source, outputfile)
        except (BrokenPipeError, ConnectionResetError):
            self.aborted = True


class LoopbackServer:
    """A threaded HTTP server on 127.0.0.1:`port` with `handler`, serving while a `with` block
    lasts."""

    def __init__(self, handler: type[PagesHandler], port: int) -> None:
        self.port = port
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), handler)
        self.httpd.daemon_threads = True
        self.origin = f"http://127.0.0.1:{port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> Self:
        self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class _Handler(PagesHandler):
    site_dir: ClassVar[Path]
    requests: ClassVar[Requests]

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
        self.serve()

    def send_response(self, code: int, message: str | None = None) -> None:
        self.requests.answered(getattr(self, "_requested", self.path), code)
        super().send_response(code, message)

    def guess_type(self, path: str | os.PathLike[str]) -> str:
        if getattr(self, "_mode", "") == "wrong-mime" and str(path).endswith(".wasm"):
            return "text/plain"
        return super().guess_type(path)

    def end_headers(self) -> None:
        if getattr(self, "_mode", "") == "csp-blocked":
            self.send_header("Content-Security-Policy", BLOCKING_CSP)
        super().end_headers()

    def translate_path(self, path: str) -> str:
        return str(self.site_dir / path.lstrip("/").split("?", 1)[0]) if path else ""


class SiteServer(LoopbackServer):
    """The built site on 127.0.0.1, under every prefix of MODES, with GitHub Pages' headers
    (PagesHandler); every request and the status of its answer in `requests`."""

    def __init__(self, site_dir: Path, port: int) -> None:
        self.requests = Requests()
        handler = type("Handler", (_Handler,), {"site_dir": site_dir, "requests": self.requests})
        self._handler = cast("type[_Handler]", handler)
        self.site_dir = site_dir
        super().__init__(handler, port)
        self.url = f"{self.origin}/{SUB_PATH}/"

    @contextlib.contextmanager
    def serving(self, site_dir: Path) -> Iterator[None]:
        """Another build at the same origin and paths while the block lasts (as a visitor's
        browser meets an older release after a rollback): same localStorage, other files."""
        self._handler.site_dir = site_dir
        try:
            yield
        finally:
            self._handler.site_dir = self.site_dir

    def at(self, prefix: str) -> str:
        return f"{self.origin}/{prefix}/"
