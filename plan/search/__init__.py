"""Search over goals, budget-line names and measures: the query and its results (engine.py),
how a term is read (terms.py: folding, Simplified Chinese, synonyms), the synonym table's file
(synonyms.py), what a result shows of its text (excerpts.py), the longest pieces when nothing
matches (fallback.py), what the page says about the query (notices.py), what it calls things
in its language (wording.py) and the results' CSV and XLSX columns (downloads.py).

May import: plan.addresses, plan.models, plan.content, plan.open_data (column definitions).
"""
