"""The vote moves onto the core's secret ballot (congress/ballots): each opened vote
gets a ballot box with its electors; a closed vote's ballots become the box's published
list (in random order), an open vote's are sealed with a new key pair (its key file
written to BALLOT_KEY_DIR), a cancelled vote's box is discarded. Then the app's own
ballot tables go."""

import secrets
import uuid

import django.db.models.deletion
from django.db import migrations, models

KIND = {"up_to_n": "up_to_n", "exactly_n": "exactly_n", "per_candidate": "per_option"}


def onto_the_box(apps, schema_editor):
    from congress.ballots import rules, sealing
    from congress.ballots.services import count_ballots

    Vote = apps.get_model("livelihood_votes", "LivelihoodVote")
    Participation = apps.get_model("livelihood_votes", "Participation")
    Ballot = apps.get_model("livelihood_votes", "Ballot")
    BallotMark = apps.get_model("livelihood_votes", "BallotMark")
    Entry = apps.get_model("livelihood_votes", "PaperBallotEntry")
    Mandate = apps.get_model("representatives", "Mandate")
    Box = apps.get_model("congress", "BallotBox")
    Elector = apps.get_model("congress", "Elector")
    Sealed = apps.get_model("congress", "SealedBallot")
    Published = apps.get_model("congress", "PublishedBallot")
    Reading = apps.get_model("congress", "PaperReading")

    for vote in Vote.objects.exclude(status="draft").select_related("congress"):
        options = list(vote.candidates.order_by("order", "pk").values_list("pk", flat=True))
        kind = KIND[vote.ballot_form]
        status = {"open": "open", "closed": "closed"}.get(vote.status, "discarded")
        box = Box(
            id=uuid.uuid4(),
            region_id=vote.congress.region_id,
            kind=kind,
            seats=vote.seats,
            options=options,
            status=status,
            public_key=bytes(32),
            closed_at=vote.closed_at,
        )
        key = None
        if status == "open":
            box.public_key = sealing.new_key_pair(box.id)
            key = sealing.private_key(box.id)
        channels = dict(
            Participation.objects.filter(vote=vote).values_list("representative_id", "channel")
        )
        voters = set(channels)
        if status == "open":  # the rest of the electorate, as it stands now
            voters |= set(
                Mandate.objects.filter(status="active", term__congress=vote.congress_id)
                .values_list("representative_id", flat=True)
            )
        box.electorate = vote.electorate or len(voters)
        box.save(force_insert=True)
        if vote.opened_at:
            Box.objects.filter(pk=box.pk).update(opened_at=vote.opened_at)
        Elector.objects.bulk_create(
            [Elector(box=box, voter=v, channel=channels.get(v)) for v in sorted(voters)]
        )
        marks_of = {}
        for ballot_id, candidate_id, choice in BallotMark.objects.filter(
            ballot__vote=vote
        ).values_list("ballot_id", "candidate_id", "choice"):
            marks_of.setdefault(ballot_id, {})[str(candidate_id)] = choice
        ballots = list(Ballot.objects.filter(vote=vote))
        if status == "open":
            size = rules.padded_size(kind, options)
            Sealed.objects.bulk_create(
                Sealed(
                    box=box,
                    sealed=sealing.seal(
                        box.public_key, {"r": b.receipt, "m": marks_of.get(b.pk, {})}, size
                    ),
                    source=b.source,
                    sheet=b.sheet,
                )
                for b in ballots
            )
        elif status == "closed":
            published = [
                Published(
                    box=box,
                    receipt=b.receipt,
                    source=b.source,
                    sheet=b.sheet,
                    marks=marks_of.get(b.pk, {}),
                    void=b.void,
                    void_reason=b.void_reason,
                )
                for b in ballots
            ]
            secrets.SystemRandom().shuffle(published)
            Published.objects.bulk_create(published)
            Box.objects.filter(pk=box.pk).update(
                counts=count_ballots(kind, options, published)
            )
        Reading.objects.bulk_create(
            Reading(
                box=box,
                sheet=e.sheet,
                entered_by_id=e.entered_by_id,
                digest=sealing.paper_digest(key, e.sheet, e.marks) if key else "",
            )
            for e in Entry.objects.filter(vote=vote)
        )
        Vote.objects.filter(pk=vote.pk).update(box=box)


class Migration(migrations.Migration):
    dependencies = [
        ("congress", "0011_secret_ballot_box"),
        ("livelihood_votes", "0003_one_runoff_per_tie"),
        ("representatives", "0004_history"),
    ]

    operations = [
        migrations.AddField(
            model_name="livelihoodvote",
            name="box",
            field=models.OneToOneField(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="livelihood_vote",
                to="congress.ballotbox",
                verbose_name="票箱",
            ),
        ),
        migrations.RunPython(onto_the_box, migrations.RunPython.noop),
        migrations.DeleteModel(name="BallotMark"),
        migrations.DeleteModel(name="Ballot"),
        migrations.DeleteModel(name="PaperBallotEntry"),
        migrations.DeleteModel(name="Participation"),
    ]
