"""Diacritic-insensitive folding and the novelty check, the same on SQLite (Python) and PostgreSQL
(pg_trgm)."""

import unicodedata

import pytest
from django.db import connection

from dksangtao.text import fold, nfc, trigram_similarity, trigrams
from submissions.models import Dossier, Status
from submissions.selectors import similar_dossiers

QUERY = "Ứng dụng phần mềm quản lý hồ sơ một cửa"
ONE_STOP_SUMMARY = "Tiếp nhận và trả kết quả hồ sơ một cửa qua mạng."


def test_fold_strips_marks_and_case():
    assert fold("Sáng kiến ĐỔI MỚI quản lý") == "sang kien doi moi quan ly"
    assert fold("Đoàn kết   sáng\ttạo\n") == "doan ket sang tao"
    assert fold("Ủy ban MTTQ Việt Nam, đường Đống Đa") == "uy ban mttq viet nam, duong dong da"
    assert fold("") == "" and fold(None) == ""


def test_nfd_input_folds_like_nfc():
    composed = "Người Việt Nam đoàn kết sáng tạo: ứng dụng, cải tiến, hiệu quả"
    decomposed = unicodedata.normalize("NFD", composed)
    assert decomposed != composed
    assert (
        fold(decomposed) == fold(composed) == "nguoi viet nam doan ket sang tao: ung dung, cai tien, hieu qua"
    )
    assert nfc(decomposed) == composed


def test_trigrams_follow_pg_trgm_padding():
    assert trigrams("Ấp") == {"  a", " ap", "ap "}
    assert trigrams("Hồ sơ") == {"  h", " ho", "ho ", "  s", " so", "so "}


def test_trigram_similarity_bounds():
    assert trigram_similarity(QUERY, QUERY) == 1.0
    assert trigram_similarity(QUERY, unicodedata.normalize("NFD", QUERY.upper())) == 1.0
    assert trigram_similarity(QUERY, "Máy gặt đập liên hợp cỡ nhỏ") < 0.2
    assert trigram_similarity(QUERY, "") == 0.0
    assert trigram_similarity("Ứng dụng", "ung dung") == 1.0


@pytest.mark.postgres_only
@pytest.mark.django_db
@pytest.mark.parametrize(
    "other",
    [
        QUERY,
        "Ứng dung phan mem quan ly ho so mot cua điện tử",
        "Máy gặt đập liên hợp cỡ nhỏ cho ruộng bậc thang",
        "Số hóa 100% hồ sơ; giảm 3-5 ngày xử lý",
    ],
)
def test_python_measure_equals_pg_trgm(other):
    with connection.cursor() as cursor:
        cursor.execute("SELECT similarity(%s, %s), show_trgm(%s)", [fold(QUERY), fold(other), fold(other)])
        similarity, grams = cursor.fetchone()
    assert trigram_similarity(QUERY, other) == pytest.approx(similarity, abs=1e-6)
    assert trigrams(other) == set(grams)


@pytest.fixture
def corpus(make_dossier, unit_a, unit_b, staff, outsider):
    return {
        "one_stop": make_dossier(
            unit_b,
            outsider,
            status=Status.SUBMITTED,
            title="Ứng dung phan mem quan ly ho so mot cua điện tử",
            summary=ONE_STOP_SUMMARY,
        ),
        "students": make_dossier(
            unit_a,
            staff,
            status=Status.SUBMITTED,
            title="Ứng dụng quản lý hồ sơ học sinh",
            summary="Theo dõi hồ sơ học sinh trên máy tính.",
        ),
        "shrimp": make_dossier(
            unit_a,
            staff,
            status=Status.SUBMITTED,
            title="Mô hình nuôi tôm sú thâm canh tuần hoàn nước",
            summary="Nuôi tôm tiết kiệm nước.",
        ),
        "draft": make_dossier(unit_a, staff, title=QUERY, summary=ONE_STOP_SUMMARY),
        "itself": make_dossier(unit_a, staff, status=Status.SUBMITTED, title=QUERY, summary=ONE_STOP_SUMMARY),
    }


@pytest.mark.django_db
def test_similar_dossiers_finds_the_one_typed_without_diacritics(corpus):
    found = similar_dossiers(QUERY, exclude_id=corpus["itself"].pk)
    assert [item.dossier for item in found] == [corpus["one_stop"], corpus["students"]]
    best = found[0]
    assert best.percent > 30
    expected = trigram_similarity(QUERY, f"{corpus['one_stop'].title} {ONE_STOP_SUMMARY}")
    assert best.similarity == pytest.approx(expected, abs=1e-6)
    assert best.percent == round(expected * 100)
    assert [item.similarity for item in found] == sorted((item.similarity for item in found), reverse=True)
    assert all(item.similarity >= 0.3 for item in found)


@pytest.mark.django_db
def test_similar_dossiers_never_returns_drafts_or_the_excluded_one(corpus):
    ids = {item.dossier.pk for item in similar_dossiers(QUERY, exclude_id=corpus["itself"].pk)}
    assert corpus["draft"].pk not in ids
    assert corpus["itself"].pk not in ids
    assert corpus["shrimp"].pk not in ids
    # without the exclusion the identical submitted dossier comes first
    found = similar_dossiers(QUERY)
    assert found[0].dossier == corpus["itself"]
    assert corpus["draft"].pk not in {item.dossier.pk for item in found}


@pytest.mark.django_db
def test_similar_dossiers_input_in_nfd_or_capitals_gives_the_same_result(corpus):
    plain = similar_dossiers(QUERY, exclude_id=corpus["itself"].pk)
    odd = similar_dossiers(unicodedata.normalize("NFD", QUERY.upper()), exclude_id=corpus["itself"].pk)
    assert [(i.dossier.pk, i.percent) for i in odd] == [(i.dossier.pk, i.percent) for i in plain]


@pytest.mark.django_db
def test_similar_dossiers_respects_the_limit_and_short_input(corpus):
    assert len(similar_dossiers(QUERY, limit=1)) == 1
    assert similar_dossiers("Hồ ") == []


@pytest.mark.django_db
def test_text_is_stored_composed_and_folded_for_search(make_dossier, unit_a, staff):
    title = unicodedata.normalize("NFD", "Cải tiến quy trình cấp Giấy chứng nhận")
    dossier = make_dossier(unit_a, staff, title=title, summary="Rút ngắn thời gian")
    stored = Dossier.objects.get(pk=dossier.pk)
    assert stored.title == unicodedata.normalize("NFC", title)
    assert stored.search_text == "cai tien quy trinh cap giay chung nhan rut ngan thoi gian"


@pytest.mark.django_db
def test_a_short_title_finds_earlier_titles_holding_its_words(corpus):
    """«Nuôi tôm» is too short to pass the trigram threshold against a whole title and summary; the
    earlier title holding both words is still shown (in any order, without diacritics)."""
    for typed in ("Nuôi tôm", "tom nuoi", "TÔM SÚ"):
        found = similar_dossiers(typed, title=typed)
        assert [item.dossier for item in found] == [corpus["shrimp"]], typed
    assert similar_dossiers("tôm hùm", title="tôm hùm") == []
