from __future__ import annotations

from tests.documents.conftest import case, document_dir

__all__ = ["case", "document_dir"]
