"""The dashboard's panel of representatives' suggestions (docs/dashboard.md, "代表建议").

Suggestions are counted by session, not by calendar month: the panel shows the latest
plenary session of the region's own congress that has opened (本次会议), with the same
figures as the session report (``suggestions.formal.reports``), which the 主任会议
reads: received, registered, handed over, answered and on time, A/B/C/D shares, every
rating given (不满意 included), 重点督办 and 跨年度跟踪. One session holds hundreds of
suggestions, not the table's millions: its aggregate is one query on the session's index.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from congress.dashboard import Chart, Figure, PanelData, Scope, rate
from congress.models import Session, SessionKind
from congress.summary import bounded_count
from suggestions.formal.reports import CATEGORIES, Row, _counts, session_rows
from suggestions.formal.selectors import visible_suggestions
from suggestions.models.formal import SuggestionStatus


def current_session(scope: Scope) -> Session | None:
    """The latest plenary session of the region's own congress that has opened."""
    return (
        Session.objects.filter(
            term__congress__region=scope.region,
            kind=SessionKind.PLENARY,
            opens_on__lte=scope.today,
        )
        .select_related("term__congress")
        .order_by("-opens_on", "-pk")
        .first()
    )


def _list_url(**params: object) -> str:
    return reverse("formal_suggestion_list") + "?" + urlencode(params)


def suggestions_panel(scope: Scope) -> PanelData | None:
    session = current_session(scope)
    if session is None:
        return None
    total = Row.from_values(_("合计"), session_rows(session).aggregate(**_counts()))
    in_scope = visible_suggestions(scope.user).filter(session=session)
    key = in_scope.filter(is_key=True).count()
    carried = bounded_count(
        visible_suggestions(scope.user).filter(
            Q(congress=session.term.congress), status=SuggestionStatus.CARRIED_OVER
        )
    )
    figures = [
        Figure(
            "received",
            _("收到"),
            total.received,
            _("本次会议期间及闭会期间代表提出、已提交的建议件数（不含草稿）。"),
            _list_url(session=session.pk),
        ),
        Figure("registered", _("立案"), total.registered, _("经审查立案的件数。")),
        Figure("assigned", _("交办"), total.assigned, _("已交办承办单位的件数。")),
        Figure("replied", _("已答复"), total.replied, _("承办单位已作出答复的件数。")),
        Figure(
            "on_time",
            _("按时答复率"),
            rate(total.on_time, total.replied),
            _("在法定期限（交办之日起三个月）内答复的件数占已答复件数的比例。"),
            unit="%",
        ),
        Figure(
            "a_share",
            _("A类占比"),
            rate(total.categories.get("A", 0), total.categorised),
            _("答复为A类（所提问题已经解决或基本解决）的件数占已分类答复件数的比例。"),
            unit="%",
        ),
        Figure(
            "satisfaction",
            _("满意率"),
            rate(total.satisfied + total.basically, total.rated),
            _(
                "代表对办理结果的每一次测评（次）中满意和基本满意的比例；因不满意退回"
                "重新办理后的再次测评同样计入。"
            ),
            unit="%",
        ),
        Figure(
            "unsatisfied",
            _("不满意"),
            total.unsatisfied,
            _("代表测评为不满意的次数（每次不满意都会退回重新办理）。"),
        ),
        Figure(
            "key",
            _("重点督办"),
            key,
            _("本次会议确定由领导领衔督办的重点建议件数。"),
            _list_url(session=session.pk, is_key="true"),
        ),
        Figure(
            "carried",
            _("跨年度跟踪"),
            carried.value,
            _("本级人大历次会议中答复为B类、C类，仍在跟踪办理的建议件数（计至1000件）。"),
            _list_url(status=SuggestionStatus.CARRIED_OVER),
            more=carried.more,
        ),
    ]
    shares = Chart(
        "reply_categories",
        _("答复类别"),
        "bar",
        rows=list(CATEGORIES),
        series=[(_("件数"), [total.categories.get(c, 0) for c in CATEGORIES])],
        definition=_(
            "A类：所提问题已经解决或基本解决；B类：列入计划逐步解决；C类：因条件限制"
            "需以后解决；D类：留作参考。"
        ),
    )
    return PanelData(
        "suggestions",
        _("代表建议（%(session)s）") % {"session": session},
        figures=figures,
        charts=[shares],
        note=_("按会议统计，与建议办理情况报告的口径一致。"),
    )
