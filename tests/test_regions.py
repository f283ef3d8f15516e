import csv
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from congress.models import Region, RegionLevel
from tests.conftest import World
from tests.factories import RegionFactory


def test_subtree_is_one_query_whatever_the_depth(world: World) -> None:
    microgrid = RegionFactory(name="微网格", level=RegionLevel.MICROGRID, parent=world.grid)
    with CaptureQueriesContext(connection) as queries:
        names = set(Region.objects.subtree_of(world.city).values_list("name", flat=True))
    assert len(queries) == 1
    assert {"江海市", "海州区", "临江区", "新浦街道", "桃园社区第1网格", microgrid.name} <= names
    assert "东海省" not in names


def test_path_and_depth_follow_the_tree(world: World) -> None:
    assert world.city.depth == 1
    assert world.grid.depth == 5
    assert world.grid.is_within(world.district)
    assert not world.grid.is_within(world.other_district)
    assert [r.name for r in world.grid.ancestors()] == [
        "东海省",
        "江海市",
        "海州区",
        "新浦街道",
        "桃园社区",
    ]


def test_moving_a_region_moves_everything_below_it(world: World) -> None:
    world.town.parent = world.other_district
    world.town.save()
    world.grid.refresh_from_db()
    assert world.grid.is_within(world.other_district)
    assert world.grid.depth == 5
    assert not Region.objects.subtree_of(world.district).filter(pk=world.grid.pk).exists()


def _write(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["code", "name", "level", "parent_code"])
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.mark.django_db
def test_load_regions_builds_the_tree_from_official_codes(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "r.csv",
        [
            {"code": "990102001001", "name": "桃园社区"},
            {"code": "990000000000", "name": "东海省"},
            {"code": "990100000000", "name": "江海市"},
            {"code": "990102000000", "name": "海州区"},
            {"code": "990102001000", "name": "新浦街道"},
            {"code": "", "name": "桃园第1网格", "level": "grid", "parent_code": "990102001001"},
        ],
    )
    call_command("load_regions", str(path), stdout=io.StringIO())
    grid = Region.objects.get(name="桃园第1网格")
    assert [r.name for r in grid.ancestors()] == [
        "东海省",
        "江海市",
        "海州区",
        "新浦街道",
        "桃园社区",
    ]
    assert Region.objects.get(code="990102001000").level == RegionLevel.TOWNSHIP
    # Loading the same file again changes nothing.
    call_command("load_regions", str(path), stdout=io.StringIO())
    assert Region.objects.count() == 6


@pytest.mark.django_db
def test_load_regions_loads_nothing_when_a_row_is_bad(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "r.csv",
        [
            {"code": "990000000000", "name": "东海省"},
            {"code": "99010000", "name": "短代码市"},
            {"code": "990200000000", "name": ""},
        ],
    )
    with pytest.raises(CommandError) as error:
        call_command("load_regions", str(path))
    assert "line 3" in str(error.value) and "line 4" in str(error.value)
    assert not Region.objects.exists()
