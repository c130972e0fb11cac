"""How a record's admin history shows a change: the characters removed and added marked in
the old and the new text (a one-character correction is found at a glance), amounts as printed
with separators, choices by their Chinese names."""

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from simple_history.template_utils import HistoricalRecordContextHelper

from plan.reading.formatting import amount_text

from .field_changes import character_diff

AMOUNT_FIELDS = {"amount", "total_amount"}


def marked_texts(old: str, new: str) -> tuple[str, str]:
    """`old` with what was removed in <del>, `new` with what was added in <ins> (HTML), the
    unchanged stretches shortened as in the public log (revisions.character_diff)."""
    before, after = [], []
    for segment in character_diff(old, new):
        if segment.kind == "same":
            before.append(escape(segment.text))
            after.append(escape(segment.text))
        elif segment.kind == "del":
            before.append(format_html("<del>{}</del>", segment.text))
        else:
            after.append(format_html("<ins>{}</ins>", segment.text))
    return mark_safe("".join(before)), mark_safe("".join(after))  # parts escaped above


class MarkedChanges(HistoricalRecordContextHelper):
    def stringify_delta_change_values(self, change, old, new):
        field = self.model._meta.get_field(change.field)
        if change.field in AMOUNT_FIELDS:
            return _amount(old), _amount(new)
        if getattr(field, "choices", None):
            names = dict(field.choices)
            return names.get(old, old or "（空白）"), names.get(new, new or "（空白）")
        if isinstance(old, str) and isinstance(new, str) and old and new:
            return marked_texts(old, new)
        return super().stringify_delta_change_values(change, old or "（空白）", new or "（空白）")


def _amount(value) -> str:
    return "（空白）" if value is None else f"{amount_text(value)} 千元"
