"""Downloads made from what a page shows: search results (/search/results.csv, .xlsx). Their
columns are defined once here, for the header and for the column dictionary on /open-data/
(as plan/open_data/files.py does for the files; the budget table's downloads are budget-lines.csv's
columns). The descriptions are marked for the catalogue, for the English open-data page; the
downloads stay in Chinese."""

from django.utils.translation import gettext_noop

from plan.open_data.files import AMOUNT_SOURCE_NOTE, Column, Resource

SEARCH_RESULTS = Resource(
    name="search-results",
    filename="results.csv",
    title="搜尋結果",
    description=gettext_noop(
        "搜尋頁的「下載這些結果」：與頁面相同的資料、相同的順序。計畫項目沒有個別金額，"
        "所屬預算項目的金額列在 budget_line_amount，同一預算項目的多個計畫項目共用這筆金額，"
        "請勿加總。"
    ),
    columns=(
        Column(
            "kind",
            "string",
            "類型代碼",
            gettext_noop("goal（施政提要）、line（預算項目）或 measure（計畫項目）"),
        ),
        Column("kind_label", "string", "類型", gettext_noop("施政提要、預算項目或計畫項目")),
        Column(
            "code",
            "string",
            "代碼",
            gettext_noop("提要編號、預算項目代碼（如 2-2-3）或計畫項目代碼"),
        ),
        Column("name", "string", "名稱", gettext_noop("序號與名稱，如 (三)外事業務")),
        Column("category", "string", "類", gettext_noop("所屬的類；施政提要為空白")),
        Column(
            "budget_path", "string", "上層路徑", gettext_noop("這一筆之上的預算項目，以「 > 」連接")
        ),
        Column(
            "amount",
            "integer",
            "本身金額（千元）",
            gettext_noop("只有預算項目有本身的金額；計畫項目與施政提要為空白"),
            amount=True,
        ),
        Column(
            "amount_source",
            "string",
            "金額來源",
            AMOUNT_SOURCE_NOTE,
        ),
        Column(
            "budget_line_code",
            "string",
            "所屬預算項目代碼",
            gettext_noop("計畫項目所屬的預算項目；預算項目為它本身；施政提要為空白"),
        ),
        Column("budget_line_name", "string", "所屬預算項目", gettext_noop("序號與名稱")),
        Column(
            "budget_line_amount",
            "integer",
            "所屬預算項目金額（千元）",
            gettext_noop("所屬預算項目的金額，不是計畫項目本身的金額"),
            amount=True,
        ),
        Column(
            "budget_line_amount_source",
            "string",
            "所屬預算項目金額來源",
            AMOUNT_SOURCE_NOTE,
        ),
        Column(
            "matched_field",
            "string",
            "符合欄位",
            gettext_noop("名稱、計畫目標、實施要領或提要內容"),
        ),
        Column("matched_text", "string", "符合內容", gettext_noop("符合之處前後的原文")),
        Column("url", "string", "網址", gettext_noop("這一筆的永久網址")),
    ),
)


def search_rows(hits, build_url) -> list[list]:
    """The rows of the results table, in the same order, for CSV and XLSX."""
    rows = []
    for hit in hits:
        line = hit.line
        rows.append(
            [
                hit.kind,
                hit.kind_label,
                hit.code,
                hit.label,
                hit.category_label,
                " > ".join(hit.parents),
                hit.amount,
                _source(line) if hit.kind == "line" else "",
                line.code if line else "",
                line.label if line else "",
                line.amount if line else None,
                _source(line) if line else "",
                hit.field,
                hit.context_text,
                build_url(hit.url),
            ]
        )
    return rows


def _source(line) -> str:
    if line.amount is None:
        return ""
    return "derived" if line.derived else "stated"


def header(resource: Resource) -> list[str]:
    return [column.name for column in resource.columns]
