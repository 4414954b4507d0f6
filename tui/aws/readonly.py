"""Which API operations only read. Shared by the client read-only guard and the sandbox log."""

READ_PREFIXES = ("List", "Get", "Describe", "BatchGet", "Search", "Lookup", "Simulate")
# Reads that do not follow the naming convention (none needed yet).
READ_EXCEPTIONS: frozenset[str] = frozenset()


def is_read_operation(operation_name: str) -> bool:
    """True for List/Get/Describe-style calls; everything else may change the account."""
    return operation_name.startswith(READ_PREFIXES) or operation_name in READ_EXCEPTIONS
