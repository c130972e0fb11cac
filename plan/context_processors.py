from .selectors import plan_get


def current_plan(request):
    """The plan every page's header and footer speak about (fetched once per request)."""
    if not hasattr(request, "_current_plan"):
        request._current_plan = plan_get()
    return {"site_plan": request._current_plan}
