"""The read-only JSON API under /api/v1/ (django-ninja), described by the OpenAPI 3.1 document
at /api/openapi.json that ninja generates from these operations and schemas.

The year is in the path (/api/v1/114/budget-lines/2-2/), as on the pages: a code names a
record only within its plan, so an address that names the year names one record for ever,
whatever plans come later. /api/v1/plans/ lists the years.

May import: any package below; never plan.views or plan.importer (what the API and the pages
share lives in a feature package, e.g. plan.budget_table's filter chain).
"""

from .operations import api

__all__ = ["api"]
