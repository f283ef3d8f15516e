# Point rules per congress and per year (issue #19, docs/rules.md "Point rules"): a
# congress's own value for a code (PointRule.congress), and the copy of a past year's
# rules taken before the first change of a later year (PointRuleYear).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("congress", "0023_rules19"),
        ("representatives", "0007_dash_reps"),
    ]

    operations = [
        migrations.CreateModel(
            name="PointRuleYear",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("year", models.PositiveSmallIntegerField(verbose_name="年度")),
                ("code", models.SlugField(max_length=40, verbose_name="代码")),
                ("label", models.CharField(max_length=60, verbose_name="名称")),
                ("points", models.IntegerField(verbose_name="分值")),
                ("is_active", models.BooleanField(default=True, verbose_name="启用")),
                ("description", models.CharField(blank=True, max_length=200, verbose_name="说明")),
                ("sort_order", models.PositiveSmallIntegerField(default=100, verbose_name="排序")),
            ],
            options={
                "verbose_name": "积分规则年度存档",
                "verbose_name_plural": "积分规则年度存档",
                "ordering": ["year", "sort_order", "code"],
            },
        ),
        migrations.AddField(
            model_name="historicalpointrule",
            name="congress",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="congress.congress",
                verbose_name="人大",
            ),
        ),
        migrations.AddField(
            model_name="pointrule",
            name="congress",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="point_rules",
                to="congress.congress",
                verbose_name="人大",
            ),
        ),
        migrations.AlterField(
            model_name="pointrule",
            name="code",
            field=models.SlugField(max_length=40, verbose_name="代码"),
        ),
        migrations.AddConstraint(
            model_name="pointrule",
            constraint=models.UniqueConstraint(
                condition=models.Q(("congress__isnull", True)),
                fields=("code",),
                name="point_rule_one_per_code",
            ),
        ),
        migrations.AddConstraint(
            model_name="pointrule",
            constraint=models.UniqueConstraint(
                condition=models.Q(("congress__isnull", False)),
                fields=("congress", "code"),
                name="point_rule_one_per_congress_code",
            ),
        ),
        migrations.AddField(
            model_name="pointruleyear",
            name="congress",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="congress.congress",
                verbose_name="人大",
            ),
        ),
        migrations.AddIndex(
            model_name="pointruleyear",
            index=models.Index(fields=["year"], name="point_rule_year"),
        ),
        migrations.AddConstraint(
            model_name="pointruleyear",
            constraint=models.UniqueConstraint(
                condition=models.Q(("congress__isnull", True)),
                fields=("year", "code"),
                name="point_rule_year_one_per_code",
            ),
        ),
        migrations.AddConstraint(
            model_name="pointruleyear",
            constraint=models.UniqueConstraint(
                condition=models.Q(("congress__isnull", False)),
                fields=("year", "congress", "code"),
                name="point_rule_year_one_per_congress_code",
            ),
        ),
    ]
