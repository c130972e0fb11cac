"""The admin's form fields: amounts with separators and a 億/萬 reading, texts with the
document's line ends, a reason on every save, and goal links kept inside one plan."""

from django import forms
from django.core.exceptions import ValidationError

from plan.models import GoalMeasure, normalize_line_ends

SEPARATORS = str.maketrans("", "", ",，、 \u3000_")


class LineEndsField(forms.CharField):
    """A textarea's value with the document's line ends: a browser posts CRLF, so without this
    every text with a line break would look changed (and be saved, and logged) on every save."""

    def to_python(self, value):
        value = super().to_python(value)
        return normalize_line_ends(value) if isinstance(value, str) else value


class AmountInput(forms.TextInput):
    """An amount in 千元 shown as printed (42,668); static/js/admin-amounts.js writes how it
    reads (約 4,267 萬元) beside it as the editor types."""

    def __init__(self, attrs=None):
        base = {"inputmode": "numeric", "class": "amount-input", "autocomplete": "off"}
        super().__init__({**base, **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, int):
            return f"{value:,}"
        return super().format_value(value)


class AmountField(forms.IntegerField):
    """Accepts 42,668 and 42668 (and full-width commas) alike."""

    widget = AmountInput

    def __init__(self, *args, **kwargs):
        kwargs["widget"] = AmountInput
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.translate(SEPARATORS)
        return super().to_python(value)

    def widget_attrs(self, widget):
        # IntegerField would make it <input type=number min=…>: a text box keeps the separators.
        attrs = super().widget_attrs(widget)
        return {key: value for key, value in attrs.items() if key not in ("min", "max", "step")}


class ReasonForm(forms.ModelForm):
    """Every save of a record says why: shown in its admin history."""

    change_reason = forms.CharField(
        label="修改理由",
        required=False,
        max_length=100,
        help_text="為何修改（100 字以內），記在這筆資料的歷史紀錄；發布時另填公開的發布理由。",
        widget=forms.TextInput(attrs={"size": 60}),
    )


class GoalMeasureForm(forms.ModelForm):
    """A goal link joins a goal and a measure of the same draft: published links change only
    by publishing a draft."""

    class Meta:
        model = GoalMeasure
        fields = ["goal", "measure"]

    def clean(self):
        cleaned = super().clean()
        goal = cleaned.get("goal")
        if goal is not None and goal.plan.published:
            raise ValidationError("已發布的內容不能直接修改：請在修正草稿中加入或移除對應。")
        return cleaned
