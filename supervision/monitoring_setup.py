"""Registration of monitoring points and their questionnaires with the core (imported by SupervisionConfig.ready)."""

from __future__ import annotations

from typing import Any

from congress.api.enums import register_api_enums
from congress.registry import DemoBuilder, register_demo_builder


def _build_demo(ctx: Any) -> None:
    from supervision import monitoring_demo

    monitoring_demo.build(ctx)


register_api_enums(
    {
        "SupervisionMonitoringPointKindEnum": "supervision.models.monitoring.PointKind",
        "SupervisionSurveyQuestionKindEnum": "supervision.models.monitoring.SurveyQuestionKind",
    }
)
# After the supervision topics (order 60), whose campaign the points belong to.
register_demo_builder(DemoBuilder("supervision monitoring points", _build_demo, order=62))
