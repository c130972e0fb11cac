"""What other sites show of this one: the pictures of shared links (pictures.py, with the
system check for their fonts) and a ready citation for a council memo (citations.py).

May import: plan.addresses, plan.document (where in the source a record is), plan.reading.
"""
