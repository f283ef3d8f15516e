"""Access rules of the representative's phone pages without signal (representatives/offline.py).

The worker script is the same for everyone and public (it holds no personal data); who
is signed in is told only to the signed-in; a queued log is taken only from a
representative, for themselves; the logs flagged 待核实 are listed and confirmed by staff
of the representative's region; a log's photo is seen by whoever sees the log.
刘红 (representative) sits for 海州区; 吴明 (other representative) for 临江区.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from congress.uploads import clean_image
from representatives import services
from representatives.models import ContactKind, ContactLog, MandateStatus, Representative
from tests.security.access_rules import (
    DISTRICT,
    NOT_ALLOWED,
    OK,
    OTHER_DISTRICT,
    REDIRECT,
    STAFF,
    Builder,
    Case,
    Rule,
    everyone,
    only,
    outcomes,
    page,
    scoped,
    signed_in,
)
from tests.security.access_rules_representatives import REP_IN, REP_OUT, rep_in, rep_out
from tests.security.conftest import Cast

CREATED = 201
REPS = ("representative", "other_representative")


def _png() -> SimpleUploadedFile:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(buffer, format="PNG")
    return SimpleUploadedFile("photo.png", buffer.getvalue(), content_type="image/png")


def _record(rep: Representative, **extra: Any) -> ContactLog:
    log, _created = services.contact_log_record(
        representative=rep,
        kind=ContactKind.VISIT,
        contacted_on=timezone.localdate(),
        summary="走访群众，了解路灯问题",
        by=rep.user,
        **extra,
    )
    return log


def _photo(build: Any) -> Builder:
    def args(cast: Cast) -> dict[str, Any]:
        key = f"photo_{build.__name__}"
        if key not in cast.objects:
            rep = build(cast)
            log = _record(rep, photos=[clean_image(_png())])
            cast.objects[key] = log
        log = cast.objects[key]
        rep_in(cast), rep_out(cast)
        attachment = _photos_of(log)[0]
        return {"pk": log.pk, "token": attachment.token}

    return args


def _photos_of(log: ContactLog) -> list[Any]:
    from representatives.offline import contact_log_photos

    return contact_log_photos(log)


def _flagged(build: Any) -> Builder:
    """A log that arrived after its representative's seats ended: flagged 待核实."""

    def args(cast: Cast) -> dict[str, Any]:
        rep = build(cast)
        rep_in(cast), rep_out(cast)
        live = list(rep.mandates.filter(status=MandateStatus.ACTIVE))
        rep.mandates.filter(status=MandateStatus.ACTIVE).update(status=MandateStatus.ENDED)
        log = _record(rep, idempotency_key=uuid.uuid4())
        for mandate in live:  # the cast's other rules expect the seat back
            type(mandate).objects.filter(pk=mandate.pk).update(status=MandateStatus.ACTIVE)
        return {"pk": log.pk, "name": "verify"}

    return args


def _log_data(cast: Cast) -> dict[str, Any]:
    rep_in(cast), rep_out(cast)
    return {
        "idempotency_key": str(uuid.uuid4()),
        "kind": ContactKind.VISIT,
        "contacted_on": timezone.localdate().isoformat(),
        "people_count": "3",
        "summary": "离线记录的走访",
    }


def _reps(cast: Cast) -> dict[str, Any]:
    rep_in(cast), rep_out(cast)
    return {}


RULES: dict[str, Rule] = {
    # The worker script: public, the same for everyone, no personal data.
    "service_worker": page(everyone(OK)),
    "offline_session": Rule(
        (
            Case("get", signed_in(), _reps),
            Case("post", signed_in(NOT_ALLOWED), _reps, "POST"),
        )
    ),
    # A queued log: a representative's own (201 each, a fresh key for each persona).
    "offline_contact_log": Rule(
        (
            Case("get", signed_in(NOT_ALLOWED), _reps),
            Case(
                "post",
                only(REPS, ok=CREATED),
                _reps,
                "POST",
                data=_log_data,
                fresh=True,
                unchanged=lambda cast, args: ContactLog.objects.count(),
            ),
        )
    ),
    "contact_log_unverified": page(only(STAFF), args=_reps),
    "contact_log_act": Rule(
        (
            Case(
                "in 海州区",
                only(DISTRICT, ok=REDIRECT),
                _flagged(rep_in),
                "POST",
                fresh=True,
            ),
            Case(
                "in 临江区",
                only(OTHER_DISTRICT, ok=REDIRECT),
                _flagged(rep_out),
                "POST",
                fresh=True,
            ),
            Case("get", outcomes(NOT_ALLOWED, anonymous="login"), _flagged(rep_in)),
        )
    ),
    "contact_log_photo": scoped(
        _photo(rep_in), _photo(rep_out), allowed_in=REP_IN, allowed_out=REP_OUT
    ),
}

__all__ = ["RULES"]
