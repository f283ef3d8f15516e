"""Monthly and yearly reports (docs/dashboard.md, "Reports"): the staff dashboard's
figures for one region and one calendar month or year, as a printable page, a PDF
and an Excel workbook, and the monthly report sent to the leaders who subscribed.

A report is the dashboard's panels (``congress.dashboard``) built for a fixed
period: the figures are never computed a second way here. Subscribing checks the
user's jurisdiction (a region of theirs or below; anything else is a 404), and
the monthly mailing writes one ``ReportMailing`` per (subscription, month) in the
same transaction as the notification, so a second run or a retry sends nothing;
its e-mail carries the report's PDF, built once per region and month (``ReportFile``).
"""

from __future__ import annotations

import datetime
import io
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from celery import shared_task
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from congress.dashboard import (
    PanelData,
    Period,
    Scope,
    dashboard_panels_for,
    drillable,
    first_of_month,
)
from congress.errors import OutOfJurisdiction
from congress.models import Region, User
from congress.models.reports import ReportFile, ReportMailing, ReportSubscription
from congress.notifications import Attachment, notify
from congress.scoping import in_jurisdiction, is_staff_or_admin

logger = logging.getLogger(__name__)

MONTH = "month"
YEAR = "year"
# The report list offers this many months and years back; older ones are reached by URL.
LISTED_MONTHS = 24
LISTED_YEARS = 5
FIRST_YEAR = 2000  # before any congress's data in this system
NOTIFICATION_KIND = "report.monthly"


# --- the period ----------------------------------------------------------------------


def month_period(year: int, month: int, today: datetime.date | None = None) -> Period:
    """The calendar month, if it has begun (a future month is a 404)."""
    today = today or timezone.localdate()
    try:
        first = datetime.date(year, month, 1)
    except ValueError as bad:
        raise Http404 from bad
    if year < FIRST_YEAR or first > first_of_month(today):
        raise Http404
    return Period("months", first, first)


def year_period(year: int, today: datetime.date | None = None) -> Period:
    """January to December, or to this month for the current year (a future year is a 404)."""
    today = today or timezone.localdate()
    if year < FIRST_YEAR or year > today.year:
        raise Http404
    last = datetime.date(year, 12, 1) if year < today.year else first_of_month(today)
    return Period("months", datetime.date(year, 1, 1), last)


def previous_month(today: datetime.date) -> datetime.date:
    return first_of_month(first_of_month(today) - datetime.timedelta(days=1))


def listed_months(today: datetime.date | None = None) -> list[datetime.date]:
    """The months the report list offers, newest first: this one (so far) and 23 before."""
    month = first_of_month(today or timezone.localdate())
    months = []
    for _n in range(LISTED_MONTHS):
        months.append(month)
        month = previous_month(month)
    return months


def listed_years(today: datetime.date | None = None) -> list[int]:
    year = (today or timezone.localdate()).year
    return list(range(year, year - LISTED_YEARS, -1))


# --- who may open which region -------------------------------------------------------


def report_region(user: Any, region_id: int | str) -> Region:
    """The region of a report: the user's or below it, down to the township (the
    dashboard's drill-down, docs/dashboard.md); anything else is a 404."""
    if not is_staff_or_admin(user):
        raise Http404
    try:
        region = Region.objects.get(pk=int(region_id))
    except (ValueError, Region.DoesNotExist) as missing:
        raise Http404 from missing
    if not in_jurisdiction(user, region) or not drillable(region):
        raise Http404
    return region


def own_report_region(user: Any) -> Region:
    """The user's own (outermost) region, the report list's default."""
    if not is_staff_or_admin(user):
        raise Http404
    own = sorted(user.staff_regions, key=lambda r: (r.depth, r.path))
    region = own[0] if own else Region.objects.order_by("path").first()
    if region is None or not drillable(region):
        raise Http404
    return region


# --- the report ----------------------------------------------------------------------


@dataclass(frozen=True)
class Report:
    region: Region
    kind: str  # MONTH or YEAR
    period: Period
    panels: list[PanelData]
    made_at: datetime.datetime
    complete: bool  # False while the period is still running

    @property
    def title(self) -> str:
        if self.kind == YEAR:
            return _("%(region)s%(year)d年度报告") % {
                "region": self.region.name,
                "year": self.period.first.year,
            }
        return _("%(region)s%(year)d年%(month)d月月度报告") % {
            "region": self.region.name,
            "year": self.period.first.year,
            "month": self.period.first.month,
        }

    @property
    def slug(self) -> str:
        """The file name's stem: the region's code (or id) and the period, no names."""
        stem = self.region.code or str(self.region.pk)
        if self.kind == YEAR:
            return f"report-{stem}-{self.period.first:%Y}"
        return f"report-{stem}-{self.period.first:%Y-%m}"

    @property
    def url(self) -> str:
        return report_url(self.region, self.kind, self.period.first)


def report_url(region: Region, kind: str, first: datetime.date) -> str:
    if kind == YEAR:
        return reverse("report_year", kwargs={"region_id": region.pk, "year": first.year})
    return reverse(
        "report_month",
        kwargs={"region_id": region.pk, "year": first.year, "month": f"{first.month:02d}"},
    )


def report_build(
    *, user: Any, region: Region, kind: str, period: Period, today: datetime.date | None = None
) -> Report:
    """The dashboard's panels for ``region`` and ``period``, as ``user`` sees them
    (the panels scope their lists by the user; the region must be in their jurisdiction)."""
    if not in_jurisdiction(user, region):
        raise OutOfJurisdiction
    today = today or timezone.localdate()
    children = list(Region.objects.filter(parent=region).order_by("code", "name", "pk"))
    scope = Scope(user=user, region=region, period=period, children=children, today=today)
    return Report(
        region=region,
        kind=kind,
        period=period,
        panels=dashboard_panels_for(scope),
        made_at=timezone.now(),
        complete=period.end < today,
    )


# --- Excel ---------------------------------------------------------------------------

PERCENT = "0.0%"
DECIMAL = "0.0"
_PERCENT_TEXT = re.compile(r"^-?\d+(\.\d+)?%$")


def _cell(value: Any) -> tuple[Any, str]:
    """A table cell as a number where it is one: "83.9%" (how a league table shows a
    rate) becomes 0.839 with a percent format."""
    if isinstance(value, str) and _PERCENT_TEXT.match(value):
        return float(value[:-1]) / 100, PERCENT
    if isinstance(value, float):
        return value, DECIMAL
    return value, ""


def report_workbook(report: Report) -> bytes:
    """The report as an Excel workbook: a sheet per panel with its figures (a rate is
    a fraction shown with a percent format, a count an integer) and each chart's and
    table's rows. No personal data: the panels show counts and departments only."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    for panel in report.panels:
        sheet = book.create_sheet(_sheet_title(panel.title))
        sheet.append([report.title])
        sheet["A1"].font = Font(bold=True, size=14)
        sheet.append([report.period.label])
        sheet.append([])
        sheet.append([_("项目"), _("数值"), _("单位"), _("定义")])
        for figure in panel.figures:
            value: Any = figure.value
            number_format = ""
            if value is not None and figure.unit == "%":
                value, number_format = value / 100, PERCENT
            elif isinstance(value, float):
                number_format = DECIMAL
            unit = "" if figure.unit == "%" else figure.unit
            if figure.more:
                unit = _("超过%(value)s") % {"value": figure.value}
            sheet.append([figure.label, value, unit, figure.definition])
            if number_format:
                sheet.cell(row=sheet.max_row, column=2).number_format = number_format
        for chart in panel.charts:
            sheet.append([])
            sheet.append([chart.title])
            sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
            sheet.append([_("项目"), *[name for name, _values in chart.series]])
            for label, _link, values in chart.table():
                sheet.append([label, *values])
        for table in panel.tables:
            sheet.append([])
            sheet.append([table.title])
            sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
            sheet.append(list(table.columns))
            for row in table.rows:
                cells = [_cell(value) for value in row]
                sheet.append([value for value, _format in cells])
                for column, (_value, number_format) in enumerate(cells, start=1):
                    if number_format:
                        sheet.cell(row=sheet.max_row, column=column).number_format = number_format
        sheet.column_dimensions["A"].width = 28
        sheet.column_dimensions["D"].width = 60
    if not book.worksheets:
        book.create_sheet(_sheet_title(report.title)).append([report.title])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet_title(text: str) -> str:
    # Excel: at most 31 characters, none of []:*?/\
    return re.sub(r"[\[\]:*?/\\]", " ", text)[:31] or "-"


# --- PDF -----------------------------------------------------------------------------


def pdf_available() -> bool:
    """WeasyPrint, as the 连心卡 PDFs use, with its system libraries (pango)."""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):
        return False
    return True


def report_pdf(html: str, images: Mapping[str, tuple[bytes, str]] | None = None) -> bytes:
    """The printable page as an A4 PDF. WeasyPrint fetches nothing over the network nor
    from the disk: the page links no stylesheet, and an image is one of ``images``
    (``<img src="embedded:<key>">`` → its bytes and type, read by the caller from the
    scoped rows it shows); any other address is refused and left out."""
    import weasyprint
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    known = dict(images or {})

    class Embedded(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            found = (
                known.get(url.removeprefix("embedded:")) if url.startswith("embedded:") else None
            )
            if found is None:
                raise ValueError(f"not embedded: {url[:40]}")
            return URLFetcherResponse(url, found[0], {"Content-Type": found[1]})

    return weasyprint.HTML(
        string=html, base_url=str(settings.BASE_DIR), url_fetcher=Embedded()
    ).write_pdf()


def report_page_html(report: Report, *, as_pdf: bool = False) -> str:
    """The printable page of ``report`` (the view's and the mail's PDF's)."""
    from django.template.loader import render_to_string

    return render_to_string(
        "congress/reports/report.html",
        {
            "report": report,
            "pdf_available": pdf_available(),
            "index_url": reverse("report_index") + f"?region={report.region.pk}",
            "as_pdf": as_pdf,
        },
    )


def monthly_pdf(report: Report) -> Attachment | None:
    """The PDF of a monthly report as the mail carries it: built once per region and
    month and stored (``ReportFile``), so every subscriber, a later run of the day and
    a retried delivery attach the same file. None without WeasyPrint's libraries."""
    month = report.period.first
    stored = ReportFile.objects.filter(region=report.region, month=month).first()
    if stored is None:
        if not pdf_available():
            return None
        content = report_pdf(report_page_html(report, as_pdf=True))
        stored = ReportFile(region=report.region, month=month)
        stored.file.save(f"{report.slug}.pdf", ContentFile(content), save=False)
        try:
            with transaction.atomic():
                stored.save()
        except IntegrityError:
            # A run at the same time stored it first: send theirs, drop ours.
            stored.file.delete(save=False)
            stored = ReportFile.objects.get(region=report.region, month=month)
    return Attachment(
        path=stored.file.name, filename=f"{report.slug}.pdf", content_type="application/pdf"
    )


# --- subscriptions -------------------------------------------------------------------


def subscriptions_of(user: Any) -> QuerySet[ReportSubscription]:
    """A user's own subscriptions (nobody sees another's)."""
    if not user.is_authenticated:
        return ReportSubscription.objects.none()
    return ReportSubscription.objects.filter(user=user).select_related("region")


def report_subscribe(*, user: User, region: Region) -> ReportSubscription:
    """Subscribe ``user`` to the monthly report of ``region``: staff (or an
    administrator) of the region or above it; anything else is a 404."""
    if not is_staff_or_admin(user) or not in_jurisdiction(user, region) or not drillable(region):
        raise OutOfJurisdiction
    subscription, _created = ReportSubscription.objects.get_or_create(user=user, region=region)
    return subscription


def report_unsubscribe(*, user: User, region: Region) -> bool:
    """End ``user``'s own subscription to ``region`` (True if there was one)."""
    deleted, _rows = ReportSubscription.objects.filter(user=user, region=region).delete()
    return bool(deleted)


# --- the monthly mailing -------------------------------------------------------------


def _summary(report: Report, *, attached: bool) -> str:
    """The mail's body: the figures by panel (counts and rates, no personal data)."""
    lines = [report.title, report.period.label, ""]
    for panel in report.panels:
        figures = " · ".join(f"{figure.label} {figure.display}" for figure in panel.figures)
        if figures:
            lines.append(f"{panel.title}: {figures}")
    lines.append("")
    if attached:
        lines.append(_("邮件附件为本报告的 PDF。完整报告（含图表和 Excel）请登录系统查看："))
    else:
        lines.append(_("完整报告（含图表、PDF 和 Excel）请登录系统查看："))
    return "\n".join(lines)


def monthly_reports_send(*, today: datetime.date | None = None) -> int:
    """Send last month's report to every subscription that has not had it; returns
    how many were sent. The report of each region is built once (as its first
    subscriber still in charge of it sees it: the figures are the region's, the same
    for everyone whose jurisdiction holds it). A subscriber who no longer has the
    region in their jurisdiction gets nothing. Each send is one transaction: the
    unique ``ReportMailing`` row and the notification (the outbox delivers the e-mail
    after commit, with the report's PDF, built once per region: ``monthly_pdf``), so
    a second run, a retry or a concurrent run sends nothing twice."""
    today = today or timezone.localdate()
    month = previous_month(today)
    pending = list(
        ReportSubscription.objects.exclude(mailings__month=month)
        .filter(user__is_active=True)
        .select_related("user", "region")
        .order_by("region_id", "pk")
    )
    sent = 0
    reports: dict[int, Report | None] = {}
    pdfs: dict[int, Attachment | None] = {}
    for subscription in pending:
        user, region = subscription.user, subscription.region
        if not is_staff_or_admin(user) or not in_jurisdiction(user, region):
            continue
        if region.pk not in reports:
            period = month_period(month.year, month.month, today)
            built = report_build(user=user, region=region, kind=MONTH, period=period, today=today)
            reports[region.pk] = built
            pdfs[region.pk] = monthly_pdf(built)
        report = reports[region.pk]
        assert report is not None
        if _send_once(subscription, month, report, pdfs[region.pk]):
            sent += 1
    return sent


def _send_once(
    subscription: ReportSubscription,
    month: datetime.date,
    report: Report,
    pdf: Attachment | None,
) -> bool:
    try:
        with transaction.atomic():
            mailing = ReportMailing.objects.create(subscription=subscription, month=month)
            ids = notify(
                recipients=[subscription.user],
                kind=NOTIFICATION_KIND,
                title=report.title,
                body=_summary(report, attached=pdf is not None),
                url=report.url,
                attachments=[pdf] if pdf else [],
            )
            if ids:
                ReportMailing.objects.filter(pk=mailing.pk).update(notification_id=ids[0])
    except IntegrityError:
        return False  # another run sent it first
    return True


@shared_task(name="congress.reports.send_monthly_reports")
def send_monthly_reports() -> int:
    """Beat, on the 1st of each month (hourly that day, so a beat or worker down at
    the first hour still sends): last month's report to each subscriber, once.
    Cost: one read of the subscriptions not yet sent this month, then per region
    subscribed one report (the dashboard's fixed number of queries) and its PDF (one
    read, and the first time one WeasyPrint render and one insert), and per
    subscription one transaction of four statements and a broker publish."""
    return monthly_reports_send()
