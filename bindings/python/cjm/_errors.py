"""Exceptions raised by the cjm binding.

Every failure reported by the C library becomes a :class:`CjmError`, or
rather one of its subclasses chosen by the result code. The exception
carries the library's own message and, for rejected input, the file, line
and column it points at.
"""
from __future__ import annotations

from typing import Dict, Optional, Type


class CjmError(Exception):
    """A failure reported by libcjm.

    Attributes:
        code: the negative ``CJM_E...`` result code.
        message: the library's sentence describing the failure.
        file: the input's name, or ``""`` when the failure is not about input.
        line: 1-based line in ``file``, or 0 when unknown.
        column: 1-based column in ``file``, or 0 when unknown.
        function: the C function that failed, when known.
    """

    #: The result code this class stands for (overridden by subclasses).
    default_code: int = -1

    def __init__(self, message: str, code: Optional[int] = None, file: str = "",
                 line: int = 0, column: int = 0, function: str = "") -> None:
        super().__init__(message)
        self.code: int = self.default_code if code is None else code
        self.message: str = message
        self.file: str = file
        self.line: int = line
        self.column: int = column
        self.function: str = function

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = self.file
            if self.line:
                where += f":{self.line}"
                if self.column:
                    where += f":{self.column}"
            where += ": "
        return where + self.message

    def __reduce__(self):  # keeps the details when pickled (Dask, multiprocessing)
        return (_rebuild, (type(self), self.message, self.code, self.file,
                           self.line, self.column, self.function))


def _rebuild(cls: Type[CjmError], message: str, code: int, file: str, line: int,
             column: int, function: str) -> CjmError:
    return cls(message, code, file, line, column, function)


class NoMemoryError(CjmError, MemoryError):
    """An allocation failed inside the library (``CJM_ENOMEM``); nothing was changed."""

    default_code = -2


class InvalidArgumentError(CjmError, ValueError):
    """An argument was rejected (``CJM_EINVAL``): wrong kind, bad id, bad text, out of range."""

    default_code = -3


class NotFoundError(CjmError, LookupError):
    """The thing looked for does not exist or is unset (``CJM_ENOTFOUND``)."""

    default_code = -4


class AlreadyExistsError(CjmError):
    """An id is already in use (``CJM_EEXISTS``)."""

    default_code = -5


class ParseError(CjmError, ValueError):
    """Input was rejected (``CJM_EPARSE``); ``file``, ``line`` and ``column`` say where."""

    default_code = -6


class InvalidError(CjmError, ValueError):
    """The document fails validation (``CJM_EINVALID``)."""

    default_code = -7


class CjmIOError(CjmError, OSError):
    """Reading or writing a file failed (``CJM_EIO``)."""

    default_code = -8

    def __str__(self) -> str:  # OSError would otherwise format its own way
        return CjmError.__str__(self)


class LimitExceededError(CjmError):
    """A size, depth or count limit was exceeded (``CJM_ELIMIT``)."""

    default_code = -9


class UnsupportedError(CjmError, NotImplementedError):
    """The request is not supported (``CJM_EUNSUPPORTED``): a format, a feature."""

    default_code = -10


_BY_CODE: Dict[int, Type[CjmError]] = {
    cls.default_code: cls
    for cls in (NoMemoryError, InvalidArgumentError, NotFoundError, AlreadyExistsError,
                ParseError, InvalidError, CjmIOError, LimitExceededError, UnsupportedError)
}


def error_class(code: int) -> Type[CjmError]:
    """The exception class for a negative result code (:class:`CjmError` when unknown)."""
    return _BY_CODE.get(code, CjmError)


class LibraryError(ImportError):
    """libcjm could not be found or loaded, or it does not match this binding."""


class StaleObjectError(ValueError):
    """The object was closed, or removed from its map, and can no longer be used.

    Raised instead of touching memory the library has already freed.
    """
