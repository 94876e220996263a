"""The English catalogues are complete and compiled, and the API speaks English when asked.

Every `dandelion/<app>/locale/en/LC_MESSAGES/*.po` is read with a small parser (no polib): no
entry may be untranslated or fuzzy, placeholders must survive translation, and every entry must
come back from `gettext` under `en`, which fails when a `.mo` is missing or older than its `.po`
(file times say nothing after a checkout) or when two apps translate one msgid differently.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

APPS_WITH_CATALOGUES = {"core", "regions", "accounts", "orgs", "stations", "demo", "web"}
CATALOGUES = sorted((Path(settings.BASE_DIR) / "dandelion").glob("*/locale/en/LC_MESSAGES/*.po"))
DJANGO_DOMAIN = [po for po in CATALOGUES if po.stem == "django"]

_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+"(.*)"$')
_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
_PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]|%[sd]|\{\w*\}")


@dataclass
class Entry:
    line: int
    flags: set[str] = field(default_factory=set)
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"line {self.line}: {self.msgid!r}"


def _unquote(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), text)


def parse_po(path: Path) -> list[Entry]:
    """The entries of a .po file, header included (msgid ""); obsolete (#~) entries skipped."""
    entries: list[Entry] = []
    entry: Entry | None = None
    target: tuple[str, int] | None = None  # what a continuation line ("...") appends to

    def finish() -> None:
        nonlocal entry, target
        if entry is not None and (entry.msgid or entry.msgstr):
            entries.append(entry)
        entry, target = None, None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            if not line:
                finish()
            continue
        if entry is None:
            entry = Entry(line=number)
        if line.startswith("#,"):
            entry.flags.update(flag.strip() for flag in line[2:].split(",") if flag.strip())
        elif line.startswith("#"):
            continue
        elif match := _KEYWORD.match(line):
            keyword, index, text = match.group(1), match.group(2), _unquote(match.group(3))
            if keyword.startswith("msgstr"):
                target = ("msgstr", int(index or 0))
                entry.msgstr[target[1]] = text
            else:
                target = (keyword, 0)
                setattr(entry, keyword, text)
        elif line.startswith('"') and line.endswith('"') and target is not None:
            text = _unquote(line[1:-1])
            if target[0] == "msgstr":
                entry.msgstr[target[1]] += text
            else:
                setattr(entry, target[0], getattr(entry, target[0]) + text)
        else:
            raise AssertionError(f"{path}:{number}: cannot read {raw!r}")
    finish()
    return entries


def _messages(path: Path) -> list[Entry]:
    return [e for e in parse_po(path) if e.msgid]


def _rel(path: Path) -> str:
    return str(path.relative_to(settings.BASE_DIR))


def test_every_app_with_strings_has_an_english_catalogue():
    apps = {po.parts[-5] for po in DJANGO_DOMAIN}
    assert apps >= APPS_WITH_CATALOGUES, sorted(APPS_WITH_CATALOGUES - apps)
    for po in CATALOGUES:
        assert po.with_suffix(".mo").is_file(), f"{_rel(po)} is not compiled"


def test_the_parser_reads_plurals_contexts_and_continuations(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: en\\n"\n\n'
        '#: a.py:1\n#, fuzzy, python-format\nmsgctxt "distance"\nmsgid ""\n"%(n)s 米"\n'
        'msgstr "%(n)s m"\n\n'
        'msgid "%(count)d 行"\nmsgid_plural "%(count)d 行"\nmsgstr[0] "%(count)d row"\n'
        'msgstr[1] ""\n\n#~ msgid "旧"\n#~ msgstr "old"\n',
        encoding="utf-8",
    )
    header, context, plural = parse_po(po)
    assert header.msgid == "" and header.msgstr == {0: "Language: en\n"}
    assert (context.msgctxt, context.msgid, context.msgstr) == (
        "distance",
        "%(n)s 米",
        {0: "%(n)s m"},
    )
    assert context.flags == {"fuzzy", "python-format"}
    assert plural.msgid_plural == "%(count)d 行" and plural.msgstr == {0: "%(count)d row", 1: ""}


@pytest.mark.parametrize("po", CATALOGUES, ids=_rel)
def test_catalogue_is_complete_and_not_fuzzy(po):
    entries = parse_po(po)
    header = next((e for e in entries if not e.msgid), None)
    assert header is not None and "Language: en" in header.msgstr[0]
    assert "fuzzy" not in header.flags, f"{_rel(po)}: the header is marked fuzzy"
    problems = []
    for entry in _messages(po):
        if "fuzzy" in entry.flags:
            problems.append(f"{entry}: fuzzy")
        expected_forms = 2 if entry.msgid_plural is not None else 1
        if len(entry.msgstr) != expected_forms or not all(entry.msgstr.values()):
            problems.append(f"{entry}: untranslated {entry.msgstr}")
    assert not problems, f"{_rel(po)}:\n" + "\n".join(problems)


@pytest.mark.parametrize("po", CATALOGUES, ids=_rel)
def test_translations_keep_placeholders(po):
    problems = []
    for entry in _messages(po):
        for source in filter(None, (entry.msgid, entry.msgid_plural)):
            wanted = sorted(_PLACEHOLDER.findall(source))
            for text in entry.msgstr.values():
                if sorted(_PLACEHOLDER.findall(text)) != wanted:
                    problems.append(f"{entry}: {text!r}")
    assert not problems, f"{_rel(po)}:\n" + "\n".join(problems)


def _served(entry: Entry, n: int) -> str:
    """What Django's merged `en` catalogue returns for `entry` (counting `n` if plural)."""
    if entry.msgid_plural is None:
        if entry.msgctxt is None:
            return translation.gettext(entry.msgid)
        return translation.pgettext(entry.msgctxt, entry.msgid)
    if entry.msgctxt is None:
        return translation.ngettext(entry.msgid, entry.msgid_plural, n)
    return translation.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, n)


@pytest.mark.parametrize("po", DJANGO_DOMAIN, ids=_rel)
def test_compiled_catalogue_gives_every_translation(po):
    """What Django serves under `en` is the .po's text: the .mo is current, and no other app's
    catalogue (the first in INSTALLED_APPS wins) translates the same msgid differently."""
    problems = []
    with translation.override("en"):
        for entry in _messages(po):
            got = {index: _served(entry, n) for index, n in ((0, 1), (1, 2))}
            if entry.msgid_plural is None:
                got = {0: got[0]}
            if got != entry.msgstr:
                problems.append(f"{entry}: .po says {entry.msgstr}, Django gives {got}")
    assert not problems, (
        f"{_rel(po)} (run `python manage.py compilemessages --ignore .venv`):\n"
        + "\n".join(problems)
    )


def test_nearby_stations_in_english(client, make_station):
    station = make_station(kind="rider_home", origin="new_build", amenities=["hot_water"])
    query = f"/api/v1/stations/nearby?lat={station.lat}&lng={station.lng}"

    zh = client.get(query).json()["items"][0]
    en = client.get(query, HTTP_ACCEPT_LANGUAGE="en").json()["items"][0]

    assert (zh["kind_label"], en["kind_label"]) == ("骑手之家", "Rider's home")
    assert [a["name"] for a in en["amenities"]] == ["Hot water"]
    detail = client.get(f"/api/v1/stations/{station.pk}", HTTP_ACCEPT_LANGUAGE="en").json()
    assert detail["kind_label"] == "Rider's home"
    assert detail["origin_label"] == "Newly built"


def test_amenity_catalogue_in_english(client, db):
    amenities = client.get("/api/v1/amenities", HTTP_ACCEPT_LANGUAGE="en").json()

    hot_water = next(a for a in amenities if a["code"] == "hot_water")
    assert hot_water["name"] == "Hot water"
