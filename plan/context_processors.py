from .plans import current_plan


def current_plan_context(request):
    """The plan every page's header and footer speak about."""
    return {"site_plan": current_plan(request)}
