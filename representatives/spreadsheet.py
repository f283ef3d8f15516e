"""The representatives sheet staff already keep (one row per seat), in and out of Excel.

A person with seats at two levels has two rows with the same 身份证号. Import
validates every row first and writes nothing if any row is wrong, so a file is
never half imported; the errors name the row and the column. Export writes the
same columns, with the 身份证号 masked unless full numbers are asked for (and
audited): a masked file is for reading, a full one for re-import.
"""

from __future__ import annotations

import datetime
import io
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from openpyxl import Workbook, load_workbook

from congress.models import Congress, CongressLevel, Region, User
from congress.scoping import visible_regions
from representatives.models import (
    Constituency,
    Delegation,
    Gender,
    MandateStatus,
    Party,
    RepresentativeGroup,
    Sector,
)
from representatives.validators import normalize_id_number, validate_id_number, validate_mobile

# (field, header). Headers are the file format: the Chinese header is always accepted,
# whatever the language of the page.
COLUMNS: list[tuple[str, str]] = [
    ("name", gettext_noop("姓名")),
    ("gender", gettext_noop("性别")),
    ("ethnicity", gettext_noop("民族")),
    ("birth_year", gettext_noop("出生年份")),
    ("id_number", gettext_noop("身份证号")),
    ("party", gettext_noop("政治面貌")),
    ("sector", gettext_noop("界别")),
    ("occupation", gettext_noop("职务/职业")),
    ("workplace", gettext_noop("工作单位")),
    ("mobile", gettext_noop("手机号")),
    ("region", gettext_noop("所属地区")),
    ("region_code", gettext_noop("区划代码")),
    ("level", gettext_noop("层级")),
    ("constituency", gettext_noop("选区")),
    ("electoral_unit", gettext_noop("原选举单位")),
    ("delegation", gettext_noop("代表团")),
    ("group", gettext_noop("代表小组")),
    ("starts_on", gettext_noop("任职开始")),
]
MAX_ROWS = 20000

LEVEL_ALIASES = {
    "全国": CongressLevel.NATIONAL,
    "全国人大": CongressLevel.NATIONAL,
    "省": CongressLevel.PROVINCE,
    "省级": CongressLevel.PROVINCE,
    "市": CongressLevel.CITY,
    "市级": CongressLevel.CITY,
    "设区的市级": CongressLevel.CITY,
    "县": CongressLevel.COUNTY,
    "县级": CongressLevel.COUNTY,
    "区": CongressLevel.COUNTY,
    "县（区）级": CongressLevel.COUNTY,
    "乡": CongressLevel.TOWNSHIP,
    "镇": CongressLevel.TOWNSHIP,
    "乡镇": CongressLevel.TOWNSHIP,
    "乡镇级": CongressLevel.TOWNSHIP,
}


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ImportResult:
    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    mandates_created: int = 0
    rows: int = 0
    # The people of the sheet (one per 身份证号): whom "开通登录账号" after an import
    # selects (representatives/accounts.py).
    id_numbers: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _choices_map(choices: Any) -> dict[str, str]:
    """Accept the stored value, the Chinese label and the label in the current language."""
    mapping: dict[str, str] = {}
    for value, label in choices.choices:
        mapping[value] = value
        mapping[str(label)] = value
    return mapping


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value: Any) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value)
    if not text:
        return None
    return datetime.date.fromisoformat(text.replace("/", "-").replace(".", "-"))


@dataclass
class SheetRow:
    number: int
    values: dict[str, str | datetime.date | None]
    region: Region | None = None
    level: str = ""
    congress: Congress | None = None
    constituency: Constituency | None = None
    electoral_unit: Congress | None = None
    delegation: Delegation | None = None
    group: RepresentativeGroup | None = None


class _Resolver:
    """Looks names up once per file (a sheet of thousands runs in a few queries)."""

    def __init__(self, user: User) -> None:
        regions = list(visible_regions(user).only("pk", "name", "code", "path", "level"))
        self.by_code = {region.code: region for region in regions if region.code}
        self.by_name: dict[str, list[Region]] = defaultdict(list)
        for region in regions:
            self.by_name[region.name].append(region)
        self.congresses = {
            (c.region_id, c.level): c for c in Congress.objects.select_related("region")
        }
        self.congress_by_name = {c.name: c for c in self.congresses.values()}
        self.constituencies = {(c.congress_id, c.name): c for c in Constituency.objects.all()}
        self.delegations = {(d.congress_id, d.name): d for d in Delegation.objects.all()}
        self.groups: dict[str, list[RepresentativeGroup]] = defaultdict(list)
        for group in RepresentativeGroup.objects.select_related("region"):
            self.groups[group.name].append(group)

    def region(self, name: str, code: str) -> Region:
        if code:
            if code not in self.by_code:
                raise ValidationError(_("区划代码不存在或不在您的管辖范围内。"))
            return self.by_code[code]
        matches = self.by_name.get(name, [])
        if not matches:
            raise ValidationError(_("地区不存在或不在您的管辖范围内。"))
        if len(matches) > 1:
            raise ValidationError(_("地区名称不唯一，请填写区划代码。"))
        return matches[0]

    def congress(self, region: Region, level: str) -> Congress | None:
        if level == CongressLevel.NATIONAL:
            return None
        for region_id in reversed(region.ancestor_ids()):
            found = self.congresses.get((region_id, level))
            if found is not None:
                return found
        raise ValidationError(_("所属地区没有这一层级的人大。"))


def _read_rows(file: Any) -> tuple[list[SheetRow], list[RowError]]:
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        return [], [RowError(0, "", _("无法读取文件，请上传 .xlsx 格式的 Excel 文件。"))]
    sheet = workbook.active
    rows_iter = sheet.iter_rows(values_only=True)
    header = [_text(cell) for cell in next(rows_iter, ())]
    names = {header_text: field_name for field_name, header_text in COLUMNS}
    names.update({_(header_text): field_name for field_name, header_text in COLUMNS})
    positions = {names[text]: index for index, text in enumerate(header) if text in names}
    missing = [
        h
        for f, h in COLUMNS
        if f in ("name", "id_number", "level", "region") and f not in positions
    ]
    if missing:
        return [], [RowError(1, "", _("缺少列：%(columns)s") % {"columns": "、".join(missing)})]
    rows: list[SheetRow] = []
    for number, cells in enumerate(rows_iter, start=2):
        if number > MAX_ROWS + 1:
            return [], [RowError(number, "", _("行数超过上限 %(max)s。") % {"max": MAX_ROWS})]
        if not any(_text(cell) for cell in cells):
            continue
        values: dict[str, Any] = {}
        for field_name, index in positions.items():
            cell = cells[index] if index < len(cells) else None
            values[field_name] = cell if field_name == "starts_on" else _text(cell)
        rows.append(SheetRow(number, values))
    workbook.close()
    return rows, []


def _header(field_name: str) -> str:
    return _(dict(COLUMNS)[field_name])


def _validate_row(row: SheetRow, resolver: _Resolver, errors: list[RowError]) -> None:
    v = row.values

    def fail(field_name: str, message: str) -> None:
        errors.append(RowError(row.number, _header(field_name), message))

    if not v.get("name"):
        fail("name", _("姓名不能为空。"))
    id_number = normalize_id_number(str(v.get("id_number") or ""))
    v["id_number"] = id_number
    if not id_number:
        fail("id_number", _("身份证号不能为空。"))
    elif "*" in id_number:
        fail("id_number", _("身份证号已被遮蔽，请使用含完整身份证号的文件导入。"))
    else:
        try:
            validate_id_number(id_number)
        except ValidationError as exc:
            fail("id_number", exc.messages[0])
    for field_name, choices in [("gender", Gender), ("party", Party), ("sector", Sector)]:
        text = v.get(field_name) or ""
        if text:
            value = _choices_map(choices).get(str(text))
            if value is None:
                fail(field_name, _("无法识别的取值：%(value)s") % {"value": text})
            v[field_name] = value
    if not v.get("gender"):
        fail("gender", _("性别不能为空。"))
    birth_year = str(v.get("birth_year") or "")
    if birth_year and not (birth_year.isdigit() and 1900 < int(birth_year) < 2100):
        fail("birth_year", _("出生年份应为四位数字。"))
    try:
        validate_mobile(str(v.get("mobile") or ""))
    except ValidationError as exc:
        fail("mobile", exc.messages[0])
    level_text = str(v.get("level") or "")
    level = _choices_map(CongressLevel).get(level_text) or LEVEL_ALIASES.get(level_text)
    if not level_text:
        fail("level", _("层级不能为空。"))
    elif level is None:
        fail("level", _("无法识别的层级：%(value)s") % {"value": level_text})
    row.level = level or ""
    try:
        row.region = resolver.region(str(v.get("region") or ""), str(v.get("region_code") or ""))
    except ValidationError as exc:
        fail("region", exc.messages[0])
    if row.region is None or not level:
        return
    try:
        row.congress = resolver.congress(row.region, level)
    except ValidationError as exc:
        fail("level", exc.messages[0])
        return
    _resolve_groupings(row, resolver, fail)


def _resolve_groupings(row: SheetRow, resolver: _Resolver, fail: Any) -> None:
    v = row.values
    congress_id = row.congress.pk if row.congress else None
    name = str(v.get("constituency") or "")
    if name:
        row.constituency = resolver.constituencies.get((congress_id, name))  # type: ignore[arg-type]
        if row.constituency is None:
            fail("constituency", _("选区不存在：%(name)s") % {"name": name})
    name = str(v.get("electoral_unit") or "")
    if name:
        row.electoral_unit = resolver.congress_by_name.get(name)
        if row.electoral_unit is None:
            fail("electoral_unit", _("原选举单位不存在：%(name)s") % {"name": name})
    name = str(v.get("delegation") or "")
    if name:
        row.delegation = resolver.delegations.get((congress_id, name))  # type: ignore[arg-type]
        if row.delegation is None:
            fail("delegation", _("代表团不存在：%(name)s") % {"name": name})
    name = str(v.get("group") or "")
    if name:
        groups = [
            g
            for g in resolver.groups.get(name, [])
            if row.region is not None and row.region.path.startswith(g.region.path)
        ]
        if len(groups) != 1:
            fail("group", _("代表小组不存在或不唯一：%(name)s") % {"name": name})
        else:
            row.group = groups[0]
    try:
        v["starts_on"] = _date(v.get("starts_on"))
    except ValueError:
        fail("starts_on", _("日期格式应为 YYYY-MM-DD。"))


def _check_duplicates(rows: list[SheetRow], errors: list[RowError]) -> None:
    seen: dict[tuple[str, str], int] = {}
    names: dict[str, tuple[str, int]] = {}
    for row in rows:
        id_number = str(row.values.get("id_number") or "")
        if not id_number or "*" in id_number:
            continue
        key = (id_number, row.level)
        if key in seen:
            errors.append(
                RowError(
                    row.number,
                    _header("id_number"),
                    _("身份证号重复：与第%(row)s行为同一人同一层级。") % {"row": seen[key]},
                )
            )
        else:
            seen[key] = row.number
        name = str(row.values.get("name") or "")
        if id_number in names and names[id_number][0] != name:
            errors.append(
                RowError(
                    row.number,
                    _header("id_number"),
                    _("身份证号重复：与第%(row)s行姓名不同。") % {"row": names[id_number][1]},
                )
            )
        names.setdefault(id_number, (name, row.number))


def validate_sheet(file: Any, *, by: User) -> tuple[list[SheetRow], ImportResult]:
    """Read and check every row; the rows are ready to write only if the result is ok."""
    rows, errors = _read_rows(file)
    result = ImportResult(errors=errors, rows=len(rows))
    if errors:
        return [], result
    if not rows:
        result.errors.append(RowError(0, "", _("文件中没有数据行。")))
        return [], result
    resolver = _Resolver(by)
    for row in rows:
        _validate_row(row, resolver, result.errors)
    _check_duplicates(rows, result.errors)
    result.errors.sort(key=lambda error: error.row)
    result.id_numbers = sorted({str(row.values["id_number"]) for row in rows})
    return rows, result


# --- export ---------------------------------------------------------------------------------


def representatives_export(representatives: Any, *, full_id_numbers: bool = False) -> bytes:
    """One row per active seat (a person without one gets a row with no level)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("人大代表"))
    sheet.append([_(header) for _field, header in COLUMNS])
    queryset = representatives.select_related("region").prefetch_related(
        "mandates__term__congress",
        "mandates__constituency",
        "mandates__electoral_unit",
        "mandates__delegation",
        "mandates__group",
    )
    for rep in queryset.iterator(chunk_size=500):
        person = [
            rep.name,
            rep.get_gender_display(),
            rep.ethnicity,
            rep.birth_year or "",
            (rep.id_number or "") if full_id_numbers else rep.masked_id_number,
            rep.get_party_display(),
            rep.get_sector_display(),
            rep.occupation,
            rep.workplace,
            rep.mobile,
            rep.region.name,
            rep.region.code or "",
        ]
        mandates = [m for m in rep.mandates.all() if m.status == MandateStatus.ACTIVE]
        if not mandates:
            sheet.append([*person, "", "", "", "", "", ""])
        for mandate in sorted(mandates, key=lambda m: CongressLevel.values.index(m.level)):
            sheet.append(
                [
                    *person,
                    mandate.get_level_display(),
                    mandate.constituency.name if mandate.constituency else "",
                    mandate.electoral_unit.name if mandate.electoral_unit else "",
                    mandate.delegation.name if mandate.delegation else "",
                    mandate.group.name if mandate.group else "",
                    mandate.starts_on.isoformat(),
                ]
            )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
