"""Protocol files: discovery, parsing, validation."""

from selftrack.protocols.loader import (
    CATALOGUE_SUFFIX,
    PROTOCOL_SUFFIX,
    LoadResult,
    Problem,
    check_paths,
    load_protocols,
)

__all__ = [
    "CATALOGUE_SUFFIX",
    "PROTOCOL_SUFFIX",
    "LoadResult",
    "Problem",
    "check_paths",
    "load_protocols",
]
