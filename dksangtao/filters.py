"""The audit page's filters (django-filter): words, the kind of object and its id, who, which action,
from and to which day."""

import django_filters
from django import forms
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from dksangtao.forms import BoundedDateField, DateInput
from dksangtao.lists import SortFilter
from dksangtao.models import Action

# The apps whose objects the trail speaks of (the kinds offered in the filter).
PORTAL_APPS = ["accounts", "submissions", "councils", "awards", "fund", "reports", "public"]


def object_kinds():
    """The kinds of object, grouped by part of the portal, in its words; kinds whose model no longer
    exists (their events were moved into this trail) are left out."""
    groups: dict[str, list] = {}
    for kind in ContentType.objects.filter(app_label__in=PORTAL_APPS).order_by("app_label", "model"):
        model = kind.model_class()
        if model is not None:
            part = str(apps.get_app_config(kind.app_label).verbose_name)
            groups.setdefault(part, []).append((kind.pk, capfirst(model._meta.verbose_name)))
    return list(groups.items())


class BoundedDateFilter(django_filters.DateFilter):
    """A day filter that refuses «01/01/0001» or «31/12/9999» with a message, as the forms' dates do
    (the day is turned into a time-zone-aware range, which such a year overflows)."""

    field_class = BoundedDateField


class AuditFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Tìm (đối tượng, lý do, nội dung)"),
        method="search",
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    actor = django_filters.CharFilter(label=_("Người thực hiện"), method="by_actor")
    action = django_filters.ChoiceFilter(label=_("Việc"), choices=Action.choices, empty_label=_("Tất cả"))
    kind = django_filters.ChoiceFilter(
        label=_("Loại đối tượng"), field_name="content_type_id", choices=object_kinds, empty_label=_("Tất cả")
    )
    object = django_filters.NumberFilter(
        label=_("Mã đối tượng"), field_name="object_id", min_value=1, max_value=10**18, decimal_places=0
    )
    since = BoundedDateFilter(
        label=_("Từ ngày"), field_name="created_at", lookup_expr="date__gte", widget=DateInput()
    )
    until = BoundedDateFilter(
        label=_("Đến ngày"), field_name="created_at", lookup_expr="date__lte", widget=DateInput()
    )
    sort = SortFilter(choices=[("-created_at", _("Mới nhất trước")), ("created_at", _("Cũ nhất trước"))])

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(object_repr__icontains=value) | Q(reason__icontains=value) | Q(detail__summary__icontains=value)
        )

    def by_actor(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(actor__full_name__icontains=value) | Q(actor__email__icontains=value))
