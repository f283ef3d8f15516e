# 在任 kept on the representative's row (representatives/seat_counts.py): set once
# here from the seats as they are; the seats summary's recount keeps it from then on.

from django.db import migrations, models


def mark_serving(apps, schema_editor):
    Mandate = apps.get_model("representatives", "Mandate")
    Representative = apps.get_model("representatives", "Representative")
    seat = models.Exists(
        Mandate.objects.filter(representative=models.OuterRef("pk"), status="active")
    )
    Representative.objects.filter(seat).update(serving=True)


class Migration(migrations.Migration):
    dependencies = [
        ("representatives", "0012_representative_area_columns"),
    ]

    operations = [
        migrations.AddField(
            model_name="representative",
            name="serving",
            field=models.BooleanField(default=False, editable=False, verbose_name="在任"),
        ),
        migrations.RunPython(mark_serving, migrations.RunPython.noop, elidable=True),
    ]
