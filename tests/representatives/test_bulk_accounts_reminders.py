"""Reminders reach representatives who never signed in: a login opened in bulk is
enough for their notifications to go by SMS (congress/notifications.py with the
representatives' rule, representatives/signin_setup.py).

钱多 (13700000004) sits for 海州区; 陈静 gave him a login in bulk and he has never
used it. A citizen in 桃园社区 addresses a problem to him.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from congress.models import (
    Channel,
    Delivery,
    DeliveryMode,
    DeliveryStatus,
    NotificationPreference,
    User,
)
from congress.notifications import digest_send, notify
from congress.sms import RecordingSmsBackend
from representatives.accounts import accounts_create
from representatives.models import Representative
from suggestions.citizen import services as citizen_services
from suggestions.models.citizen import IssueCategory
from tests.conftest import World
from tests.representatives.factories import RepresentativeFactory, seat

MOBILE = "13700000004"


@pytest.fixture(autouse=True)
def _recording_sms(settings: Any) -> None:
    settings.SMS_BACKEND = "congress.sms.RecordingSmsBackend"
    RecordingSmsBackend.outbox.clear()


@pytest.fixture
def qian(world: World, district_staff: User) -> Representative:
    person = RepresentativeFactory(name="钱多", region=world.village, mobile=MOBILE)
    seat(person, world.district)
    accounts_create(representatives=Representative.objects.filter(pk=person.pk), by=district_staff)
    person.refresh_from_db()
    assert person.user is not None and person.user.last_login is None
    return person


def _addressed_to(rep: Representative, world: World, capture: Any) -> None:
    citizen_services.categories_ensure_defaults()
    submission = citizen_services.Submission(
        category=IssueCategory.objects.first(),  # type: ignore[arg-type]
        description="幸福路路灯不亮，晚上很黑",
        region=world.village,
        representative=rep,
        consent=True,
    )
    with capture(execute=True):  # routed and delivered after commit, as in production
        citizen_services.citizen_issue_submit(submission=submission, idempotency_key=uuid.uuid4())


def test_a_problem_addressed_to_him_reaches_his_phone_though_he_never_signed_in(
    world: World, qian: Representative, django_capture_on_commit_callbacks: Any
) -> None:
    _addressed_to(qian, world, django_capture_on_commit_callbacks)

    texts = [sms.text for sms in RecordingSmsBackend.outbox if sms.mobile == MOBILE]
    assert len(texts) == 1
    assert texts[0].startswith("群众向您反映问题：幸福路路灯不亮")
    assert (
        Delivery.objects.get(notification__recipient=qian.user, channel=Channel.SMS).status
        == DeliveryStatus.SENT
    )


def test_by_a_digest_rule_his_messages_wait_for_one_sms_a_day(
    world: World, settings: Any, qian: Representative, django_capture_on_commit_callbacks: Any
) -> None:
    settings.REPRESENTATIVES_SMS_MODE = "digest"
    _addressed_to(qian, world, django_capture_on_commit_callbacks)
    assert qian.user is not None
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[qian.user], kind="duty", title="明天您在新浦联络站值班")
    assert RecordingSmsBackend.outbox == []

    today = timezone.localdate()
    assert digest_send(user_id=qian.user.pk, channel=Channel.SMS, today=today) == 2
    assert digest_send(user_id=qian.user.pk, channel=Channel.SMS, today=today) == 0

    assert len(RecordingSmsBackend.outbox) == 1
    digest = RecordingSmsBackend.outbox[0]
    assert digest.mobile == MOBILE
    assert "每日汇总：2条消息" in digest.text and "明天您在新浦联络站值班" in digest.text
    assert not NotificationPreference.objects.filter(user=qian.user).exists()  # the rule, not his


def test_by_an_off_rule_no_sms_goes_but_the_inbox_has_it(
    world: World, settings: Any, qian: Representative, django_capture_on_commit_callbacks: Any
) -> None:
    settings.REPRESENTATIVES_SMS_MODE = "off"
    _addressed_to(qian, world, django_capture_on_commit_callbacks)

    assert RecordingSmsBackend.outbox == []
    assert qian.user is not None
    assert qian.user.notifications.count() == 1


def test_his_own_choice_wins_over_the_rule(
    world: World, settings: Any, qian: Representative, django_capture_on_commit_callbacks: Any
) -> None:
    settings.REPRESENTATIVES_SMS_MODE = "off"
    NotificationPreference.objects.create(
        user=qian.user, channel=Channel.SMS, mode=DeliveryMode.IMMEDIATE
    )
    _addressed_to(qian, world, django_capture_on_commit_callbacks)

    assert [sms.mobile for sms in RecordingSmsBackend.outbox] == [MOBILE]


def test_the_rule_is_for_representatives_only(
    world: World, settings: Any, district_staff: User, django_capture_on_commit_callbacks: Any
) -> None:
    settings.REPRESENTATIVES_SMS_MODE = "off"
    User.objects.filter(pk=district_staff.pk).update(mobile="13800000001")
    district_staff.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[district_staff], kind="test", title="请受理")

    assert [sms.mobile for sms in RecordingSmsBackend.outbox] == ["13800000001"]


def test_the_rule_costs_one_query_for_a_batch_of_recipients(
    world: World,
    settings: Any,
    district_staff: User,
) -> None:
    """Nothing when the rule is the default (at once); one query otherwise, whatever
    the number of recipients."""
    people = []
    for n in range(5):
        person = RepresentativeFactory(region=world.village, mobile=f"1370000100{n}")
        seat(person, world.district)
        people.append(person)
    accounts_create(
        representatives=Representative.objects.filter(pk__in=[p.pk for p in people]),
        by=district_staff,
    )
    users = list(User.objects.filter(representative__in=people))
    counts = {}
    for mode in ("immediate", "digest"):
        settings.REPRESENTATIVES_SMS_MODE = mode
        with CaptureQueriesContext(connection) as queries:
            notify(recipients=users, kind="test", title="会议通知")
        counts[mode] = len(queries)
    assert counts["digest"] == counts["immediate"] + 1
