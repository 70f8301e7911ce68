"""The read-only public API (issue #11): the public records with search, filters and pages, one
record by its reference (410 once withdrawn), a year's published award list, the statistics.
Only GET, HEAD and OPTIONS; no authentication (settings.REST_FRAMEWORK), so a logged-in Front
admin reads exactly what an anonymous visitor reads; anonymous requests are rate limited."""

from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.generics import GenericAPIView, ListAPIView, RetrieveAPIView
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from awards.selectors import PUBLIC_HONOUREE_COLUMNS, published_list
from public.api.exceptions import Gone
from public.api.filters import RecordApiFilter
from public.api.serializers import (
    AwardListSerializer,
    ErrorSerializer,
    RecordDetailSerializer,
    RecordSerializer,
    StatisticsSerializer,
    with_visible_records,
)
from public.selectors import record_by_reference, statistics, visible_records

RECORDS = _("Cơ sở dữ liệu sáng tạo")
AWARDS = _("Danh sách tôn vinh")
ERROR = OpenApiResponse(ErrorSerializer, description=_("Lỗi, với thông báo tiếng Việt trong trường detail."))
INVALID = OpenApiResponse(
    ErrorSerializer, description=_("Tham số không hợp lệ: thông báo của từng tham số trong trường errors.")
)
THROTTLED = OpenApiResponse(
    ErrorSerializer, description=_("Quá nhiều yêu cầu; header Retry-After cho biết số giây phải chờ.")
)


class RecordPagination(PageNumberPagination):
    """The pages of /records/ and of an award list's honourees."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    page_query_description = _("Số trang, bắt đầu từ 1.")
    page_size_query_description = _("Số bản ghi mỗi trang (mặc định 20, tối đa 100).")
    invalid_page_message = _("Không có trang này.")


@extend_schema(
    tags=[RECORDS],
    summary=_("Tìm các sáng kiến, giải pháp công khai"),
    description=_(
        "Các bản ghi công khai của cơ sở dữ liệu sáng tạo (không gồm bản ghi đã gỡ), có tìm kiếm, "
        "bộ lọc và phân trang. Tham số không hợp lệ trả về 400 với thông báo tiếng Việt."
    ),
    parameters=[
        OpenApiParameter("field", str, description=_("Lĩnh vực: mã số hoặc mã chữ (ví dụ khcn-cds).")),
        OpenApiParameter("kind", str, description=_("Loại hồ sơ: mã số hoặc mã chữ (ví dụ sang-kien).")),
        OpenApiParameter(
            "unit",
            str,
            description=_("Đơn vị, kể cả các đơn vị trực thuộc: mã số hoặc mã đơn vị (ví dụ so-khcn)."),
        ),
    ],
    responses={200: RecordSerializer(many=True), 400: INVALID, 404: ERROR, 429: THROTTLED},
)
class RecordListView(ListAPIView):
    queryset = visible_records().select_related("field", "kind")
    serializer_class = RecordSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = RecordApiFilter
    pagination_class = RecordPagination


@extend_schema(
    tags=[RECORDS],
    summary=_("Một bản ghi theo số hồ sơ"),
    description=_(
        "Bản ghi công khai cùng các đơn vị đã áp dụng (đã được xác nhận). Bản ghi đã gỡ trả về 410, "
        "số hồ sơ không có trả về 404."
    ),
    parameters=[
        OpenApiParameter(
            "reference", str, OpenApiParameter.PATH, description=_("Số hồ sơ, ví dụ DKST-2026-00001.")
        )
    ],
    responses={200: RecordDetailSerializer, 404: ERROR, 410: ERROR, 429: THROTTLED},
)
class RecordDetailView(RetrieveAPIView):
    serializer_class = RecordDetailSerializer

    def get_object(self):
        record = record_by_reference(self.kwargs["reference"])
        if record.is_withdrawn:
            raise Gone
        return record


@extend_schema(
    tags=[AWARDS],
    summary=_("Danh sách tôn vinh đã công bố của một năm"),
    description=_(
        "Danh sách «Người Việt Nam đoàn kết sáng tạo» của năm, như trang công khai của nó, chia trang "
        "như /records/ (page, page_size ≤ 100; count, next, previous); 404 khi năm đó chưa có danh sách "
        "được công bố hoặc không có trang này."
    ),
    parameters=[
        OpenApiParameter("year", int, OpenApiParameter.PATH, description=_("Năm, ví dụ 2026.")),
        OpenApiParameter("page", int, description=RecordPagination.page_query_description),
        OpenApiParameter("page_size", int, description=RecordPagination.page_size_query_description),
    ],
    responses={200: AwardListSerializer, 404: ERROR, 429: THROTTLED},
)
class AwardYearView(GenericAPIView):
    serializer_class = AwardListSerializer
    pagination_class = RecordPagination

    def get(self, request, year):
        award_list = published_list(year)
        honourees = award_list.honourees.only(*PUBLIC_HONOUREE_COLUMNS).order_by("position", "id")
        page = self.paginate_queryset(honourees)
        answer = {
            "award_list": award_list,
            "count": self.paginator.page.paginator.count,
            "next": self.paginator.get_next_link(),
            "previous": self.paginator.get_previous_link(),
            "honourees": with_visible_records(page),
        }
        return Response(self.get_serializer(answer).data)


@extend_schema(
    tags=[RECORDS],
    summary=_("Thống kê cơ sở dữ liệu sáng tạo"),
    description=_(
        "Số bản ghi công khai theo năm, lĩnh vực và loại đơn vị; tổng lợi ích kinh tế; các lượt áp "
        "dụng đã được xác nhận."
    ),
    responses={200: StatisticsSerializer, 429: THROTTLED},
)
class StatisticsView(APIView):
    def get(self, request):
        return Response(StatisticsSerializer(statistics()).data)
