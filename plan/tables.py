"""django-tables2 tables: a budget line's children, sortable by name (document order) or amount."""

import django_tables2 as tables

from .formatting import amount_text, share, shares_text


class BudgetLineChildrenTable(tables.Table):
    label = tables.Column(verbose_name="名稱", order_by=("sequence",))
    amount = tables.Column(
        verbose_name="金額（千元）",
        attrs={"th": {"class": "num"}, "td": {"class": "num"}},
    )
    share = tables.Column(
        verbose_name="占比",
        order_by=("amount",),
        attrs={"th": {"class": "num"}, "td": {"class": "num"}},
    )
    bar = tables.Column(verbose_name="比例", orderable=False, attrs={"td": {"class": "bar"}})

    class Meta:
        template_name = "plan/_children_table.html"
        orderable = True

    def render_amount(self, value, record):
        return amount_text(value) + ("（推算）" if record["derived"] else "")

    def value_amount(self, value):
        return value


def children_rows(children, parent_amount: int | None) -> list[dict]:
    """Rows for BudgetLineChildrenTable: one per child line, shares of the parent amount."""
    texts = shares_text([child.amount for child in children], parent_amount)
    rows = []
    for child, share_label in zip(children, texts, strict=True):
        value = share(child.amount, parent_amount)
        rows.append(
            {
                "label": child.label,
                "url": child.get_absolute_url(),
                "amount": child.amount,
                "derived": child.is_derived,
                "share": share_label,
                "bar": float(value) if value is not None else 0.0,
                "sequence": child.sequence,
            }
        )
    return rows


class SearchResultsTable(tables.Table):
    """Search hits as the page shows them; sorting is done by plan.search (amount may be empty)."""

    kind = tables.Column(verbose_name="類型", accessor="kind_label", orderable=False)
    label = tables.Column(verbose_name="名稱與符合內容", orderable=False)
    path = tables.Column(verbose_name="所屬預算", accessor="path_text", orderable=False)
    amount = tables.Column(
        verbose_name="金額（千元）",
        orderable=False,
        attrs={"th": {"class": "num"}, "td": {"class": "num"}},
    )

    class Meta:
        template_name = "plan/_search_table.html"


SEARCH_EXPORT_HEADER = [
    "類型",
    "代碼",
    "名稱",
    "預算路徑",
    "類",
    "金額（千元）",
    "金額所屬預算項目",
    "符合欄位",
    "符合內容",
    "網址",
]


def search_export_rows(hits, build_url) -> list[list]:
    """The rows of the results table, in the same order, for CSV and XLSX."""
    return [
        [
            hit.kind_label,
            hit.code,
            hit.label,
            hit.path_text,
            hit.category_label,
            hit.amount,
            hit.amount_of,
            hit.field,
            hit.context_text,
            build_url(hit.url),
        ]
        for hit in hits
    ]
