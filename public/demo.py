"""Demo data for the public creativity database (issue #11): three past campaigns before the demo's
previous one, each with fifteen dossiers of the province's units across every field, recognised at
their unit and put in the database by a Front admin, and a few units applying them elsewhere.

Everything goes through the services: `dossier_create`, `dossier_submit` and `dossier_recognise` on
days inside each campaign's windows, then `record_mark` by the demo Front admin; the applications
through `application_record` by a unit's staff member and `application_confirm` by its reviewer
(two are left waiting, for the reviewers' queue). The demo has unit staff and reviewers only at the
Departments of Science and of Education, so — as in submissions.demo — they enter and recognise the
other units' archive dossiers too. The previous campaign's honourees become public by themselves
when awards.demo publishes its list (public.receivers).

Idempotent: a past dossier is made only when its campaign holds no dossier with its title, an
application only when its unit has none for that record. Some dossiers carry a confidential section
and most keep their authors' names private: neither must ever show on the public side."""

import datetime as dt
from typing import NamedTuple

from django.utils import timezone

from accounts.models import Unit, User
from public.models import PublicRecord, RecordApplication
from public.services import application_confirm, application_record, record_mark
from submissions import services
from submissions.demo import DOMAIN, _campaign_dates, demo_campaigns
from submissions.models import Campaign, Dossier, DossierKind, Field, UnitGrade

PAST_YEARS = 3


class PastDossier(NamedTuple):
    years_back: int  # 1 = the year before the demo's previous campaign
    unit: str
    kind: str
    field: str
    title: str
    summary: str
    situation: str
    solution: str
    benefits: str
    benefit_vnd: int | None
    authors: tuple  # (full name, date of birth, position, qualification)
    consent: bool
    collective: str = ""
    confidential: str = ""


# Tính mới, điều kiện áp dụng, phạm vi áp dụng: worded per field.
FIELD_TEXTS = {
    "qlnn-cchc": (
        "Lần đầu áp dụng trên địa bàn tỉnh; thay quy trình giấy bằng quy trình điện tử mà không cần "
        "thay đổi quy định hiện hành.",
        "Đường truyền ổn định, cán bộ được tập huấn hai buổi; lãnh đạo đơn vị ban hành quy chế sử dụng.",
        "Áp dụng được tại các sở, ngành và UBND xã, phường trong tỉnh có cùng thủ tục, nghiệp vụ.",
    ),
    "nong-lam-ngu": (
        "Kết hợp kỹ thuật sẵn có với điều kiện đất đai, thời tiết của địa phương theo cách chưa từng "
        "áp dụng trong tỉnh.",
        "Hộ sản xuất được cán bộ kỹ thuật hướng dẫn; vật tư mua được tại địa phương.",
        "Nhân rộng được cho các xã vùng đồng bằng ven phá và vùng gò đồi của tỉnh.",
    ),
    "cn-xd-gt": (
        "Giải pháp kỹ thuật do người lao động tự thiết kế, chế tạo; chưa có sản phẩm tương tự trên "
        "thị trường trong nước.",
        "Xưởng cơ khí có máy tiện, phay, hàn thông thường; thợ bậc 4/7 trở lên lắp đặt được.",
        "Áp dụng được cho các doanh nghiệp cùng ngành nghề và các công trình xây dựng trong tỉnh.",
    ),
    "giao-duc": (
        "Lần đầu áp dụng trong các trường của tỉnh; đổi mới cách tổ chức dạy học và quản lý.",
        "Giáo viên được tập huấn; học sinh có điện thoại hoặc máy tính kết nối mạng ở trường hoặc ở nhà.",
        "Áp dụng được tại các trường phổ thông, trung tâm giáo dục nghề nghiệp và cơ sở đại học.",
    ),
    "y-te": (
        "Lần đầu triển khai tại cơ sở y tế công lập của tỉnh; phù hợp quy định chuyên môn của Bộ Y tế.",
        "Cơ sở y tế có phần mềm quản lý bệnh viện hoặc trạm y tế, nhân viên được tập huấn.",
        "Áp dụng được tại các bệnh viện, trung tâm y tế và trạm y tế xã, phường trong tỉnh.",
    ),
    "khcn-cds": (
        "Sản phẩm công nghệ do đơn vị tự làm chủ, dùng phần mềm mã nguồn mở và linh kiện trong nước.",
        "Có cán bộ kỹ thuật vận hành; máy chủ đặt tại Trung tâm dữ liệu của tỉnh.",
        "Dùng chung được cho các sở, ngành, địa phương và doanh nghiệp trong tỉnh.",
    ),
    "vh-xh-dl": (
        "Cách làm mới, dựa vào cộng đồng; huy động người dân cùng làm và cùng hưởng lợi.",
        "Có sự đồng thuận của khu dân cư và hỗ trợ ban đầu của chính quyền, đoàn thể.",
        "Nhân rộng được ở các thôn, tổ dân phố và các tổ chức đoàn thể trong tỉnh.",
    ),
    "qp-an": (
        "Lần đầu áp dụng trong lực lượng vũ trang của tỉnh; tận dụng thiết bị sẵn có.",
        "Đơn vị có cán bộ kỹ thuật; tuân thủ quy định bảo vệ bí mật nhà nước.",
        "Áp dụng được tại các đơn vị lực lượng vũ trang và công an xã, phường trong tỉnh.",
    ),
}

P = PastDossier
DOSSIERS = [
    # The year before the previous campaign ----------------------------------------------------
    P(
        1,
        "htx-thuy-thanh",
        "giai-phap",
        "nong-lam-ngu",
        "Hệ thống tưới tiết kiệm nước nhỏ giọt cho vườn thanh trà trên đất đồi",
        "Vườn thanh trà của xã viên trên đất đồi thường thiếu nước vào mùa khô, quả nhỏ và rụng nhiều. "
        "Hợp tác xã lắp hệ thống tưới nhỏ giọt dùng bồn chứa trên cao, ống dẫn PE và bộ hẹn giờ chạy "
        "bằng pin mặt trời. Mỗi gốc được cấp nước và phân hòa tan đúng lượng theo từng giai đoạn ra "
        "hoa, nuôi quả. Sau hai mùa áp dụng trên 12 ha, lượng nước tưới giảm 45%, công tưới giảm hai "
        "phần ba và năng suất tăng khoảng 20%.",
        "Xã viên tưới bằng vòi phun thủ công, mỗi héc-ta mất khoảng 30 công mỗi mùa khô; nước bơm từ "
        "khe suối không đủ cho cả vùng nên nhiều vườn bị bỏ khô.",
        "Nước được bơm lên bồn 5 m³ đặt trên đỉnh đồi, tự chảy xuống các tuyến ống nhánh theo đường "
        "đồng mức. Đầu nhỏ giọt bù áp 4 lít/giờ đặt quanh tán, bộ hẹn giờ điều khiển van điện từ theo "
        "lịch do cán bộ kỹ thuật lập cho từng tháng. Phân bón hòa tan được châm vào đường ống qua bình "
        "venturi, giảm rửa trôi trên đất dốc.",
        "Tiết kiệm 45% lượng nước và khoảng 20 công lao động mỗi héc-ta mỗi mùa; quả đồng đều hơn, "
        "giá bán cao hơn 3.000–5.000 đồng/kg.",
        420_000_000,
        (
            ("Hồ Văn Thành", "1974-06-15", "Giám đốc Hợp tác xã", "Kỹ sư nông học"),
            ("Nguyễn Thị Bích Ngọc", "1989-10-02", "Cán bộ kỹ thuật", "Kỹ sư"),
        ),
        True,
        confidential="Bản vẽ bộ điều khiển van và mã nguồn chương trình hẹn giờ của HTX Thủy Thanh, "
        "chưa đăng ký bảo hộ.",
    ),
    P(
        1,
        "hoi-phu-nu",
        "sang-kien",
        "nong-lam-ngu",
        "Mô hình xử lý rác thải hữu cơ thành phân compost tại hộ gia đình",
        "Rác thải hữu cơ chiếm hơn một nửa lượng rác sinh hoạt ở nông thôn, phần lớn được đổ chung và "
        "chở đi chôn lấp. Hội Phụ nữ hướng dẫn hội viên phân loại rác tại nguồn và ủ rác hữu cơ trong "
        "thùng nhựa có lỗ thông khí với chế phẩm vi sinh. Sau 30–45 ngày, rác thành phân compost dùng "
        "bón rau, cây ăn quả trong vườn nhà. Mô hình đã có 1.850 hộ tham gia, lượng rác phải thu gom "
        "giảm khoảng 40%.",
        "Bãi chôn lấp quá tải, chi phí thu gom tăng hằng năm; rác hữu cơ để lẫn gây mùi và nước rỉ ở "
        "các điểm tập kết.",
        "Mỗi hộ được hỗ trợ một thùng ủ 120 lít có van xả nước, chế phẩm vi sinh và tờ hướng dẫn bằng "
        "tranh. Chi hội trưởng kiểm tra định kỳ, hộ làm tốt hướng dẫn lại hộ bên cạnh. Phân compost dư "
        "được hội viên trao đổi lấy rau, cây giống tại «Phiên chợ xanh» hằng tháng.",
        "Giảm 40% rác phải thu gom; mỗi hộ tiết kiệm khoảng 600.000 đồng tiền phân bón mỗi năm; đường "
        "làng sạch hơn, không còn điểm đổ rác tự phát.",
        1_110_000_000,
        (
            ("Trần Thị Thu Hương", "1978-03-21", "Phó Chủ tịch Hội", "Cử nhân"),
            ("Lê Thị Mỹ Linh", "1992-08-30", "Chuyên viên", "Kỹ sư môi trường"),
        ),
        True,
    ),
    P(
        1,
        "so-nv",
        "giai-phap",
        "qlnn-cchc",
        "Phần mềm quản lý hồ sơ cán bộ, công chức, viên chức dùng chung toàn tỉnh",
        "Hồ sơ của hơn 28.000 cán bộ, công chức, viên chức trước đây lưu bằng giấy và nhiều tệp Excel "
        "rời ở từng cơ quan. Sở Nội vụ xây dựng cơ sở dữ liệu dùng chung, chuẩn hóa 96 trường thông tin "
        "theo quy định và kết nối với phần mềm tính lương. Việc nâng lương, bổ nhiệm, nghỉ hưu được "
        "nhắc hạn tự động cho người phụ trách. Thời gian tổng hợp báo cáo về đội ngũ giảm từ hai tuần "
        "xuống vài phút.",
        "Mỗi lần báo cáo, các cơ quan phải nhập lại số liệu; sai lệch giữa các nguồn thường xuyên xảy "
        "ra, nhiều trường hợp nâng lương chậm vì không ai theo dõi hạn.",
        "Dữ liệu được nhập một lần tại cơ quan quản lý trực tiếp, phân quyền theo cấp; mọi thay đổi đều "
        "lưu lịch sử. Hệ thống tự kiểm tra ngạch, bậc, hệ số và gửi danh sách đến hạn nâng lương trước "
        "30 ngày. Báo cáo theo mẫu của Bộ Nội vụ được kết xuất trực tiếp.",
        "Tiết kiệm khoảng 3.500 ngày công tổng hợp mỗi năm; không còn trường hợp nâng lương chậm do "
        "quên hạn.",
        850_000_000,
        (
            ("Phạm Văn Đức", "1981-12-05", "Trưởng phòng Công chức, viên chức", "Thạc sĩ"),
            ("Hoàng Thị Ngân", "1990-04-18", "Chuyên viên", "Kỹ sư công nghệ thông tin"),
        ),
        False,
        confidential="Tài khoản quản trị máy chủ và sơ đồ phân vùng mạng của cơ sở dữ liệu cán bộ.",
    ),
    P(
        1,
        "p-vy-da",
        "sang-kien",
        "vh-xh-dl",
        "Mô hình «Tổ tự quản đường hoa» ở khu dân cư ven sông",
        "Các tuyến kiệt hẻm ven sông từng là nơi đổ rác và phế thải xây dựng. Phường vận động mỗi tổ "
        "dân phố lập tổ tự quản, các hộ nhận chăm sóc đoạn đường trước nhà và cùng góp tiền mua cây "
        "hoa. Tổ họp hằng tháng, phân công tưới, nhổ cỏ và nhắc nhở hộ vi phạm. Đến nay 27 tuyến đường "
        "hoa dài 9,6 km được duy trì, trở thành điểm chụp ảnh quen thuộc của du khách.",
        "Kiệt hẻm ven sông ngập rác sau mỗi mùa lũ; ngân sách phường không đủ để thuê chăm sóc cây xanh "
        "thường xuyên.",
        "Ủy ban phường hỗ trợ cây giống và bồn hoa đợt đầu; các hộ tự quản phần còn lại theo quy ước "
        "do tổ dân phố thông qua. Mỗi tuyến có biển tên tổ tự quản và số điện thoại tổ trưởng. Cuối năm "
        "phường bình chọn tuyến đẹp nhất, khen thưởng bằng cây giống và chậu hoa.",
        "Không còn điểm đổ rác tự phát; phường tiết kiệm khoảng 180 triệu đồng/năm chi phí chăm sóc cây "
        "xanh; tình làng nghĩa xóm gắn bó hơn.",
        180_000_000,
        (
            ("Nguyễn Văn Sáu", "1965-01-10", "Tổ trưởng tổ dân phố", "Trung cấp"),
            ("Tôn Thất Hoàng", "1970-09-09", "Chủ tịch UBND phường", "Cử nhân"),
            ("Đoàn Thị Lệ", "1984-02-14", "Công chức Văn hóa – Xã hội", "Cử nhân"),
        ),
        False,
        collective="Ban vận động «Tổ tự quản đường hoa» phường Vỹ Dạ",
    ),
    P(
        1,
        "dn-co-khi-huong-giang",
        "sang-che",
        "cn-xd-gt",
        "Đồ gá hàn xoay định vị nhanh cho dầm thép tổ hợp",
        "Khi hàn dầm thép chữ I tổ hợp, công nhân phải dùng cầu trục lật dầm nhiều lần, mất thời gian "
        "và dễ cong vênh. Công ty thiết kế đồ gá xoay có hai mâm kẹp dẫn động bằng động cơ giảm tốc, "
        "quay dầm đến góc hàn thuận lợi nhất. Đồ gá chế tạo hoàn toàn tại xưởng từ vật tư trong nước. "
        "Năng suất hàn tăng 35%, tỷ lệ dầm phải nắn sửa giảm từ 8% xuống dưới 2%.",
        "Mỗi dầm dài 12 m phải lật 4–6 lần bằng cầu trục, mỗi lần mất 15 phút và tiềm ẩn tai nạn lao động.",
        "Hai mâm kẹp chạy trên ray, điều chỉnh được khoảng cách theo chiều dài dầm từ 6 đến 15 m. Động "
        "cơ giảm tốc có biến tần cho phép quay chậm liên tục khi hàn tự động hoặc dừng ở góc bất kỳ. Cơ "
        "cấu khóa cơ khí giữ dầm an toàn khi mất điện.",
        "Làm lợi khoảng 650 triệu đồng/năm nhờ tăng năng suất và giảm phế phẩm; không còn lật dầm bằng "
        "cầu trục.",
        650_000_000,
        (
            ("Trương Công Hiếu", "1983-07-07", "Quản đốc phân xưởng", "Kỹ sư cơ khí"),
            ("Lê Văn Tài", "1991-11-11", "Tổ trưởng tổ hàn", "Công nhân bậc 6/7"),
        ),
        True,
        confidential="Thông số bộ truyền và bản vẽ cơ cấu khóa đồ gá, đang làm thủ tục đăng ký giải "
        "pháp hữu ích.",
    ),
    P(
        1,
        "so-xd",
        "giai-phap",
        "cn-xd-gt",
        "Bản đồ số quản lý cấp phép xây dựng và trật tự đô thị",
        "Giấy phép xây dựng và biên bản vi phạm trước đây lưu ở nhiều sổ sách, khó đối chiếu với thực "
        "địa. Sở Xây dựng đưa toàn bộ giấy phép từ năm 2018 lên bản đồ số, gắn vị trí thửa đất và bản "
        "vẽ được duyệt. Cán bộ kiểm tra dùng điện thoại chụp ảnh, ghi vị trí và đối chiếu ngay với giấy "
        "phép. Người dân tra cứu được quy hoạch và tình trạng giấy phép của thửa đất trên cổng thông tin.",
        "Công trình sai phép thường bị phát hiện chậm vì cán bộ phải tìm hồ sơ giấy ở cơ quan rồi mới "
        "ra hiện trường.",
        "Dữ liệu giấy phép được số hóa, chuẩn hóa tọa độ theo hệ VN-2000 và hiển thị trên nền bản đồ địa "
        "chính. Ứng dụng di động lập phiếu kiểm tra tại chỗ, cảnh báo khi công trình vượt số tầng hoặc "
        "chỉ giới được cấp. Báo cáo tình hình trật tự xây dựng được tổng hợp theo ngày.",
        "Thời gian xử lý một vụ vi phạm giảm từ 15 ngày xuống 5 ngày; người dân không phải đến cơ quan "
        "để hỏi thông tin quy hoạch.",
        None,
        (
            ("Nguyễn Hữu Lộc", "1980-05-25", "Phó Chánh Thanh tra", "Thạc sĩ"),
            ("Phan Thanh Tú", "1993-03-03", "Chuyên viên", "Kỹ sư xây dựng"),
        ),
        False,
    ),
    P(
        1,
        "thpt-nguyen-hue",
        "sang-kien",
        "giao-duc",
        "Sổ tay hướng nghiệp điện tử cho học sinh lớp 12",
        "Nhiều học sinh chọn ngành theo bạn bè hoặc cảm tính, đến năm nhất đại học mới nhận ra không phù "
        "hợp. Tổ tư vấn của trường biên soạn sổ tay hướng nghiệp điện tử gồm trắc nghiệm sở thích, thông "
        "tin 120 ngành học và điểm chuẩn ba năm gần nhất. Học sinh làm trắc nghiệm, xem gợi ý ngành và "
        "đặt lịch trao đổi với giáo viên tư vấn. Tỷ lệ học sinh đổi nguyện vọng vào phút chót giảm rõ "
        "rệt.",
        "Giờ hướng nghiệp trên lớp ít, tài liệu rời rạc; phụ huynh ở xa thiếu thông tin để cùng con "
        "chọn ngành.",
        "Sổ tay chạy trên điện thoại, không cần cài đặt; giáo viên cập nhật nội dung mỗi năm sau khi các "
        "trường công bố điểm chuẩn. Kết quả trắc nghiệm được lưu để giáo viên chủ nhiệm theo dõi. Phụ "
        "huynh nhận đường dẫn để xem cùng con.",
        "Hơn 90% học sinh lớp 12 sử dụng; 85% học sinh trúng tuyển nguyện vọng một.",
        None,
        (
            ("Lê Thị Thanh Tâm", "1985-06-06", "Giáo viên", "Thạc sĩ tâm lý học"),
            ("Nguyễn Văn Quý", "1979-02-02", "Phó Hiệu trưởng", "Thạc sĩ"),
        ),
        True,
    ),
    P(
        1,
        "dai-hoc-hue",
        "cong-trinh-de-tai",
        "giao-duc",
        "Hệ thống chấm bài lập trình tự động cho sinh viên năm nhất",
        "Mỗi học kỳ giảng viên phải chấm hàng nghìn bài tập lập trình, sinh viên chờ nhiều ngày mới biết "
        "mình sai ở đâu. Nhóm nghiên cứu xây dựng hệ thống chạy bài làm trong môi trường cách ly, so với "
        "bộ dữ liệu kiểm thử và trả kết quả trong vài giây. Hệ thống phát hiện bài sao chép bằng cách so "
        "sánh cấu trúc mã. Sau hai học kỳ, tỷ lệ sinh viên nộp bài đầy đủ tăng từ 62% lên 91%.",
        "Lớp học phần đông, giảng viên không đủ thời gian nhận xét từng bài; sao chép bài khó phát hiện.",
        "Bài nộp được chạy trong container giới hạn thời gian và bộ nhớ; mỗi bài có 10–20 bộ kiểm thử, "
        "một phần được ẩn. Giảng viên xem thống kê lỗi thường gặp để điều chỉnh bài giảng. Mã nguồn hệ "
        "thống được công bố để các trường khác dùng lại.",
        "Giảm khoảng 600 giờ chấm bài mỗi học kỳ; sinh viên được phản hồi ngay và luyện tập nhiều hơn.",
        240_000_000,
        (
            ("Trần Đình Khang", "1982-08-19", "Giảng viên chính", "Tiến sĩ"),
            ("Võ Thị Minh Thư", "1994-01-27", "Giảng viên", "Thạc sĩ"),
            ("Ngô Quang Huy", "1996-12-12", "Kỹ sư phần mềm", "Kỹ sư"),
        ),
        True,
    ),
    P(
        1,
        "bv-tw-hue",
        "giai-phap",
        "y-te",
        "Phần mềm đặt lịch khám bệnh trực tuyến và lấy số thứ tự trên điện thoại",
        "Mỗi ngày bệnh viện tiếp nhận hơn 4.000 lượt khám ngoại trú, người bệnh phải đến từ 5 giờ sáng "
        "để xếp hàng lấy số. Bệnh viện xây dựng phần mềm đặt lịch theo khung giờ, chọn chuyên khoa và "
        "bác sĩ, nhận số thứ tự qua tin nhắn. Màn hình tại khu khám và trên điện thoại báo số đang gọi "
        "để người bệnh chủ động thời gian. Thời gian chờ trung bình giảm từ 3 giờ xuống còn khoảng 50 "
        "phút.",
        "Khu tiếp đón quá tải vào buổi sáng; người bệnh ở vùng xa phải đến từ đêm hôm trước.",
        "Lịch khám chia khung 30 phút theo năng lực từng phòng khám; thẻ bảo hiểm y tế được kiểm tra tự "
        "động khi đặt. Hệ thống nhắc lịch trước một ngày và tự giải phóng chỗ nếu người bệnh không xác "
        "nhận. Người cao tuổi vẫn lấy số tại quầy với tỷ lệ giữ chỗ riêng.",
        "Người bệnh tiết kiệm trung bình hai giờ mỗi lượt khám; 38% lượt khám ngoại trú được đặt lịch "
        "trước, khu tiếp đón hết ùn tắc.",
        None,
        (
            ("Phan Hữu Nhân", "1977-04-04", "Trưởng phòng Công nghệ thông tin", "Thạc sĩ"),
            ("Đặng Thị Hồng Nhung", "1988-09-17", "Điều dưỡng trưởng khoa Khám bệnh", "Cử nhân điều dưỡng"),
        ),
        False,
        confidential="Cấu hình kết nối cổng giám định bảo hiểm y tế và khóa truy cập dịch vụ tin nhắn "
        "của bệnh viện.",
    ),
    P(
        1,
        "cdc",
        "sang-kien",
        "y-te",
        "Bản đồ cảnh báo ổ dịch sốt xuất huyết theo tổ dân phố",
        "Ca sốt xuất huyết trước đây được báo cáo theo xã, phường nên khó khoanh vùng ổ dịch nhỏ. Trung "
        "tâm gắn tọa độ từng ca bệnh lên bản đồ số và tự động cảnh báo khi trong 14 ngày có từ hai ca "
        "trở lên trong bán kính 200 m. Đội phòng chống dịch nhận cảnh báo qua điện thoại để phun hóa chất "
        "và diệt lăng quăng ngay. Số ổ dịch kéo dài quá 14 ngày giảm 60% so với năm trước.",
        "Dữ liệu ca bệnh đến chậm 3–5 ngày và chỉ ở mức xã, phường; việc xử lý ổ dịch thường muộn.",
        "Các cơ sở khám chữa bệnh nhập ca bệnh trên biểu mẫu trực tuyến, địa chỉ được chuyển thành tọa "
        "độ. Thuật toán gom cụm theo không gian và thời gian xác định ổ dịch mới. Bản đồ công khai mức "
        "nguy cơ theo tổ dân phố để người dân chủ động phòng bệnh.",
        "Ổ dịch được xử lý trong vòng 48 giờ; giảm chi phí hóa chất nhờ phun đúng chỗ.",
        300_000_000,
        (
            ("Hồ Thị Kim Chi", "1986-11-30", "Trưởng khoa Kiểm soát bệnh truyền nhiễm", "Bác sĩ CKI"),
            ("Lê Minh Trí", "1992-07-14", "Kỹ thuật viên", "Cử nhân"),
        ),
        True,
    ),
    P(
        1,
        "tt-ung-dung-khcn",
        "giai-phap",
        "khcn-cds",
        "Trạm quan trắc độ mặn tự động cảnh báo cho vùng lúa ven phá Tam Giang",
        "Nước mặn xâm nhập vào kênh nội đồng mùa khô làm nhiều diện tích lúa ven phá bị cháy lá. Trung "
        "tâm chế tạo trạm đo độ mặn dùng cảm biến điện dẫn, năng lượng mặt trời và truyền dữ liệu qua "
        "mạng di động. Khi độ mặn vượt 2‰, hệ thống nhắn tin cho hợp tác xã để đóng cống và ngừng bơm. "
        "Tám trạm đã vận hành, bảo vệ khoảng 1.200 ha lúa.",
        "Cán bộ thủy nông phải đi đo mặn bằng máy cầm tay, mỗi ngày chỉ đo được vài điểm nên cảnh báo "
        "thường muộn.",
        "Trạm gồm cảm biến đặt trong ống bảo vệ chống hà bám, bộ ghi dữ liệu và pin lưu trữ đủ cho ba "
        "ngày không nắng. Dữ liệu 15 phút một lần được đưa lên trang theo dõi chung. Giá một trạm khoảng "
        "18 triệu đồng, bằng một phần ba thiết bị nhập khẩu.",
        "Giảm thiệt hại do mặn ước khoảng 2,1 tỷ đồng mỗi vụ đông xuân.",
        2_100_000_000,
        (
            ("Nguyễn Văn Hiển", "1984-03-09", "Phó Giám đốc", "Thạc sĩ điện tử"),
            ("Trần Thị Thùy Dung", "1995-05-05", "Kỹ sư", "Kỹ sư tự động hóa"),
        ),
        False,
        confidential="Sơ đồ mạch bộ ghi dữ liệu và chương trình hiệu chuẩn cảm biến mặn — bí quyết kỹ "
        "thuật của Trung tâm.",
    ),
    P(
        1,
        "lhh-khkt",
        "y-tuong-moi",
        "khcn-cds",
        "Nền tảng kết nối chuyên gia với doanh nghiệp nhỏ cần đổi mới công nghệ",
        "Nhiều doanh nghiệp nhỏ và hợp tác xã muốn cải tiến sản xuất nhưng không biết tìm ai tư vấn. "
        "Liên hiệp Hội đề xuất nền tảng trực tuyến nơi doanh nghiệp đăng bài toán, các hội thành viên "
        "giới thiệu chuyên gia phù hợp. Buổi tư vấn đầu tiên miễn phí, các bước sau hai bên thỏa thuận "
        "trực tiếp. Thử nghiệm sáu tháng đã kết nối 43 bài toán, 17 bài toán có hợp đồng chuyển giao.",
        "Đội ngũ hơn 2.000 trí thức của các hội chưa được khai thác; doanh nghiệp thường thuê tư vấn "
        "ngoài tỉnh với chi phí cao.",
        "Danh bạ chuyên gia được phân loại theo lĩnh vực, kinh nghiệm và đánh giá sau mỗi lần tư vấn. "
        "Bài toán của doanh nghiệp được biên tập lại bằng ngôn ngữ kỹ thuật trước khi gửi chuyên gia. "
        "Liên hiệp Hội theo dõi đến khi có kết quả áp dụng.",
        "Doanh nghiệp tiết kiệm chi phí tư vấn; trí thức trong tỉnh có thêm cơ hội đóng góp.",
        None,
        (("Lê Văn Thuận", "1968-10-20", "Phó Chủ tịch Liên hiệp Hội", "Phó Giáo sư, Tiến sĩ"),),
        True,
    ),
    P(
        1,
        "so-vhtt",
        "sang-kien",
        "vh-xh-dl",
        "Số hóa 3D hiện vật bảo tàng để trưng bày trực tuyến",
        "Phần lớn hiện vật của bảo tàng nằm trong kho vì không đủ diện tích trưng bày. Nhóm tác giả dùng "
        "máy ảnh thông thường và kỹ thuật chụp đa góc để dựng mô hình 3D của 350 hiện vật. Người xem "
        "xoay, phóng to hiện vật trên điện thoại kèm thuyết minh tiếng Việt và tiếng Anh. Trang trưng "
        "bày trực tuyến đón hơn 90.000 lượt xem trong năm đầu.",
        "Hiện vật quý dễ hư hại khi trưng bày thường xuyên; khách ở xa ít có dịp tiếp cận.",
        "Mỗi hiện vật được chụp 150–300 ảnh trên bàn xoay với ánh sáng khuếch tán; phần mềm mã nguồn mở "
        "dựng mô hình và giảm dung lượng để xem mượt trên điện thoại. Thông tin hiện vật được chuẩn hóa "
        "theo phiếu kiểm kê. Học sinh dùng mô hình trong giờ lịch sử địa phương.",
        "Chi phí số hóa mỗi hiện vật khoảng 300.000 đồng, bằng một phần mười thuê máy quét chuyên dụng.",
        95_000_000,
        (
            ("Tôn Nữ Diệu Hiền", "1987-12-24", "Viên chức Bảo tàng", "Thạc sĩ bảo tàng học"),
            ("Hoàng Trọng Khôi", "1990-06-30", "Kỹ thuật viên nhiếp ảnh", "Cử nhân"),
        ),
        True,
    ),
    P(
        1,
        "cong-an",
        "giai-phap",
        "qp-an",
        "Camera AI giám sát giao thông, tự động phát hiện vi phạm tại các nút giao trọng điểm",
        "Vượt đèn đỏ, đi sai làn và không đội mũ bảo hiểm thường xảy ra ở các nút giao đông xe khi không "
        "có cảnh sát giao thông. Lực lượng công an dùng phần mềm trí tuệ nhân tạo phân tích hình ảnh từ hệ "
        "thống camera sẵn có để tự động nhận diện vi phạm và biển số. Hình ảnh vi phạm được cán bộ xác "
        "minh trước khi gửi thông báo phạt nguội. Sau một năm, số vụ vi phạm tại 16 nút giao giảm khoảng "
        "45%.",
        "Lực lượng tuần tra mỏng; xem lại hàng nghìn giờ ghi hình bằng mắt không thể làm thường xuyên.",
        "Mô hình nhận dạng được huấn luyện trên hình ảnh giao thông địa phương, chạy trên máy chủ tại "
        "Trung tâm chỉ huy. Hệ thống đánh dấu khung hình, biển số và thời điểm; cán bộ chỉ duyệt các "
        "trường hợp đã được lọc. Dữ liệu vi phạm theo giờ giúp bố trí tuần tra hợp lý.",
        "Tai nạn giao thông tại các nút giao được giám sát giảm; tiết kiệm khoảng 70% thời gian xem lại "
        "hình ảnh.",
        None,
        (
            ("Nguyễn Quang Vinh", "1979-08-08", "Trưởng phòng", "Thạc sĩ"),
            ("Lê Anh Tuấn", "1987-01-15", "Đội trưởng", "Cử nhân"),
            ("Hồ Đăng Khoa", "1993-04-22", "Cán bộ kỹ thuật", "Kỹ sư"),
        ),
        False,
        collective="Tập thể Phòng Cảnh sát giao thông",
        confidential="Vị trí các camera chưa công bố và quy trình xác minh nội bộ của lực lượng cảnh "
        "sát giao thông.",
    ),
    P(
        1,
        "ldld",
        "sang-kien",
        "vh-xh-dl",
        "Ứng dụng «Công đoàn số» tiếp nhận phản ánh của công nhân khu công nghiệp",
        "Công nhân ngại phản ánh trực tiếp các vấn đề về tiền lương, bữa ăn ca, nhà trọ. Liên đoàn Lao "
        "động xây dựng ứng dụng để đoàn viên gửi phản ánh ẩn danh, theo dõi kết quả giải quyết và đăng "
        "ký các chương trình phúc lợi. Công đoàn cơ sở nhận phản ánh trong ngày và trả lời trong 5 ngày "
        "làm việc. Năm đầu tiên, 1.260 phản ánh được giải quyết, 14 doanh nghiệp nâng chất lượng bữa ăn "
        "ca.",
        "Kênh phản ánh chủ yếu qua hộp thư giấy và tổ trưởng, nhiều ý kiến không đến được công đoàn.",
        "Ứng dụng trên điện thoại, đăng nhập bằng số thẻ đoàn viên; phản ánh có thể ẩn danh với doanh "
        "nghiệp. Bảng theo dõi giúp Liên đoàn Lao động đôn đốc các vụ việc quá hạn. Các chương trình "
        "«Tết sum vầy», «Mái ấm công đoàn» được đăng ký trực tuyến.",
        "Quan hệ lao động hài hòa hơn, không xảy ra ngừng việc tập thể tại các doanh nghiệp tham gia.",
        None,
        (
            ("Dương Thị Phương", "1982-02-28", "Trưởng ban Tuyên giáo", "Cử nhân luật"),
            ("Nguyễn Đức Anh", "1994-10-10", "Chuyên viên", "Kỹ sư công nghệ thông tin"),
        ),
        True,
    ),
    # Two years before ---------------------------------------------------------------------------
    P(
        2,
        "h-phu-vang",
        "sang-kien",
        "qlnn-cchc",
        "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính tại Bộ phận một cửa cấp huyện",
        "Kho lưu trữ của Bộ phận một cửa có hơn 45.000 hồ sơ giấy, tìm lại một hồ sơ cũ mất nhiều giờ. "
        "Huyện số hóa toàn bộ hồ sơ và kết quả giải quyết, gắn mã hồ sơ với cơ sở dữ liệu dân cư. Người "
        "dân làm thủ tục lần sau không phải nộp lại giấy tờ đã có. Thời gian tra cứu hồ sơ giảm từ vài "
        "giờ xuống dưới một phút, tỷ lệ hồ sơ nộp trực tuyến tăng lên 68%.",
        "Người dân phải photo, chứng thực nhiều lần cùng một giấy tờ; hồ sơ giấy hư hỏng do ẩm mốc sau "
        "mùa lũ.",
        "Tổ số hóa gồm công chức và đoàn viên thanh niên quét hồ sơ theo quy trình, đặt tên tệp theo mã "
        "hồ sơ và trích xuất các trường chính. Kết quả giải quyết được ký số và lưu vào kho dữ liệu dùng "
        "chung. Hồ sơ tiếp nhận mới được số hóa ngay tại quầy.",
        "Người dân tiết kiệm khoảng 350 triệu đồng tiền sao y, chứng thực mỗi năm; kho lưu trữ giấy giảm "
        "70% diện tích.",
        350_000_000,
        (
            ("Lê Văn Hòa", "1976-05-12", "Chánh Văn phòng HĐND và UBND huyện", "Thạc sĩ"),
            ("Trần Thị Ngọc Ánh", "1991-09-01", "Công chức Bộ phận một cửa", "Cử nhân luật"),
        ),
        False,
        confidential="Danh sách tài khoản ký số của lãnh đạo huyện và mật khẩu kho dữ liệu một cửa.",
    ),
    P(
        2,
        "tx-huong-thuy",
        "sang-kien",
        "qlnn-cchc",
        "Sổ tay điện tử chi bộ dùng trong sinh hoạt chi bộ thôn, tổ dân phố",
        "Chi bộ thôn, tổ dân phố sinh hoạt hằng tháng nhưng tài liệu in phát chậm, nhiều đảng viên cao "
        "tuổi khó theo dõi. Thị xã xây dựng sổ tay điện tử chứa nghị quyết, tài liệu sinh hoạt chuyên đề "
        "và lịch sinh hoạt của từng chi bộ. Bí thư chi bộ ghi biên bản, điểm danh và gửi thông báo ngay "
        "trên điện thoại. 112 chi bộ đã sử dụng, tiết kiệm phần lớn chi phí in ấn tài liệu.",
        "Tài liệu in sao tốn kém và thường đến chi bộ sau ngày sinh hoạt; biên bản viết tay khó tổng hợp.",
        "Tài liệu được đưa lên một lần và tự phân phối đến từng chi bộ. Chữ hiển thị cỡ lớn, có chức năng "
        "đọc thành tiếng cho đảng viên lớn tuổi. Báo cáo tình hình sinh hoạt chi bộ được tổng hợp tự động "
        "hằng quý.",
        "Tiết kiệm khoảng 120 triệu đồng in ấn mỗi năm; chất lượng sinh hoạt chi bộ được theo dõi thường "
        "xuyên.",
        120_000_000,
        (
            ("Nguyễn Thị Hải Yến", "1983-03-18", "Phó Chánh Văn phòng", "Cử nhân"),
            ("Phạm Quang Đại", "1990-12-20", "Chuyên viên", "Kỹ sư"),
        ),
        True,
    ),
    P(
        2,
        "so-nnmt",
        "giai-phap",
        "nong-lam-ngu",
        "Quy trình nuôi tôm thẻ chân trắng hai giai đoạn trong ao lót bạt ven phá Tam Giang",
        "Nuôi tôm ao đất ven phá thường gặp dịch bệnh, tỷ lệ thành công thấp và làm ô nhiễm nguồn nước. "
        "Quy trình mới ương tôm giống 25–30 ngày trong ao nhỏ có mái che rồi mới chuyển sang ao nuôi lót "
        "bạt. Nước thải được xử lý qua ao lắng và ao trồng rong câu trước khi thải ra phá. Tỷ lệ sống "
        "tăng từ 55% lên 80%, năng suất đạt 18 tấn/ha/vụ.",
        "Nhiều hộ nuôi thua lỗ liên tiếp vì tôm chết sớm; nước thải xả thẳng ra phá làm ô nhiễm vùng nuôi "
        "chung.",
        "Giai đoạn ương kiểm soát nhiệt độ và mật độ, loại tôm yếu trước khi chuyển ao. Ao nuôi lót bạt "
        "HDPE, sục khí đáy, hút chất thải hằng ngày. Lịch thả giống được thống nhất trong vùng để giảm lây "
        "lan dịch bệnh.",
        "Lợi nhuận tăng bình quân 150 triệu đồng/ha/vụ; nước phá tại vùng nuôi áp dụng sạch hơn rõ rệt.",
        1_800_000_000,
        (
            ("Trần Văn Bình", "1975-07-21", "Phó Chi cục trưởng Chi cục Thủy sản", "Tiến sĩ"),
            ("Lê Thị Hồng Vân", "1988-01-09", "Kỹ sư", "Kỹ sư thủy sản"),
        ),
        True,
    ),
    P(
        2,
        "hoi-nong-dan",
        "sang-kien",
        "nong-lam-ngu",
        "Sàn giao dịch nông sản trực tuyến cho hội viên nông dân",
        "Nông dân thường bán nông sản qua thương lái với giá thấp khi vào vụ. Hội Nông dân mở sàn giao "
        "dịch trực tuyến, mỗi chi hội có cán bộ giúp hội viên chụp ảnh, đăng sản phẩm và nhận đơn hàng. "
        "Sản phẩm có mã truy xuất nguồn gốc gắn với hộ sản xuất. Sau một năm, sàn có 640 hộ tham gia, "
        "tiêu thụ hơn 380 tấn nông sản.",
        "Nông dân thiếu kỹ năng bán hàng trực tuyến và không có kênh tiếp cận người tiêu dùng ở thành phố.",
        "Mỗi chi hội chọn một «cán bộ số» được tập huấn bán hàng trực tuyến. Đơn hàng được gom theo tuyến "
        "giao hằng tuần để giảm phí vận chuyển. Hội đứng ra bảo đảm chất lượng và xử lý khiếu nại.",
        "Giá bán cao hơn bán qua thương lái 15–25%; hội viên chủ động được đầu ra.",
        760_000_000,
        (("Hoàng Văn Lợi", "1972-04-16", "Phó Chủ tịch Hội", "Kỹ sư nông nghiệp"),),
        False,
    ),
    P(
        2,
        "dn-det-may-phu-bai",
        "sang-kien",
        "cn-xd-gt",
        "Cải tiến cữ may túi áo giúp giảm thao tác và lỗi đường may",
        "Công đoạn may túi áo sơ mi chiếm nhiều thời gian và có tỷ lệ lỗi cao do công nhân phải căn "
        "chỉnh bằng mắt. Tổ cơ điện chế tạo cữ định vị gắn trên máy may, giữ cố định vị trí và độ rộng "
        "đường diễu. Công nhân mới chỉ cần một buổi hướng dẫn là đạt năng suất. Năng suất công đoạn tăng "
        "28%, tỷ lệ hàng phải sửa giảm từ 6% xuống 1,5%.",
        "Đơn hàng xuất khẩu yêu cầu dung sai đường may 1 mm; tỷ lệ lỗi cao làm chậm giao hàng.",
        "Cữ làm bằng thép không gỉ và nhựa POM, điều chỉnh được theo cỡ túi, lắp vào máy trong năm phút. "
        "Chi phí mỗi bộ khoảng 450.000 đồng; công ty đã lắp cho 140 máy may.",
        "Làm lợi khoảng 1,3 tỷ đồng mỗi năm từ tăng năng suất và giảm hàng sửa.",
        1_300_000_000,
        (
            ("Nguyễn Văn Tín", "1980-09-09", "Tổ trưởng tổ cơ điện", "Trung cấp cơ khí"),
            ("Trần Thị Mai", "1986-06-18", "Chuyền trưởng", "Cao đẳng may"),
        ),
        True,
        confidential="Kích thước cữ theo từng mã hàng của khách hàng — thông tin đơn hàng được bảo mật "
        "theo hợp đồng.",
    ),
    P(
        2,
        "so-xd",
        "giai-phap",
        "cn-xd-gt",
        "Cầu bê tông vượt lũ dùng cốt sợi thủy tinh cho đường giao thông liên thôn",
        "Nhiều cầu tràn liên thôn bị ăn mòn cốt thép sau vài mùa lũ do nước nhiễm mặn. Sở Xây dựng thiết "
        "kế mẫu cầu bản bê tông dùng cốt sợi thủy tinh không gỉ, lắp ghép từ các tấm đúc sẵn. Một cầu dài "
        "12 m thi công trong 10 ngày, không cần máy móc lớn. Sáu cầu đã đưa vào sử dụng qua hai mùa lũ "
        "mà không hư hỏng.",
        "Cầu tràn cũ hư hỏng sau mỗi mùa lũ, người dân phải đi đường vòng hàng chục cây số.",
        "Tấm bản đúc sẵn tại xưởng với cốt sợi thủy tinh, vận chuyển bằng xe tải nhỏ và lắp bằng cẩu tự "
        "hành. Mố cầu được gia cố chống xói bằng rọ đá. Bộ hồ sơ thiết kế mẫu được cung cấp cho các xã.",
        "Giá thành thấp hơn cầu bê tông cốt thép thông thường khoảng 15%; tuổi thọ dự kiến gấp đôi.",
        900_000_000,
        (
            ("Võ Đình Long", "1978-10-05", "Trưởng phòng Quản lý chất lượng công trình", "Thạc sĩ"),
            ("Hồ Thị Thanh Thảo", "1991-03-27", "Kỹ sư kết cấu", "Kỹ sư"),
        ),
        False,
    ),
    P(
        2,
        "so-tttt",
        "giai-phap",
        "khcn-cds",
        "Nền tảng bản đồ số dùng chung cho các sở, ngành và địa phương",
        "Mỗi cơ quan tự xây bản đồ riêng, dữ liệu không khớp nhau và tốn kinh phí thuê lặp lại. Sở Thông "
        "tin và Truyền thông xây dựng nền tảng bản đồ số dùng chung với các lớp nền chuẩn và cơ chế chia "
        "sẻ lớp dữ liệu chuyên ngành. 23 cơ quan đã đưa 140 lớp dữ liệu lên, từ trường học, trạm y tế đến "
        "điểm ngập lụt. Người dân tra cứu các điểm dịch vụ công gần nhất trên điện thoại.",
        "Dữ liệu không gian phân tán, không được cập nhật; mỗi lần cần bản đồ lại phải thuê đơn vị tư vấn.",
        "Nền tảng dùng phần mềm mã nguồn mở, phân quyền cập nhật theo cơ quan chủ quản, dữ liệu theo một "
        "chuẩn thống nhất. Dịch vụ bản đồ được cung cấp qua giao diện lập trình để các phần mềm chuyên "
        "ngành tích hợp.",
        "Tiết kiệm ước tính 4,5 tỷ đồng chi phí xây dựng bản đồ riêng lẻ của các cơ quan.",
        4_500_000_000,
        (
            ("Lê Quang Định", "1979-11-02", "Giám đốc Trung tâm Công nghệ thông tin", "Thạc sĩ"),
            ("Nguyễn Thanh Bình", "1989-08-08", "Kỹ sư GIS", "Kỹ sư"),
        ),
        False,
        confidential="Địa chỉ máy chủ nội bộ và cấu hình tường lửa của nền tảng bản đồ số.",
    ),
    P(
        2,
        "tt-ung-dung-khcn",
        "cong-trinh-de-tai",
        "khcn-cds",
        "Chế phẩm vi sinh xử lý mùi chuồng trại từ chủng vi khuẩn bản địa",
        "Chăn nuôi heo quy mô hộ gây mùi hôi, nhiều nơi phát sinh khiếu nại của người dân xung quanh. Đề "
        "tài phân lập các chủng vi khuẩn có lợi từ đất và phân chuồng tại địa phương, phối trộn thành chế "
        "phẩm dạng bột. Chế phẩm rắc lên đệm lót hoặc pha tưới nền chuồng giảm khí amoniac tới 70%. Trung "
        "tâm đã sản xuất 20 tấn chế phẩm cung cấp cho 900 hộ chăn nuôi.",
        "Chế phẩm nhập từ nơi khác đắt và kém hiệu quả trong điều kiện nóng ẩm của địa phương.",
        "Các chủng vi khuẩn được sàng lọc theo khả năng phân giải và chịu nhiệt, nhân sinh khối trên môi "
        "trường rẻ tiền từ cám gạo và rỉ đường. Quy trình sản xuất được chuẩn hóa để Trung tâm tự cung "
        "ứng.",
        "Giá thành bằng 60% chế phẩm thương mại; giảm mâu thuẫn giữa hộ chăn nuôi và khu dân cư.",
        540_000_000,
        (
            ("Phạm Thị Thu Hằng", "1983-05-15", "Trưởng phòng Công nghệ sinh học", "Tiến sĩ"),
            ("Lê Hữu Phúc", "1992-11-01", "Kỹ sư", "Kỹ sư công nghệ sinh học"),
        ),
        True,
        confidential="Mã hiệu và tỷ lệ phối trộn các chủng vi khuẩn trong chế phẩm (chưa công bố).",
    ),
    P(
        2,
        "thpt-quoc-hoc",
        "sang-kien",
        "giao-duc",
        "Câu lạc bộ nghiên cứu khoa học kỹ thuật theo mô hình cố vấn đồng hành",
        "Học sinh có ý tưởng nghiên cứu nhưng thiếu người hướng dẫn và thiết bị. Trường kết nối mỗi nhóm "
        "học sinh với một giảng viên đại học làm cố vấn và dùng phòng thí nghiệm của đại học vào cuối "
        "tuần. Học sinh được rèn phương pháp nghiên cứu từ đặt câu hỏi, thiết kế thí nghiệm đến viết báo "
        "cáo. Ba năm liền các dự án của trường đạt giải cấp quốc gia.",
        "Giáo viên phổ thông không đủ thời gian và thiết bị để hướng dẫn nghiên cứu chuyên sâu.",
        "Câu lạc bộ tuyển thành viên đầu năm học, mỗi nhóm ba học sinh có một giáo viên của trường và một "
        "cố vấn đại học. Lịch làm việc cố định chiều thứ bảy; cuối học kỳ các nhóm báo cáo trước hội đồng "
        "của trường.",
        "Học sinh hình thành kỹ năng nghiên cứu; nhiều em tiếp tục theo đuổi ngành khoa học cơ bản.",
        None,
        (("Hồ Thị Ngọc Diệp", "1984-12-12", "Giáo viên Sinh học", "Thạc sĩ"),),
        True,
    ),
    P(
        2,
        "so-gddt",
        "giai-phap",
        "giao-duc",
        "Phần mềm tuyển sinh đầu cấp trực tuyến theo địa bàn cư trú",
        "Mỗi mùa tuyển sinh lớp 1 và lớp 6, phụ huynh phải xếp hàng nộp hồ sơ giấy tại trường. Sở xây "
        "dựng phần mềm tuyển sinh trực tuyến, tự xác định trường theo địa chỉ cư trú từ cơ sở dữ liệu dân "
        "cư. Phụ huynh đăng ký, nhận kết quả và xác nhận nhập học trên điện thoại. Năm đầu áp dụng, 87% "
        "hồ sơ được nộp trực tuyến.",
        "Hồ sơ giấy nhiều, nhà trường mất hàng tuần kiểm tra địa chỉ; phụ huynh phải nghỉ làm để nộp.",
        "Phần mềm kết nối cơ sở dữ liệu dân cư để kiểm tra nơi cư trú, tự phân tuyến theo quy định của "
        "từng địa phương. Nhà trường duyệt hồ sơ trực tuyến, danh sách trúng tuyển được công bố cùng lúc.",
        "Tiết kiệm hàng chục nghìn lượt đi lại của phụ huynh; tuyển sinh công khai, đúng tuyến.",
        None,
        (
            ("Đỗ Văn Thắng", "1977-01-30", "Trưởng phòng Quản lý chất lượng", "Thạc sĩ"),
            ("Lê Thị Thu Trang", "1992-02-22", "Chuyên viên", "Kỹ sư"),
        ),
        False,
    ),
    P(
        2,
        "bv-ycct",
        "sang-kien",
        "y-te",
        "Phối hợp châm cứu và vật lý trị liệu sớm cho người bệnh sau đột quỵ",
        "Người bệnh sau đột quỵ thường được chuyển sang phục hồi chức năng muộn, để lại di chứng nặng. "
        "Bệnh viện xây dựng quy trình phối hợp điện châm, xoa bóp và tập vận động ngay từ tuần thứ hai. "
        "Mỗi người bệnh có kế hoạch tập riêng và được hướng dẫn người nhà tập tiếp tại nhà. Tỷ lệ người "
        "bệnh tự đi lại được sau ba tháng tăng từ 48% lên 67%.",
        "Phục hồi chức năng bắt đầu muộn, người nhà không biết cách hỗ trợ tập luyện sau khi ra viện.",
        "Quy trình thống nhất giữa khoa Châm cứu và khoa Phục hồi chức năng, có bảng đánh giá tiến triển "
        "hằng tuần. Video hướng dẫn bài tập được gửi cho người nhà qua điện thoại.",
        "Rút ngắn thời gian điều trị nội trú bình quân 6 ngày; giảm chi phí cho người bệnh và bảo hiểm y tế.",
        620_000_000,
        (("Ngô Thị Thanh Hương", "1981-03-03", "Trưởng khoa Phục hồi chức năng", "Bác sĩ CKII"),),
        True,
    ),
    P(
        2,
        "so-yt",
        "giai-phap",
        "y-te",
        "Hồ sơ sức khỏe điện tử kết nối trạm y tế xã với bệnh viện tuyến trên",
        "Thông tin khám chữa bệnh của người dân nằm rải rác ở trạm y tế và các bệnh viện, bác sĩ không "
        "xem được tiền sử khi chuyển tuyến. Sở Y tế triển khai hồ sơ sức khỏe điện tử dùng chung, trạm y "
        "tế cập nhật khám định kỳ và quản lý bệnh mạn tính. Bệnh viện tuyến trên xem được tiền sử, kết "
        "quả xét nghiệm khi người bệnh đồng ý. Đã có 640.000 người dân có hồ sơ sức khỏe điện tử.",
        "Người bệnh phải mang theo sổ khám giấy, làm lại xét nghiệm khi chuyển tuyến.",
        "Hồ sơ được mở từ dữ liệu tiêm chủng và khám sức khỏe sẵn có, cập nhật qua phần mềm của trạm y tế. "
        "Người dân xem hồ sơ của mình trên ứng dụng và cho phép cơ sở y tế truy cập.",
        "Giảm xét nghiệm trùng lặp khi chuyển tuyến; quản lý tốt hơn người bệnh tăng huyết áp, đái tháo "
        "đường.",
        None,
        (
            ("Trần Quang Thạch", "1975-09-25", "Trưởng phòng Nghiệp vụ Y", "Bác sĩ CKII"),
            ("Nguyễn Thị Thu Sương", "1989-07-07", "Chuyên viên", "Kỹ sư công nghệ thông tin"),
        ),
        False,
        confidential="Phương án kết nối và khóa mã hóa dữ liệu sức khỏe giữa các cơ sở y tế.",
    ),
    P(
        2,
        "p-kim-long",
        "sang-kien",
        "vh-xh-dl",
        "Tuyến du lịch đạp xe khám phá nhà vườn Kim Long",
        "Nhà vườn truyền thống là di sản đặc sắc nhưng ít du khách biết đến vì nằm sâu trong kiệt hẻm. "
        "Phường cùng các chủ nhà vườn xây dựng tuyến đạp xe có bản đồ, biển chỉ dẫn và thuyết minh qua "
        "mã QR. Các hộ dân phục vụ trà, bánh truyền thống và giới thiệu lịch sử ngôi nhà. Năm đầu tiên "
        "tuyến đón hơn 12.000 lượt khách, 26 hộ có thêm thu nhập.",
        "Chủ nhà vườn thiếu kinh phí tu bổ; du khách chỉ ghé các điểm lớn rồi đi.",
        "Tuyến dài 7 km qua 11 nhà vườn, điểm đón trả xe đặt tại nhà văn hóa. Thu nhập từ dịch vụ được "
        "trích một phần vào quỹ tu bổ nhà vườn do tổ dân phố quản lý.",
        "Mỗi hộ tham gia có thêm 3–5 triệu đồng mỗi tháng vào mùa du lịch; nhà vườn được chăm sóc tốt hơn.",
        210_000_000,
        (("Phan Thị Như Quỳnh", "1990-05-19", "Công chức Văn hóa – Xã hội", "Cử nhân du lịch"),),
        True,
    ),
    P(
        2,
        "so-ldtbxh",
        "sang-kien",
        "vh-xh-dl",
        "Cơ sở dữ liệu hộ nghèo cập nhật trực tuyến từ thôn, tổ dân phố",
        "Danh sách hộ nghèo, cận nghèo được rà soát mỗi năm một lần bằng phiếu giấy, số liệu thường lạc "
        "hậu. Sở xây dựng cơ sở dữ liệu cho phép cán bộ thôn cập nhật ngay khi hoàn cảnh hộ gia đình thay "
        "đổi. Các chính sách hỗ trợ bảo hiểm y tế, học phí, tín dụng được đối chiếu tự động. Thời gian "
        "tổng hợp kết quả rà soát toàn tỉnh giảm từ ba tháng xuống ba tuần.",
        "Phiếu rà soát giấy nhập lại nhiều lần ở các cấp; có hộ đã thoát nghèo vẫn được hỗ trợ và ngược lại.",
        "Cán bộ thôn dùng điện thoại nhập phiếu, có kiểm tra trùng lặp theo số định danh. Cấp xã duyệt, "
        "cấp tỉnh theo dõi bảng tổng hợp theo thời gian thực.",
        "Chính sách đến đúng đối tượng; tiết kiệm chi phí in phiếu và nhập liệu khoảng 260 triệu đồng mỗi "
        "năm.",
        260_000_000,
        (
            ("Huỳnh Văn Lâm", "1974-12-01", "Trưởng phòng Bảo trợ xã hội", "Cử nhân"),
            ("Trần Thị Kim Thoa", "1993-08-16", "Chuyên viên", "Cử nhân"),
        ),
        False,
    ),
    P(
        2,
        "bchqs",
        "sang-kien",
        "qp-an",
        "Sa bàn điện tử phục vụ huấn luyện diễn tập khu vực phòng thủ",
        "Diễn tập khu vực phòng thủ trước đây dùng sa bàn đắp bằng đất cát, mất nhiều công và khó thay "
        "đổi tình huống. Đơn vị xây dựng sa bàn điện tử trên nền bản đồ số địa hình, chiếu lên mặt bàn "
        "và điều khiển bằng máy tính. Chỉ huy thay đổi tình huống, lực lượng trực tiếp trên sa bàn trong "
        "lúc diễn tập. Thời gian chuẩn bị sa bàn giảm từ hai tuần xuống hai ngày.",
        "Sa bàn truyền thống cồng kềnh, mỗi lần diễn tập phải làm lại từ đầu.",
        "Dữ liệu địa hình số được dựng thành mô hình ba chiều, chiếu bằng hai máy chiếu lên mặt bàn phủ "
        "lớp nền trắng. Phần mềm mô phỏng cho phép lưu và phát lại diễn biến để rút kinh nghiệm.",
        "Tiết kiệm vật tư, nhân công làm sa bàn; chất lượng huấn luyện chỉ huy, tham mưu được nâng lên.",
        None,
        (
            ("Nguyễn Văn Hùng", "1976-06-20", "Trưởng phòng Tham mưu", "Cử nhân quân sự"),
            ("Lê Đình Nam", "1988-02-11", "Trợ lý tác chiến", "Kỹ sư"),
        ),
        False,
        collective="Tập thể Phòng Tham mưu",
        confidential="Số liệu bố trí lực lượng và phương án tác chiến dùng trong sa bàn (tài liệu mật).",
    ),
    # Three years before -------------------------------------------------------------------------
    P(
        3,
        "so-tc",
        "sang-kien",
        "qlnn-cchc",
        "Bảng kiểm điện tử thẩm tra quyết toán dự án hoàn thành",
        "Thẩm tra quyết toán dự án đầu tư công kéo dài vì hồ sơ nhiều, cán bộ phải đối chiếu thủ công. "
        "Sở Tài chính xây dựng bảng kiểm điện tử theo từng loại dự án, tự đối chiếu khối lượng, đơn giá "
        "với dự toán được duyệt. Những sai lệch vượt ngưỡng được đánh dấu để cán bộ tập trung kiểm tra. "
        "Thời gian thẩm tra bình quân giảm từ 45 ngày xuống 20 ngày.",
        "Tồn đọng nhiều dự án hoàn thành chưa được quyết toán, ảnh hưởng đến giải ngân và tất toán tài "
        "khoản.",
        "Bảng kiểm dựng trên bảng tính dùng chung, nhập dữ liệu từ hồ sơ quyết toán điện tử của chủ đầu "
        "tư. Các lỗi thường gặp được tổng hợp thành danh mục gửi chủ đầu tư trước khi nộp hồ sơ.",
        "Giảm 55% thời gian thẩm tra; phát hiện thêm khoảng 3,2 tỷ đồng chi phí không hợp lệ mỗi năm.",
        3_200_000_000,
        (
            ("Bùi Văn Thịnh", "1979-04-14", "Trưởng phòng Tài chính đầu tư", "Thạc sĩ kinh tế"),
            ("Lê Thị Hạnh Nguyên", "1990-10-30", "Chuyên viên", "Cử nhân kế toán"),
        ),
        True,
    ),
    P(
        3,
        "mttq-h-phu-vang",
        "sang-kien",
        "qlnn-cchc",
        "Hòm thư góp ý điện tử «Dân hỏi – chính quyền trả lời» qua mã QR",
        "Người dân ít gửi ý kiến qua hòm thư giấy đặt tại trụ sở, nhiều kiến nghị không được trả lời. Ủy "
        "ban Mặt trận huyện dán mã QR tại nhà văn hóa thôn, chợ, trường học để người dân gửi góp ý bằng "
        "điện thoại. Mặt trận chuyển kiến nghị đến cơ quan có thẩm quyền và giám sát việc trả lời. Hơn "
        "1.100 ý kiến đã được tiếp nhận, 92% được trả lời đúng hạn.",
        "Hòm thư giấy ít người dùng; việc theo dõi kết quả giải quyết kiến nghị làm thủ công.",
        "Biểu mẫu trực tuyến đơn giản, có thể gửi ảnh; người gửi nhận mã tra cứu. Kết quả trả lời được "
        "công khai tại kỳ họp Mặt trận và trên trang thông tin của huyện.",
        "Tăng niềm tin của người dân; Mặt trận có số liệu để giám sát việc giải quyết kiến nghị.",
        None,
        (("Trần Văn Lực", "1969-08-19", "Phó Chủ tịch Ủy ban MTTQ huyện", "Cử nhân"),),
        False,
    ),
    P(
        3,
        "htx-thuy-thanh",
        "sang-kien",
        "nong-lam-ngu",
        "Liên kết sản xuất lúa hữu cơ theo chuỗi gắn với du lịch trải nghiệm",
        "Lúa thường bán cho thương lái với giá thấp, đồng ruộng ven đô dần bị bỏ hoang. Hợp tác xã liên "
        "kết 85 hộ sản xuất lúa hữu cơ, không dùng phân bón hóa học và thuốc trừ sâu. Gạo được đóng gói "
        "mang thương hiệu của hợp tác xã, bán qua cửa hàng và sàn thương mại điện tử. Du khách được trải "
        "nghiệm cấy lúa, thả vịt và thưởng thức bữa cơm quê ngay trên đồng.",
        "Giá lúa bấp bênh, người trẻ bỏ ruộng đi làm thuê; đất ruộng ven đô có nguy cơ bị bỏ hoang.",
        "Hợp tác xã cung ứng giống, phân hữu cơ và bao tiêu sản phẩm; quy trình canh tác được ghi nhật ký "
        "điện tử để truy xuất. Dịch vụ trải nghiệm đồng ruộng liên kết với các công ty lữ hành.",
        "Lợi nhuận tăng 1,7 lần so với lúa thường; thêm thu nhập từ du lịch cho xã viên.",
        680_000_000,
        (
            ("Hồ Văn Thành", "1974-06-15", "Giám đốc Hợp tác xã", "Kỹ sư nông học"),
            ("Nguyễn Thị Thanh", "1981-01-05", "Kế toán Hợp tác xã", "Cử nhân"),
        ),
        True,
    ),
    P(
        3,
        "tt-ung-dung-khcn",
        "sang-che",
        "nong-lam-ngu",
        "Máy sấy nông sản dùng năng lượng mặt trời kết hợp đốt sinh khối",
        "Nông sản như tiêu, hạt sen, cá khô thường phơi ngoài trời, dễ hư hỏng khi gặp mưa. Trung tâm chế "
        "tạo máy sấy có buồng thu nhiệt mặt trời và lò đốt vỏ trấu, củi vụn dự phòng khi trời âm u. Nhiệt "
        "độ được điều khiển tự động, sản phẩm sấy đều và giữ màu. Chi phí sấy giảm khoảng 40% so với máy "
        "sấy dùng điện.",
        "Mùa mưa kéo dài, nông sản phơi không kịp khô bị mốc, giảm giá trị.",
        "Buồng sấy bằng khung thép mạ kẽm, mái tấm polycarbonate; quạt hút tuần hoàn khí nóng. Bộ điều "
        "khiển tự chuyển sang đốt sinh khối khi nhiệt độ buồng giảm dưới ngưỡng.",
        "Giảm hao hụt sau thu hoạch 15–20%; giá bán sản phẩm sấy cao hơn sản phẩm phơi nắng.",
        480_000_000,
        (
            ("Lê Quang Minh", "1975-01-08", "Giám đốc", "Thạc sĩ"),
            ("Phan Thị Thu Hà", "1990-11-21", "Kỹ sư", "Kỹ sư nhiệt"),
        ),
        True,
        confidential="Bản vẽ bộ trao đổi nhiệt và thuật toán điều khiển, đang nộp đơn đăng ký sáng chế.",
    ),
    P(
        3,
        "dn-co-khi-huong-giang",
        "sang-kien",
        "cn-xd-gt",
        "Thu hồi nhiệt khí thải lò nung để sấy khuôn đúc",
        "Khí thải lò nung kim loại có nhiệt độ trên 400°C được xả thẳng ra ống khói, trong khi khuôn đúc "
        "phải sấy bằng điện. Công ty lắp bộ trao đổi nhiệt trên đường khói để lấy nhiệt sấy khuôn. Chi "
        "phí điện sấy khuôn giảm khoảng 70%. Nhiệt độ khí thải ra môi trường giảm, điều kiện làm việc của "
        "công nhân được cải thiện.",
        "Chi phí điện năng chiếm tỷ trọng lớn trong giá thành; khu vực lò nung nóng bức.",
        "Bộ trao đổi nhiệt dạng ống chùm chế tạo tại xưởng, có cửa vệ sinh muội than. Quạt gió đưa không "
        "khí nóng vào buồng sấy khuôn, điều chỉnh lưu lượng theo nhiệt độ.",
        "Tiết kiệm khoảng 380 triệu đồng tiền điện mỗi năm; thời gian hoàn vốn dưới một năm.",
        380_000_000,
        (("Trương Công Hiếu", "1983-07-07", "Quản đốc phân xưởng", "Kỹ sư cơ khí"),),
        False,
    ),
    P(
        3,
        "so-xd",
        "giai-phap",
        "cn-xd-gt",
        "Gạch không nung từ tro xỉ lò hơi và cát nhiễm mặn",
        "Tro xỉ từ lò hơi của các nhà máy chất thành bãi gây ô nhiễm, trong khi cát xây dựng ngày càng "
        "khan hiếm. Sở Xây dựng hướng dẫn doanh nghiệp phối trộn tro xỉ và cát nhiễm mặn đã xử lý để sản "
        "xuất gạch không nung đạt tiêu chuẩn. Gạch nhẹ hơn gạch đất nung, cách nhiệt tốt. Ba cơ sở sản "
        "xuất đã áp dụng, tiêu thụ khoảng 25.000 tấn tro xỉ mỗi năm.",
        "Bãi thải tro xỉ ngày càng lớn; nguồn đất sét làm gạch nung bị hạn chế để bảo vệ đất nông nghiệp.",
        "Cấp phối được thí nghiệm tại phòng thí nghiệm chuyên ngành, ép trên dây chuyền gạch không nung "
        "sẵn có. Cát nhiễm mặn được rửa bằng nước ngọt tuần hoàn trước khi phối trộn.",
        "Giảm chi phí xử lý chất thải và khai thác cát; giá thành gạch thấp hơn 10% so với gạch cùng loại.",
        1_500_000_000,
        (
            ("Đặng Văn Quang", "1977-02-17", "Phó Giám đốc Trung tâm Giám định chất lượng", "Thạc sĩ"),
            ("Trần Hữu Nghĩa", "1989-06-06", "Kỹ sư vật liệu", "Kỹ sư"),
        ),
        False,
        confidential="Tỷ lệ cấp phối và phụ gia của từng cơ sở sản xuất (bí mật kinh doanh).",
    ),
    P(
        3,
        "thpt-hai-ba-trung",
        "sang-kien",
        "giao-duc",
        "Ngân hàng video bài giảng ngắn môn Toán cho học sinh tự ôn tập",
        "Học sinh yếu khó theo kịp bài trên lớp và ngại hỏi lại giáo viên. Tổ Toán xây dựng ngân hàng hơn "
        "400 video ngắn, mỗi video 5–7 phút giải thích một dạng bài. Video gắn mã QR trong phiếu bài tập "
        "để học sinh xem lại ở nhà. Tỷ lệ học sinh dưới trung bình môn Toán giảm từ 14% xuống 6%.",
        "Nhiều học sinh hổng kiến thức lớp dưới; thời lượng trên lớp không đủ để phụ đạo riêng.",
        "Giáo viên phân công biên soạn theo chuyên đề, quay bằng điện thoại và bảng viết tay. Video được "
        "sắp xếp theo chương trình, có bài luyện tập kèm đáp án.",
        "Học sinh chủ động ôn tập, giảm nhu cầu học thêm; giáo viên dùng lại video qua nhiều năm.",
        None,
        (
            ("Dương Văn Lực", "1980-02-27", "Tổ trưởng", "Thạc sĩ"),
            ("Lê Thị Kim Oanh", "1993-08-09", "Giáo viên", "Cử nhân sư phạm"),
        ),
        True,
    ),
    P(
        3,
        "tinh-doan",
        "sang-kien",
        "giao-duc",
        "Lớp học kỹ năng số miễn phí cho thanh niên nông thôn",
        "Nhiều thanh niên nông thôn dùng điện thoại thông minh nhưng chưa biết làm thủ tục trực tuyến, "
        "bán hàng qua mạng hay phòng tránh lừa đảo. Tỉnh Đoàn tổ chức lớp học kỹ năng số tại nhà văn hóa "
        "thôn do đoàn viên sinh viên công nghệ thông tin giảng dạy. Mỗi khóa gồm 6 buổi, học viên thực "
        "hành trên chính điện thoại của mình. Hơn 3.400 thanh niên đã hoàn thành khóa học.",
        "Khoảng cách số giữa thành thị và nông thôn lớn; các khóa học có phí ít người tham gia.",
        "Giáo trình ngắn gọn, nhiều hình ảnh; giảng viên tình nguyện được tập huấn phương pháp. Học viên "
        "hoàn thành trở thành «hạt nhân số» hướng dẫn lại người dân trong thôn.",
        "Thanh niên tự làm thủ tục trực tuyến và bán hàng qua mạng; giảm các vụ bị lừa đảo trên mạng.",
        None,
        (
            ("Nguyễn Minh Hiếu", "1992-05-09", "Phó Bí thư Tỉnh Đoàn", "Thạc sĩ"),
            ("Trần Thị Bảo Ngọc", "1997-09-23", "Chuyên viên Ban Thanh niên nông thôn", "Cử nhân"),
        ),
        False,
        collective="Ban Thanh niên nông thôn Tỉnh Đoàn",
    ),
    P(
        3,
        "bv-tw-hue",
        "sang-kien",
        "y-te",
        "Ứng dụng nhắc uống thuốc và theo dõi huyết áp tại nhà cho người bệnh tăng huyết áp",
        "Nhiều người bệnh tăng huyết áp bỏ thuốc khi thấy khỏe, dẫn đến biến chứng đột quỵ. Bệnh viện "
        "phát triển ứng dụng nhắc giờ uống thuốc, ghi chỉ số huyết áp đo tại nhà và gửi cho bác sĩ điều "
        "trị. Khi chỉ số bất thường, bác sĩ gọi điện tư vấn hoặc hẹn tái khám sớm. Sau một năm, tỷ lệ "
        "người bệnh kiểm soát được huyết áp tăng từ 51% lên 74%.",
        "Người bệnh ngoại trú đông, bác sĩ chỉ gặp người bệnh một lần mỗi tháng khi tái khám.",
        "Ứng dụng đơn giản, chữ lớn, có thể dùng cho cả người nhà. Dữ liệu được tổng hợp thành biểu đồ "
        "để bác sĩ xem trước buổi tái khám.",
        "Giảm nhập viện do biến chứng; người bệnh bớt được các lần tái khám không cần thiết.",
        None,
        (
            ("Lê Văn Chánh", "1976-11-19", "Phó Trưởng khoa Nội tim mạch", "Tiến sĩ, Bác sĩ"),
            ("Hoàng Thị Diệu Linh", "1991-04-04", "Điều dưỡng", "Cử nhân điều dưỡng"),
        ),
        True,
    ),
    P(
        3,
        "cdc",
        "giai-phap",
        "y-te",
        "Giám sát chất lượng nước sinh hoạt nông thôn bằng bộ xét nghiệm nhanh",
        "Nhiều công trình cấp nước nông thôn chưa được kiểm tra chất lượng nước định kỳ vì xét nghiệm tại "
        "phòng thí nghiệm tốn kém. Trung tâm hướng dẫn trạm y tế xã dùng bộ xét nghiệm nhanh kiểm tra "
        "clo dư, độ đục và vi sinh tại chỗ. Kết quả được nhập lên bản đồ chất lượng nước của tỉnh. Các "
        "điểm không đạt được lấy mẫu kiểm tra lại và xử lý kịp thời.",
        "Chỉ khoảng 20% công trình cấp nước nông thôn được xét nghiệm mỗi năm.",
        "Bộ xét nghiệm được cấp cho trạm y tế kèm quy trình lấy mẫu bằng hình ảnh. Lịch kiểm tra hằng "
        "quý, kết quả gửi về Trung tâm qua điện thoại.",
        "Tần suất giám sát tăng gấp bốn lần với chi phí bằng một phần năm xét nghiệm tại phòng thí nghiệm.",
        420_000_000,
        (
            (
                "Phạm Thị Diễm My",
                "1987-03-12",
                "Phó Trưởng khoa Sức khỏe môi trường",
                "Thạc sĩ y tế công cộng",
            ),
        ),
        False,
    ),
    P(
        3,
        "dai-hoc-hue",
        "cong-trinh-de-tai",
        "khcn-cds",
        "Phần mềm nhận dạng chữ Hán Nôm trên văn bia và mộc bản",
        "Hàng nghìn văn bia, mộc bản Hán Nôm trong tỉnh chưa được phiên âm, dịch nghĩa vì thiếu chuyên "
        "gia. Nhóm nghiên cứu xây dựng phần mềm nhận dạng chữ Hán Nôm từ ảnh chụp, huấn luyện trên bộ dữ "
        "liệu do các nhà Hán Nôm học gán nhãn. Phần mềm gợi ý chữ và nghĩa, chuyên gia chỉ cần hiệu đính. "
        "Tốc độ số hóa văn bản Hán Nôm tăng khoảng năm lần.",
        "Đội ngũ chuyên gia Hán Nôm ít và lớn tuổi; văn bia ngoài trời bị phong hóa dần.",
        "Ảnh chụp được xử lý tăng tương phản, tách dòng và chữ; mô hình học sâu nhận dạng từng chữ. Kết "
        "quả được lưu cùng ảnh gốc trong kho dữ liệu di sản mở.",
        "Bảo tồn nhanh di sản chữ viết; dữ liệu phục vụ nghiên cứu lịch sử, văn hóa địa phương.",
        None,
        (
            ("Nguyễn Thị Phương Thảo", "1983-06-22", "Giảng viên", "Tiến sĩ"),
            ("Trần Văn Đạt", "1995-02-14", "Nghiên cứu viên", "Thạc sĩ khoa học máy tính"),
        ),
        True,
    ),
    P(
        3,
        "so-tttt",
        "giai-phap",
        "khcn-cds",
        "Trợ lý ảo trả lời câu hỏi của người dân về thủ tục hành chính",
        "Tổng đài hỗ trợ thủ tục hành chính quá tải vào giờ cao điểm, nhiều câu hỏi lặp lại. Sở Thông "
        "tin và Truyền thông xây dựng trợ lý ảo trên cổng dịch vụ công và mạng xã hội, trả lời tự động "
        "về hồ sơ, lệ phí, thời hạn giải quyết. Câu hỏi khó được chuyển cho cán bộ trực. Trợ lý ảo trả "
        "lời đúng khoảng 85% câu hỏi, tổng đài giảm một nửa cuộc gọi.",
        "Người dân phải gọi nhiều lần mới gặp được cán bộ; cùng một câu hỏi được trả lời hàng trăm lần.",
        "Kho câu hỏi – trả lời được xây dựng từ bộ thủ tục hành chính của tỉnh và lịch sử tổng đài. Mô "
        "hình xử lý ngôn ngữ tiếng Việt nhận diện ý định, kể cả khi viết không dấu.",
        "Người dân được trả lời ngay, kể cả ngoài giờ hành chính; tiết kiệm khoảng 1.800 giờ trực tổng "
        "đài mỗi năm.",
        None,
        (
            ("Lê Quang Định", "1979-11-02", "Giám đốc Trung tâm Công nghệ thông tin", "Thạc sĩ"),
            ("Võ Thị Hoài Thương", "1994-07-30", "Kỹ sư", "Kỹ sư khoa học máy tính"),
        ),
        False,
        confidential="Khóa truy cập giao diện lập trình của cổng dịch vụ công dùng cho trợ lý ảo.",
    ),
    P(
        3,
        "hoi-ccb",
        "sang-kien",
        "vh-xh-dl",
        "Mô hình «Cựu chiến binh giúp nhau làm kinh tế» bằng quỹ vốn xoay vòng",
        "Nhiều hội viên cựu chiến binh khó khăn thiếu vốn nhỏ để chăn nuôi, buôn bán. Hội thành lập quỹ "
        "vốn xoay vòng từ đóng góp của hội viên, cho vay không lãi các món 5–20 triệu đồng. Hội viên vay "
        "được tổ hội hướng dẫn cách làm ăn và theo dõi hoàn trả. Sau ba năm, 320 hộ được vay, 87 hộ thoát "
        "nghèo.",
        "Hội viên nghèo khó tiếp cận vốn ngân hàng vì không có tài sản bảo đảm.",
        "Quỹ do Ban Chấp hành Hội quản lý, công khai thu chi hằng quý tại sinh hoạt chi hội. Hội viên làm "
        "ăn giỏi nhận kèm cặp hội viên mới vay.",
        "Tỷ lệ hoàn trả đúng hạn đạt 98%; hội viên gắn bó, đoàn kết hơn.",
        None,
        (("Phạm Văn Sơn", "1958-03-30", "Phó Chủ tịch Hội", "Cử nhân chính trị"),),
        True,
    ),
    P(
        3,
        "cong-an",
        "sang-kien",
        "qp-an",
        "Mô hình «Camera an ninh cộng đồng» kết nối tổ dân phố với công an phường",
        "Trộm cắp tài sản ở khu dân cư khó điều tra vì thiếu hình ảnh. Công an vận động người dân cùng góp "
        "kinh phí lắp camera tại các ngõ, đường chính, kết nối về công an phường. Hình ảnh chỉ được khai "
        "thác khi có vụ việc, theo quy chế do tổ dân phố thông qua. Số vụ trộm cắp tại các khu dân cư lắp "
        "camera giảm khoảng 60%.",
        "Lực lượng công an cơ sở mỏng; người dân thiếu công cụ để cùng giữ gìn an ninh trật tự.",
        "Mỗi tổ dân phố lắp 4–8 camera, dữ liệu lưu 30 ngày tại công an phường. Quy chế khai thác hình "
        "ảnh bảo vệ quyền riêng tư của người dân.",
        "Giảm trộm cắp, phát hiện nhanh các vụ việc; người dân yên tâm hơn.",
        None,
        (
            ("Trần Minh Đức", "1982-12-08", "Phó Trưởng phòng Cảnh sát quản lý hành chính", "Thạc sĩ"),
            ("Hoàng Văn Tiến", "1990-05-02", "Cán bộ", "Cử nhân"),
        ),
        False,
        confidential="Sơ đồ vị trí camera và tài khoản truy cập hệ thống lưu trữ hình ảnh của công an.",
    ),
    P(
        3,
        "p-an-cuu",
        "sang-kien",
        "vh-xh-dl",
        "Tủ sách cộng đồng và góc đọc tại nhà văn hóa tổ dân phố",
        "Trẻ em trong phường ít có nơi đọc sách sau giờ học, thời gian dùng điện thoại ngày càng nhiều. "
        "Phường vận động người dân, doanh nghiệp tặng sách để lập tủ sách tại 14 nhà văn hóa tổ dân phố. "
        "Các bạn đoàn viên tình nguyện trông góc đọc vào chiều thứ bảy và chủ nhật, tổ chức kể chuyện "
        "theo sách. Hơn 9.000 cuốn sách đã được quyên góp, mỗi tháng có khoảng 1.500 lượt mượn.",
        "Thư viện xa khu dân cư; gia đình ít có điều kiện mua sách cho con.",
        "Sách được phân loại theo lứa tuổi, mượn trả bằng sổ tay đơn giản. Các tủ sách luân chuyển sách "
        "cho nhau mỗi quý để luôn có sách mới.",
        "Hình thành thói quen đọc sách cho thiếu nhi; nhà văn hóa được sử dụng thường xuyên hơn.",
        None,
        (("Nguyễn Thị Thùy Trang", "1988-10-12", "Phó Chủ tịch UBND phường", "Cử nhân"),),
        True,
    ),
]

GRADES = [UnitGrade.EXCELLENT, UnitGrade.GOOD, UnitGrade.GOOD, UnitGrade.FAIR]
SHARES = {1: [100], 2: [60, 40], 3: [50, 30, 20]}


class Application(NamedTuple):
    title: str  # of the record applied
    unit: str  # the applying unit, where the demo has a staff member and a reviewer
    months_after: int  # applied this many months after the record's campaign ceremony
    scope: str
    benefit_vnd: int | None
    confirmed: bool


APPLICATIONS = [
    Application(
        "Sổ tay điện tử chi bộ dùng trong sinh hoạt chi bộ thôn, tổ dân phố",
        "so-khcn",
        4,
        "Bốn chi bộ trực thuộc Đảng bộ Sở dùng sổ tay điện tử cho sinh hoạt thường kỳ và chuyên đề; tài "
        "liệu phát qua sổ tay thay bản in.",
        18_000_000,
        True,
    ),
    Application(
        "Nền tảng kết nối chuyên gia với doanh nghiệp nhỏ cần đổi mới công nghệ",
        "so-khcn",
        3,
        "Dùng nền tảng để tìm chuyên gia cho Chương trình hỗ trợ doanh nghiệp đổi mới công nghệ của tỉnh; "
        "12 doanh nghiệp được kết nối trong năm đầu.",
        None,
        True,
    ),
    Application(
        "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính tại Bộ phận một cửa cấp huyện",
        "so-khcn",
        6,
        "Áp dụng quy trình số hóa cho 1.900 hồ sơ thủ tục hành chính của Sở đang lưu giấy; hồ sơ mới số "
        "hóa ngay khi tiếp nhận.",
        45_000_000,
        True,
    ),
    Application(
        "Mô hình xử lý rác thải hữu cơ thành phân compost tại hộ gia đình",
        "so-khcn",
        5,
        "Ủ rác hữu cơ từ bếp ăn tập thể và lá cây trong khuôn viên cơ quan; phân dùng cho vườn cây của Sở.",
        6_000_000,
        False,
    ),
    Application(
        "Mô hình xử lý rác thải hữu cơ thành phân compost tại hộ gia đình",
        "so-gddt",
        3,
        "Nhân rộng tại 35 trường có bếp ăn bán trú: học sinh phân loại rác, ủ phân cho vườn trường.",
        70_000_000,
        True,
    ),
    Application(
        "Sổ tay điện tử chi bộ dùng trong sinh hoạt chi bộ thôn, tổ dân phố",
        "so-gddt",
        8,
        "Chi bộ cơ quan Sở và 6 chi bộ trường học dùng sổ tay điện tử cho sinh hoạt chi bộ.",
        12_000_000,
        True,
    ),
    Application(
        "Hệ thống chấm bài lập trình tự động cho sinh viên năm nhất",
        "so-gddt",
        2,
        "Dùng cho đội tuyển Tin học và các lớp chuyên Tin của ba trường THPT chuyên và trọng điểm.",
        None,
        True,
    ),
    Application(
        "Ứng dụng «Công đoàn số» tiếp nhận phản ánh của công nhân khu công nghiệp",
        "so-gddt",
        1,
        "Công đoàn ngành Giáo dục tiếp nhận phản ánh của giáo viên, nhân viên qua ứng dụng.",
        None,
        False,
    ),
]
STAFF = {"so-khcn": ("canbo.khcn", "lanhdao.khcn"), "so-gddt": ("canbo.gddt", "lanhdao.gddt")}


def _person(local: str) -> User:
    return User.objects.get(email=f"{local}@{DOMAIN}")


def _people_for(unit: Unit) -> tuple[User, User]:
    """(who enters the dossier, who recognises it): the demo's staff and reviewer of the Department of
    Education for it and its schools, of the Department of Science for every other unit."""
    education = unit.code == "so-gddt" or (unit.parent_id is not None and unit.parent.code == "so-gddt")
    staff, reviewer = STAFF["so-gddt" if education else "so-khcn"]
    return _person(staff), _person(reviewer)


def _past_campaigns(previous: Campaign) -> dict[int, Campaign]:
    """{years back: campaign}: the finished campaigns before the demo's previous one."""
    campaigns = {}
    for back in range(1, PAST_YEARS + 1):
        year = previous.year - back
        campaigns[back], _created = Campaign.objects.get_or_create(
            year=year, defaults={"name": f"Đợt xét chọn năm {year}", **_campaign_dates(year, None)}
        )
    return campaigns


def _data(entry: PastDossier, n: int, campaign: Campaign, unit: Unit, kinds, fields) -> dict:
    novelty, conditions, scope = FIELD_TEXTS[entry.field]
    return {
        "title": entry.title,
        "summary": entry.summary,
        "kind": kinds[entry.kind],
        "field": fields[entry.field],
        "owner": unit.name,
        "is_collective": bool(entry.collective),
        "collective_name": entry.collective,
        "authors_consent": entry.consent,
        "first_applied_on": dt.date(campaign.year - 1, 3 + (n * 5) % 9, 1 + (n * 7) % 27),
        "current_situation": entry.situation,
        "solution_content": entry.solution,
        "novelty": novelty,
        "application_conditions": conditions,
        "application_scope": scope,
        "economic_benefit_vnd": entry.benefit_vnd,
        "benefits_by_author": entry.benefits,
        "benefits_by_others": "",
        "trial_participants": f"Cán bộ, người lao động của {unit.name} và người dân nơi áp dụng thử.",
        "confidential_info": entry.confidential,
    }


def _authors(entry: PastDossier, unit: Unit) -> list[dict]:
    return [
        {
            "full_name": name,
            "date_of_birth": dt.date.fromisoformat(born),
            "workplace": unit.name,
            "position": position,
            "qualification": qualification,
            "contribution_percent": share,
        }
        for (name, born, position, qualification), share in zip(
            entry.authors, SHARES[len(entry.authors)], strict=True
        )
    ]


def _seed_dossiers(campaigns: dict[int, Campaign], front_admin: User) -> int:
    kinds = {kind.code: kind for kind in DossierKind.objects.all()}
    fields = {field.code: field for field in Field.objects.all()}
    units = {unit.code: unit for unit in Unit.objects.select_related("parent")}
    made = 0
    for n, entry in enumerate(DOSSIERS):
        campaign = campaigns[entry.years_back]
        if Dossier.objects.filter(campaign=campaign, title=entry.title).exists():
            continue
        unit = units[entry.unit]
        staff, reviewer = _people_for(unit)
        dossier = services.dossier_create(
            campaign=campaign,
            unit=unit,
            actor=staff,
            data=_data(entry, n, campaign, unit, kinds, fields),
            authors=_authors(entry, unit),
        )
        # Submitted during the campaign's window, recognised before its unit review deadline.
        submitted_on = min(
            campaign.submissions_open + dt.timedelta(days=3 * (n % 20)), campaign.submissions_close
        )
        recognised_on = min(
            campaign.submissions_close + dt.timedelta(days=1 + n % 10), campaign.unit_review_deadline
        )
        services.dossier_submit(dossier=dossier, actor=staff, today=submitted_on)
        services.dossier_recognise(
            dossier=dossier, actor=reviewer, grade=GRADES[n % len(GRADES)], today=recognised_on
        )
        record_mark(dossier=dossier, actor=front_admin)
        made += 1
    return made


def _seed_applications(campaigns: dict[int, Campaign]) -> tuple[int, int]:
    today = timezone.localdate()
    records = {
        r.title: r
        for r in PublicRecord.objects.filter(dossier__campaign__in=campaigns.values()).select_related(
            "dossier__campaign"
        )
    }
    made = confirmed = 0
    for spec in APPLICATIONS:
        record = records.get(spec.title)
        unit = Unit.objects.get(code=spec.unit)
        if record is None or RecordApplication.objects.filter(record=record, unit=unit).exists():
            continue
        staff, reviewer = (_person(local) for local in STAFF[spec.unit])
        ceremony = record.dossier.campaign.ceremony_date
        month = ceremony.month - 1 + spec.months_after
        applied_on = min(today, dt.date(ceremony.year + month // 12, month % 12 + 1, 1))
        application = application_record(
            public_record=record,
            unit=unit,
            actor=staff,
            data={
                "applied_on": applied_on,
                "scope": spec.scope,
                "benefit_vnd": spec.benefit_vnd,
                "contact": f"{staff.full_name}, {staff.phone}, {staff.email}",
            },
        )
        made += 1
        if spec.confirmed:
            application_confirm(application=application, actor=reviewer)
            confirmed += 1
    return made, confirmed


def seed(stdout) -> None:
    _current, previous = demo_campaigns(timezone.localdate())
    campaigns = _past_campaigns(previous)
    made = _seed_dossiers(campaigns, _person("quantri.mttq"))
    applications, confirmed = _seed_applications(campaigns)
    years = sorted(c.year for c in campaigns.values())
    total = PublicRecord.objects.filter(withdrawn_at__isnull=True).count()
    stdout.write(
        f"Cơ sở dữ liệu sáng tạo: {made} hồ sơ mới của các năm {years[0]}–{years[-1]} được công nhận và "
        f"công khai (tổng {total} bản ghi); {applications} lượt áp dụng nhân rộng mới, {confirmed} đã "
        f"xác nhận."
    )
