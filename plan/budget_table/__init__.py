"""The budget table: every budget line as one row with its shares, measures and comparison
(rows.py), and the one chain of filters the page, its downloads and the API share
(filters.py).

May import: plan.addresses (whether the page is English), plan.models, plan.reading,
plan.comparison.
"""
