"""The preview: the whole site as it would look with an editor's draft published.

/preview/114/budget/2-1/ is /114/budget/2-1/ answered with the editor's open draft of 114 in
place of the published plan (the draft the editor last chose in the admin, else their newest,
else anyone's newest). Only signed-in staff who may see drafts get it; it is never cached
(the page cache skips /preview/, and the answer says no-store), never indexed, and every page
says 預覽 in a banner. Links made while answering stay in the preview (year_prefix.in_preview).
"""

import re
from urllib.parse import quote

from django.conf import settings
from django.http import HttpResponsePermanentRedirect, HttpResponseRedirect
from django.utils.cache import add_never_cache_headers

from plan.addresses.year_prefix import CHOSEN_DRAFT, PREVIEW_PREFIX, in_preview
from plan.models import Draft

from .errors import error_page

PREVIEW_PATH = re.compile(rf"^{PREVIEW_PREFIX}(?P<year>[0-9]{{3}})(?P<rest>/.*)?$")


def chosen_draft(request, year: int) -> Draft | None:
    """The draft of `year` this editor previews: the one chosen in the admin, else their own
    newest, else the newest of anyone's."""
    drafts = Draft.objects.of_year(year).select_related("plan", "base")
    chosen = request.session.get(CHOSEN_DRAFT)
    found = drafts.filter(pk=chosen).first() if isinstance(chosen, int) else None
    return found or drafts.filter(created_by=request.user).first() or drafts.first()


class PreviewMiddleware:
    """Answers /preview/<year>/… (after authentication: it needs the editor)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(PREVIEW_PREFIX):
            return self.get_response(request)
        response = self._answer(request)
        add_never_cache_headers(response)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    def _answer(self, request):
        user = request.user
        if not (user.is_authenticated and user.is_staff):
            login = f"/{settings.ADMIN_URL}login/?next={quote(request.get_full_path())}"
            return HttpResponseRedirect(login)
        if not user.has_perm("plan.view_draft"):
            return error_page(403, "您的帳號沒有檢視修正草稿的權限。", links=_admin_link())
        match = PREVIEW_PATH.match(request.path_info)
        if match is None:
            return error_page(404, "預覽網址的格式是 /preview/年度/，例如 /preview/114/。")
        year = int(match["year"])
        draft = chosen_draft(request, year)
        if draft is None:
            return error_page(404, f"目前沒有 {year} 年度的修正草稿可以預覽。", _admin_link())
        if match["rest"] is None:
            return HttpResponsePermanentRedirect(f"{request.path}/")
        request.plan = draft.plan
        request.preview_draft = draft
        request.path_info = match["rest"]
        with in_preview(draft.plan_id, year):
            return self.get_response(request)


def _admin_link() -> list[tuple[str, str]]:
    return [("修正草稿（管理介面）", f"/{settings.ADMIN_URL}plan/draft/")]
