"""The errors Interview Coach raises. The CLI turns them into one-line messages,
the web layer into HTTP statuses; nothing else catches them.

    CoachError
    ├── InputError            a document could not be read (file named in the message)
    │   ├── FileMissing       path does not exist
    │   ├── EmptyFile         zero bytes or only whitespace
    │   ├── FileTooLarge      over the size limit
    │   ├── BinaryFile        not text
    │   ├── Undecodable       no text encoding fits
    │   └── NoQuestions       read fine, but no question found
    ├── NotFound              an id (question, item, source) that is not in the bank
    ├── InvalidInput          bad user input; `problems` lists every problem found
    ├── ConfigError           a settings or provider file is wrong
    └── StoreError            the database is unusable (newer schema, corrupt file)
"""

from __future__ import annotations


class CoachError(Exception):
    """Base of every error the library raises on purpose."""

    exit_code = 1


class InputError(CoachError):
    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class FileMissing(InputError):
    pass


class EmptyFile(InputError):
    pass


class FileTooLarge(InputError):
    pass


class BinaryFile(InputError):
    pass


class Undecodable(InputError):
    pass


class NoQuestions(InputError):
    pass


class NotFound(CoachError):
    exit_code = 3


class InvalidInput(CoachError):
    exit_code = 2

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


class ConfigError(CoachError):
    exit_code = 2


class StoreError(CoachError):
    exit_code = 4
