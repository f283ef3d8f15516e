"""Opening a score box (部门评议: representatives' online evaluation of departments).

``services.box_open`` takes no form definition, so the score box is opened here: the
box and its form in one transaction, so no ballot can be cast into a box whose weights
are not yet known. (Once ``box_open`` takes a ``form``, this folds into it.)
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from congress.ballots import services
from congress.ballots.rules import ScoreForm
from congress.models import Region, User
from congress.models.ballots import BallotBox, BallotKind


def score_box_open(
    *, region: Region, form: ScoreForm, voters: Iterable[int], by: User | None
) -> BallotBox:
    with transaction.atomic():
        box = services.box_open(
            region=region,
            kind=BallotKind.SCORE,
            options=form.options(),
            voters=voters,
            seats=form.seats(),
            by=by,
        )
        box.form = form.definition()
        box.save(update_fields=["form"])
    return box
