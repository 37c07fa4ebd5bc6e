"""``PageAccess``: the policy's ``Authorized`` for HTML pages (sign in first, then 403).

It lives with ``Authorized`` in ``truceline.accounts.access``, so that every
context's pages declare their access the same way.
"""

from __future__ import annotations

from truceline.accounts.access import PageAccess

__all__ = ["PageAccess"]
