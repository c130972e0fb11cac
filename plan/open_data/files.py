"""The open-data files: what each holds and its columns (one definition for the CSV header, the
Data Package schema and the column dictionary on the open-data page), and the licence they and
the site carry; their rows are made by plan/open_data/contents.py.

The files are the data and stay in Chinese at every address. The open-data page explains them
in the page's language: the descriptions are marked for the catalogue (gettext_noop leaves them
Chinese here) and the page translates them; a column's Chinese title is shown as it is.
"""

from dataclasses import dataclass, replace

from django.utils.translation import gettext_noop, pgettext_lazy

from plan.comparison.lines import previous_plan
from plan.models import Plan

AMOUNT_UNIT = {"currency": "TWD", "factor": 1000}


@dataclass(frozen=True)
class Licence:
    name: str  # as the licence names itself
    short_name: str  # as the note beside every download says it (in the page's language)
    english_name: str  # its official English name, for the English pages
    spdx: str
    url: str  # its official text

    def package_entry(self) -> dict:
        """The Data Package's `licenses` entry."""
        return {"name": self.spdx, "title": self.name, "path": self.url}


# The one licence of the data and the site: the Data Package, the 政府網站資料開放宣告 page
# (/open-data-licence/) and the note beside every download all read it from here.
DATA_LICENCE = Licence(
    name="政府資料開放授權條款－第1版",
    # The catalogue gives its official English name on English pages.
    short_name=pgettext_lazy("licence", "政府資料開放授權條款第 1 版"),
    english_name="Open Government Data License, version 1.0",
    spdx="OGDL-Taiwan-1.0",
    url="https://data.gov.tw/license",
)


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # Table Schema type
    title: str
    description: str
    required: bool = False
    amount: bool = False


@dataclass(frozen=True)
class Resource:
    name: str
    filename: str
    title: str
    description: str
    columns: tuple[Column, ...] = ()
    media_type: str = "text/csv"

    @property
    def is_table(self) -> bool:
        return bool(self.columns)


# What every amount_source column holds (budget-lines.csv, the search results' downloads).
AMOUNT_SOURCE_NOTE = gettext_noop("stated（原文所載）或 derived（推算）")
EDITOR_NOTE_COLUMN = Column("editor_note", "string", "編者註", gettext_noop("本站對原文的說明"))

SOURCE_COLUMNS = (
    Column(
        "source_start_line",
        "integer",
        "原文起始行",
        gettext_noop("轉錄所依據的原文第一行（原文轉檔文字的行號）"),
    ),
    Column("source_end_line", "integer", "原文結束行", gettext_noop("轉錄所依據的原文最後一行")),
)

BUDGET_LINES = Resource(
    name="budget-lines",
    filename="budget-lines.csv",
    title="預算項目",
    description=gettext_noop("每個預算項目（類、項、目）一列，依原文順序；金額單位為千元。"),
    columns=(
        Column(
            "id",
            "string",
            "代碼",
            gettext_noop("永久代碼，如 2-2-3（類-項-目的位置）"),
            required=True,
        ),
        Column("parent_id", "string", "上層代碼", gettext_noop("上層預算項目的代碼；類為空白")),
        Column(
            "level",
            "string",
            "層級",
            gettext_noop("category（類）、item（項）或 subitem（目）"),
            required=True,
        ),
        Column("ordinal", "string", "序號", gettext_noop("原文所印序號，如 壹、 一、 (一)")),
        Column("name", "string", "名稱", gettext_noop("原文所印名稱"), required=True),
        Column(
            "path", "string", "路徑", gettext_noop("由上而下的名稱，以「 > 」連接"), required=True
        ),
        Column(
            "amount_thousand_twd",
            "integer",
            "金額（千元）",
            gettext_noop("預算金額，單位新臺幣千元"),
            amount=True,
        ),
        Column(
            "amount_source",
            "string",
            "金額來源",
            AMOUNT_SOURCE_NOTE,
        ),
        Column(
            "share_of_total",
            "number",
            "占總額比例",
            gettext_noop("金額占計畫總額的比例（0 到 1，六位小數）"),
        ),
        Column(
            "share_of_parent",
            "number",
            "占上層比例",
            gettext_noop("金額占上層預算項目的比例（0 到 1，六位小數）；類為空白"),
        ),
        Column(
            "measure_count",
            "integer",
            "計畫項目數（含下層）",
            gettext_noop(
                "這一項及其下各層所列的計畫項目數（類本身不列計畫項目，是其下各項、目的合計）"
            ),
            required=True,
        ),
        Column("note", "string", "備考", gettext_noop("原文備考欄")),
        EDITOR_NOTE_COLUMN,
        *SOURCE_COLUMNS,
    ),
)

MEASURES = Resource(
    name="measures",
    filename="measures.csv",
    title="計畫項目",
    description=gettext_noop("每個計畫項目一列，含計畫名稱、計畫目標與實施要領全文（換行分項）。"),
    columns=(
        Column("id", "string", "代碼", gettext_noop("永久代碼，如 2-2-3-m1"), required=True),
        Column(
            "budget_line_id",
            "string",
            "預算項目代碼",
            gettext_noop("所屬預算項目的代碼"),
            required=True,
        ),
        Column(
            "budget_line_path",
            "string",
            "預算項目路徑",
            gettext_noop("所屬預算項目由上而下的名稱"),
            required=True,
        ),
        Column("ordinal", "string", "序號", gettext_noop("原文所印序號，如 1.；未編號者空白")),
        Column("name", "string", "計畫名稱", gettext_noop("原文所印計畫名稱"), required=True),
        Column("objectives", "string", "計畫目標", gettext_noop("原文全文，一行一項")),
        Column("approach", "string", "實施要領", gettext_noop("原文全文，一行一項")),
        EDITOR_NOTE_COLUMN,
        *SOURCE_COLUMNS,
    ),
)

GOALS = Resource(
    name="goals",
    filename="goals.csv",
    title="施政提要",
    description=gettext_noop("19 項施政提要（原文標題「施政計畫提要」）全文。"),
    columns=(
        Column("number", "integer", "編號", gettext_noop("1 至 19"), required=True),
        Column("ordinal", "string", "序號", gettext_noop("原文所印序號，如 一、"), required=True),
        Column(
            "short_title",
            "string",
            "短標題",
            gettext_noop("本站整理的簡短名稱（12 字以內），原文沒有"),
        ),
        Column("text", "string", "內容", gettext_noop("原文全文"), required=True),
        Column("link_note", "string", "對應說明", gettext_noop("本站整理提要與計畫項目對應的理由")),
        *SOURCE_COLUMNS,
    ),
)

GOAL_MEASURES = Resource(
    name="goal-measures",
    filename="goal-measures.csv",
    title="提要與計畫項目對應",
    description=gettext_noop("哪些計畫項目執行哪一項提要；由本站整理，原文未載明。"),
    columns=(
        Column(
            "goal_number", "integer", "提要編號", gettext_noop("goals.csv 的 number"), required=True
        ),
        Column(
            "measure_id",
            "string",
            "計畫項目代碼",
            gettext_noop("measures.csv 的 id"),
            required=True,
        ),
        Column("measure_name", "string", "計畫名稱", gettext_noop("方便閱讀的計畫名稱")),
        Column("budget_line_id", "string", "預算項目代碼", gettext_noop("budget-lines.csv 的 id")),
    ),
)

PLAN_JSON = Resource(
    name="plan",
    filename="plan.json",
    title="完整計畫（JSON）",
    description=gettext_noop(
        "整份計畫的樹狀 JSON：提要、預算項目（含下層與計畫項目），供程式讀取。"
    ),
    media_type="application/json",
)

DATAPACKAGE = Resource(
    name="datapackage",
    filename="datapackage.json",
    title="資料包描述（Data Package）",
    description=gettext_noop(
        "以 Frictionless Data Package 描述以上各檔案的欄位、型別與金額單位（幣別 TWD、倍數 1000）。"
    ),
    media_type="application/json",
)

# For a plan whose agency's previous year is published too: each line beside its match.
COMPARISON_COLUMNS = (
    Column(
        "previous_fiscal_year", "integer", "比較年度", gettext_noop("與本項比較的年度（民國年）")
    ),
    Column(
        "previous_id",
        "string",
        "上年度代碼",
        gettext_noop("上年度對應預算項目的代碼；本年度新增者空白"),
    ),
    Column(
        "previous_amount_thousand_twd",
        "integer",
        "上年度金額（千元）",
        gettext_noop("上年度對應預算項目的金額，單位新臺幣千元"),
        amount=True,
    ),
    Column(
        "change_thousand_twd",
        "integer",
        "增減（千元）",
        gettext_noop("本年度金額減上年度金額"),
        amount=True,
    ),
    Column(
        "change_percent",
        "number",
        "增減比例（%）",
        gettext_noop("增減占上年度金額的百分比，一位小數"),
    ),
    Column(
        "comparison",
        "string",
        "比較方式",
        gettext_noop("same（同代碼、同名稱）、matched（本站對應：改名或移動）或 new（本年度新增）"),
    ),
    Column(
        "comparison_note",
        "string",
        "比較說明",
        gettext_noop("本站對應的理由，或新增項目在上年度的情形"),
    ),
    Column(
        "large_change",
        "boolean",
        "變動較大",
        gettext_noop("增減達上年度的 20% 以上，或為本年度增減金額最大的五項之一"),
    ),
)
BUDGET_LINES_COMPARED = replace(
    BUDGET_LINES,
    description=gettext_noop(
        "每個預算項目（類、項、目）一列，依原文順序；金額單位為千元。"
        "每一列並與上一年度的對應預算項目比較。"
    ),
    columns=(*BUDGET_LINES.columns, *COMPARISON_COLUMNS),
)


# The files' titles as the open-data page heads their sections
# ({% translate resource.title context "open data file" %}).
FILE_TITLES = (
    pgettext_lazy("open data file", "預算項目"),
    pgettext_lazy("open data file", "計畫項目"),
    pgettext_lazy("open data file", "施政提要"),
    pgettext_lazy("open data file", "提要與計畫項目對應"),
    pgettext_lazy("open data file", "完整計畫（JSON）"),
    pgettext_lazy("open data file", "資料包描述（Data Package）"),
    pgettext_lazy("open data file", "搜尋結果"),
)


def resources(plan: Plan) -> tuple[Resource, ...]:
    """The plan's files: budget-lines.csv gains the comparison columns when its agency's
    previous plan is published."""
    budget = BUDGET_LINES_COMPARED if previous_plan(plan) else BUDGET_LINES
    return (budget, MEASURES, GOALS, GOAL_MEASURES, PLAN_JSON)


def resource_named(plan: Plan, filename: str) -> Resource | None:
    return next((each for each in resources(plan) if each.filename == filename), None)


def datapackage(*, plan: Plan, base_url: str) -> dict:
    """A Frictionless Data Package describing the CSV files and plan.json."""
    descriptors = []
    for resource in resources(plan):
        descriptor = {
            "name": resource.name,
            "path": resource.filename,
            "title": resource.title,
            "description": resource.description,
            "mediatype": resource.media_type,
            "encoding": "utf-8-sig" if resource.is_table else "utf-8",
        }
        if resource.is_table:
            descriptor |= {"format": "csv", "profile": "tabular-data-resource"}
            descriptor["schema"] = {
                "fields": [_field(column) for column in resource.columns],
            }
            if resource.columns[0].name == "id":
                descriptor["schema"]["primaryKey"] = ["id"]
        else:
            descriptor["format"] = "json"
        descriptors.append(descriptor)
    return {
        "name": plan.slug,
        "title": plan.title,
        "description": (
            f"{plan.title}的提要、預算項目（金額單位千元）與計畫項目，"
            "由原文逐字轉錄；更正與推算見網站的資料說明頁。"
        ),
        "homepage": base_url,
        "licenses": [DATA_LICENCE.package_entry()],
        "sources": [{"title": plan.title, "path": plan.source_file}],
        "resources": descriptors,
    }


def _field(column: Column) -> dict:
    field = {
        "name": column.name,
        "type": column.type,
        "title": column.title,
        "description": column.description,
    }
    if column.required:
        field["constraints"] = {"required": True}
    if column.amount:
        field |= AMOUNT_UNIT
    return field


def header(resource: Resource) -> list[str]:
    return [column.name for column in resource.columns]
