from django.urls import path, register_converter

from .api import openapi
from .views import about, budget_table, open_data, pages, revisions, search, sharing


class GoalNumberConverter:
    """1 to 9999 without leading zeros: one URL per goal, and no number the database rejects."""

    regex = "[1-9][0-9]{0,3}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


register_converter(GoalNumberConverter, "goal")

app_name = "plan"

urlpatterns = [
    path("", pages.home, name="home"),
    path("budget/", pages.budget_tree, name="budget-tree"),
    path("budget/lines/", budget_table.budget_table, name="budget-table"),
    path(
        "budget/lines.csv",
        budget_table.budget_table_download,
        {"file_format": "csv"},
        name="budget-table-csv",
    ),
    path(
        "budget/lines.xlsx",
        budget_table.budget_table_download,
        {"file_format": "xlsx"},
        name="budget-table-xlsx",
    ),
    path("budget/<slug:code>/", pages.budget_line_detail, name="budget-line-detail"),
    path("measures/<slug:code>/", pages.measure_detail, name="measure-detail"),
    path("goals/", pages.goal_list, name="goal-list"),
    path("goals/<goal:number>/", pages.goal_detail, name="goal-detail"),
    path("budget/<slug:code>/budget-lines.csv", open_data.budget_line_csv, name="budget-line-csv"),
    path("search/", search.search, name="search"),
    path("search/results.csv", search.search_download, {"file_format": "csv"}, name="search-csv"),
    path(
        "search/results.xlsx", search.search_download, {"file_format": "xlsx"}, name="search-xlsx"
    ),
    path("open-data/", open_data.open_data_index, name="open-data"),
    path("open-data/datapackage.json", open_data.datapackage_json, name="datapackage"),
    path("open-data/api/", openapi.api_page, name="api-docs"),
    path("open-data/<str:filename>", open_data.open_data_file, name="open-data-file"),
    path("changes/", revisions.revision_log, name="revisions"),
    path("changes/feed/", revisions.revision_feed, name="revisions-feed"),
    path("about/", about.about_data, name="about"),
    path("about/source.txt", about.source_text, name="source-text"),
    path("glossary/", about.glossary, name="glossary"),
    path("accessibility/", about.accessibility, name="accessibility"),
    path("site-map/", about.site_map, name="site-map"),
    path("privacy/", about.privacy, name="privacy"),
    path("open-data-licence/", about.open_data_licence, name="open-data-licence"),
    path("contact/", about.contact_us, name="contact"),
    path("embed/budget/<slug:code>/", sharing.embed_budget_line, name="embed-budget-line"),
    path("og/home.png", sharing.og_home, name="og-home"),
    path("og/budget/<slug:code>.png", sharing.og_budget_line, name="og-budget-line"),
    path("og/measures/<slug:code>.png", sharing.og_measure, name="og-measure"),
    path("og/goals/<goal:number>.png", sharing.og_goal, name="og-goal"),
]
