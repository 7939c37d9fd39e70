"""The API's pagination: ninja's limit and offset, with bounds that the database can take.

Unbounded, `?limit=` or `?offset=` past 64 bits reached the database and answered 500; now a
number out of range is a 422 that names the parameter and its bounds, in the OpenAPI document too.
"""

from typing import Annotated

from django.conf import settings
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

MAX_LIMIT = 500
MAX_OFFSET = 10**9
# An id as the database stores it (a 64-bit signed integer): the type for ids in request bodies.
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]
# An offset, here and for endpoints that page by hand: SQLite refuses one past 64 bits ("datatype mismatch").
Offset = Annotated[int, Field(ge=0, le=MAX_OFFSET)]


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(settings.NINJA_PAGINATION_PER_PAGE, ge=1, le=MAX_LIMIT)
        offset: Offset = 0

    def __init__(self, **kwargs):
        super().__init__(max_limit=MAX_LIMIT, **kwargs)
