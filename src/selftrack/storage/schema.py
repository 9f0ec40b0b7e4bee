"""The schema revision this selftrack writes, importable without SQLAlchemy."""

HEAD_REVISION = "0003"
KNOWN_REVISIONS = ("0001", "0002", "0003")
