"""Open data: each file's columns (files.py, one definition for the CSV header, the Data
Package and the column dictionary), their rows and the files made of them (contents.py), and the
file formats of every download (formats.py: CSV with BOM, XLSX).

May import: plan.models, plan.document, plan.comparison, plan.budget_table.
"""
