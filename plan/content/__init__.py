"""The plan as the pages read it: what is published right now (the plans, the search synonyms
and the data version, published.py), the plan's outline read once per data version
(outline.py), the reads that combine records for one page (selectors.py) and the cache tags
a page carries and a change purges (tags.py).

May import: plan.addresses, plan.models.
"""
