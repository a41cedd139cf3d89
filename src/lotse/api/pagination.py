from typing import ClassVar

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination


class PaginationParams(Schema):
    limit: int = Field(100, ge=1, le=500, description="Items per page (1–500)")
    offset: int = Field(0, ge=0, le=2**31 - 1, description="Items to skip")


class Pagination(LimitOffsetPagination):
    """limit/offset with bounds, so an absurd offset is a 422 and never reaches the database."""

    MAX_LIMIT: ClassVar[int] = 500
    Input = PaginationParams  # type: ignore[assignment]

    def __init__(self, **kwargs: object) -> None:
        super().__init__(max_limit=self.MAX_LIMIT, **kwargs)
