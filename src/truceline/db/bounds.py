"""Bounded integer types for every id and number that crosses the HTTP boundary.

SQLite stores integers as 64-bit signed values and PostgreSQL's ``integer`` row ids
are 32-bit: a larger number in a path, query or body used to reach the database
driver and fail there (``OverflowError`` on SQLite, ``NumericValueOutOfRange`` on
PostgreSQL) as a server error. Declaring
the range on the type makes FastAPI refuse it first with a 422 naming the field,
and puts the range in the OpenAPI document (``tests/unit/web/test_openapi_doc.py``
checks that every integer a client may send there is bounded).
"""

from __future__ import annotations

from typing import Annotated

import annotated_types as at

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1
#: Row ids are ``Integer`` columns: 64 bits on SQLite but 32 on PostgreSQL.
INT32_MAX = 2**31 - 1

#: A database row id (path, query or body): positive and within PostgreSQL's ``integer``.
RecordId = Annotated[int, at.Ge(1), at.Le(INT32_MAX)]
#: A count, limit or offset: zero or more. PostgreSQL binds these as ``integer`` too
#: (audit sequence numbers and tree sizes, ``bigint`` columns, take ``le=INT64_MAX``).
Count = Annotated[int, at.Ge(0), at.Le(INT32_MAX)]
#: Any other integer a client sends: within the signed 64-bit range.
Int64 = Annotated[int, at.Ge(INT64_MIN), at.Le(INT64_MAX)]
#: A calendar year as clients give them (founding or listing years).
Year = Annotated[int, at.Ge(1), at.Le(9999)]


def parse_record_id(text: str) -> int | None:
    """A record id typed as ASCII digits, or None.

    ``str.isdigit`` is true for "²" and "¹3", which ``int`` refuses, and digits
    alone say nothing about the range; both used to surface as server errors.
    """
    text = text.strip()
    if not (text.isascii() and text.isdecimal()):
        return None
    value = int(text)
    return value if 1 <= value <= INT32_MAX else None
