"""Which API operations only read. Shared by the client read-only guard and the sandbox log."""

import re

# A read verb followed by a capitalised noun: "ListTargets" reads, "ListenerUpdate" would not.
_READ = re.compile(r"(List|Get|Describe|BatchGet|Search|Lookup|Simulate)[A-Z]")
# Reads that do not follow the naming convention (none needed yet).
READ_EXCEPTIONS: frozenset[str] = frozenset()


def is_read_operation(operation_name: str) -> bool:
    """True for List/Get/Describe-style calls; everything else may change the account."""
    return bool(_READ.match(operation_name)) or operation_name in READ_EXCEPTIONS
