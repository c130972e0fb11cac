"""The page cache: what names a page (keys.py: the release, the data version, the path and
the query), which cache keeps it (spaces.py: pages with a query apart and bounded; the deploy
check for production without a shared cache), what is stored and replayed (entries.py), the
two middlewares that make, store and answer pages (middleware.py), the front door that answers
plain hits ahead of Django (front_door.py), warming every public page (warm.py) and telling
the proxies in front what a change purges (purge.py).

May import: plan.addresses, plan.content, plan.open_data (the files to warm), plan.comparison
(the year a page is compared with, for its cache tags).
"""
