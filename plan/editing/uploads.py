"""A new year's plan through the admin: a superuser uploads the plan file `buildplan` writes
(plan.json); it becomes a draft of a new plan, previewed under /preview/<year>/ and published
like any draft (publishing.py).

The file passes the same checks as `loadplan` (the document's rules), and more, because it
comes through a browser: its size, that it is this agency's plan, that its year is not taken
(published, or already uploaded as a draft), and that every sum holds. Whatever is wrong is
said in Chinese, naming the record, and nothing is changed.
"""

from django.db import transaction

from plan.document.contract import DocumentError, parse
from plan.document.loader import load_plan
from plan.models import Draft, Plan
from plan.reading.formatting import amount_text

from .integrity import Kind, check_plan

# The published plan file is about 170 KB; a file many times that is not a plan.
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
SUM_KINDS = {Kind.SUM, Kind.TOTAL, Kind.LEVEL}


class UploadRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _chinese(error: DocumentError) -> str:
    """The Chinese half of a document error (「… / …」: Chinese, then English)."""
    return str(error).split(" / ", 1)[0]


def upload_plan(raw: bytes, name: str, user) -> Draft:
    """A draft of the new plan in the uploaded file `raw` (named `name`), opened by `user`."""
    if len(raw) > MAX_UPLOAD_BYTES:
        raise UploadRefused(
            f"檔案太大（{amount_text(len(raw) // 1024)} KB）：計畫檔上限為 "
            f"{MAX_UPLOAD_BYTES // 1024 // 1024} MB。請確認上傳的是 buildplan 產生的 plan.json。"
        )
    if not raw.strip():
        raise UploadRefused("檔案是空的：請上傳 buildplan 產生的 plan.json。")
    try:
        document = parse(raw, name)
    except DocumentError as error:
        raise UploadRefused(_chinese(error)) from None
    _check_identity(document)
    try:
        with transaction.atomic():
            plan, _report = load_plan(document, as_draft=True)
            _check_sums(plan)
            return Draft.objects.create(plan=plan, base=None, created_by=user)
    except DocumentError as error:
        raise UploadRefused(_chinese(error)) from None


def _check_identity(document) -> None:
    """This agency's plan, for a year (and under a slug) not taken yet. The document's shape is
    checked by the loader; only what these checks read is looked at here."""
    plan = document.get("plan") if isinstance(document, dict) else None
    if not isinstance(plan, dict):
        raise UploadRefused("這不是施政計畫檔：最上層應有 plan（計畫）欄位。")
    agency, year, slug = plan.get("agency"), plan.get("fiscal_year"), plan.get("slug")
    published = Plan.objects.published()
    agencies = set(published.values_list("agency", flat=True))
    if agencies and agency not in agencies:
        raise UploadRefused(
            f"這是「{agency}」的計畫檔；本站刊登的是「{'、'.join(sorted(agencies))}」的施政計畫。"
        )
    if isinstance(year, int) and Plan.objects.filter(agency=agency, fiscal_year=year).exists():
        raise UploadRefused(
            f"{year} 年度的施政計畫已經發布（或已有上傳的草稿）。"
            "修正已發布的計畫請開啟修正草稿；要換掉草稿請先捨棄它。"
        )
    if isinstance(slug, str) and Plan.objects.filter(slug=slug).exists():
        raise UploadRefused(f"代碼 {slug} 已被另一份施政計畫使用。")


def _check_sums(plan: Plan) -> None:
    broken = [f for f in check_plan(plan) if not f.ok and f.kind in SUM_KINDS]
    if broken:
        listed = "；".join(finding.message for finding in broken[:10])
        more = f"（另有 {len(broken) - 10} 處）" if len(broken) > 10 else ""
        raise UploadRefused(f"計畫檔的金額不一致，沒有載入：{listed}{more}")
