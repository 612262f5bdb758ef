"""Where the browser is: one lookup for the tests, the benchmarks and Lighthouse.

`CHROMIUM=/path/to/chromium` when set, else `chromium` on the PATH, else Debian's
/usr/bin/chromium. Run as a script (`make test` and `make bench` do, before anything slow), it
exits 1 with one message that names the package and the command when the browser is missing,
instead of the 70 browser tests each failing on their own after minutes of build and lint.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

__all__ = ["DEBIAN_PATH", "ENV", "chromium_path", "missing"]

ENV = "CHROMIUM"
DEBIAN_PATH = "/usr/bin/chromium"


def chromium_path() -> str:
    """The browser the tests drive: $CHROMIUM, else `chromium` on the PATH, else Debian's."""
    return os.environ.get(ENV) or shutil.which("chromium") or DEBIAN_PATH


def missing(path: str) -> str | None:
    """Why `path` cannot be the tests' browser (the fix included), or None when it can."""
    where = f"from ${ENV}" if os.environ.get(ENV) else f"${ENV} unset, none on the PATH"
    if Path(path).is_file() and os.access(path, os.X_OK):
        return None
    return (
        f"Chromium not found: {path} ({where}) is not an executable file. The browser tests "
        "drive Debian's Chromium: install it with `sudo apt-get install chromium` (package "
        f"`chromium`), or point {ENV}=/path/to/chromium at another build, then run `make test` "
        "again. `make serve` and `make build` do not need it."
    )


def main() -> int:
    path = chromium_path()
    problem = missing(path)
    if problem is not None:
        print(problem, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
