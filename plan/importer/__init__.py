"""Build time only: the published plan document made from the source text and the reviewed
corrections file, one module per step (build.py runs them in order), and a synthetic plan N
times the size of the real one for the benchmark (synthetic.py). Nothing that serves a request
imports this package; `manage.py buildplan` and `synthplan` run it.

May import: plan.content (the tree walk), plan.document.
"""
