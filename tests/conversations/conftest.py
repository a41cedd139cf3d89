from __future__ import annotations

from tests.documents.conftest import document_dir

__all__ = ["document_dir"]
