"""DRF's own API tokens (rest_framework.authtoken) were stored in clear text and
never expired. API tokens are django-rest-knox's now, stored as digests with an
expiry (docs/security.md). The old app is gone from the settings; this drops its
table, so every old token stops working and no later backup carries one. Their
owners issue new ones on the "API 令牌" page. Nothing to do on a new installation.
"""

from django.db import migrations


def forget_authtoken(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="authtoken").delete()  # and its permissions


class Migration(migrations.Migration):
    dependencies = [
        ("congress", "0008_history"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunSQL("DROP TABLE IF EXISTS authtoken_token", migrations.RunSQL.noop),
        migrations.RunSQL(
            "DELETE FROM django_migrations WHERE app = 'authtoken'", migrations.RunSQL.noop
        ),
        migrations.RunPython(forget_authtoken, migrations.RunPython.noop),
    ]
