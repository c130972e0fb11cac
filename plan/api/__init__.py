"""The read-only JSON API under /api/v1/ (django-ninja), described by the OpenAPI 3.1 document
at /api/openapi.json that ninja generates from these operations and schemas.

The year is in the path (/api/v1/114/budget-lines/2-2/), as on the pages: a code names a
record only within its plan, so an address that names the year names one record for ever,
whatever plans come later. /api/v1/plans/ lists the years.

May import: any package below; never plan.views or plan.importer.

What the API and the pages share lives in a feature package below them both: the budget-line
filter chain (plan.budget_table), a plan or a 404 (plan.content), the error pages (plan.web).
"""

from .operations import api

__all__ = ["api"]
