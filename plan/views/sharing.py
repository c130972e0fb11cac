"""What other sites show of this one: the pictures of shared links, and the embeddable view
of a budget line's split."""

from csp.decorators import csp_replace
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.clickjacking import xframe_options_exempt

from plan.addresses.languages import is_english
from plan.addresses.links import absolute_url
from plan.comparison.lines import plan_comparison
from plan.content import selectors
from plan.content.published import plan_or_404
from plan.models import BudgetLine
from plan.pagecache.entries import public_cache
from plan.reading import english_names
from plan.reading.charts import split_rows
from plan.reading.formatting import (
    amount_reading,
    amount_text,
    fiscal_year_text,
    share,
    share_text,
)
from plan.reading.levels import kind_text, split_caption
from plan.sharing import pictures
from plan.web.errors import safe_methods_only


def _png(card: pictures.Card) -> HttpResponse:
    if not pictures.available():
        raise Http404(_("這個網站沒有安裝繪製分享圖片所需的字型"))
    return HttpResponse(pictures.render(card), content_type="image/png")


def _kicker(plan, what: str) -> str:
    return _("%(year)s施政計畫・%(what)s") % {
        "year": fiscal_year_text(plan.fiscal_year),
        "what": what,
    }


def _figure(amount: int | None) -> str:
    """An amount's reading without its 「約」 ("about"): a picture's big figure."""
    return amount_reading(amount).removeprefix("約 ").removeprefix("about ")


@safe_methods_only
@public_cache
def og_home(request):
    plan = plan_or_404(request)
    return _png(
        pictures.Card(
            kicker=_("%(year)s 年度（%(gregorian)s 年）")
            % {"year": plan.fiscal_year, "gregorian": plan.gregorian_year},
            title=english_names.plan_title(plan, english=is_english()),
            figure=_("預算 %(amount)s") % {"amount": _figure(plan.total_amount)},
            detail=_("%(amount)s 千元・錢用在哪裡、要做什麼，逐項公開")
            % {"amount": amount_text(plan.total_amount)},
        )
    )


@safe_methods_only
@public_cache
def og_budget_line(request, code):
    plan = plan_or_404(request)
    line = BudgetLine.objects.in_plan(plan).by_code(code)
    if line is None:
        raise Http404(_("找不到這個預算項目"))
    derived = _("（推算）") if line.is_derived else ""
    of_total = share(line.amount, plan.total_amount)
    return _png(
        pictures.Card(
            kicker=_kicker(plan, kind_text(line.level)),
            title=line.label,
            figure=_figure(line.amount),
            detail=_("%(amount)s 千元%(derived)s・占全部預算 %(share)s")
            % {
                "amount": amount_text(line.amount),
                "derived": derived,
                "share": share_text(line.amount, plan.total_amount),
            },
            share=float(of_total) if of_total is not None else None,
        )
    )


@safe_methods_only
@public_cache
def og_measure(request, code):
    plan = plan_or_404(request)
    page = selectors.measure_page(plan=plan, code=code)
    if page is None:
        raise Http404(_("找不到這個計畫項目"))
    line = page.measure.budget_line
    return _png(
        pictures.Card(
            kicker=_kicker(plan, pgettext("a kind of record", "計畫項目")),
            title=page.measure.label,
            figure=_("所屬預算 %(amount)s") % {"amount": _figure(line.amount)},
            detail=_("「%(line)s」%(amount)s 千元")
            % {"line": line.label, "amount": amount_text(line.amount)}
            + (_("（推算）") if line.is_derived else ""),
        )
    )


@safe_methods_only
@public_cache
def og_goal(request, number):
    plan = plan_or_404(request)
    page = selectors.goal_page(plan=plan, number=number)
    if page is None:
        raise Http404(_("找不到這項施政提要"))
    goal = page.goal
    return _png(
        pictures.Card(
            kicker=_kicker(plan, pgettext("a kind of record", "施政提要")),
            title=goal.title,
            detail=goal.text[:26] + ("…" if len(goal.text) > 26 else ""),
        )
    )


@safe_methods_only
@public_cache
@xframe_options_exempt
@csp_replace({"frame-ancestors": ["*"]})
def embed_budget_line(request, code):
    """A budget line's split, for other sites to frame: only this page may be framed."""
    plan = plan_or_404(request)
    page = selectors.budget_line_page(plan=plan, code=code)
    if page is None:
        raise Http404(_("找不到這個預算項目"))
    line = page.line
    rows = split_rows(page.children, line.amount, plan_comparison(plan)) if page.children else []
    context = {
        "plan": plan,
        "line": line,
        "rows": rows,
        "caption": split_caption(plan, line, page.children) if page.children else "",
        "page_url": absolute_url(line.get_absolute_url()),
    }
    return render(request, "plan/embed_budget_line.html", context)
