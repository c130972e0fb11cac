"""The public pages, by audience: pages (reading the plan), tables (the sortable tables they
show), budget_table (the table for council staff), search, open_data, about (where the data
comes from, the glossary, accessibility), revisions, sharing (embeds, pictures of shared
links), site (robots, sitemap, health checks) and the context every template gets. Views are
thin: they fetch through the feature packages and render a small context.

May import: any package below; never plan.api or plan.importer.
"""
