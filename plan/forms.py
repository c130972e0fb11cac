from django import forms

from .search import KIND_LABELS, MAX_QUERY_LENGTH, SORTS


class SearchForm(forms.Form):
    """The search box and its filters; every parameter is validated before it reaches a query."""

    q = forms.CharField(label="搜尋", required=False, strip=True)
    kind = forms.ChoiceField(
        label="類型",
        required=False,
        choices=[("", "全部類型"), *KIND_LABELS.items()],
    )
    category = forms.ChoiceField(label="預算類別", required=False, choices=[("", "全部類別")])
    sort = forms.ChoiceField(label="排序", required=False, choices=list(SORTS.items()))

    max_query_length = MAX_QUERY_LENGTH

    def __init__(self, data, *, categories):
        super().__init__(data)
        self.fields["category"].choices = [("", "全部類別")] + [
            (line.code, line.label) for line in categories
        ]

    def cleaned_or_default(self) -> dict:
        """Valid parameters as given; an invalid filter or sort falls back to its default."""
        self.is_valid()
        values = {"q": "", "kind": "", "category": "", "sort": ""}
        values.update({key: value for key, value in self.cleaned_data.items() if value})
        return values
