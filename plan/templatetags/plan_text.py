from django import template

from plan.provenance import record_source
from plan.text_blocks import text_blocks

register = template.Library()


@register.filter
def blocks(text):
    """Objectives/approach text -> paragraphs and lists with the printed numbering."""
    return text_blocks(text or "")


@register.simple_tag(takes_context=True)
def source_of(context, record):
    """The source lines a goal, budget line or measure was transcribed from."""
    return record_source(context["site_plan"], record)
