from tests.filings.conftest import platforms  # noqa: F401 - the two platforms, their staff and keys
