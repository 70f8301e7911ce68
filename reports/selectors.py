"""Permission-aware reads for reports: who may see which report, the download centre's rows, and the
figures the annual summaries and the statistics dashboard are built from.

A dossier counts in reports once it has been submitted (it has a reference): drafts, and drafts
withdrawn before submission, stay the unit's own business, as in submissions.selectors.DossierScope.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.models import Unit
from accounts.selectors import unit_tree_ids
from councils.models import Council
from councils.selectors import EntrySummary, entry_summaries, figures_cached
from dksangtao.jobs import JobStatus
from public.models import PublicRecord, RecordApplication
from reports.charts import bar_chart
from reports.models import ReportJob, ReportKind
from reports.permissions import EVER_SUBMITTED, report_scope
from submissions.models import Campaign, Dossier, DossierKind, Field, Status, UnitGrade
from submissions.services import NOMINATED_OR_LATER

CLASS_ORDER = ["Xuất sắc", "Tốt", "Khá", "Đạt", "Không đạt"]
TOP_INITIATIVES = 20


def _status_labels() -> list[str]:
    return [str(label) for value, label in Status.choices if value != Status.DRAFT]


# Loaders -----------------------------------------------------------------------------------------


def report_job_for_user(user, pk: int) -> ReportJob:
    """The job if the person may see its report; 404 otherwise, whatever id is tried."""
    job = ReportJob.objects.select_related("campaign", "unit").filter(pk=pk).first()
    if job is None or not report_scope(user).can_see(job.kind, job.unit_id):
        raise Http404
    return job


def visible_units(user) -> QuerySet:
    """The units whose summaries the person may request, by name: every unit for Front admins."""
    scope = report_scope(user)
    units = Unit.objects.all() if scope.front_admin else Unit.objects.filter(pk__in=scope.unit_ids)
    return units.order_by("-is_active", "name")


@dataclass
class CentreRow:
    kind: str
    unit: Unit | None
    latest: ReportJob | None = None  # the newest job, whatever its state
    ready: ReportJob | None = None  # the newest finished file

    @property
    def key(self) -> str:
        return f"{self.kind}-{self.unit.pk if self.unit else 'tinh'}"


def centre_rows(*, campaign: Campaign, units, province: bool) -> list[CentreRow]:
    """One row per report on the page with its newest job and newest file, in one query for the jobs."""
    rows = [CentreRow(ReportKind.PROVINCE_SUMMARY, None)] if province else []
    rows += [CentreRow(ReportKind.UNIT_SUMMARY, unit) for unit in units]
    by_key = {(row.kind, row.unit.pk if row.unit else None): row for row in rows}
    wanted = Q(kind=ReportKind.UNIT_SUMMARY, unit__in=[row.unit for row in rows if row.unit])
    if province:
        wanted |= Q(kind=ReportKind.PROVINCE_SUMMARY, unit__isnull=True)
    jobs = ReportJob.objects.filter(wanted, campaign=campaign)
    for job in jobs.select_related("campaign").order_by("-created_at", "-id"):  # report_centre_idx
        row = by_key.get((job.kind, job.unit_id))
        if row is None:
            continue
        if row.latest is None:
            row.latest = job
        if row.ready is None and job.status == JobStatus.DONE:
            row.ready = job
    for row in rows:
        for job in (row.latest, row.ready):
            if job is not None:  # the unit is already on the row: no query per row for job.unit
                job.unit = row.unit
    return rows


# Figures -----------------------------------------------------------------------------------------


@dataclass
class TallyRow:
    label: str
    total: int = 0
    nominated: int = 0  # reached the province: nominated or later
    awarded: int = 0


@dataclass
class Tally:
    """Counts of submitted dossiers under one heading (by status, kind, field, unit, year…), rows in
    the order they were first named; the chart and the table show the same rows."""

    title: str
    rows: dict = field(default_factory=dict)

    @classmethod
    def of(cls, title: str, labels=()) -> "Tally":
        tally = cls(title)
        for label in labels:
            tally.rows[label] = TallyRow(label)
        return tally

    def add(self, label, status: str, count: int) -> None:
        row = self.rows.setdefault(label, TallyRow(label))
        row.total += count
        if status in NOMINATED_OR_LATER:
            row.nominated += count
        if status == Status.AWARDED:
            row.awarded += count

    def add_count(self, label, count: int) -> None:
        row = self.rows.setdefault(label, TallyRow(label))
        row.total += count

    @property
    def items(self) -> list[TallyRow]:
        return list(self.rows.values())

    @property
    def total(self) -> int:
        return sum(row.total for row in self.rows.values())

    @property
    def nominated_total(self) -> int:
        return sum(row.nominated for row in self.rows.values())

    @property
    def awarded_total(self) -> int:
        return sum(row.awarded for row in self.rows.values())

    def sorted_by_total(self) -> "Tally":
        ordered = sorted(self.rows.values(), key=lambda row: (-row.total, row.label))
        return Tally(self.title, {row.label: row for row in ordered})

    def top(self, count: int, rest_label: str) -> "Tally":
        """The first `count` rows and one row adding up the others: what a page shows of a tally of
        2,000 units (the Excel export keeps every row)."""
        rows = list(self.rows.values())
        if len(rows) <= count + 1:
            return self
        kept = {row.label: row for row in rows[:count]}
        rest = TallyRow(rest_label % {"n": len(rows) - count})
        for row in rows[count:]:
            rest.total += row.total
            rest.nominated += row.nominated
            rest.awarded += row.awarded
        kept[rest.label] = rest
        return Tally(self.title, kept)

    def chart(self, width: int = 480):
        return bar_chart(
            [(row.label, row.total) for row in self.rows.values()], title=self.title, width=width
        )

    @property
    def svg(self):
        return self.chart()


def _grouped(dossiers: QuerySet):
    """(status, kind name, field name, unit name, count) for the dossiers, in one grouped query."""
    return (
        dossiers.order_by()
        .values_list("status", "kind__name", "field__name", "unit__name")
        .annotate(n=Count("id"))
    )


def _kinds_and_fields() -> tuple[list[str], list[str]]:
    kinds = list(DossierKind.objects.filter(is_active=True).values_list("name", flat=True))
    fields = list(Field.objects.filter(is_active=True).values_list("name", flat=True))
    return kinds, fields


def results_by_dossier(campaign: Campaign) -> dict[int, EntrySummary]:
    """The council's result (score, class) of each assigned dossier of the campaign, from one
    aggregate over its sheets (councils.selectors.entry_summaries): no sheet or dossier row loaded."""
    council = Council.objects.filter(campaign=campaign).first()
    if council is None:
        return {}
    return {summary.dossier_id: summary for summary in entry_summaries(council)}


def _class_tally(results) -> Tally:
    tally = Tally.of(_("Xếp loại của Hội đồng"), [_(label) for label in CLASS_ORDER])
    for result in results:
        if result.class_key:
            tally.add(result.classification, result.status, 1)
    return tally


def _year_tally(dossiers: QuerySet, up_to: int | None = None) -> Tally:
    tally = Tally.of(_("Số hồ sơ qua các năm"))
    rows = dossiers.order_by("campaign__year").values_list("campaign__year", "status").annotate(n=Count("id"))
    if up_to is not None:
        rows = rows.filter(campaign__year__lte=up_to)
    for year, status, count in rows:
        tally.add(str(year), status, count)
    return tally


@dataclass
class ResultRow:
    dossier: Dossier
    score: object = None
    classification: str = ""


def _result_rows(dossiers: QuerySet, results: dict[int, EntrySummary]) -> list[ResultRow]:
    rows = dossiers.filter(status__in=NOMINATED_OR_LATER).select_related("unit", "kind", "field")
    listed = []
    for dossier in rows.order_by("reference"):
        result = results.get(dossier.pk)
        listed.append(
            ResultRow(
                dossier,
                result.score if result else None,
                result.classification if result else "",
            )
        )
    return listed


def unit_summary(*, campaign: Campaign, unit: Unit) -> dict:
    """What the unit's annual summary shows: its dossiers and its child units' (the Department of
    Education's covers its schools), by status, kind, field and unit; the dossiers that reached the
    province with the council's result; the honours; the unit's earlier years."""
    tree = unit_tree_ids([unit.pk])
    all_years = Dossier.objects.filter(EVER_SUBMITTED, unit_id__in=tree)
    dossiers = all_years.filter(campaign=campaign)
    kinds, fields = _kinds_and_fields()
    by_status = Tally.of(_("Theo trạng thái"), _status_labels())
    by_kind = Tally.of(_("Theo loại hồ sơ"), kinds)
    by_field = Tally.of(_("Theo lĩnh vực"), fields)
    by_unit = Tally.of(_("Theo đơn vị"), [unit.name])
    labels = {value: str(label) for value, label in Status.choices}
    for status, kind, field_name, unit_name, count in _grouped(dossiers):
        by_status.add(labels[status], status, count)
        by_kind.add(kind, status, count)
        by_field.add(field_name, status, count)
        by_unit.add(unit_name, status, count)
    results = results_by_dossier(campaign)
    listed = _result_rows(dossiers, results)
    grade_labels = {value: str(label) for value, label in UnitGrade.choices}
    grades = Tally.of(_("Xếp loại cấp đơn vị"), grade_labels.values())
    graded = dossiers.exclude(unit_grade="").order_by().values_list("unit_grade").annotate(n=Count("id"))
    for grade, count in graded:
        grades.add_count(grade_labels.get(grade, grade), count)
    return {
        "campaign": campaign,
        "unit": unit,
        "child_units": len(tree) - 1,
        "total": by_status.total,
        "by_status": by_status,
        "by_kind": by_kind,
        "by_field": by_field,
        "by_unit": by_unit.sorted_by_total(),
        "by_grade": grades,
        "by_class": _class_tally(results.get(row.dossier.pk) for row in listed if row.dossier.pk in results),
        "results": listed,
        "honours": [row for row in listed if row.dossier.status == Status.AWARDED],
        "by_year": _year_tally(all_years, up_to=campaign.year),
    }


def province_summary(*, campaign: Campaign) -> dict:
    """What the province-wide summary shows: totals by unit, field and kind; year on year; the top
    initiatives by the council's result; the award list; nhân rộng (the confirmed applications of
    public records begun in the year); and the sections other apps add."""
    all_years = Dossier.objects.filter(EVER_SUBMITTED)
    dossiers = all_years.filter(campaign=campaign)
    kinds, fields = _kinds_and_fields()
    by_status = Tally.of(_("Theo trạng thái"), _status_labels())
    by_kind = Tally.of(_("Theo loại hồ sơ"), kinds)
    by_field = Tally.of(_("Theo lĩnh vực"), fields)
    by_unit = Tally.of(_("Theo đơn vị"))
    labels = {value: str(label) for value, label in Status.choices}
    for status, kind, field_name, unit_name, count in _grouped(dossiers):
        by_status.add(labels[status], status, count)
        by_kind.add(kind, status, count)
        by_field.add(field_name, status, count)
        by_unit.add(unit_name, status, count)
    results = results_by_dossier(campaign)
    scored = sorted(
        (result for result in results.values() if result.score is not None),
        key=lambda result: (-result.score, result.reference or ""),
    )[:TOP_INITIATIVES]
    shown = Dossier.objects.select_related("unit", "field").in_bulk([result.dossier_id for result in scored])
    top = [ResultRow(shown[result.dossier_id], result.score, result.classification) for result in scored]
    awarded = list(
        dossiers.filter(status=Status.AWARDED).select_related("unit", "kind", "field").order_by("reference")
    )
    for dossier in awarded:
        result = results.get(dossier.pk)
        dossier.score = result.score if result else None
        dossier.classification = result.classification if result else ""
    by_unit = by_unit.sorted_by_total()
    return {
        "campaign": campaign,
        "total": by_status.total,
        "unit_count": len(by_unit.rows),
        "by_status": by_status,
        "by_kind": by_kind,
        "by_field": by_field,
        "by_unit": by_unit,
        "by_unit_chart": Tally(by_unit.title, dict(list(by_unit.rows.items())[:15])).chart(),
        "by_class": _class_tally(results.values()),
        "by_year": _year_tally(all_years, up_to=campaign.year),
        "top": top,
        "awarded": awarded,
        "replication": replication_summary(year=campaign.year),
    }


@dataclass
class ReplicatedRecord:
    """One public record and its confirmed applications of the year, with their measured benefit."""

    record: PublicRecord
    applications: list = field(default_factory=list)

    @property
    def benefit(self) -> int | None:
        amounts = [a.benefit_vnd for a in self.applications if a.benefit_vnd is not None]
        return sum(amounts) if amounts else None


@dataclass
class Replication:
    year: int
    records: list[ReplicatedRecord]

    @property
    def count(self) -> int:
        return sum(len(row.applications) for row in self.records)

    @property
    def unit_count(self) -> int:
        return len({a.unit_id for row in self.records for a in row.applications})

    @property
    def benefit(self) -> int:
        return sum(row.benefit or 0 for row in self.records)

    @property
    def unmeasured(self) -> int:
        """Confirmed applications whose unit could not put a figure on the benefit."""
        return sum(1 for row in self.records for a in row.applications if a.benefit_vnd is None)


def replication_summary(*, year: int) -> Replication:
    """Nhân rộng in the year: the applications of public records confirmed by the units' reviewers
    whose application began in `year`, grouped by record (by reference), in one query. A record since
    withdrawn from the database is left out, as on the public statistics page."""
    applications = (
        RecordApplication.objects.filter(
            status=RecordApplication.Status.CONFIRMED,
            applied_on__year=year,
            record__withdrawn_at__isnull=True,
        )
        .select_related("record", "unit")
        .order_by("record__reference", "applied_on", "unit__name", "id")
    )
    rows: dict[int, ReplicatedRecord] = {}
    for application in applications:
        row = rows.setdefault(application.record_id, ReplicatedRecord(application.record))
        row.applications.append(application)
    return Replication(year, list(rows.values()))


# The statistics dashboard -------------------------------------------------------------------------


def statistics(
    user, *, campaign: Campaign | None, field=None, unit: Unit | None = None, units_shown: int | None = None
) -> dict:
    """Counts within the person's scope: by year (every year, the trend) and, for the chosen year,
    by field, unit, kind and the council's class. A unit filter covers the unit and its children.
    `units_shown`: the units with the most dossiers and one row adding up the others (the page);
    None: every unit (the Excel file).

    Kept between requests (councils.selectors.figures_cached) for the same scope and filters until a
    submitted dossier, a sheet or an assignment changes: at province scale the counts are grouped
    aggregates over 100,000 dossiers and the council's 10,000 assignments. The names of kinds and
    fields are part of the key; a unit renamed shows its new name once the figures are next counted."""
    scope = report_scope(user)
    tree = sorted(unit_tree_ids([unit.pk])) if unit is not None else None
    kinds, fields = _kinds_and_fields()
    parts = (
        scope.front_admin,
        sorted(scope.unit_ids),
        campaign.pk if campaign is not None else None,
        field.pk if field is not None else None,
        tree,
        kinds,
        fields,
        units_shown,
    )

    def build():
        figures = _statistics(scope, campaign=campaign, field=field, tree=tree, kinds=kinds, fields=fields)
        if units_shown is not None:
            rest = _("Các đơn vị khác (%(n)s đơn vị; xem đủ trong tệp Excel)")
            figures["by_unit"] = figures["by_unit"].top(units_shown, rest)
        return figures

    return figures_cached("statistics", parts, build)


def _statistics(scope, *, campaign, field, tree, kinds, fields) -> dict:
    base = scope.dossiers(Dossier.objects.all())
    if field is not None:
        base = base.filter(field=field)
    if tree is not None:
        base = base.filter(unit_id__in=tree)
    by_year = _year_tally(base)
    by_kind = Tally.of(_("Theo loại hồ sơ"), kinds)
    by_field = Tally.of(_("Theo lĩnh vực"), [field.name] if field is not None else fields)
    by_unit = Tally.of(_("Theo đơn vị"))
    by_class = Tally.of(_("Xếp loại của Hội đồng"), [_(label) for label in CLASS_ORDER])
    if campaign is not None:
        dossiers = base.filter(campaign=campaign)
        for status, kind, field_name, unit_name, count in _grouped(dossiers):
            by_kind.add(kind, status, count)
            by_field.add(field_name, status, count)
            by_unit.add(unit_name, status, count)
        ids = set(dossiers.filter(status__in=NOMINATED_OR_LATER).values_list("pk", flat=True))
        results = results_by_dossier(campaign) if ids else {}
        by_class = _class_tally(result for pk, result in results.items() if pk in ids)
    return {
        "by_year": by_year,
        "by_field": by_field,
        "by_unit": by_unit.sorted_by_total(),
        "by_kind": by_kind,
        "by_class": by_class,
        "total": by_kind.total,
    }
