"""The manage.py commands (commands/): each parses its arguments and calls a feature package;
buildplan and synthplan run the importer, the others never do.

May import: any package below.
"""
