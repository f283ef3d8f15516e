# Rules per congress (congress/rules.py, docs/rules.md): a congress's own value of a rule.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("congress", "0017_working_committee"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="CongressRule",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("key", models.CharField(max_length=64, verbose_name="规则")),
                ("value", models.JSONField(verbose_name="取值")),
                ("set_at", models.DateTimeField(verbose_name="设置时间")),
                (
                    "congress",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="rule_values",
                        to="congress.congress",
                        verbose_name="人大",
                    ),
                ),
                (
                    "set_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="设置人",
                    ),
                ),
            ],
            options={
                "verbose_name": "人大规则",
                "verbose_name_plural": "人大规则",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("congress", "key"), name="congress_rule_unique_key"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="CongressRuleChange",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("key", models.CharField(max_length=64, verbose_name="规则")),
                ("before", models.JSONField(blank=True, null=True, verbose_name="原值")),
                ("after", models.JSONField(blank=True, null=True, verbose_name="新值")),
                ("at", models.DateTimeField(verbose_name="设置时间")),
                (
                    "by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="设置人",
                    ),
                ),
                (
                    "congress",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="congress.congress",
                        verbose_name="人大",
                    ),
                ),
            ],
            options={
                "verbose_name": "人大规则变更",
                "verbose_name_plural": "人大规则变更",
                "indexes": [
                    models.Index(
                        fields=["congress", "-at", "-id"], name="congress_rule_change_recent"
                    )
                ],
            },
        ),
    ]
