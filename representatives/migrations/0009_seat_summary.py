# The dashboard's seats summary (docs/dashboard.md, "代表工作"): active seats by level
# and serving representatives per area, counted once here from the seats as they are;
# the services keep it in step from then on (representatives/seat_counts.py).

import django.db.models.deletion
from django.db import migrations, models


def count_seats(apps, schema_editor):
    """The rows of ``seat_counts_rebuild``, with the historical models."""
    Mandate = apps.get_model("representatives", "Mandate")
    Region = apps.get_model("congress", "Region")
    SeatCount = apps.get_model("representatives", "SeatCount")
    levels = ("national", "province", "city", "county", "township")
    rows = (
        Mandate.objects.filter(status="active")
        .values("representative__region_id")
        .annotate(
            **{level: models.Count("pk", filter=models.Q(level=level)) for level in levels},
            people=models.Count("representative_id", distinct=True),
        )
        .order_by()
    )
    by_region = {row["representative__region_id"]: row for row in rows}
    areas: dict[int, dict[str, int]] = {}
    for region in Region.objects.filter(pk__in=list(by_region)).only("pk", "path", "depth"):
        ancestry = [int(part, 16) for part in region.path.strip("/").split("/") if part]
        area = areas.setdefault(
            ancestry[min(region.depth, 3)], dict.fromkeys((*levels, "people"), 0)
        )
        for name in area:
            area[name] += by_region[region.pk][name]
    SeatCount.objects.bulk_create(
        [SeatCount(area_id=pk, **figures) for pk, figures in areas.items()], batch_size=2000
    )


class Migration(migrations.Migration):
    dependencies = [
        ("congress", "0023_rules19"),
        ("representatives", "0008_point_rules"),
    ]

    operations = [
        migrations.CreateModel(
            name="SeatCount",
            fields=[
                (
                    "area",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="congress.region",
                    ),
                ),
                ("national", models.IntegerField(default=0, verbose_name="全国人大代表资格")),
                ("province", models.IntegerField(default=0, verbose_name="省级人大代表资格")),
                ("city", models.IntegerField(default=0, verbose_name="设区的市级人大代表资格")),
                ("county", models.IntegerField(default=0, verbose_name="县级人大代表资格")),
                ("township", models.IntegerField(default=0, verbose_name="乡镇级人大代表资格")),
                ("people", models.IntegerField(default=0, verbose_name="在任代表人数")),
            ],
            options={
                "verbose_name": "在任代表资格统计",
                "verbose_name_plural": "在任代表资格统计",
            },
        ),
        migrations.RunPython(count_seats, migrations.RunPython.noop),
    ]
