# The index of problems closed by a representative, by closing time (docs/dashboard.md,
# "代表工作": the activity ranking's tally of 办理群众反映问题).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("suggestions", "0007_dash_station"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="citizenissue",
            index=models.Index(
                condition=models.Q(("handler__isnull", False), ("status", "closed")),
                fields=["closed_at", "handler"],
                name="citizenissue_handled",
            ),
        ),
    ]
