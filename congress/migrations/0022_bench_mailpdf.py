# The monthly report's PDF attached to its e-mail (issue 16, docs/dashboard.md,
# "Subscriptions and the monthly mail"): a notification's e-mail attachments, and the
# PDF of a region's month built once for all its subscribers.

import django.db.models.deletion
from django.db import migrations, models

import congress.models.reports


class Migration(migrations.Migration):
    dependencies = [
        ("congress", "0021_dash_map"),
    ]

    operations = [
        migrations.CreateModel(
            name="NotificationAttachment",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("file", models.FileField(max_length=200, upload_to="", verbose_name="文件")),
                ("filename", models.CharField(max_length=120, verbose_name="附件名")),
                ("content_type", models.CharField(max_length=100)),
                (
                    "notification",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="attachments",
                        to="congress.notification",
                    ),
                ),
            ],
            options={
                "verbose_name": "邮件附件",
                "verbose_name_plural": "邮件附件",
            },
        ),
        migrations.CreateModel(
            name="ReportFile",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("month", models.DateField(verbose_name="月份")),
                (
                    "file",
                    models.FileField(
                        max_length=200,
                        upload_to=congress.models.reports.report_file_path,
                        verbose_name="文件",
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "region",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="congress.region",
                    ),
                ),
            ],
            options={
                "verbose_name": "月度报告文件",
                "verbose_name_plural": "月度报告文件",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("region", "month"), name="report_file_once_a_month"
                    )
                ],
            },
        ),
    ]
