"""Template tags and filters: amounts and dates as the pages print them (plan_format), a
measure's text, notes, source lines and glossary terms (plan_text), and `{% url %}` with its
answers remembered (plan_urls, a builtin of every template).

May import: any package below.
"""
