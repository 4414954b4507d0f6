"""Errors that end a command with one clear line (never a traceback)."""


class TrellisError(Exception):
    """A failure to report as one line. ``exit_code`` is what the process returns."""

    exit_code = 1


class UsageError(TrellisError):
    """Bad input from the user: wrong flag, missing file, malformed ARN. Exit 2."""

    exit_code = 2


class ConnectionFailure(TrellisError):
    """No credentials, unknown profile, endpoint unreachable. Exit 2."""

    exit_code = 2
