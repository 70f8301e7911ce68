"""The council's list filters (django-filter): the assignment board's (a search and «only the dossiers
short of scorers») and a member's queue's (a search, the state of their sheet)."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from councils.models import ScoreSheet
from dksangtao.lists import SortFilter
from submissions.filters import dossier_search
from submissions.models import Dossier


class BoardFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Tìm số hồ sơ, tên sáng kiến"),
        method="search",
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    short = django_filters.BooleanFilter(
        label=_("Chỉ hồ sơ chưa đủ người"), method="short_of_scorers", widget=forms.CheckboxInput
    )

    def __init__(self, *args, council, **kwargs):
        super().__init__(*args, **kwargs)
        self.council = council

    def search(self, queryset, name, value):
        return dossier_search(queryset, value)

    def short_of_scorers(self, queryset, name, value):
        return queryset.filter(active_count__lt=self.council.members_per_entry) if value else queryset


class MemberQueueFilter(django_filters.FilterSet):
    """A member's queue (Assignment rows): what they look for, where their sheet stands."""

    UNOPENED = "none"

    q = django_filters.CharFilter(
        label=_("Tìm số hồ sơ, tên sáng kiến"),
        method="search",
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    sheet = django_filters.ChoiceFilter(
        label=_("Phiếu chấm"),
        choices=[(UNOPENED, _("Chưa mở")), *ScoreSheet.State.choices],
        method="by_sheet",
        empty_label=_("Tất cả"),
    )
    sort = SortFilter(
        fields={"pk": "assigned", "dossier__reference": "reference", "dossier__title": "title"},
        choices=[
            ("assigned", _("Thứ tự phân công")),
            ("reference", _("Số hồ sơ")),
            ("title", _("Tên sáng kiến")),
        ],
    )

    def search(self, queryset, name, value):
        return queryset.filter(dossier__in=dossier_search(Dossier.objects.all(), value).values("pk"))

    def by_sheet(self, queryset, name, value):
        if value == self.UNOPENED:
            return queryset.filter(sheet__isnull=True)
        return queryset.filter(sheet__state=value)
