"""A ready citation for a budget line or a measure, for a council memo: what it is, its amount
(saying whose amount it is and whether it is derived), where in the source it was printed, the
data date and the page's address.

In the page's language: an English citation names the plan by the site's English title and
keeps the published Chinese title beside it, and quotes the plan's names as published, so
that the record can be found in the Chinese document.
"""

from django.utils import dateformat, timezone
from django.utils.translation import gettext as _

from plan.addresses.languages import is_english
from plan.addresses.links import absolute_url
from plan.addresses.year_prefix import year_reverse
from plan.document.provenance import excerpts_label, lines_label
from plan.reading.english_names import english_names
from plan.reading.formatting import amount_reading, amount_text, fiscal_year_text


def _data_date(plan) -> str:
    if plan.data_updated_at is None:
        return ""
    moment = timezone.localtime(plan.data_updated_at)
    return _("資料日期：%(date)s。") % {"date": dateformat.format(moment, _("Y 年 n 月 j 日"))}


def _amount(line) -> str:
    if line.amount is None:
        return _("原文未列金額")
    text = _("%(amount)s 千元（%(reading)s）") % {
        "amount": amount_text(line.amount),
        "reading": amount_reading(line.amount),
    }
    if line.is_derived:
        text += _("，原文未印此金額，由本站以上層金額減去其餘各項推算")
    return text


def _source(plan, where: str) -> str:
    """Where in the source text, as the site publishes it."""
    url = absolute_url(year_reverse(plan.fiscal_year, "plan:source-text"))
    return _("出處：原文%(where)s（%(url)s）。") % {"where": where, "url": url}


def _path(lineage) -> str:
    return " > ".join(each.label for each in lineage)


def _plan(plan) -> str:
    """Who published which plan: 「高雄市政府警察局，《…》」; in English the site's English
    names, the published title beside."""
    agency, title = plan.agency, plan.title
    if is_english():
        names = english_names(plan)
        agency = names.agency or agency
        if names.plan_title:
            title = f"{names.plan_title} (《{plan.title}》)"
    return _("%(agency)s，《%(title)s》") % {"agency": agency, "title": title}


def budget_line_citation(plan, line, excerpts) -> str:
    """`excerpts`: the line's source excerpts (plan/provenance.line_source)."""
    return (
        _("%(plan)s，預算項目「%(line)s」（%(path)s；代碼 %(code)s），%(year)s預算 %(amount)s。")
        % {
            "plan": _plan(plan),
            "line": line.label,
            "path": _path(line.lineage),
            "code": line.code,
            "year": fiscal_year_text(plan.fiscal_year),
            "amount": _amount(line),
        }
        + _source(plan, excerpts_label(excerpts))
        + _data_date(plan)
        + _("網址：%(url)s") % {"url": absolute_url(line.get_absolute_url())}
    )


def measure_citation(plan, measure, line) -> str:
    lines = lines_label(measure.source_start_line, measure.source_end_line)
    return (
        _(
            "%(plan)s，計畫項目「%(measure)s」（代碼 %(code)s），"
            "屬於預算項目「%(line)s」（%(path)s）。"
            "該預算項目 %(year)s預算 %(amount)s；原文未再把金額分到各計畫項目。"
        )
        % {
            "plan": _plan(plan),
            "measure": measure.label,
            "code": measure.code,
            "line": line.label,
            "path": _path(line.lineage),
            "year": fiscal_year_text(plan.fiscal_year),
            "amount": _amount(line),
        }
        + _source(plan, lines)
        + _data_date(plan)
        + _("網址：%(url)s") % {"url": absolute_url(measure.get_absolute_url())}
    )
