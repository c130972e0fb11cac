"""Public pages by audience: pages (reading the plan), about (where the data comes from),
search, open data, revisions and site (robots, sitemap, health). A feature's view, form and
table sit in its module; views fetch through selectors and render a small context."""
