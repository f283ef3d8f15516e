# Rules per congress (issue 19, docs/rules.md): an index on the rule's key, for the reads
# of one rule across every congress (the duty run, retention, representatives' SMS mode).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("congress", "0022_bench_mailpdf"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="congressrule",
            index=models.Index(fields=["key"], name="congress_rule_key"),
        ),
    ]
