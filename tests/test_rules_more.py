"""The rules wired per congress by issue #19 (docs/rules.md): the duty schedule's
publication lead time, the livelihood vote's pass rule and differential, the retention
period of citizens' personal data, and representatives' SMS mode. Then the sign-in's
loose ends (old code rows purged, no number in the "not sent" log line) and the demo's
logins for every representative.

The story: 江海市 (the city) has 海州区 and 临江区 below it; 新浦街道 (with its own
congress) and its 桃园社区 lie in 海州区. 海州区's congress changes a rule; its new
things follow it, 临江区's keep the default; when the city sets a rule, 临江区 inherits
it. The expected values are written out by hand from the defaults in docs/rules.md.
"""

from __future__ import annotations

import datetime
import logging
import re
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth.hashers import is_password_usable
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from congress.errors import RuleViolation
from congress.models import Channel, Congress, SignInCode, User
from congress.retention import personal_data_anonymise_expired
from congress.rules import congress_rules_save, registered_rules, rule_map
from congress.sms import RecordingSmsBackend, SmsError
from livelihood_votes import services as votes
from livelihood_votes.models import PassBase
from representatives import services as reps
from representatives import signin, tasks
from representatives.demo import build_logins
from representatives.models import DutyShift, Representative, ShiftStatus, Station, StationKind
from representatives.signin_setup import representatives_default_modes
from suggestions.citizen import services as citizen
from suggestions.models.citizen import CitizenIssue, IssueCategory
from tests.conftest import World
from tests.factories import RegionFactory, UserFactory
from tests.representatives.factories import RepresentativeFactory, seat
from tests.suggestions_citizen.conftest import submit

DUTY = "duty.publish_days_ahead"
SMS_MODE = "representatives.sms_mode"
PASS_BASE = "livelihood.pass_base"
DIFF_MIN = "livelihood.differential_min_percent"
DIFF_MAX = "livelihood.differential_max_percent"
RETENTION = "retention.personal_data_days"

# The new rules: (default, lowest, highest), stated independently of the code.
EXPECTED = {
    DUTY: (3, 1, 15),
    SMS_MODE: ("immediate", None, None),
    PASS_BASE: ("electorate", None, None),
    DIFF_MIN: (10, 0, 30),
    DIFF_MAX: (30, 30, 100),
    RETENTION: (1095, 180, 1825),
}


def congress_of(region: Any) -> Congress:
    return Congress.objects.get(region=region)


@pytest.fixture
def riverside(world: World) -> Any:
    """江边社区, a village of 临江区."""
    return RegionFactory(name="江边社区", level="village", parent=world.other_district)


def test_the_new_rules_are_registered_with_their_default_range_and_source(db: None) -> None:
    found = {rule.key: rule for rule in registered_rules() if rule.key in EXPECTED}
    assert {key: (r.default, r.minimum, r.maximum) for key, r in found.items()} == EXPECTED
    assert dict(found[SMS_MODE].choices).keys() == {"immediate", "digest", "off"}
    assert dict(found[PASS_BASE].choices).keys() == {"electorate", "voters"}
    assert "个人信息保护法" in str(found[RETENTION].source)
    for rule in found.values():
        assert str(rule.label) and str(rule.source) and rule.setting


@pytest.mark.parametrize(
    ("key", "value", "range_text"),
    [
        (DUTY, 0, "1至15天"),
        (DUTY, 16, "1至15天"),
        (DIFF_MIN, 31, "0至30%"),
        (DIFF_MAX, 20, "30至100%"),
        (RETENTION, 90, "180至1825天"),
        (SMS_MODE, "weekly", "每条通知即时发送短信、每天汇总发送一条短信、不发送短信"),
        (PASS_BASE, "two_thirds", "全体代表的过半数、参加投票代表的过半数"),
    ],
)
def test_a_value_out_of_range_is_refused_with_the_range(
    world: World, administrator: User, key: str, value: Any, range_text: str
) -> None:
    with pytest.raises(RuleViolation) as refused:
        congress_rules_save(
            congress=congress_of(world.district), values={key: value}, by=administrator
        )
    assert range_text in str(refused.value.message)
    assert rule_map(key).own == ()  # nothing written


# --- the duty schedule's publication lead time --------------------------------------------


def _station_with_shift(name: str, region: Any, days_ahead: int) -> DutyShift:
    station = Station.objects.create(name=name, kind=StationKind.STATION, region=region)
    person = RepresentativeFactory(region=region)
    return DutyShift.objects.create(
        station=station,
        representative=person,
        date=timezone.localdate() + datetime.timedelta(days=days_ahead),
        start_time=datetime.time(9),
        end_time=datetime.time(11),
        status=ShiftStatus.SCHEDULED,
    )


def _published(*shifts: DutyShift) -> list[bool]:
    return [DutyShift.objects.get(pk=shift.pk).published_at is not None for shift in shifts]


def test_a_district_lead_time_publishes_its_stations_shifts_earlier_only(
    world: World, administrator: User, riverside: Any
) -> None:
    ours = _station_with_shift("桃园社区代表联络站", world.village, 6)
    theirs = _station_with_shift("江边社区代表联络站", riverside, 6)
    theirs_soon = _station_with_shift("临江区代表之家", world.other_district, 2)
    congress_rules_save(congress=congress_of(world.district), values={DUTY: 7}, by=administrator)

    assert reps.duty_shifts_publish_due() == 2
    # 海州区 publishes 7 days ahead; 临江区 keeps the default 3.
    assert _published(ours, theirs, theirs_soon) == [True, False, True]


def test_the_citys_lead_time_reaches_the_district_that_set_none(
    world: World, administrator: User, riverside: Any
) -> None:
    ours = _station_with_shift("桃园社区代表联络站", world.village, 6)
    theirs = _station_with_shift("江边社区代表联络站", riverside, 5)
    congress_rules_save(congress=congress_of(world.city), values={DUTY: 5}, by=administrator)
    # 海州区 sets 2 for itself, below the city's 5: its 6-day shift waits.
    congress_rules_save(congress=congress_of(world.district), values={DUTY: 2}, by=administrator)
    tasks.daily_duty_run()  # the beat's hourly task
    assert _published(ours, theirs) == [False, True]


def test_the_station_page_warns_by_its_congresss_lead_time(
    world: World, administrator: User, district_staff: User, client: Any
) -> None:
    shift = _station_with_shift("桃园社区代表联络站", world.village, 6)
    client.force_login(district_staff)
    url = f"/stations/{shift.station_id}/duty/"
    before = client.get(url)
    congress_rules_save(congress=congress_of(world.district), values={DUTY: 7}, by=administrator)
    after = client.get(url)
    assert before.status_code == after.status_code == 200
    assert (before.context["publish_days"], before.context["late"]) == (3, 0)
    assert (after.context["publish_days"], after.context["late"]) == (7, 1)


# --- the livelihood vote's defaults ----------------------------------------------------------


def _vote(region: Any, by: User, seats: int = 20, candidates: int = 0) -> Any:
    vote = votes.vote_create(
        congress=congress_of(region),
        title="2027年度民生实事项目代表票决",
        year=2027,
        seats=seats,
        by=by,
    )
    for n in range(1, candidates + 1):
        votes.candidate_add(vote=vote, title=f"民生项目{n}", by=by)
    return vote


def test_a_district_pass_rule_is_set_on_its_new_votes_only(
    world: World, administrator: User, district_staff: User, other_district_staff: User
) -> None:
    before = _vote(world.district, district_staff)
    congress_rules_save(
        congress=congress_of(world.district), values={PASS_BASE: "voters"}, by=administrator
    )
    after = _vote(world.district, district_staff)
    elsewhere = _vote(world.other_district, other_district_staff)
    before.refresh_from_db()
    assert (before.pass_base, after.pass_base, elsewhere.pass_base) == (
        PassBase.ELECTORATE,  # made before the change: its own field never moves
        PassBase.VOTERS,
        PassBase.ELECTORATE,
    )
    # The city's rule reaches 临江区, which set none; 海州区 keeps its own.
    congress_rules_save(
        congress=congress_of(world.city), values={PASS_BASE: "voters"}, by=administrator
    )
    assert _vote(world.other_district, other_district_staff).pass_base == PassBase.VOTERS


def test_a_district_differential_is_checked_when_its_votes_open(
    world: World, administrator: User, district_staff: User, other_district_staff: User
) -> None:
    # 23 candidates for 20 seats: 15 %, inside the default 10–30 %.
    congress_rules_save(
        congress=congress_of(world.district), values={DIFF_MIN: 20}, by=administrator
    )
    ours = _vote(world.district, district_staff, candidates=23)
    with pytest.raises(RuleViolation) as refused:
        votes.vote_open(vote=ours, by=district_staff)
    assert "20%至30%" in str(refused.value.message) and "现有23项" in str(refused.value.message)
    # 临江区 keeps 10–30 %: 15 % is allowed there.
    votes.check_differential(candidates=23, seats=20, congress=congress_of(world.other_district))
    # The city raises the floor to 16 %: 临江区, which set none, inherits it.
    congress_rules_save(congress=congress_of(world.city), values={DIFF_MIN: 16}, by=administrator)
    with pytest.raises(RuleViolation):
        votes.check_differential(
            candidates=23, seats=20, congress=congress_of(world.other_district)
        )


# --- the retention period ----------------------------------------------------------------


@pytest.fixture
def roads(db: None) -> IssueCategory:
    citizen.categories_ensure_defaults()
    return IssueCategory.objects.get(code="roads")


def _closed_problem(region: Any, roads: IssueCategory, days_ago: int, mobile: str) -> CitizenIssue:
    issue = submit(region=region, category=roads, mobile=mobile)
    # Closed long ago (a test's shortcut past the whole handling: only the closing date
    # and status matter to retention).
    CitizenIssue.objects.filter(pk=issue.pk).update(
        status="closed", closed_at=timezone.now() - datetime.timedelta(days=days_ago)
    )
    return issue


def _scrubbed(*issues: CitizenIssue) -> list[bool]:
    return [CitizenIssue.objects.get(pk=issue.pk).mobile == "" for issue in issues]


def test_a_district_retention_period_scrubs_its_problems_only(
    world: World, administrator: User, riverside: Any, roads: IssueCategory
) -> None:
    ours = _closed_problem(world.village, roads, 400, "13800000001")
    theirs = _closed_problem(riverside, roads, 400, "13800000002")
    recent = _closed_problem(world.village, roads, 100, "13800000003")
    congress_rules_save(
        congress=congress_of(world.district), values={RETENTION: 365}, by=administrator
    )
    assert personal_data_anonymise_expired(dry_run=True).counts["citizen issues"] == 1
    result = personal_data_anonymise_expired()
    assert result.counts["citizen issues"] == 1
    # 海州区 keeps a year; 临江区 the default three years.
    assert _scrubbed(ours, theirs, recent) == [True, False, False]
    assert personal_data_anonymise_expired().counts["citizen issues"] == 0  # safe to run twice


def test_the_citys_retention_period_reaches_the_district_that_set_none(
    world: World, administrator: User, riverside: Any, roads: IssueCategory
) -> None:
    ours = _closed_problem(world.village, roads, 400, "13800000001")
    theirs = _closed_problem(riverside, roads, 400, "13800000002")
    congress_rules_save(congress=congress_of(world.city), values={RETENTION: 365}, by=administrator)
    # 海州区 keeps longer than the city: its own value wins below it.
    congress_rules_save(
        congress=congress_of(world.district), values={RETENTION: 730}, by=administrator
    )
    personal_data_anonymise_expired()
    assert _scrubbed(ours, theirs) == [False, True]


def test_a_period_given_to_the_command_applies_everywhere(
    world: World, administrator: User, riverside: Any, roads: IssueCategory
) -> None:
    ours = _closed_problem(world.village, roads, 400, "13800000001")
    theirs = _closed_problem(riverside, roads, 400, "13800000002")
    congress_rules_save(
        congress=congress_of(world.district), values={RETENTION: 1000}, by=administrator
    )
    personal_data_anonymise_expired(days=300)  # manage.py anonymise_expired --days 300
    assert _scrubbed(ours, theirs) == [True, True]


def test_the_public_form_tells_the_period_of_the_stations_congress(
    world: World, administrator: User, riverside: Any, client: Any
) -> None:
    ours = Station.objects.create(
        name="桃园社区代表联络站", kind=StationKind.STATION, region=world.village
    )
    theirs = Station.objects.create(
        name="江边社区代表联络站", kind=StationKind.STATION, region=riverside
    )
    congress_rules_save(
        congress=congress_of(world.district), values={RETENTION: 365}, by=administrator
    )
    text = {
        station.pk: client.get(f"/q/new/?station={station.public_token}").content.decode()
        for station in (ours, theirs)
    }
    assert "办结后365天" in text[ours.pk] and "办结后1095天" in text[theirs.pk]


# --- representatives' SMS mode -----------------------------------------------------------


def _with_login(name: str, region: Any, mobile: str, seat_in: Any) -> Representative:
    """A representative living in ``region`` with a seat in ``seat_in``'s congress and a
    login (as staff open one)."""
    person = RepresentativeFactory(name=name, region=region, mobile=mobile)
    seat(person, seat_in)
    person.user = UserFactory(username=f"u{mobile}", mobile=mobile)
    person.save(update_fields=["user"])
    return person


def test_a_district_sms_mode_applies_to_its_representatives_only(
    world: World, administrator: User, riverside: Any
) -> None:
    ours = _with_login("钱多", world.village, "13700000004", world.district)
    theirs = _with_login("孙伟", riverside, "13700000005", world.other_district)
    ids = {ours.user_id, theirs.user_id}
    assert representatives_default_modes(ids) == {}  # at once everywhere: nothing to say
    congress_rules_save(
        congress=congress_of(world.district), values={SMS_MODE: "off"}, by=administrator
    )
    assert representatives_default_modes(ids) == {(ours.user_id, Channel.SMS): "off"}
    congress_rules_save(
        congress=congress_of(world.city), values={SMS_MODE: "digest"}, by=administrator
    )
    assert representatives_default_modes(ids) == {
        (ours.user_id, Channel.SMS): "off",  # 海州区's own
        (theirs.user_id, Channel.SMS): "digest",  # the city's, inherited
    }


def test_an_off_rule_sends_no_sms_to_that_districts_representative(
    world: World,
    administrator: User,
    riverside: Any,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from congress.notifications import notify

    settings.SMS_BACKEND = "congress.sms.RecordingSmsBackend"
    RecordingSmsBackend.outbox.clear()
    ours = _with_login("钱多", world.village, "13700000004", world.district)
    theirs = _with_login("孙伟", riverside, "13700000005", world.other_district)
    congress_rules_save(
        congress=congress_of(world.district), values={SMS_MODE: "off"}, by=administrator
    )
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[ours.user, theirs.user], kind="test", title="会议通知")
    assert [sms.mobile for sms in RecordingSmsBackend.outbox] == ["13700000005"]
    assert ours.user is not None and ours.user.notifications.count() == 1  # the inbox has it


# --- sign-in loose ends ------------------------------------------------------------------


def test_old_sign_in_rows_are_purged_fresh_and_locked_ones_stay(db: None) -> None:
    now = timezone.now()
    hours = datetime.timedelta(hours=1)

    def row(name: str, expired_ago: datetime.timedelta, **extra: Any) -> SignInCode:
        return SignInCode.objects.create(
            number_digest=name,
            issued_at=now - expired_ago - 5 * datetime.timedelta(minutes=1),
            expires_at=now - expired_ago,
            **extra,
        )

    old = row("old", 30 * hours)
    used = row("used", 26 * hours, used_at=now - 26 * hours)
    fresh = row("fresh", 2 * hours)
    locked = row("locked", 30 * hours, locked_until=now + hours)
    assert signin.signin_codes_purge(now=now) == 2
    assert set(SignInCode.objects.values_list("pk", flat=True)) == {fresh.pk, locked.pk}
    assert tasks.purge_signin_codes() == 0  # the beat's task, run again: nothing left
    assert old.pk and used.pk


def test_the_purge_runs_from_beat(settings: Any) -> None:
    entries = [
        entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == "representatives.tasks.purge_signin_codes"
    ]
    assert len(entries) == 1 and entries[0]["schedule"] == 24 * 3600


class FailingGateway:
    """A gateway that refuses, quoting the request as some gateways do."""

    def send(self, *, mobile: str, text: str, reference: str) -> None:
        raise SmsError(f"400 Bad Request: phone={mobile}&text={text}")


def test_the_not_sent_log_line_has_no_number_and_no_code(
    world: World,
    settings: Any,
    caplog: pytest.LogCaptureFixture,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.SMS_BACKEND = f"{__name__}.FailingGateway"
    person = _with_login("钱多", world.village, "13700000004", world.district)
    assert person.user is not None
    with caplog.at_level(logging.WARNING), django_capture_on_commit_callbacks(execute=True):
        signin.signin_code_request(mobile="13700000004")
    lines = [record.getMessage() for record in caplog.records if "not sent" in record.getMessage()]
    assert len(lines) == 1 and "SmsError" in lines[0]
    assert "13700000004" not in lines[0] and "验证码" not in lines[0]


# --- the demo's logins -------------------------------------------------------------------


def test_the_demo_gives_every_representative_a_login_for_the_sms_sign_in(
    world: World, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.SMS_BACKEND = "congress.sms.RecordingSmsBackend"
    RecordingSmsBackend.outbox.clear()
    User.objects.create_superuser(username="admin", password=None)
    people = [
        RepresentativeFactory(region=world.village, mobile=f"1370000100{n}") for n in range(3)
    ]
    for person in people:
        seat(person, world.town)
    named = _with_login("刘建华", world.village, "13700000099", world.town)  # a named account: kept
    ctx = SimpleNamespace(extra={})
    build_logins(ctx)  # type: ignore[arg-type]
    assert ctx.extra["representative_logins"] == 3
    logins = {rep.pk: rep.user for rep in Representative.objects.select_related("user")}
    assert logins[named.pk] is not None and logins[named.pk].pk == named.user_id
    for person in people:
        user = logins[person.pk]
        assert user is not None and not is_password_usable(user.password)

    # Any of them signs in with the code the recording backend kept.
    with django_capture_on_commit_callbacks(execute=True):
        signin.signin_code_request(mobile="13700001001")
    (sms,) = RecordingSmsBackend.outbox
    found = re.search(r"验证码为(\d+)", sms.text)
    assert found is not None
    code = found.group(1)
    assert signin.signin_code_verify(mobile="13700001001", code=code) == logins[people[1].pk]


# --- what the periodic reads cost ----------------------------------------------------------


def test_the_duty_run_costs_the_same_statements_for_3_and_30_stations(
    world: World, administrator: User, riverside: Any
) -> None:
    """One read of the lead times, then one UPDATE per lead time in force (here 7 in
    海州区 and the default 3 elsewhere), whatever the number of stations."""
    congress_rules_save(congress=congress_of(world.district), values={DUTY: 7}, by=administrator)
    counts = []
    for size in (3, 30):
        for n in range(size):
            _station_with_shift(f"海州站{size}-{n}", world.village, 6)
            _station_with_shift(f"临江站{size}-{n}", riverside, 2)
        with CaptureQueriesContext(connection) as queries:
            assert reps.duty_shifts_publish_due() == 2 * size
        counts.append(len(queries))
    assert counts == [3, 3]


def test_the_sms_mode_costs_the_same_statements_for_3_and_30_representatives(
    world: World, administrator: User, riverside: Any
) -> None:
    congress_rules_save(
        congress=congress_of(world.district), values={SMS_MODE: "off"}, by=administrator
    )
    counts = []
    for size in (3, 30):
        people = [
            _with_login(f"代表{size}-{n}", world.village, f"1370{size:02d}{n:05d}", world.district)
            for n in range(size)
        ]
        ids = {person.user_id for person in people if person.user_id is not None}
        with CaptureQueriesContext(connection) as queries:
            assert len(representatives_default_modes(ids)) == size
        counts.append(len(queries))
    assert counts == [2, 2]  # the rule's values, the representatives' regions
