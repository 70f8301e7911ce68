"""Helpers of the form fuzz (tests/test_fuzz_forms.py): the URL patterns from the resolver, the
forms a page offers (their fields and the values the page fills in), hostile values, and a snapshot
of every table to prove that a refused request wrote nothing."""

import hashlib
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import strategies as st


def url_patterns(resolver=None, prefix="", namespace=""):
    """(route, name with its namespace, pattern) of every URL the portal serves, the admin aside."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if route.startswith("admin/"):
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from url_patterns(entry, route, inner)
        elif isinstance(entry, URLPattern):
            yield route, f"{namespace}{entry.name or ''}", entry


@dataclass
class Form:
    """A form of a page: its fields' names, what the page fills in, the choices it offers."""

    action: str
    method: str = "post"
    values: dict = field(default_factory=dict)  # name -> [values the page sends as it stands]
    choices: dict = field(default_factory=dict)  # name -> [offered values]
    files: set = field(default_factory=set)


class _FormParser(HTMLParser):
    def __init__(self, page_path):
        super().__init__()
        self.page_path = page_path
        self.forms: list[Form] = []
        self.form = None
        self.select = None
        self.textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            action = urlsplit(urljoin(self.page_path, a.get("action") or self.page_path)).path
            self.form = Form(action=action, method=(a.get("method") or "get").lower())
            self.forms.append(self.form)
            return
        if self.form is None or not a.get("name"):
            return
        name = a["name"]
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind == "file":
                self.form.files.add(name)
            elif kind in {"checkbox", "radio"}:
                self.form.choices.setdefault(name, []).append(a.get("value", "on"))
                if "checked" in a:
                    self.form.values.setdefault(name, []).append(a.get("value", "on"))
            elif kind not in {"submit", "button", "reset", "image"}:
                self.form.values.setdefault(name, []).append(a.get("value") or "")
            else:
                self.form.choices.setdefault(name, []).append(a.get("value") or "")
        elif tag == "select":
            self.select = name
            self.form.values.setdefault(name, [])
        elif tag == "option" and self.select:
            self.form.choices.setdefault(self.select, []).append(a.get("value") or "")
            if "selected" in a:
                self.form.values[self.select].append(a.get("value") or "")
        elif tag == "textarea":
            self.textarea = name
            self.form.values[name] = [""]
        elif tag == "button":
            self.form.choices.setdefault(name, []).append(a.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "select":
            if self.select and not self.form.values.get(self.select):
                offered = self.form.choices.get(self.select) or [""]
                self.form.values[self.select] = [offered[0]]
            self.select = None
        elif tag == "textarea":
            self.textarea = None
        elif tag == "form":
            self.form = None

    def handle_data(self, data):
        if self.textarea and self.form is not None:
            self.form.values[self.textarea][0] += data


def page_forms(html: str, page_path: str) -> list[Form]:
    """The forms of a page (POST forms and GET ones: filters, search boxes), by their action."""
    parser = _FormParser(page_path)
    parser.feed(html)
    return parser.forms


# Values that broke, or could break, a form or a view reading POST by hand.
HOSTILE = [
    "\x00",
    "Tên\x00có NUL",
    "\x01\x1b[31m\x7f",
    "²",
    "٣",
    "３",
    "-1",
    "0",
    "9" * 30,
    "99999999999999999999",
    "-9223372036854775809",
    "1E-999999999",
    "1e999999999",
    "NaN",
    "sNaN",
    "Infinity",
    "-Infinity",
    "7,55",
    "01/01/0001",
    "31/12/9999",
    "0001-01-01",
    "9999-12-31",
    "29/02/2023",
    "x" * 100_000,
    "Đ" * 10_001,
    "\u200b\u200c\u200d",
    "\u00a0\u00a0",
    "\u0301\u0300",
    "\u3164",
    "",
    "   ",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "../../../etc/passwd",
    "on",
    "true",
]
MISSING = object()  # leave the field out of the request

# Sent to every field of a form at once (a list's filters keep the ones that are valid, so each
# reaches its query), and the numbers and dates one field at a time to fields that take a number
# or a date, the rest of the form as a person fills it.
WORST = ["a\x00b", "²", "1E-999999999", "01/01/0001", "31/12/9999", "x" * 100_000]
WORST_DATES_AND_DECIMALS = ["01/01/0001", "31/12/9999", "1E-999999999"]
_DATE_OR_DECIMAL = re.compile(r"[0-9]+[./,][0-9./,]*")  # «05/03/2026», «1.000.000», «7,5»


def battery(form: Form) -> list[dict]:
    """The deterministic hostile requests for a form (see WORST)."""
    names = sorted(set(form.values) | set(form.choices))
    person = {name: plausible(form, name) for name in names}
    requests = [dict.fromkeys(names, value) for value in WORST]
    for name in names:
        if isinstance(person[name], str) and _DATE_OR_DECIMAL.fullmatch(person[name]):
            requests += [{**person, name: value} for value in WORST_DATES_AND_DECIMALS]
    return requests


def distinct(forms: list[Form]) -> list[Form]:
    """One form per set of field names (a page can repeat the same form for each row)."""
    seen = {}
    for form in forms:
        seen.setdefault(frozenset(form.values) | frozenset(form.choices) | frozenset(form.files), form)
    return list(seen.values())


def junk_file(name="tệp.pdf", content=b"%PDF-1.4 not really"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def plausible(form: Form, name: str):
    """What a person would type in a field the page leaves empty, guessed from its name, so that
    a form passes its first checks and the hostile value in another field reaches deeper code."""
    own = [v for v in form.values.get(name, []) if v]
    if own:
        return own if len(own) > 1 else own[0]
    offered = [v for v in form.choices.get(name, []) if v]
    if offered:
        return offered[0]
    lowered = name.lower()
    guesses = [
        (("date", "_on", "since", "until", "start", "end", "born"), "05/03/2026"),
        (("amount", "vnd", "prize"), "1.000.000"),
        (("percent",), "100"),
        (("points",), "5"),
        (("year",), "2026"),
        (("email", "username"), "khach@example.vn"),
        (("password",), "MatKhau-Moi-2026!"),
        (("bank_account",), "0123456789"),
        (("total_forms",), "1"),
        (("initial_forms", "min_num"), "0"),
        (("max_num",), "1000"),
    ]
    for words, value in guesses:
        if any(word in lowered for word in words):
            return value
    return "Nội dung thử nghiệm"


def field_value(draw, form: Form, name: str, ids: list[str], *, mutate: bool):
    """One value for a field: what a person would send (plausible) unless `mutate`, then one
    of: hostile, random text, another object's id, a list, nothing at all."""
    if name in form.files and not mutate:
        return junk_file("tệp.pdf", b"%PDF-1.4\n%%EOF\n")
    if not mutate:
        return plausible(form, name)
    if name in form.files:
        return draw(
            st.sampled_from(
                [
                    MISSING,
                    junk_file(),
                    junk_file("\u200b.pdf", b""),
                    junk_file("x" * 300 + ".pdf"),
                    junk_file("ảnh.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64),
                ]
            )
        )
    choice = draw(st.integers(0, 9))
    if choice <= 4:
        return draw(st.sampled_from(HOSTILE))
    if choice == 5:
        return draw(st.sampled_from(ids))
    if choice == 6:
        return draw(st.text(max_size=40))
    if choice == 7:
        return draw(st.integers(-(2**70), 2**70).map(str))
    if choice == 8:
        return draw(st.lists(st.sampled_from(HOSTILE[:12] + ids[:3]), min_size=2, max_size=3))
    return MISSING


def snapshot() -> dict[str, tuple[int, str]]:
    """Every table of the portal's apps (and auth's): its row count and a digest of its rows."""
    state = {}
    for model in apps.get_models():
        if model._meta.app_label in {"sessions", "admin"} or model._meta.proxy:
            continue
        rows = list(model.objects.order_by("pk").values_list())
        state[model._meta.label] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
    return state


def changed_tables(before: dict, after: dict) -> list[str]:
    return sorted(label for label in before if before[label] != after.get(label))
