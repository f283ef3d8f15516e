# The closes per handler and month (suggestions/models/monthly.py, HandledMonthCount),
# counted once here from the problems as they are; the citizen services add to it
# from then on (suggestions/citizen/services/monthly.py).

import django.db.models.deletion
from django.db import migrations, models
from django.db.models.functions import TruncMonth


def count_closes(apps, schema_editor):
    CitizenIssue = apps.get_model("suggestions", "CitizenIssue")
    HandledMonthCount = apps.get_model("suggestions", "HandledMonthCount")
    rows = (
        CitizenIssue.objects.filter(status="closed", handler__isnull=False)
        .annotate(closed_month=TruncMonth("closed_at", output_field=models.DateField()))
        .values("handler_id", "closed_month")
        .annotate(n=models.Count("handler_id"))
        .order_by()
    )
    sql, params = rows.query.sql_with_params()
    table = HandledMonthCount._meta.db_table
    schema_editor.execute(
        f"INSERT INTO {table} (representative_id, month, closed) {sql}",  # noqa: S608
        params,
    )


class Migration(migrations.Migration):

    dependencies = [
        ('representatives', '0013_representative_serving'),
        ('suggestions', '0011_citizenissue_closed_handler'),
    ]

    operations = [
        migrations.CreateModel(
            name='HandledMonthCount',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField(verbose_name='月份')),
                ('closed', models.IntegerField(default=0, verbose_name='办结')),
                ('representative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='representatives.representative')),
            ],
            options={
                'verbose_name': '代表办结群众反映问题月度统计',
                'verbose_name_plural': '代表办结群众反映问题月度统计',
                'constraints': [models.UniqueConstraint(fields=('representative', 'month'), name='handledmonth_key')],
            },
        ),
        migrations.RunPython(count_closes, migrations.RunPython.noop, elidable=True),
    ]
