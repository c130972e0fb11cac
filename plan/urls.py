from django.urls import path, register_converter
from django.views.decorators.http import require_safe

from . import views
from .caching import public_cache
from .feeds import RevisionFeed


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
    path("", views.home, name="home"),
    path("budget/", views.budget_tree, name="budget-tree"),
    path("budget/<slug:code>/", views.budget_line_detail, name="budget-line-detail"),
    path("measures/<slug:code>/", views.measure_detail, name="measure-detail"),
    path("goals/", views.goal_list, name="goal-list"),
    path("goals/<goal:number>/", views.goal_detail, name="goal-detail"),
    path("budget/<slug:code>/budget-lines.csv", views.budget_line_csv, name="budget-line-csv"),
    path("search/", views.search, name="search"),
    path("search/results.csv", views.search_export, {"file_format": "csv"}, name="search-csv"),
    path("search/results.xlsx", views.search_export, {"file_format": "xlsx"}, name="search-xlsx"),
    path("open-data/", views.open_data_index, name="open-data"),
    path("open-data/datapackage.json", views.datapackage_json, name="datapackage"),
    path("open-data/<str:filename>", views.open_data_file, name="open-data-file"),
    path("changes/", views.revision_log, name="revisions"),
    path("changes/feed/", require_safe(public_cache(RevisionFeed())), name="revisions-feed"),
    path("about/", views.about_data, name="about"),
    path("about/source.txt", views.source_document, name="source-document"),
]
