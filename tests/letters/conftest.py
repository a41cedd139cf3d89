from tests.documents.conftest import case, document_dir  # noqa: F401 -- shared fixtures
