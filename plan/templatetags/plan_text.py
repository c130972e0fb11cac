import re

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from plan.addresses.languages import ENGLISH, current
from plan.addresses.links import remembered_reverse
from plan.document.provenance import record_source
from plan.reading import english_names, glossary
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
    if text and current() == ENGLISH and CHINESE.search(str(text)):
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
    if current() != ENGLISH:
        return text
    escaped = conditional_escape(text)  # a value from {% translate … as %} is escaped already
    marked = CHINESE_RUN.sub(lambda found: f'<span lang="zh-Hant-TW">{found[0]}</span>', escaped)
    return mark_safe(marked)  # escaped above: only the spans are markup


@register.simple_tag(takes_context=True)
def english_name(context, record):
    """The site's English name for a 類 or a goal's short title (plan/reading/english_names.py),
    "" for anything else: {% english_name line as name_en %}."""
    plan = context.get("site_plan")
    if plan is None or record is None:
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
def agency_name(context, plan=None):
    """The agency that published the plan, in the page's language."""
    plan = plan or context.get("site_plan")
    if plan is None:
        return ""
    return english_names.agency_name(plan, english=bool(context.get("english")))
