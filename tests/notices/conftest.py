from tests.filings.conftest import platforms  # noqa: F401 - the same two platforms
