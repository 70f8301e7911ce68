"""The audit page's filters (django-filter): words, the kind of object and its id, who, which action,
from and to which day."""

import django_filters
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dksangtao.forms import DateInput
from dksangtao.lists import SortFilter
from dksangtao.models import Action

# The apps whose objects the trail speaks of (the kinds offered in the filter).
PORTAL_APPS = ["accounts", "submissions", "councils", "awards", "fund", "reports"]


class ObjectKindChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        model = obj.model_class()
        return str(model._meta.verbose_name).capitalize() if model else obj.model


class ObjectKindFilter(django_filters.ModelChoiceFilter):
    field_class = ObjectKindChoice


class AuditFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Tìm (đối tượng, lý do, nội dung)"),
        method="search",
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    actor = django_filters.CharFilter(label=_("Người thực hiện"), method="by_actor")
    action = django_filters.ChoiceFilter(label=_("Việc"), choices=Action.choices, empty_label=_("Tất cả"))
    kind = ObjectKindFilter(
        label=_("Loại đối tượng"),
        field_name="content_type",
        queryset=ContentType.objects.filter(app_label__in=PORTAL_APPS).order_by("app_label", "model"),
        empty_label=_("Tất cả"),
    )
    object = django_filters.NumberFilter(
        label=_("Mã đối tượng"), field_name="object_id", min_value=1, max_value=10**18, decimal_places=0
    )
    since = django_filters.DateFilter(
        label=_("Từ ngày"), field_name="created_at", lookup_expr="date__gte", widget=DateInput()
    )
    until = django_filters.DateFilter(
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
