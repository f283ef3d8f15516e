"""Load regions from a CSV in the official division-code format (统计用区划代码).

Columns: ``code,name`` for official divisions, whose level and parent follow from
the 12-digit code (2 province, 2 city, 2 county, 3 township, 3 village digits);
grids, which have no official code, give ``level`` and ``parent_code`` instead
(microgrids under an uncoded grid are added in the admin). The whole file is checked first:
one bad row and nothing is loaded, with every bad row listed.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from congress.models import Region, RegionLevel


@dataclass
class Row:
    line: int
    code: str
    name: str
    level: str
    parent_code: str


def level_from_code(code: str) -> str:
    if code.endswith("0000000000"):
        return RegionLevel.PROVINCE
    if code.endswith("00000000"):
        return RegionLevel.CITY
    if code.endswith("000000"):
        return RegionLevel.COUNTY
    if code.endswith("000"):
        return RegionLevel.TOWNSHIP
    return RegionLevel.VILLAGE


def parent_code_of(code: str) -> str:
    """The official parent: zero the digits of this code's own level."""
    cut = {
        RegionLevel.PROVINCE: 0,
        RegionLevel.CITY: 2,
        RegionLevel.COUNTY: 4,
        RegionLevel.TOWNSHIP: 6,
        RegionLevel.VILLAGE: 9,
    }[RegionLevel(level_from_code(code))]
    return "" if cut == 0 else code[:cut].ljust(12, "0")


def parse_rows(lines: list[dict[str, Any]]) -> tuple[list[Row], list[str]]:
    rows: list[Row] = []
    errors: list[str] = []
    for number, raw in enumerate(lines, start=2):
        code = (raw.get("code") or "").strip()
        name = (raw.get("name") or "").strip()
        level = (raw.get("level") or "").strip()
        parent_code = (raw.get("parent_code") or "").strip()
        if not name:
            errors.append(f"line {number}: the name is missing")
            continue
        if code:
            if len(code) != 12 or not code.isdigit():
                errors.append(f"line {number}: {code!r} is not a 12-digit division code")
                continue
            level = level or level_from_code(code)
            parent_code = parent_code or parent_code_of(code)
        elif level not in (RegionLevel.GRID, RegionLevel.MICROGRID) or not parent_code:
            errors.append(f"line {number}: a row without a code must be a grid with parent_code")
            continue
        if level not in RegionLevel.values:
            errors.append(f"line {number}: unknown level {level!r}")
            continue
        rows.append(Row(number, code, name, level, parent_code))
    return rows, errors


class Command(BaseCommand):
    help = "Load or update regions from a CSV file in the official division-code format."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("csv_path", type=Path)

    def handle(self, *args: Any, csv_path: Path, **options: Any) -> None:
        with csv_path.open(encoding="utf-8-sig", newline="") as handle:
            rows, errors = parse_rows(list(csv.DictReader(handle)))
        if errors:
            raise CommandError("Nothing was loaded:\n" + "\n".join(errors))
        created, updated = self.load(rows)
        self.stdout.write(self.style.SUCCESS(f"{created} regions created, {updated} updated."))

    @transaction.atomic
    def load(self, rows: list[Row]) -> tuple[int, int]:
        by_code = {r.code: r for r in Region.objects.exclude(code=None) if r.code}
        created = updated = 0
        # Parents before children: official codes sort that way; grids come last.
        order = {level: index for index, level in enumerate(RegionLevel.values)}
        errors: list[str] = []
        for row in sorted(rows, key=lambda r: (order[r.level], r.code, r.line)):
            parent = by_code.get(row.parent_code) if row.parent_code else None
            if row.parent_code and parent is None:
                errors.append(f"line {row.line}: parent {row.parent_code} is not known")
                continue
            if row.code and row.code in by_code:
                region = by_code[row.code]
                if (region.name, region.level, region.parent_id) != (
                    row.name,
                    row.level,
                    parent.pk if parent else None,
                ):
                    region.name, region.level, region.parent = row.name, row.level, parent
                    region.save()
                    updated += 1
                continue
            if not row.code and parent is not None:
                existing = Region.objects.filter(parent=parent, name=row.name).first()
                if existing:
                    continue
            region = Region(code=row.code or None, name=row.name, level=row.level, parent=parent)
            region.save()
            created += 1
            if row.code:
                by_code[row.code] = region
        if errors:
            transaction.set_rollback(True)
            raise CommandError("Nothing was loaded:\n" + "\n".join(errors))
        return created, updated
