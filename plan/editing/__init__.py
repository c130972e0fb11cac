"""The editors' side: the Django admin (admin.py, registered from PlanConfig.ready), the
integrity checks it and `checkplan` show (integrity.py), what an edit sets off (signals.py:
the data version, one change set per save), the public revision log built from the history
(revisions.py), the client address login throttling counts by (login.py) and the admin's
Chinese where the catalogue in locale/ cannot reach (translations.py: permission names, the
user, group and sign-in record admins).

May import: plan.addresses, plan.models, plan.content, plan.document, plan.reading,
plan.search (the synonym table).
"""
