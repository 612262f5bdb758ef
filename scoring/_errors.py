"""Validation errors that name the exact key path, and a collector that reports them all at once.

Modelled on packaging's ``pylock.py`` (one error class whose path is joined as the error travels
up through nested records) and pyproject-metadata's ``ErrorCollector`` (collect everything,
raise once), so that the author of a data file fixes every mistake in one pass.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

__all__ = ["ErrorCollector", "InvalidDataError", "ValidationError"]


class ValidationError(Exception):
    """One problem in a data file, located by its key path (``items[3].sign``)."""

    def __init__(self, message: str, path: str = "", *, fix: str = "", code: str = "") -> None:
        self.message = message
        self.path = path
        self.fix = fix
        # A stable, machine-readable name for the few conditions a page acts on (e.g.
        # "newer-version": never offer to reset data written by a newer site); "" otherwise.
        self.code = code
        super().__init__(str(self))

    def __str__(self) -> str:
        return f"{self.message} in '{self.path}'" if self.path else self.message

    def under(self, prefix: str) -> ValidationError:
        """The same error, seen from one level up (``prefix`` is a key or ``[index]``)."""
        if not prefix:
            return self
        if not self.path:
            path = prefix
        elif self.path.startswith("["):
            path = prefix + self.path
        else:
            path = f"{prefix}.{self.path}"
        return ValidationError(self.message, path, fix=self.fix, code=self.code)


class InvalidDataError(Exception):
    """Every problem found in one source (a file name, or a short description of the input)."""

    def __init__(self, source: str, errors: Sequence[ValidationError]) -> None:
        self.source = source
        self.errors = tuple(errors)
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(f"{self.source}: {line}" for line in self.lines())

    def lines(self) -> list[str]:
        """One line per problem, with its fix when there is one."""
        return [f"{error}. {error.fix}" if error.fix else str(error) for error in self.errors]


class ErrorCollector:
    """Collects validation errors from several checks, then raises them together."""

    def __init__(self) -> None:
        self.errors: list[ValidationError] = []

    @contextmanager
    def collect(self, prefix: str = "") -> Iterator[None]:
        """Run a check; a ``ValidationError`` or ``InvalidDataError`` it raises is kept."""
        try:
            yield
        except ValidationError as error:
            self.errors.append(error.under(prefix))
        except InvalidDataError as group:
            self.errors.extend(error.under(prefix) for error in group.errors)

    def add(self, error: ValidationError) -> None:
        self.errors.append(error)

    def finalize(self, source: str) -> None:
        """Raise every collected error at once, if there is any."""
        if self.errors:
            raise InvalidDataError(source, self.errors)
