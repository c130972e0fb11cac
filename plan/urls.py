from django.urls import path

from . import views

app_name = "plan"

urlpatterns = [
    path("", views.home, name="home"),
    path("budget/<slug:code>/", views.budget_line_detail, name="budget-line-detail"),
    path("measures/<slug:code>/", views.measure_detail, name="measure-detail"),
]
