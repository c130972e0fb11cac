"""Years side by side: each budget line beside the same line of the agency's previous plan
(lines.py), and links to the same page in another year's plan (other_years.py).

May import: plan.addresses, plan.models, plan.content, plan.reading (a plan's English title).
"""
