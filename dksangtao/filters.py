"""The audit page's filters (django-filter): words, the kind of object and its id, who, which action,
from and to which day."""

import datetime as dt

import django_filters
from django import forms
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django_filters.constants import EMPTY_VALUES

from dksangtao.forms import BoundedDateField, DateInput
from dksangtao.lists import SortFilter
from dksangtao.models import Action

# The apps whose objects the trail speaks of (the kinds offered in the filter).
PORTAL_APPS = ["accounts", "submissions", "councils", "awards", "fund", "reports", "public"]


def object_kinds():
    """The kinds of object, grouped by part of the portal, in its words (read from the content types'
    cache: no query after the first page)."""
    groups: dict[str, list] = {}
    for label in sorted(PORTAL_APPS):
        config = apps.get_app_config(label)
        models = sorted(config.get_models(), key=lambda model: model._meta.model_name)
        kinds = ContentType.objects.get_for_models(*models, for_concrete_models=False)
        if models:
            groups[str(config.verbose_name)] = [
                (kinds[model].pk, capfirst(model._meta.verbose_name)) for model in models
            ]
    return list(groups.items())


class BoundedDateFilter(django_filters.DateFilter):
    """A day filter that refuses «01/01/0001» or «31/12/9999» with a message, as the forms' dates do;
    the day (in the portal's time zone) is a range of `field_name`'s times, so that the time index
    answers it: «from» is from the day's first moment, «to» before the next day's."""

    field_class = BoundedDateField

    def __init__(self, *, until: bool = False, **kwargs):
        self.until = until
        super().__init__(lookup_expr="lt" if until else "gte", **kwargs)

    def filter(self, qs, value):
        if value in EMPTY_VALUES:
            return qs
        day = value + dt.timedelta(days=1) if self.until else value
        moment = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
        return super().filter(qs, moment)


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
    since = BoundedDateFilter(label=_("Từ ngày"), field_name="created_at", widget=DateInput())
    until = BoundedDateFilter(label=_("Đến ngày"), field_name="created_at", until=True, widget=DateInput())
    sort = SortFilter(choices=[("-created_at", _("Mới nhất trước")), ("created_at", _("Cũ nhất trước"))])

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(object_repr__icontains=value) | Q(reason__icontains=value) | Q(detail__summary__icontains=value)
        )

    def by_actor(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(actor__full_name__icontains=value) | Q(actor__email__icontains=value))
