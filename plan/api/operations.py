"""The API's operations: plans, goals, budget lines, measures and search, each a list (paged,
filtered) or one record by its public code. Every answer is cached like the pages
(plan/pagecache/) and readable by any origin (plan/api/middleware.py).

Summaries and descriptions are Chinese in the OpenAPI document; gettext_noop marks them for the
catalogue, from which the English API page translates them (plan/api/openapi.py)."""

from typing import Annotated

from django.db.models import Prefetch
from django.utils.translation import gettext_noop
from ninja import NinjaAPI, Path, Query
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError

from plan.budget_table.filters import filtered_table
from plan.budget_table.rows import line_rows
from plan.comparison.lines import plan_comparison
from plan.content import tags
from plan.content.published import published_plans
from plan.models import Measure, PolicyGoal
from plan.pagecache.entries import public_cache
from plan.search.engine import parse_query, search_plan
from plan.search.notices import notices

from .answers import (
    UnicodeJSONRenderer,
    goal_out,
    hit_out,
    line_out,
    measure_out,
    page_of,
    plan_for,
    plan_out,
)
from .schemas import (
    BudgetLineDetail,
    BudgetLinePage,
    Error,
    GoalOut,
    GoalPage,
    Kind,
    Level,
    MeasureOut,
    MeasurePage,
    PlanOut,
    SearchPage,
    ValidationError,
)

LINE_CODE = r"^[0-9]{1,4}(-[0-9]{1,4}){0,7}$"
MEASURE_CODE = r"^[0-9]{1,4}(-[0-9]{1,4}){0,7}-m[0-9]{1,4}$"
# Printable text: no control characters (a NUL byte cannot even be stored).
TEXT = r"^[^\x00-\x1f\x7f]*$"
Year = Annotated[int, Path(ge=100, le=999, description=gettext_noop("民國年度"), examples=[114])]
PageNumber = Annotated[int, Query(ge=1, le=100_000, description=gettext_noop("頁碼，從 1 開始"))]
PageSize = Annotated[int, Query(ge=1, le=200, description=gettext_noop("每頁筆數，最多 200"))]
CategoryCode = Annotated[
    str | None,
    Query(
        pattern=r"^[0-9]{1,4}$",
        description=gettext_noop("只列這個類及其下各層（類的代碼）"),
        examples=["2"],
    ),
]


def line_code_query(description: str, example: str):
    return Annotated[
        str | None, Query(pattern=LINE_CODE, description=description, examples=[example])
    ]


def text_query(description: str, *, optional: bool):
    kind = str | None if optional else str
    return Annotated[
        kind,
        Query(
            min_length=1, max_length=200, pattern=TEXT, description=description, examples=["詐騙"]
        ),
    ]


ERRORS = {404: Error, 422: ValidationError}

api = NinjaAPI(
    title="高雄市政府警察局施政計畫 API",
    version="1",
    description=(
        "施政計畫的提要、預算項目與計畫項目，唯讀 JSON。年度在路徑中（/api/v1/114/…），"
        "每筆資料以永久代碼為 id；金額單位千元；清單分頁並附上一頁、下一頁的網址；"
        "任何網站皆可讀取（CORS）。"
    ),
    urls_namespace="api",
    docs_url=None,
    openapi_url=None,
    renderer=UnicodeJSONRenderer(),
)
api.add_decorator(public_cache, mode="view")


@api.exception_handler(NinjaValidationError)
def invalid_parameters(request, exc):
    # Only where and why: a value typed by the client is never echoed back.
    errors = [
        {"loc": list(error.get("loc", ())), "msg": error.get("msg", "")} for error in exc.errors
    ]
    return api.create_response(request, {"detail": "參數不正確", "errors": errors}, status=422)


def _measures(plan):
    goals = Prefetch("goals", queryset=PolicyGoal.objects.order_by("number").only("number"))
    return Measure.objects.in_plan(plan).with_ancestors().prefetch_related(goals)


@api.get(
    "/plans/",
    response=list[PlanOut],
    operation_id="listPlans",
    summary=gettext_noop("已發布的計畫"),
    description=gettext_noop("每個已發布的施政計畫（年度），新的在前。"),
)
def list_plans(request):
    return [plan_out(plan) for plan in published_plans()]


@api.get(
    "/{year}/",
    response={200: PlanOut, **ERRORS},
    operation_id="getPlan",
    summary=gettext_noop("一個年度的計畫"),
)
def get_plan(request, year: Year):
    return plan_out(plan_for(year))


@api.get(
    "/{year}/goals/",
    response={200: GoalPage, **ERRORS},
    operation_id="listGoals",
    summary=gettext_noop("施政提要"),
)
def list_goals(
    request,
    year: Year,
    page: PageNumber = 1,
    page_size: PageSize = 50,
):
    plan = plan_for(year)
    goals = PolicyGoal.objects.in_plan(plan).prefetch_related(
        Prefetch("measures", queryset=Measure.objects.order_by("sequence").only("code"))
    )
    return page_of(request, list(goals), page, page_size, goal_out)


@api.get(
    "/{year}/goals/{number}/",
    response={200: GoalOut, **ERRORS},
    operation_id="getGoal",
    summary=gettext_noop("一項提要"),
)
def get_goal(
    request,
    year: Year,
    number: Annotated[int, Path(ge=1, le=9999, description=gettext_noop("提要編號"), examples=[4])],
):
    plan = plan_for(year)
    goals = (
        PolicyGoal.objects.in_plan(plan)
        .filter(number=number)
        .prefetch_related(
            Prefetch("measures", queryset=Measure.objects.order_by("sequence").only("code"))
        )
    )
    goal = goals.first()
    if goal is None:
        raise HttpError(404, f"{year} 年度沒有第 {number} 項提要。")
    return goal_out(goal)


@api.get(
    "/{year}/budget-lines/",
    response={200: BudgetLinePage, **ERRORS},
    operation_id="listBudgetLines",
    summary=gettext_noop("預算項目（類、項、目）"),
    description=gettext_noop("依原文順序；篩選條件可以合併。"),
)
def list_budget_lines(
    request,
    year: Year,
    parent: line_code_query(gettext_noop("只列這個代碼的下一層"), "2-2") = None,
    level: Annotated[
        Level | None, Query(description=gettext_noop("category（類）、item（項）或 subitem（目）"))
    ] = None,
    category: CategoryCode = None,
    code_prefix: line_code_query(gettext_noop("這個代碼的預算項目及其下各層"), "2-2") = None,
    page: PageNumber = 1,
    page_size: PageSize = 50,
):
    plan = plan_for(year)
    given = {"parent": parent, "level": level, "category": category, "code_prefix": code_prefix}
    # A 類 code the plan does not have filters everything out.
    found = filtered_table(
        plan, {name: value for name, value in given.items() if value}, strict=True
    )
    return page_of(
        request, found.rows, page, page_size, lambda row: line_out(row, found.comparison)
    )


@api.get(
    "/{year}/budget-lines/{code}/",
    response={200: BudgetLineDetail, **ERRORS},
    operation_id="getBudgetLine",
    summary=gettext_noop("一個預算項目"),
)
def get_budget_line(
    request,
    year: Year,
    code: Annotated[
        str, Path(pattern=LINE_CODE, description=gettext_noop("預算項目代碼"), examples=["2-2-3"])
    ],
):
    plan = plan_for(year)
    comparison = plan_comparison(plan)
    found = line_rows(plan, code, comparison)
    if found is None:
        raise HttpError(404, f"{year} 年度沒有代碼 {code} 的預算項目。")
    row, children = found
    line = row.line
    return {
        **line_out(row, comparison),
        "children": [child.code for child in children],
        "measures": list(line.measures.order_by("sequence").values_list("code", flat=True)),
        "note": line.note,
        "editor_note": line.editor_note,
        "source_lines": [line.source_start_line, line.source_end_line],
    }


@api.get(
    "/{year}/measures/",
    response={200: MeasurePage, **ERRORS},
    operation_id="listMeasures",
    summary=gettext_noop("計畫項目"),
    # The line break is the one the docstring this came from had: the document stays the same.
    description=gettext_noop(
        "依原文順序；篩選條件可以合併。計畫項目沒有個別金額：budget_line_amount 是所屬預算項目\n"
        "的金額。"
    ),
)
def list_measures(
    request,
    year: Year,
    budget_line: line_code_query(gettext_noop("只列這個預算項目本身的計畫項目"), "2-2-3") = None,
    under: line_code_query(gettext_noop("這個預算項目及其下各層的計畫項目"), "2-2") = None,
    goal: Annotated[
        int | None, Query(ge=1, le=9999, description=gettext_noop("執行這項提要的計畫項目"))
    ] = None,
    q: text_query(gettext_noop("含有這些詞（與搜尋相同的規則，不改找片段）"), optional=True) = None,
    page: PageNumber = 1,
    page_size: PageSize = 50,
):
    plan = plan_for(year)
    measures = _measures(plan)
    if budget_line:
        measures = measures.filter(budget_line__code=budget_line)
    if under:
        measures = measures.subtree(under)
    if goal:
        measures = measures.filter(goal_links__goal__number=goal)
    found = list(measures)
    if q is not None:
        tags.shows(request, extra=[tags.SYNONYMS])
        result = search_plan(plan=plan, query=parse_query(q), kind="measure", fallback=False)
        codes = {hit.code for hit in result.hits}
        found = [measure for measure in found if measure.code in codes]
    return page_of(request, found, page, page_size, measure_out)


@api.get(
    "/{year}/measures/{code}/",
    response={200: MeasureOut, **ERRORS},
    operation_id="getMeasure",
    summary=gettext_noop("一個計畫項目"),
)
def get_measure(
    request,
    year: Year,
    code: Annotated[
        str,
        Path(pattern=MEASURE_CODE, description=gettext_noop("計畫項目代碼"), examples=["2-2-3-m1"]),
    ],
):
    plan = plan_for(year)
    measure = _measures(plan).filter(code=code).first()
    if measure is None:
        raise HttpError(404, f"{year} 年度沒有代碼 {code} 的計畫項目。")
    return measure_out(measure)


@api.get(
    "/{year}/search/",
    response={200: SearchPage, **ERRORS},
    operation_id="search",
    summary=gettext_noop("搜尋"),
    description=gettext_noop(
        "與搜尋頁相同：簡體字轉繁體、全形半形視同、同義詞；"
        "找不到整個詞時改找最長片段（fallback_parts）。"
    ),
)
def search(
    request,
    year: Year,
    q: text_query(gettext_noop("搜尋的詞，以空白分隔；每個詞至少兩個字"), optional=False),
    kind: Annotated[Kind | None, Query(description=gettext_noop("goal、line 或 measure"))] = None,
    category: CategoryCode = None,
    page: PageNumber = 1,
    page_size: PageSize = 50,
):
    plan = plan_for(year)
    tags.shows(request, extra=[tags.SYNONYMS])
    query = parse_query(q)
    result = search_plan(plan=plan, query=query, kind=kind or "", category=category or "")
    body = page_of(request, result.hits, page, page_size, hit_out)
    return {
        **body,
        "terms": query.terms,
        "also_searched": [alt.text for term in query.expanded for alt in term.added],
        "fallback_parts": list(result.fallback.parts) if result.fallback else [],
        "notices": notices(
            q=q, q_invalid=False, kind=kind or "", category=category or "", result=result
        ),
    }
