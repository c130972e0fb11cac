from django.urls import path

from . import views

app_name = "plan"

urlpatterns = [
    path("", views.home, name="home"),
    path("budget/", views.budget_tree, name="budget-tree"),
    path("budget/<slug:code>/", views.budget_line_detail, name="budget-line-detail"),
    path("measures/<slug:code>/", views.measure_detail, name="measure-detail"),
    path("goals/", views.goal_list, name="goal-list"),
    path("goals/<int:number>/", views.goal_detail, name="goal-detail"),
    path("about/", views.about_data, name="about"),
    path("about/source.txt", views.source_document, name="source-document"),
]
