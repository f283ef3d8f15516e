"""The point rules from practice (docs/architecture.md, 'Stations and points');
administrators change them in the admin."""

from django.db import migrations

RULES = [
    ("contact_log", "联系选民", 1, "每条联系选民记录"),
    ("duty_served", "进站接待选民", 5, "每次已值班"),
    ("duty_absent", "值班缺勤", -1, "每次无故缺勤"),
    ("activity_inspection", "参加视察", 3, "每次出席"),
    ("activity_research", "参加调研", 3, "每次出席"),
    ("activity_law_enforcement", "参加执法检查", 3, "每次出席"),
    ("activity_attend_meeting", "列席常委会会议", 2, "每次出席"),
    ("activity_training", "参加履职培训", 2, "每次出席"),
    ("activity_theme", "参加主题活动", 2, "每次出席"),
    ("activity_absent_half_day", "无故缺席活动", -1, "每缺席半天"),
    ("suggestion", "提出代表建议", 3, "每件（领衔或附议），由建议模块统计"),
    ("motion", "领衔提出议案", 5, "每件，由建议模块统计"),
    ("citizen_issue_handled", "办理群众反映问题", 1, "每件办结，由建议模块统计"),
]


def load(apps, schema_editor):
    PointRule = apps.get_model("representatives", "PointRule")
    for order, (code, label, points, description) in enumerate(RULES, start=1):
        PointRule.objects.get_or_create(
            code=code,
            defaults={"label": label, "points": points, "description": description,
                      "sort_order": order * 10},
        )


class Migration(migrations.Migration):
    dependencies = [("representatives", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
