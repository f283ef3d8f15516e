"""A topic's dossier (监督议题卷宗, issue 17; docs/supervision.md, "The dossier"): everything
the standing committee did on one topic, read in one pass for the printable page, its PDF
and its Excel workbook.

Read through the app's scoping selectors (the topic the user sees, and of it the
findings, visits, meeting items, opinions and reviews they see), in a fixed number of
queries whatever the number of findings, photos, questions or opinions: each section is
one query (with its related rows joined or prefetched), never one per row.

What is never in it: who voted what (a satisfaction vote is its counts and outcome,
written on the box at its close), and citizens' personal data (supervision holds none:
the askers and respondents of an inquiry are members and officials, named in public).
"""

from __future__ import annotations

import datetime
import io
import re
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from congress.models import Department
from congress.models.ballots import Rating
from congress.scoping import AnyUser
from supervision import selectors
from supervision.meetings.selectors import visible_items, visible_opinions
from supervision.models.meetings import (
    AgendaItem,
    EvaluationVote,
    ItemKind,
    Question,
    ReviewOpinion,
)
from supervision.models.topics import (
    Committee,
    Finding,
    FindingCategory,
    FindingStatus,
    FollowUpReview,
    Investigation,
    InvestigationPhoto,
    Topic,
    TopicMember,
)

# "刘建华、孟庆和、市人大代表3人": names are separated by these.
_SEPARATORS = re.compile(r"[、，,;；/\s]+")
# "市人大常委会委员等12人", "共12人": an explicit head count.
_HEADCOUNT = re.compile(r"(\d+)\s*(?:人|名)")


def participants_count(text: str) -> int:
    """How many took part in a visit, from the free text of 参加人员 (``Investigation.
    participants``): the largest explicit head count written in it ("…等12人"), else the
    number of names between separators (、，; and spaces). The dossier shows the count,
    not the names."""
    counts = [int(n) for n in _HEADCOUNT.findall(text)]
    if counts:
        return max(counts)
    return len([name for name in _SEPARATORS.split(text) if name])


def milestone_lines(finding: Finding) -> list[str]:
    """A long-term finding's milestones, one per line as written (``Finding.milestones``)."""
    return [line.strip() for line in finding.milestones.splitlines() if line.strip()]


def deadline_of(finding: Finding) -> datetime.date | None:
    """The rectification deadline: the due date of the finding's step in the engine, which
    stays on the step once answered or closed off (``Finding.due_on`` is emptied then)."""
    if finding.assignment is not None:
        return finding.assignment.due_on
    return finding.due_on


@dataclass(frozen=True)
class VoteResult:
    """A satisfaction vote on a report: its outcome and counts once closed, never a voter."""

    item: AgendaItem
    vote: EvaluationVote

    @property
    def closed(self) -> bool:
        return bool(self.vote.outcome) and self.vote.box.counts is not None

    def _marks(self) -> dict[str, int]:
        counts = self.vote.box.counts or {}
        marks: dict[str, dict[str, int]] = counts.get("marks") or {}
        return marks.get(str(self.item.pk)) or {}

    @property
    def satisfied(self) -> int | None:
        return int(self._marks().get(Rating.SATISFIED, 0)) if self.closed else None

    @property
    def basic(self) -> int | None:
        return int(self._marks().get(Rating.BASIC, 0)) if self.closed else None

    @property
    def dissatisfied(self) -> int | None:
        return int(self._marks().get(Rating.DISSATISFIED, 0)) if self.closed else None

    @property
    def electorate(self) -> int:
        return self.vote.box.electorate

    @property
    def outcome(self) -> str:
        if not self.closed:
            return _("测评中")
        return str(self.vote.get_outcome_display())


@dataclass(frozen=True)
class FindingRow:
    """A finding as the dossier shows it: its deadline (kept after the close-off), whether
    it is overdue today, and a long-term one's milestones as lines."""

    finding: Finding
    deadline: datetime.date | None
    overdue: bool
    milestones: list[str]


@dataclass(frozen=True)
class CategoryGroup:
    """The findings of one category (问题类别), in number order; ``title`` is empty for the
    findings filed without one."""

    number: int | None
    title: str
    rows: list[FindingRow]


@dataclass(frozen=True)
class VisitRow:
    """A visit with its head count (not its participants' names) and its photos."""

    visit: Investigation
    head_count: int
    photos: list[InvestigationPhoto]


@dataclass(frozen=True)
class QuestionRow:
    """A question of the inquiry, numbered in the order asked, and the number of the one it
    follows up (追问)."""

    number: int
    question: Question
    follows: int | None


@dataclass(frozen=True)
class Inquiry:
    item: AgendaItem
    questions: list[QuestionRow]


@dataclass
class Dossier:
    topic: Topic
    progress: selectors.Progress
    members: list[TopicMember]
    departments: list[Department]
    committees: list[Committee]
    visits: list[VisitRow]
    groups: list[CategoryGroup]
    reports: list[AgendaItem]
    inquiries: list[Inquiry]
    opinions: list[ReviewOpinion]
    votes: list[VoteResult]
    reviews: list[FollowUpReview]
    made_at: datetime.datetime = field(default_factory=timezone.now)

    @property
    def findings(self) -> list[FindingRow]:
        return [row for group in self.groups for row in group.rows]

    @property
    def slug(self) -> str:
        """File names carry the topic's id and the day only (no title, no name)."""
        return f"dossier-{self.topic.pk}-{timezone.localdate(self.made_at):%Y-%m-%d}"


def _row(finding: Finding, today: datetime.date) -> FindingRow:
    overdue = (
        finding.status == FindingStatus.RECTIFYING
        and finding.due_on is not None
        and finding.due_on < today
    )
    return FindingRow(finding, deadline_of(finding), overdue, milestone_lines(finding))


def _groups(categories: list[FindingCategory], findings: list[Finding]) -> list[CategoryGroup]:
    today = timezone.localdate()
    by_category: dict[int | None, list[FindingRow]] = {}
    for finding in findings:
        by_category.setdefault(finding.category_id, []).append(_row(finding, today))
    groups = [
        CategoryGroup(category.number, category.title, by_category.pop(category.pk, []))
        for category in categories
    ]
    loose = by_category.pop(None, [])
    if loose:
        groups.append(CategoryGroup(None, "", loose))
    return groups


def _inquiry(item: AgendaItem) -> Inquiry:
    numbers: dict[int, int] = {}
    rows = []
    for n, question in enumerate(item.questions.all(), start=1):
        numbers[question.pk] = n
        follows = numbers.get(question.follow_up_of_id) if question.follow_up_of_id else None
        rows.append(QuestionRow(n, question, follows))
    return Inquiry(item, rows)


def topic_dossier(user: AnyUser, topic: Topic) -> Dossier:
    """The dossier of a topic the user sees (loaded through ``visible_topics``): one query
    per section, the same number for 3 findings or 300."""
    findings = list(
        selectors.visible_findings(user)
        .filter(topic=topic)
        .select_related("assignment")
        .order_by("number", "pk")
    )
    items = list(
        visible_items(user)
        .filter(topic=topic)
        .select_related("meeting__congress", "department", "vote__box")
        .prefetch_related(
            Prefetch(
                "questions",
                queryset=Question.objects.select_related("department").order_by("pk"),
            )
        )
        .order_by("meeting__held_on", "meeting_id", "position", "pk")
    )
    votes = [
        VoteResult(item, vote)
        for item in items
        if (vote := getattr(item, "vote", None)) is not None
    ]
    return Dossier(
        topic=topic,
        progress=selectors.topic_progress(topic),
        members=list(topic.members.all()),
        departments=list(topic.departments.order_by("name", "pk")),
        committees=list(topic.committees.order_by("name", "pk")),
        visits=[
            VisitRow(visit, participants_count(visit.participants), list(visit.photos.all()))
            for visit in selectors.visible_investigations(user)
            .filter(topic=topic)
            .prefetch_related("photos")
            .order_by("held_on", "pk")
        ],
        groups=_groups(list(topic.categories.all()), findings),
        reports=[item for item in items if item.kind == ItemKind.REPORT],
        inquiries=[_inquiry(item) for item in items if item.kind == ItemKind.INQUIRY],
        opinions=list(
            visible_opinions(user)
            .filter(item__topic=topic)
            .select_related("heard_at__meeting__congress")
            .order_by("created_at", "pk")
        ),
        votes=votes,
        reviews=list(
            selectors.visible_reviews(user).filter(topic=topic).order_by("scheduled_on", "pk")
        ),
    )


# --- the workbook -------------------------------------------------------------------------


def _local(moment: datetime.datetime | None) -> datetime.datetime | None:
    """An aware time as Excel's naive local one (Asia/Shanghai)."""
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def _yes(flag: bool) -> str:
    return _("是") if flag else ""


def _meeting(item: AgendaItem) -> str:
    return str(item.meeting)


def dossier_workbook(dossier: Dossier) -> bytes:
    """The dossier as an Excel workbook, a sheet per section; counts and numbers are
    numbers, dates are dates (openpyxl, as the findings' and the reports' workbooks)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.worksheet import Worksheet

    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)

    def sheet(title: str, header: list[str], rows: list[list[Any]]) -> Worksheet:
        page = book.create_sheet(title)
        page.append(header)
        for cell in page[1]:
            cell.font = Font(bold=True)
        for row in rows:
            page.append(row)
        page.column_dimensions["A"].width = 16
        return page

    topic, progress = dossier.topic, dossier.progress
    overview = sheet(
        _("议题"),
        [_("项目"), _("内容")],
        [
            [_("议题"), topic.title],
            [_("监督方式"), topic.get_kind_display()],
            [_("状态"), topic.get_status_display()],
            [_("人大"), topic.congress.name],
            [_("监督工作计划"), topic.plan.title],
            [_("年度"), topic.plan.year],
            [_("开始日期"), topic.starts_on],
            [_("计划完成日期"), topic.ends_on],
            [_("内容说明"), topic.description],
            [_("相关部门"), "、".join(d.name for d in dossier.departments)],
            [_("牵头委员会"), "、".join(c.name for c in dossier.committees)],
            [_("问题数"), progress.total],
            [_("已销号"), progress.closed_off],
            [_("超期"), progress.overdue],
        ],
    )
    overview.append([])
    overview.append([_("领导小组"), _("姓名"), _("单位及职务")])
    for member in dossier.members:
        overview.append([member.get_role_display(), member.name, member.position])
    overview.column_dimensions["B"].width = 60

    sheet(
        _("调研视察"),
        [_("日期"), _("地点"), _("方式"), _("参加人数"), _("情况记录"), _("照片数")],
        [
            [
                row.visit.held_on,
                row.visit.place,
                row.visit.get_method_display(),
                row.head_count,
                row.visit.notes,
                len(row.photos),
            ]
            for row in dossier.visits
        ],
    )
    sheet(
        _("问题清单"),
        [
            _("编号"),
            _("问题类别"),
            _("问题"),
            _("责任单位"),
            _("状态"),
            _("挂牌督办"),
            _("长期整改"),
            _("整改目标"),
            _("阶段性计划"),
            _("整改期限"),
            _("销号时间"),
        ],
        [
            [
                row.finding.number,
                group.title,
                row.finding.title,
                row.finding.department.name,
                row.finding.get_status_display(),
                _yes(row.finding.is_flagged),
                _yes(row.finding.is_long_term),
                row.finding.target,
                "\n".join(row.milestones),
                row.deadline,
                _local(row.finding.closed_off_at),
            ]
            for group in dossier.groups
            for row in group.rows
        ],
    )
    sheet(
        _("专题询问"),
        [
            _("序号"),
            _("会议"),
            _("询问人"),
            _("应询人"),
            _("应询单位"),
            _("询问内容"),
            _("回答内容"),
            _("满意度"),
            _("追问"),
        ],
        [
            [
                row.number,
                _meeting(inquiry.item),
                row.question.asker,
                row.question.respondent,
                row.question.department.name if row.question.department else "",
                row.question.text,
                row.question.answer,
                row.question.get_satisfaction_display(),
                row.follows,
            ]
            for inquiry in dossier.inquiries
            for row in inquiry.questions
        ],
    )
    sheet(
        _("会议报告"),
        [
            _("会议"),
            _("会议日期"),
            _("议题"),
            _("报告单位"),
            _("报送期限"),
            _("报送时间"),
            _("逾期报送"),
        ],
        [
            [
                _meeting(item),
                item.meeting.held_on,
                item.title,
                item.department.name if item.department else "",
                item.due_on,
                _local(item.received_at),
                _yes(item.late),
            ]
            for item in dossier.reports
        ],
    )
    sheet(
        _("审议意见"),
        [
            _("议题"),
            _("交办单位"),
            _("审议意见"),
            _("状态"),
            _("办理期限"),
            _("研究处理情况报告"),
            _("报送时间"),
            _("逾期报送"),
            _("列入会议"),
        ],
        [
            [
                opinion.item.title,
                opinion.department.name,
                opinion.text,
                opinion.get_status_display(),
                opinion.due_on,
                opinion.handling_report,
                _local(opinion.handled_at),
                _yes(opinion.late),
                str(opinion.heard_at.meeting) if opinion.heard_at else "",
            ]
            for opinion in dossier.opinions
        ],
    )
    sheet(
        _("满意度测评"),
        [
            _("会议"),
            _("议题"),
            _("测评结果"),
            _("满意"),
            _("基本满意"),
            _("不满意"),
            _("组成人员"),
        ],
        [
            [
                _meeting(result.item),
                result.item.title,
                result.outcome,
                result.satisfied,
                result.basic,
                result.dissatisfied,
                result.electorate,
            ]
            for result in dossier.votes
        ],
    )
    sheet(
        _("回头看"),
        [_("计划日期"), _("开展日期"), _("整改变化情况"), _("重新整改问题数")],
        [
            [review.scheduled_on, review.held_on, review.summary, review.reopened]
            for review in dossier.reviews
        ],
    )
    for page in book.worksheets:
        for row in page.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, datetime.datetime):
                    cell.number_format = "yyyy-mm-dd hh:mm"
                elif isinstance(cell.value, datetime.date):
                    cell.number_format = "yyyy-mm-dd"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
