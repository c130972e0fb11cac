"""The editors' side. Published records change only through drafts: drafts.py opens a draft (a
copy of a published plan) and discards it; publishing.py lists what a draft changes and
publishes it whole, in one transaction, with one reason. The Django admin (registered from
PlanConfig.ready): admin.py for the plan's records, record_admin.py for what they share (read-only
when published, a reason on every save, versions and filters), draft_admin.py for drafts and
publications, forms.py for its fields, versions.py for naming a record's version,
history_changes.py for the marked changes in a record's history. integrity.py holds the checks
the admin, publishing and `checkplan` apply; signals.py what a save sets off (the data version,
one change set per save or publish); revisions.py and field_changes.py the public revision log;
login.py the client address login throttling counts by; lockouts.py the lockout's rules, the
login page's warning, the lockout page and the superusers' unlock screen; translations.py the
admin's Chinese where the catalogue in locale/ cannot reach (permission names, the user and group
admins, the sign-in records' names).

May import: plan.addresses, plan.models, plan.content, plan.document, plan.reading,
plan.search (the synonym table).
"""
