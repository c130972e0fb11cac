"""What helps a reader read the plan: amounts in 千元 and in 億/萬 (formatting.py), a
measure's text as paragraphs and lists (text_blocks.py), the document's terms in plain words
(glossary.py), figures per resident (population.py) and a split drawn as bars (charts.py).

May import: plan.addresses (whether the page is English), plan.document (a plan folder's
population).
"""
