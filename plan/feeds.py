"""An Atom feed of the revision log, so journalists can subscribe to changes."""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from .revisions import plan_revisions
from .selectors import plan_get

FEED_LENGTH = 50


class RevisionFeed(Feed):
    feed_type = Atom1Feed
    author_name = "高雄市政府警察局施政計畫網站"
    subtitle = "施政計畫已發布資料的每一筆修訂：改了什麼、原值與新值、何時修改。"

    def get_object(self, request):
        plan = plan_get()
        if plan is None:
            raise Http404("尚未載入施政計畫資料")
        return plan

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
