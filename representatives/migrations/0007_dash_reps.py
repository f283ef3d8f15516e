# Contact logs by date (docs/dashboard.md, "代表工作": the period's contacts and the
# activity ranking's tally read the period's entries, not the whole table).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("representatives", "0006_representative_mobile"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="contactlog",
            index=models.Index(
                fields=["contacted_on", "representative"], name="contact_log_date_rep"
            ),
        ),
    ]
