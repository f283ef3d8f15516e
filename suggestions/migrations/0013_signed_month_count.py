# The suggestions taken up that each representative signed, per month submitted and
# 履职积分 rule (suggestions/models/formal.py, SignedMonthCount), counted once here from
# the signers as they are; the formal services add to it from then on
# (suggestions/formal/points.py, count_taken_up).

import django.db.models.deletion
from django.db import migrations, models
from django.db.models.functions import TruncMonth

# suggestions.formal.selectors.TAKEN_UP as it was when this migration was written.
TAKEN_UP = ["registered", "handling", "replied", "rehandling", "rated", "carried_over", "closed"]


def count_signed(apps, schema_editor):
    SuggestionSigner = apps.get_model("suggestions", "SuggestionSigner")
    SignedMonthCount = apps.get_model("suggestions", "SignedMonthCount")
    motion_led = models.Q(suggestion__kind="motion", role="lead")
    rows = (
        SuggestionSigner.objects.filter(
            status="confirmed",
            suggestion__status__in=TAKEN_UP,
            suggestion__submitted_at__isnull=False,
        )
        .annotate(
            signed_month=TruncMonth("suggestion__submitted_at", output_field=models.DateField()),
            signed_rule=models.Case(
                models.When(motion_led, then=models.Value("motion")),
                default=models.Value("suggestion"),
                output_field=models.CharField(),
            ),
        )
        .values("representative_id", "signed_month", "signed_rule")
        .annotate(n=models.Count("pk"))
        .order_by()
    )
    sql, params = rows.query.sql_with_params()
    table = SignedMonthCount._meta.db_table
    schema_editor.execute(
        f"INSERT INTO {table} (representative_id, month, rule, count) {sql}",  # noqa: S608
        params,
    )


class Migration(migrations.Migration):

    dependencies = [
        ('representatives', '0013_representative_serving'),
        ('suggestions', '0012_handled_month_count'),
    ]

    operations = [
        migrations.CreateModel(
            name='SignedMonthCount',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField(verbose_name='月份')),
                ('rule', models.CharField(max_length=20, verbose_name='积分项目')),
                ('count', models.IntegerField(default=0, verbose_name='件数')),
                ('representative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='representatives.representative')),
            ],
            options={
                'verbose_name': '代表联名建议月度统计',
                'verbose_name_plural': '代表联名建议月度统计',
                'constraints': [models.UniqueConstraint(fields=('representative', 'month', 'rule'), name='signedmonth_key')],
                'indexes': [models.Index(fields=['month', 'representative'], name='signedmonth_month')],
            },
        ),
        migrations.RunPython(count_signed, migrations.RunPython.noop, elidable=True),
    ]
