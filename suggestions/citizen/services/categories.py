"""The default taxonomy of citizens' problems."""

from __future__ import annotations

from suggestions.models.citizen import IssueCategory

DEFAULT_CATEGORIES = [
    ("roads", "道路交通"),
    ("environment", "生态环境"),
    ("utilities", "水电气暖"),
    ("housing", "住房与物业管理"),
    ("education", "教育"),
    ("health", "医疗卫生"),
    ("social_security", "社会保障"),
    ("employment", "就业创业"),
    ("public_safety", "公共安全"),
    ("business", "企业与营商环境"),
    ("rural", "农业农村"),
    ("other", "其他"),
]


def categories_ensure_defaults() -> int:
    """Create the default categories that are missing (after every migrate; an
    administrator's renames and deactivations are kept)."""
    existing = set(IssueCategory.objects.values_list("code", flat=True))
    missing = [
        IssueCategory(code=code, name=name, sort_order=index * 10)
        for index, (code, name) in enumerate(DEFAULT_CATEGORIES, start=1)
        if code not in existing
    ]
    IssueCategory.objects.bulk_create(missing, ignore_conflicts=True)
    return len(missing)
