# The rules in force when a case started, recorded on it (congress/rules.py, docs/rules.md).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("suggestions", "0005_issue_department"),
    ]

    operations = [
        migrations.AddField(
            model_name="citizenissue",
            name="rules_in_force",
            field=models.JSONField(
                blank=True, default=dict, editable=False, verbose_name="立案时的规则"
            ),
        ),
        migrations.AddField(
            model_name="appointment",
            name="rules_in_force",
            field=models.JSONField(
                blank=True, default=dict, editable=False, verbose_name="立案时的规则"
            ),
        ),
        migrations.AddField(
            model_name="suggestion",
            name="rules_in_force",
            field=models.JSONField(
                blank=True, default=dict, editable=False, verbose_name="立案时的规则"
            ),
        ),
    ]
