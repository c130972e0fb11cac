from django.conf import settings

from plan.addresses.languages import (
    CHINESE,
    ENGLISH,
    HTML_LANG,
    OG_LOCALE,
    current,
    language_paths,
)
from plan.addresses.year_prefix import PREVIEW_PREFIX
from plan.comparison import other_years
from plan.content.published import current_plan
from plan.document.contact import contact
from plan.open_data.files import DATA_LICENCE
from plan.sharing import pictures


def current_plan_context(request):
    """The plan every page's header and footer speak about, how to reach the agency that
    published it (its plan folder's [contact]) and who runs this site (settings)."""
    plan = current_plan(request)
    return {
        "site_plan": plan,
        "site_contact": contact(plan) if plan else None,
        "site_operator": settings.SITE_OPERATOR,
        "operator_email": settings.SITE_CONTACT_EMAIL,
        "operator_is_agency": bool(plan) and plan.agency == settings.SITE_OPERATOR,
    }


def site_url(request):
    """The published origin (settings.SITE_URL): absolute links never use the request's Host;
    and whether shared links get a picture (plan/sharing/pictures.py needs its fonts)."""
    return {"site_url": settings.SITE_URL, "share_pictures": pictures.available()}


def year_switcher(request):
    """The same page in the other years' plans, when more than one is published."""
    return {"year_links": other_years.year_switcher(request)}


def preview(request):
    """On a preview of a draft (plan/web/preview.py): the draft, where to edit it and the
    published page it stands in for."""
    draft = getattr(request, "preview_draft", None)
    if draft is None:
        return {}
    path = request.path.removeprefix(PREVIEW_PREFIX.rstrip("/"))
    return {
        "preview": {
            "draft": draft,
            # Not reverse(): the script prefix is the preview's (/preview/114/) here.
            "admin_url": f"/{settings.ADMIN_URL}plan/draft/{draft.pk}/change/",
            "public_url": path if draft.base_id else "",
        }
    }


def languages(request):
    """The page's language, the same page in each language (hreflang) and the switch to the
    other one, which keeps the reader on the same record, with the same query."""
    language = current()
    # A draft's preview has no English address.
    previewing = request.path.startswith(PREVIEW_PREFIX)
    paths = {} if previewing else language_paths(request.path)
    other = ENGLISH if language == CHINESE else CHINESE
    switch = None
    if paths:
        # Re-encoded from the parsed query: the raw one may carry undecoded UTF-8 bytes.
        query = request.GET.urlencode()
        switch = {
            "href": paths[other] + (f"?{query}" if query else ""),
            "lang": HTML_LANG[other],
            "label": "English" if other == ENGLISH else "中文",
        }
    return {
        "html_lang": HTML_LANG[language],
        "og_locale": OG_LOCALE[language],
        "english": language == ENGLISH,
        "alternates": [(HTML_LANG[each], path) for each, path in paths.items()],
        "language_switch": switch,
    }


def data_licence(request):
    """The licence named beside every download (templates/plan/_licence_note.html)."""
    return {"data_licence": DATA_LICENCE}
