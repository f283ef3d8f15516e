"""Registers the seats summary's builder for the demo and ``generate_city``: their
seats are written in bulk, so the summary is counted from them at the end
(representatives/seat_counts.py); and a moved region's representatives (with their
contacts and shifts) and stations follow it (their area columns). Imported from
``RepresentativesConfig.ready``."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_save

from congress.areas import rows_follow_region
from congress.models import Region
from congress.registry import DemoBuilder, register_demo_builder
from congress.synthetic import SyntheticBuilder, register_synthetic_builder


def _seat_counts(ctx: Any) -> None:
    """Last, after every builder that writes seats (the representatives', the formal
    suggestions' and the votes' demos add some)."""
    from representatives.seat_counts import seat_counts_rebuild

    seat_counts_rebuild()


register_demo_builder(DemoBuilder("seats summary", _seat_counts, order=950))
register_synthetic_builder(SyntheticBuilder("seats summary", _seat_counts, order=950))


def _follow_region(sender: type[Region], instance: Region, created: bool, **kwargs: Any) -> None:
    if not created and not kwargs.get("raw"):
        # After the commit: Region.save rewrites its descendants' paths after this
        # signal, and the rows follow the paths as they end up.
        from representatives.models import Representative, Station
        from representatives.record_areas import records_follow_representatives

        def follow() -> None:
            with transaction.atomic():
                if rows_follow_region(Representative.objects.all(), instance):
                    # Their contacts and shifts keep their area too.
                    records_follow_representatives(
                        Representative.objects.filter(region__path__startswith=instance.path)
                    )
                rows_follow_region(Station.objects.all(), instance)

        transaction.on_commit(follow)


# A region moved in the tree: its representatives' (and their records') and stations'
# area columns follow.
post_save.connect(_follow_region, sender=Region, dispatch_uid="representatives_follow_region")
