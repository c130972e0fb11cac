"""The public revision log (修訂紀錄) and its Atom feed."""

from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.http import require_safe

from ..caching import public_cache
from ..models import BudgetLine
from ..plans import plan_or_404
from ..revisions import plan_revisions

REVISIONS_PER_PAGE = 100
FEED_LENGTH = 50


@require_safe
@public_cache
def revision_log(request):
    plan = plan_or_404(request)
    code = request.GET.get("code", "")
    line = BudgetLine.objects.in_plan(plan).by_code(code) if code else None
    if code and line is None:
        raise Http404("找不到這個預算項目")
    revisions = plan_revisions(plan=plan, code=line.code if line else None)
    page = Paginator(revisions, REVISIONS_PER_PAGE).get_page(request.GET.get("page"))
    context = {"plan": plan, "page": page, "line": line, "total": len(revisions)}
    return render(request, "plan/revisions.html", context)


class RevisionFeed(Feed):
    """An Atom feed of the revision log, so journalists can subscribe to changes."""

    feed_type = Atom1Feed
    author_name = "高雄市政府警察局施政計畫網站"
    subtitle = "施政計畫已發布資料的每一筆修訂：改了什麼、原值與新值、何時修改。"

    def get_object(self, request):
        return plan_or_404(request)

    def title(self, plan):
        return f"{plan.title}：修訂紀錄"

    def link(self, plan):
        return reverse("plan:revisions")

    def items(self, plan):
        return plan_revisions(plan=plan)[:FEED_LENGTH]

    def item_title(self, revision):
        return revision.title

    def item_description(self, revision):
        if revision.action != "修改":
            return "；".join(f"{change.label}：{change.new}" for change in revision.changes)
        return "；".join(
            f"{change.label}：{change.old or '（空白）'} → {change.new or '（空白）'}"
            for change in revision.changes
        )

    def item_link(self, revision):
        return f"{reverse('plan:revisions')}#{revision.key}"

    def item_pubdate(self, revision):
        return revision.when

    def item_updateddate(self, revision):
        return revision.when


revision_feed = require_safe(public_cache(RevisionFeed()))
