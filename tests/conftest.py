"""The fixed cast of personas (docs/architecture.md, 'The cast') and the world they live in.

江海市 (the city) has two districts, 海州区 and 临江区. District staff work for
海州区; "other district staff" for 临江区. The transport bureau clerk handles cases
for 海州区交通运输局; the other clerk works for 临江区住建局.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.test import Client, override_settings

import tests.loop_support  # noqa: F401 - registers the test case type
from congress.celery import app as celery_app
from congress.models import CongressLevel, Department, Region, RegionLevel, Role, User
from congress.workdays import forget_overrides
from tests.factories import (
    PASSWORD,
    CongressFactory,
    DepartmentFactory,
    RegionFactory,
    TermFactory,
    UserFactory,
    grant,
)
from tests.worker_support import celery_worker_process, private_redis  # noqa: F401 - fixtures


@pytest.fixture(autouse=True, scope="session")
def _tasks_run_inline_unless_a_worker_is_used() -> None:
    # Tests that need the real broker and worker are marked `worker` and use the
    # `celery_worker_process` fixture; everywhere else a task runs in-process
    # (the same code, just without a broker in between).
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True


@pytest.fixture(autouse=True, scope="session")
def _a_redis_cache_per_test_process() -> None:
    # Tests clear the cache (rate-limit counters) and count in it. Two xdist
    # processes sharing one Redis database would clear each other's counters
    # mid-test; each process gets a database of its own (gw0: the configured
    # one, gw1: the one below, ...).
    from django.conf import settings

    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    cache = settings.CACHES["default"]
    if not worker.startswith("gw") or "redis" not in cache["BACKEND"]:
        return
    base, _, number = cache["LOCATION"].rpartition("/")
    database = int(number or 0) - int(worker[2:])
    assert database >= 0, f"no Redis database left for {worker} below {cache['LOCATION']}"
    override_settings(CACHES={"default": {**cache, "LOCATION": f"{base}/{database}"}}).enable()


@pytest.fixture(autouse=True, scope="session")
def _no_big_screen_cache() -> None:
    # A region's big-screen figures are kept 30 s in the cache (congress/bigscreen.py),
    # keyed by the region's id: a rolled-back test's region id comes back in the next
    # test, so a test that wants the cache sets BIGSCREEN_CACHE_SECONDS itself and
    # clears the cache first (tests/test_bigscreen.py).
    override_settings(BIGSCREEN_CACHE_SECONDS=0).enable()


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing() -> None:
    # PBKDF2's deliberate slowness costs ~0.3 s per persona; tests need no such defence.
    override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]).enable()


@pytest.fixture(autouse=True)
def _calendar_overrides_are_read_afresh() -> Iterator[None]:
    # Holiday overrides are cached; a test's rolled-back rows must not leak.
    forget_overrides()
    yield
    forget_overrides()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    have_browser = shutil.which("chromium") or os.path.exists("/usr/bin/chromium")
    require_browser = os.environ.get("REQUIRE_BROWSER") == "1"
    have_redis = bool(os.environ.get("REDIS_URL"))
    require_worker = os.environ.get("REQUIRE_WORKER") == "1"
    for item in items:
        if "browser" in item.keywords and not have_browser and not require_browser:
            item.add_marker(pytest.mark.skip(reason="no /usr/bin/chromium on this machine"))
        if "worker" in item.keywords and not have_redis and not require_worker:
            item.add_marker(pytest.mark.skip(reason="REDIS_URL is not set"))


@dataclass
class World:
    city: Region
    district: Region
    other_district: Region
    town: Region
    village: Region
    grid: Region
    department: Department
    other_department: Department
    city_department: Department


@pytest.fixture
def world(db: None) -> World:
    province = RegionFactory(name="东海省", level=RegionLevel.PROVINCE, code="990000000000")
    city = RegionFactory(
        name="江海市", level=RegionLevel.CITY, parent=province, code="990100000000"
    )
    district = RegionFactory(
        name="海州区", level=RegionLevel.COUNTY, parent=city, code="990102000000"
    )
    other = RegionFactory(name="临江区", level=RegionLevel.COUNTY, parent=city, code="990103000000")
    town = RegionFactory(
        name="新浦街道", level=RegionLevel.TOWNSHIP, parent=district, code="990102001000"
    )
    village = RegionFactory(
        name="桃园社区", level=RegionLevel.VILLAGE, parent=town, code="990102001001"
    )
    grid = RegionFactory(name="桃园社区第1网格", level=RegionLevel.GRID, parent=village)
    for region, level in [
        (city, CongressLevel.CITY),
        (district, CongressLevel.COUNTY),
        (other, CongressLevel.COUNTY),
        (town, CongressLevel.TOWNSHIP),
    ]:
        TermFactory(congress=CongressFactory(region=region, level=level))
    city_office = DepartmentFactory(name="江海市人民政府办公室", region=city)
    district_office = DepartmentFactory(
        name="海州区人民政府办公室", region=district, parent=city_office
    )
    return World(
        city=city,
        district=district,
        other_district=other,
        town=town,
        village=village,
        grid=grid,
        department=DepartmentFactory(
            name="海州区交通运输局", region=district, parent=district_office
        ),
        other_department=DepartmentFactory(name="临江区住房和城乡建设局", region=other),
        city_department=DepartmentFactory(name="江海市交通运输局", region=city, parent=city_office),
    )


@pytest.fixture
def district_staff(world: World) -> User:
    return grant(
        UserFactory(username="chenjing", display_name="陈静"), Role.STAFF, region=world.district
    )


@pytest.fixture
def other_district_staff(world: World) -> User:
    return grant(
        UserFactory(username="liqiang", display_name="李强"),
        Role.STAFF,
        region=world.other_district,
    )


@pytest.fixture
def city_staff(world: World) -> User:
    return grant(
        UserFactory(username="zhouwenhua", display_name="周文华"), Role.STAFF, region=world.city
    )


@pytest.fixture
def town_staff(world: World) -> User:
    return grant(
        UserFactory(username="wangfang", display_name="王芳"), Role.STAFF, region=world.town
    )


@pytest.fixture
def clerk(world: World) -> User:
    return grant(
        UserFactory(username="zhaolei", display_name="赵磊"),
        Role.HANDLER,
        department=world.department,
    )


@pytest.fixture
def other_clerk(world: World) -> User:
    return grant(
        UserFactory(username="sunli", display_name="孙丽"),
        Role.HANDLER,
        department=world.other_department,
    )


@pytest.fixture
def committee_member(world: World) -> User:
    return grant(
        UserFactory(username="qianjianguo", display_name="钱建国"),
        Role.COMMITTEE,
        region=world.city,
    )


@pytest.fixture
def administrator(db: None) -> User:
    return UserFactory(username="admin", display_name="管理员", is_superuser=True, is_staff=True)


@pytest.fixture
def representative_user(world: World) -> User:
    """A user who will be linked to a Representative record by the representatives app."""
    return UserFactory(username="liuhong", display_name="刘红")


def login(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


__all__ = ["PASSWORD", "World", "login"]
