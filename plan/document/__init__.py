"""The published plan document (fixtures/plans/<slug>/plan.json): one folder per document
(folders.py) and how to reach the agency that published it (contact.py), its JSON contract
(contract.py), what it must be before it is loaded (rules.py), loading it into the database
(loader.py), and where every record came from in the source text (provenance.py).

May import: plan.addresses, plan.models, plan.content.
"""
