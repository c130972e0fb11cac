import re

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from plan.addresses.languages import is_english
from plan.addresses.links import remembered_reverse
from plan.document.provenance import excerpts_label, lines_label, record_source
from plan.reading import english_names, glossary, levels
from plan.reading.text_blocks import text_blocks

register = template.Library()


@register.filter
def blocks(text):
    """Objectives/approach text -> paragraphs and lists with the printed numbering."""
    return text_blocks(text or "")


@register.filter
def note_parts(text):
    """An editor's note as (its first sentence, the rest): a long reasoning folds behind its
    conclusion, so that the measures are not pushed below the first screens of a phone."""
    text = text or ""
    head, stop, rest = text.partition("。")
    if not stop or len(text) <= FOLD_NOTES_LONGER_THAN or not rest.strip():
        return text, ""
    return head + stop, rest.strip()


FOLD_NOTES_LONGER_THAN = 120


@register.simple_tag(takes_context=True)
def source_of(context, record):
    """The source lines a goal, budget line or measure was transcribed from."""
    return record_source(context["site_plan"], record)


@register.simple_tag(takes_context=True)
def term(context, name, text=None):
    """A term of the document (plan/reading/glossary.py), linked to its explanation the first time a
    page uses it, plain text after: {% term "推算" %}, {% term "目" "目級" %}.

    `name` is the term in Chinese. On an English page the link says the term's English name,
    to the same anchor of the English glossary; a `text` still in Chinese (目級) gives way to
    it, an English one (from {% translate … as %}) is kept."""
    entry = glossary.BY_NAME[name]
    shown = text or entry.name
    if text and is_english() and CHINESE.search(str(text)):
        shown = entry.name
    request = context.get("request")
    if request is not None:
        seen = request.__dict__.setdefault("_glossary_terms_seen", set())
        if entry.anchor in seen:
            return shown
        seen.add(entry.anchor)
    url = f"{remembered_reverse('plan:glossary')}#{entry.anchor}"
    return format_html('<a class="term" href="{}">{}</a>', url, shown)


# Chinese in the site's English (an example quoted from the plan, a term as printed): from its
# first Chinese character to its last, with the digits, brackets and spaces between.
CHINESE = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff01-\uff5e]")
CHINESE_RUN = re.compile(f"{CHINESE.pattern}(?:[^A-Za-z<>&]*{CHINESE.pattern})?")


@register.filter
def chinese_marked(text):
    """On an English page, each stretch of Chinese in `text` inside lang="zh-Hant-TW", so that
    it is read (and spoken) as Chinese; on a Chinese page the text as it is."""
    text = str(text or "")
    if not is_english():
        return text
    escaped = conditional_escape(text)  # a value from {% translate … as %} is escaped already
    marked = CHINESE_RUN.sub(lambda found: f'<span lang="zh-Hant-TW">{found[0]}</span>', escaped)
    return mark_safe(marked)  # escaped above: only the spans are markup


@register.simple_tag(takes_context=True)
def english_name(context, record):
    """On English pages, the site's English name for a 類 or a goal's short title
    (plan/reading/english_names.py); "" for anything else and on Chinese pages:
    {% english_name line as name_en %}."""
    plan = context.get("site_plan")
    if plan is None or record is None or not is_english():
        return ""
    if getattr(record, "level", None) == "category":
        return english_names.category_name(plan, record.code, record.name)
    if hasattr(record, "short_title") and hasattr(record, "number"):
        return english_names.goal_title(plan, record.number, record.short_title)
    return ""


@register.simple_tag(takes_context=True)
def plan_title(context, plan=None):
    """The plan's title in the page's language: the site's English title on English pages."""
    plan = plan or context.get("site_plan")
    if plan is None:
        return ""
    return english_names.plan_title(plan, english=bool(context.get("english")))


@register.simple_tag(takes_context=True)
def record_name(context, record):
    """A budget line's, a measure's or a goal's name as the page shows it: the published
    Chinese marked lang="zh-Hant-TW", after a 類's or a goal's English name on English pages
    (plan/reading/english_names.py)."""
    return english_names.name_html(context.get("site_plan"), record)


@register.simple_tag(takes_context=True)
def record_link(context, record):
    """`record_name` as a link to the record's page."""
    name = english_names.name_html(context.get("site_plan"), record)
    return format_html('<a href="{}">{}</a>', record.get_absolute_url(), name)


@register.simple_tag(takes_context=True)
def plain_name(context, record):
    """A record's name where nothing can be marked as Chinese (a page's title, a link
    preview): on English pages in English alone."""
    return english_names.plain_name(context.get("site_plan"), record)


@register.simple_tag
def level_count(level, count):
    """「9 個目」, "9 sub-items" (plan/reading/levels.py)."""
    return levels.count_text(level, count)


@register.simple_tag
def level_lines(level):
    """The lines of a level together: 「目」 as in 各目, "sub-items"."""
    return levels.lines_text(level)


@register.simple_tag(takes_context=True)
def level_term(context, level):
    """What a line of the level is, as the level's term: 「目級預算項目」 ("A sub-item of the
    budget") linked to 目 in the glossary."""
    return term(context, levels.CHINESE[level], levels.kind_text(level))


@register.simple_tag
def source_where(excerpts=None, first=None, last=None):
    """Where a record's source lines are: its excerpts' parts and lines, or lines first–last."""
    if excerpts:
        return excerpts_label(excerpts)
    return lines_label(first, last)


@register.simple_tag
def renamed_note(compared):
    """A line new this year where the previous plan had another line under its code: says
    which (plan/comparison/lines.py)."""
    return format_html(
        gettext("上年度同一代碼是「{label}」，名稱不同，未視為同一項目。"),
        label=english_names.marked(compared.renamed_from),
    )


@register.simple_tag(takes_context=True)
def plan_agency(context, plan=None):
    """The plan's agency in the page's language: the site's English name on English pages."""
    plan = plan or context.get("site_plan")
    if plan is None:
        return ""
    if context.get("english"):
        return english_names.english_names(plan).agency or plan.agency
    return plan.agency


@register.simple_tag(takes_context=True)
def header_title(context):
    """The header's title under the agency's name: 「114 年度施政計畫」, "FY2025 Plan"."""
    plan = context.get("site_plan")
    if plan is None:
        return ""
    return english_names.header_title(plan, english=bool(context.get("english")))


@register.simple_tag(takes_context=True)
def goal_label(context, goal):
    """「提要四」, "Goal 4"."""
    return english_names.goal_label(goal, english=bool(context.get("english")))


@register.simple_tag(takes_context=True)
def goal_title(context, goal):
    """「提要四：節能減碳」, "Goal 4: Energy saving and carbon reduction": in English only."""
    plan = context.get("site_plan")
    return english_names.goal_plain_title(plan, goal, english=bool(context.get("english")))


@register.simple_tag(takes_context=True)
def goal_name(context, goal):
    """A goal's short title as the page shows it: 「節能減碳」; on English pages the site's
    English name and the Chinese beside it, "Energy saving and carbon reduction (節能減碳)",
    the Chinese marked lang="zh-Hant-TW", in one element (a goal card lays out its children
    as rows)."""
    if not goal.short_title:
        return goal_label(context, goal)
    if not context.get("english"):
        return goal.short_title
    chinese = format_html('<span lang="zh-Hant-TW">{}</span>', goal.short_title)
    name_en = english_name(context, goal)
    return format_html("<span>{} ({})</span>", name_en, chinese) if name_en else chinese
