from django import template
from django.utils.html import format_html

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
    page uses it, plain text after: {% term "推算" %}, {% term "目" "目級" %}."""
    entry = glossary.BY_NAME[name]
    shown = text or name
    request = context.get("request")
    if request is not None:
        seen = request.__dict__.setdefault("_glossary_terms_seen", set())
        if entry.anchor in seen:
            return shown
        seen.add(entry.anchor)
    url = f"{remembered_reverse('plan:glossary')}#{entry.anchor}"
    return format_html('<a class="term" href="{}">{}</a>', url, shown)


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
    if context.get("english"):
        return english_names.english_names(plan).plan_title or plan.title
    return plan.title
