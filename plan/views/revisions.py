"""The public revision log (修訂紀錄) and its Atom feed."""

from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext, pgettext_lazy

from plan.addresses.languages import CHINESE
from plan.addresses.links import absolute_url
from plan.content.published import plan_or_404
from plan.editing.revisions import plan_revisions
from plan.models import BudgetLine
from plan.pagecache.entries import public_cache
from plan.web.errors import safe_methods_only

REVISIONS_PER_PAGE = 100
FEED_LENGTH = 50

# The log's own words, as plan/editing/revisions.py says them in Chinese (its actions, kinds of
# record and sources, and the label of a reload) and the names of the fields it shows (their
# verbose names): marked here for the catalogue; the templates translate them on English pages
# ({% translate revision.action context "revision log" %}); an amount's value is translated
# where the log is built. The feed stays in Chinese, whatever its address.
LOG_WORDS = (
    pgettext_lazy("revision log", "新增"),
    pgettext_lazy("revision log", "修改"),
    pgettext_lazy("revision log", "刪除"),
    pgettext_lazy("revision log", "發布"),
    pgettext_lazy("revision log", "重新載入"),
    pgettext_lazy("revision log", "施政提要"),
    pgettext_lazy("revision log", "預算項目"),
    pgettext_lazy("revision log", "計畫項目"),
    pgettext_lazy("revision log", "提要對應"),
    pgettext_lazy("revision log", "施政計畫"),
    pgettext_lazy("revision log", "已發布資料"),
    pgettext_lazy("revision log", "網站編修"),
    pgettext_lazy("revision log", "發布修正"),
    pgettext_lazy("revision log", "發布新計畫"),
    pgettext_lazy("revision log", "重新載入已發布資料"),
    pgettext_lazy("revision log", "重新載入，取代編者修改"),
)
FIELD_NAMES = (
    pgettext_lazy("revision field", "序號"),
    pgettext_lazy("revision field", "短標題"),
    pgettext_lazy("revision field", "內容"),
    pgettext_lazy("revision field", "對應說明"),
    pgettext_lazy("revision field", "名稱"),
    pgettext_lazy("revision field", "金額（千元）"),
    pgettext_lazy("revision field", "金額來源"),
    pgettext_lazy("revision field", "備考"),
    pgettext_lazy("revision field", "編者註"),
    pgettext_lazy("revision field", "計畫名稱"),
    pgettext_lazy("revision field", "計畫目標"),
    pgettext_lazy("revision field", "實施要領"),
    pgettext_lazy("revision field", "提要"),
    pgettext_lazy("revision field", "計畫項目"),
    pgettext_lazy("revision field", "標題"),
    pgettext_lazy("revision field", "預算總額（千元）"),
    pgettext_lazy("revision field", "結果"),
)
VALUE_WORDS = (
    pgettext_lazy("revision value", "%(amount)s 千元"),  # an amount's old or new value
    pgettext_lazy("revision value", "（已刪除）"),  # what a goal link pointed at, since deleted
)


@safe_methods_only
@public_cache
def revision_log(request):
    plan = plan_or_404(request)
    code = request.GET.get("code", "")
    line = BudgetLine.objects.in_plan(plan).by_code(code) if code else None
    if code and line is None:
        raise Http404(gettext("找不到這個預算項目"))
    revisions = plan_revisions(plan=plan, code=line.code if line else None)
    page = Paginator(revisions, REVISIONS_PER_PAGE).get_page(request.GET.get("page"))
    context = {"plan": plan, "page": page, "line": line, "total": len(revisions)}
    return render(request, "plan/revisions.html", context)


class RevisionFeed(Feed):
    """An Atom feed of the revision log, so journalists can subscribe to changes."""

    feed_type = Atom1Feed
    author_name = "高雄市政府警察局施政計畫網站"
    subtitle = "施政計畫已發布資料的每一筆修訂：改了什麼、原值與新值、何時修改。"

    def __call__(self, request, *args, **kwargs):
        with translation.override(CHINESE):
            return super().__call__(request, *args, **kwargs)

    def get_object(self, request):
        return plan_or_404(request)

    def title(self, plan):
        return f"{plan.title}：修訂紀錄"

    def link(self, plan):
        return absolute_url(reverse("plan:revisions"))

    def feed_url(self, plan):
        return absolute_url(reverse("plan:revisions-feed"))

    def items(self, plan):
        return plan_revisions(plan=plan)[:FEED_LENGTH]

    def item_title(self, revision):
        return revision.title

    def item_description(self, revision):
        parts = [f"發布理由：{revision.reason}"] if revision.reason else []
        parts += [_described(revision.main)]
        parts += [f"{record.title}：{_described(record)}" for record in revision.others]
        return "\n".join(parts)

    def item_link(self, revision):
        return absolute_url(f"{reverse('plan:revisions')}#{revision.key}")

    def item_pubdate(self, revision):
        return revision.when

    def item_updateddate(self, revision):
        return revision.when


revision_feed = safe_methods_only(public_cache(RevisionFeed()))


def _described(record) -> str:
    """A record's field changes as plain text: 「備考：（空白） → 新的備考」, and for long texts
    the character-level difference as well."""
    if record.action != "修改":
        return "；".join(f"{change.label}：{change.new}" for change in record.changes)
    texts = []
    for change in record.changes:
        text = f"{change.label}：{change.old or '（空白）'} → {change.new or '（空白）'}"
        if change.diff:
            text += f"（差異：{change.diff_text}）"
        texts.append(text)
    if record.note:
        texts.append(f"修改理由：{record.note}")
    return "；".join(texts)
