"""What the API answers: one schema per kind of record, with the descriptions the OpenAPI
document and the API page show. Amounts are integers in 千元 (thousand NT$); shares are
ratios from 0 to 1 with six decimals; a record's id is its public code.

The descriptions are Chinese, as the OpenAPI document says them; gettext_noop only marks them
for the catalogue, from which the English API page translates them (plan/api/openapi.py)."""

from datetime import datetime
from typing import Generic, Literal, TypeVar

from django.utils.translation import gettext_noop
from ninja import Field, Schema

from plan.open_data.files import AMOUNT_SOURCE_NOTE

Level = Literal["category", "item", "subitem"]
AmountSource = Literal["stated", "derived", ""]
Kind = Literal["goal", "line", "measure"]
Item = TypeVar("Item")


class Error(Schema):
    detail: str = Field(description=gettext_noop("發生了什麼（中文）"))


class FieldError(Schema):
    loc: list[str | int] = Field(description=gettext_noop('出錯的參數位置，例如 ["query", "page"]'))
    msg: str = Field(description=gettext_noop("原因"))


class ValidationError(Schema):
    detail: str = Field(description=gettext_noop("「參數不正確」"))
    errors: list[FieldError]


class PlanLinks(Schema):
    goals: str
    budget_lines: str
    measures: str
    search: str


class PlanOut(Schema):
    year: int = Field(
        description=gettext_noop("民國年度，例如 114；也是這個計畫在 API 路徑中的年度")
    )
    gregorian_year: int = Field(description=gettext_noop("西元年，例如 2025"))
    agency: str
    title: str
    total_amount: int = Field(description=gettext_noop("預算總額（千元）"))
    data_updated_at: datetime | None = Field(description=gettext_noop("資料最後更新時間"))
    url: str = Field(description=gettext_noop("這個計畫在網站上的首頁"))
    links: PlanLinks = Field(description=gettext_noop("這個計畫的各個 API 清單"))


class GoalOut(Schema):
    number: int = Field(description=gettext_noop("提要編號，也是它的 id"))
    ordinal: str = Field(description=gettext_noop("原文所印序號，如 一、"))
    text: str
    measures: list[str] = Field(
        description=gettext_noop("執行這項提要的計畫項目代碼（本站整理，原文未載明）")
    )
    url: str


class Comparison(Schema):
    previous_year: int
    previous_code: str | None = Field(
        description=gettext_noop("上年度對應預算項目的代碼；本年度新增者為 null")
    )
    previous_amount: int | None = Field(description=gettext_noop("上年度金額（千元）"))
    change: int | None = Field(description=gettext_noop("增減（千元）"))
    change_percent: float | None = Field(
        description=gettext_noop("增減占上年度金額的百分比，一位小數")
    )
    status: Literal["same", "matched", "new"] = Field(
        description=gettext_noop("same（同代碼同名稱）、matched（本站對應）、new（本年度新增）")
    )
    flagged: bool = Field(
        description=gettext_noop("變動較大：達上年度 20% 以上，或為增減最大的五項之一")
    )


class BudgetLineOut(Schema):
    code: str = Field(description=gettext_noop("永久代碼，也是 id，如 2-2-3（類-項-目的位置）"))
    parent_code: str | None = Field(description=gettext_noop("上層代碼；類為 null"))
    level: Level = Field(description=gettext_noop("category（類）、item（項）或 subitem（目）"))
    ordinal: str
    name: str
    label: str = Field(description=gettext_noop("序號與名稱，如 (三)外事業務"))
    path: list[str] = Field(description=gettext_noop("由類到這一項的名稱（含序號）"))
    amount: int | None = Field(description=gettext_noop("金額（千元）"))
    amount_source: AmountSource = Field(description=AMOUNT_SOURCE_NOTE)
    share_of_parent: float | None = Field(
        description=gettext_noop("占上層比例（0 到 1）；類為 null")
    )
    share_of_total: float | None = Field(description=gettext_noop("占計畫總額比例（0 到 1）"))
    measure_count: int = Field(
        description=gettext_noop(
            "這一項及其下各層所列的計畫項目數（類本身不列計畫項目，是其下各項、目的合計）"
        )
    )
    comparison: Comparison | None = Field(
        description=gettext_noop("與上年度比較；沒有上年度計畫時為 null")
    )
    url: str = Field(description=gettext_noop("網站上的頁面"))


class BudgetLineDetail(BudgetLineOut):
    children: list[str] = Field(description=gettext_noop("下一層預算項目的代碼"))
    measures: list[str] = Field(description=gettext_noop("這一項本身所列的計畫項目代碼"))
    note: str = Field(description=gettext_noop("原文備考欄"))
    editor_note: str = Field(description=gettext_noop("本站對原文的說明"))
    source_lines: list[int] = Field(description=gettext_noop("原文的起訖行號"))


class MeasureOut(Schema):
    code: str = Field(description=gettext_noop("永久代碼，也是 id，如 2-2-3-m1"))
    budget_line_code: str = Field(description=gettext_noop("所屬預算項目的代碼"))
    budget_line_label: str
    budget_line_amount: int | None = Field(
        description=gettext_noop(
            "所屬預算項目的金額（千元）。計畫項目沒有個別金額：同一預算項目的幾個計畫項目"
            "共用這筆金額，請勿加總"
        )
    )
    ordinal: str
    name: str
    label: str
    objectives: str = Field(description=gettext_noop("計畫目標，原文全文，一行一項"))
    approach: str = Field(description=gettext_noop("實施要領，原文全文，一行一項"))
    editor_note: str
    goals: list[int] = Field(description=gettext_noop("這個計畫項目執行的提要編號（本站整理）"))
    source_lines: list[int] = Field(description=gettext_noop("原文的起訖行號"))
    url: str


class SearchHit(Schema):
    kind: Kind = Field(
        description=gettext_noop("goal（施政提要）、line（預算項目）或 measure（計畫項目）")
    )
    code: str
    label: str
    field: str = Field(description=gettext_noop("符合的欄位：名稱、計畫目標、實施要領或提要內容"))
    excerpt: str = Field(description=gettext_noop("符合之處前後的原文"))
    amount: int | None = Field(description=gettext_noop("本身金額（千元）：只有預算項目有"))
    budget_line_code: str | None = Field(
        description=gettext_noop("所屬預算項目（預算項目為它本身）")
    )
    budget_line_amount: int | None = Field(
        description=gettext_noop("所屬預算項目的金額（千元），不是計畫項目本身的金額")
    )
    url: str


class Page(Schema, Generic[Item]):
    count: int = Field(description=gettext_noop("符合的筆數（所有頁）"))
    next: str | None = Field(description=gettext_noop("下一頁的網址；最後一頁為 null"))
    previous: str | None = Field(description=gettext_noop("上一頁的網址；第一頁為 null"))
    results: list[Item]


class GoalPage(Page[GoalOut]):
    pass


class BudgetLinePage(Page[BudgetLineOut]):
    pass


class MeasurePage(Page[MeasureOut]):
    pass


class SearchPage(Page[SearchHit]):
    terms: list[str] = Field(description=gettext_noop("搜尋的詞（以空白分隔，至少兩個字）"))
    also_searched: list[str] = Field(description=gettext_noop("也搜尋了的繁體字與同義詞"))
    fallback_parts: list[str] = Field(
        description=gettext_noop(
            "找不到整個詞時改找的最長片段（results 即符合這些片段的資料）；否則為空清單"
        )
    )
    notices: list[str] = Field(description=gettext_noop("給讀者的說明，與搜尋頁相同"))
