"""The assignment board's filters (django-filter): a search and «only the dossiers short of scorers»."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from submissions.filters import dossier_search


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
