"""Where the browser is: one lookup for the tests, the benchmarks and Lighthouse.

`CHROMIUM=/path/to/chromium` when set, else `chromium` on the PATH, else Debian's
/usr/bin/chromium. Run as a script (`make test` and `make bench` do, with the system's Python
before the install and anything slow: hence the standard library only), it exits 1 with one
message that names the package and the command when the browser is missing, instead of the 70
browser tests each failing on their own after minutes of build and lint.
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
    if Path(path).is_file() and os.access(path, os.X_OK):
        return None
    where = f"from ${ENV}" if os.environ.get(ENV) else f"${ENV} unset, no `chromium` on the PATH"
    return (
        f"Chromium not found: {path} ({where}) is not an executable file. The browser tests "
        "need it: on Debian or Ubuntu, install the package `chromium` with "
        f"`sudo apt-get install -y chromium`, or set {ENV}=/path/to/chromium, then run "
        "`make test` again. `make serve` and `make build` do not need it."
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
