"""Public addresses: every plan under its fiscal year (/114/…, year_prefix.py), links reversed
once and absolute links from the published origin (links.py), the request's Host as
Django judges it plus a valid port (hosts.py), and the language of an address (/en/…,
languages.py).

May import: nothing of plan (Django only): the models build their own addresses with it.
"""
