"""Import and export of station lists (CSV and XLSX), and the hours text they carry."""

import csv
import io
from datetime import time

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.db.models import Value
from django.db.models.functions import Concat

from dandelion.core.errors import InvalidInput
from dandelion.core.geo import h3_cells, to_wgs84
from dandelion.stations.exporting import stations_export
from dandelion.stations.hours_text import (
    HoursTextError,
    format_weekly_hours,
    parse_weekly_hours,
)
from dandelion.stations.importing import stations_import
from dandelion.stations.models import OpeningInterval, Station
from dandelion.stations.tabular import MAX_DATA_ROWS, MAX_FILE_BYTES

HEADER_ZH = [
    "名称",
    "区划代码",
    "类型",
    "建设方式",
    "承建单位",
    "地址",
    "纬度",
    "经度",
    "电话",
    "面积",
    "24小时",
    "设施",
    "营业时间",
    "状态",
    "备注",
]
GOOD_ROWS = [
    [
        "浔阳区甘棠驿站",
        "360403",
        "综合站",
        "改造提升",
        "甘棠街道办事处",
        "九江市浔阳区庾亮南路1号",
        "29.7275",
        "115.9899",
        "0792-8123456",
        "120",
        "否",
        "热水、卫生间、phone_charging",
        "周一至周五 08:00-20:00; 周六,周日 09:00-18:00",
        "运营中",
        "",
    ],
    [
        "濂溪区骑手之家",
        "360402",
        "rider_home",
        "partner_bank",
        "九江银行",
        "九江市濂溪区十里大道8号",
        "29.6717",
        "116.0253",
        "",
        "",
        "是",
        "",
        "",
        "active",
        "银行网点内",
    ],
    [
        "湓浦社区夜间驿站",
        "360403001001",
        "courier",
        "new_build",
        "",
        "九江市浔阳区湓浦路3号",
        "29.7301",
        "115.9950",
        "13800001111",
        "45",
        "0",
        "hot_water;microwave",
        "1-5 18:00-02:00;6-7 20:00-24:00",
        "suspended",
        "",
    ],
]


def csv_bytes(rows, *, header=HEADER_ZH, encoding="utf-8") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, *rows])
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows, *, header=HEADER_ZH) -> bytes:
    book = openpyxl.Workbook()
    for row in [header, *rows]:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def station_snapshot() -> list[tuple]:
    """Everything an import sets, to compare the database before and after."""
    return [
        (
            s.name,
            s.region.code,
            s.kind,
            s.origin,
            s.host_org_name,
            s.address,
            round(s.lat, 9),  # XLSX keeps 16 significant digits
            round(s.lng, 9),
            s.phone,
            s.area_m2,
            s.is_24h,
            s.status,
            s.notes,
            s.city_code,
            s.h3_r9,
            tuple(a.code for a in s.amenities.all()),
            tuple((i.weekday, i.opens, i.closes) for i in s.hours.all()),
            s.updated_at,
        )
        for s in Station.objects.select_related("region")
        .prefetch_related("amenities", "hours")
        .order_by("name")
    ]


def import_errors(data: bytes, filename: str = "stations.csv") -> list[tuple]:
    with pytest.raises(InvalidInput) as caught:
        stations_import(data=data, filename=filename)
    return [(e["line"], e["field"]) for e in caught.value.errors]


# Good files


@pytest.mark.parametrize("make_file,filename", [(csv_bytes, "s.csv"), (xlsx_bytes, "s.xlsx")])
def test_import_creates_stations_from_csv_and_xlsx(jiujiang, make_file, filename):
    report = stations_import(data=make_file(GOOD_ROWS), filename=filename)

    assert (report.created, report.updated, report.unchanged, report.errors) == (3, 0, 0, [])
    ganTang = Station.objects.get(name="浔阳区甘棠驿站")
    assert ganTang.region == jiujiang["xunyang"]
    assert (ganTang.kind, ganTang.origin, ganTang.status) == (
        "comprehensive",
        "renovated",
        "active",
    )
    assert (ganTang.lat, ganTang.lng, ganTang.area_m2, ganTang.phone) == (
        29.7275,
        115.9899,
        120,
        "0792-8123456",
    )
    assert ganTang.city_code == "360400"
    assert ganTang.h3_r9 == h3_cells(29.7275, 115.9899)["h3_r9"]
    assert {a.code for a in ganTang.amenities.all()} == {"hot_water", "toilet", "phone_charging"}
    assert ganTang.hours.count() == 7
    night = Station.objects.get(name="湓浦社区夜间驿站")
    assert night.status == "suspended"
    assert night.region == jiujiang["community"]
    assert (0, time(18), time(2)) in {(i.weekday, i.opens, i.closes) for i in night.hours.all()}
    assert OpeningInterval.objects.get(station=night, weekday=6).closes == time(0)
    bank = Station.objects.get(name="濂溪区骑手之家")
    assert bank.is_24h and bank.hours.count() == 0 and bank.notes == "银行网点内"


def test_xlsx_numbers_are_read_as_text(jiujiang):
    """Excel stores region codes, phones and areas as numbers unless told otherwise."""
    row = [*GOOD_ROWS[0]]
    row[1], row[6], row[7], row[8], row[9] = 360403, 29.7275, 115.9899, 13800001111, 120.0

    stations_import(data=xlsx_bytes([row]), filename="s.xlsx")

    station = Station.objects.get()
    assert (station.region.code, station.phone, station.area_m2) == ("360403", "13800001111", 120)


def test_english_headers_and_optional_columns(jiujiang):
    header = ["name", "region_code", "kind", "origin", "address", "lat", "lng", "coord"]
    rows = [["江边驿站", "360403", "other", "new_build", "滨江路", "29.73", "116.00", "gcj02"]]

    stations_import(data=csv_bytes(rows, header=header), filename="s.csv")

    station = Station.objects.get()
    assert (station.lat, station.lng) == to_wgs84(29.73, 116.00, "gcj02")
    assert station.status == "active" and not station.is_24h


def test_headers_with_units_and_marks_are_recognised(jiujiang):
    header = [
        "名称*",
        "区划代码",
        "类型",
        "建设方式",
        "地址",
        "纬度 (WGS-84)",
        "经度（WGS-84）",
        "序号",
    ]
    rows = [["江边驿站", "360403", "综合站", "新建", "滨江路", "29.73", "116.00", "1"]]

    report = stations_import(data=csv_bytes(rows, header=header), filename="s.csv")

    assert report.created == 1
    assert report.warnings == ["已忽略未知的列：序号"]


def test_gb18030_csv_from_chinese_excel(jiujiang):
    report = stations_import(data=csv_bytes(GOOD_ROWS, encoding="gb18030"), filename="s.csv")

    assert report.created == 3
    assert Station.objects.filter(name="浔阳区甘棠驿站").exists()


def test_utf8_bom_and_semicolon_csv(jiujiang):
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows([HEADER_ZH, GOOD_ROWS[1]])
    data = "\ufeff".encode() + buffer.getvalue().encode()

    assert stations_import(data=data, filename="s.csv").created == 1


# Bad rows


def test_every_bad_row_is_reported_with_its_line_and_nothing_is_written(jiujiang):
    good = GOOD_ROWS[0]

    def variant(**changes):
        row = list(good)
        for column, value in changes.items():
            row[HEADER_ZH.index(column)] = value
        row[0] = changes.get("名称", f"驿站{len(rows)}")
        return row

    rows: list[list[str]] = []
    for changes in [
        {"区划代码": "999999"},  # line 2: unknown region
        {"类型": "加油站"},  # 3: unknown kind
        {"建设方式": ""},  # 4: missing origin
        {"纬度": "北纬29度"},  # 5: not a number
        {"经度": "200"},  # 6: out of range
        {"电话": "call me"},  # 7: phone validator
        {"面积": "12.5"},  # 8: not a whole number
        {"24小时": "也许"},  # 9: not yes/no
        {"设施": "热水、按摩椅"},  # 10: unknown amenity
        {"营业时间": "周八 08:00-20:00"},  # 11: bad hours
        {"状态": "拆除"},  # 12: bad status
        {"名称": ""},  # 13: missing name
        {"名称": "驿" * 121},  # 14: too long for the model
        {"地址": "", "纬度": "x"},  # 15: two errors in one row
    ]:
        rows.append(variant(**changes))
    rows.append(list(good))  # 16: fine
    rows.append(list(good))  # 17: same name and region as line 16

    errors = import_errors(csv_bytes(rows))

    assert errors == [
        (2, "region_code"),
        (3, "kind"),
        (4, "origin"),
        (5, "lat"),
        (6, "lng"),
        (7, "phone"),
        (8, "area_m2"),
        (9, "is_24h"),
        (10, "amenities"),
        (11, "hours"),
        (12, "status"),
        (13, "name"),
        (14, "name"),
        (15, "address"),
        (15, "lat"),
        (17, "name"),
    ]
    assert Station.objects.count() == 0


def test_error_messages_say_what_is_wrong(jiujiang):
    row = list(GOOD_ROWS[0])
    row[1] = "999999"
    with pytest.raises(InvalidInput) as caught:
        stations_import(data=xlsx_bytes([row]), filename="s.xlsx")

    assert caught.value.code == "import_invalid_rows"
    assert caught.value.errors == [
        {
            "loc": ["line", "2", "region_code"],
            "field": "region_code",
            "code": "import_bad_cell",
            "msg": "未知的区划代码：999999",
            "line": 2,
        }
    ]


def test_blank_rows_keep_the_line_numbers_staff_see(jiujiang):
    bad = list(GOOD_ROWS[1])
    bad[2] = "不知道"

    errors = import_errors(xlsx_bytes([GOOD_ROWS[0], [], [None] * 5, bad]), "s.xlsx")

    assert errors == [(5, "kind")]


def test_only_valid_imports_the_good_rows_and_reports_the_rest(jiujiang):
    bad = list(GOOD_ROWS[1])
    bad[6] = "abc"

    report = stations_import(
        data=csv_bytes([GOOD_ROWS[0], bad, GOOD_ROWS[2]]), filename="s.csv", only_valid=True
    )

    assert (report.rows, report.created) == (3, 2)
    assert [(e["line"], e["field"]) for e in report.errors] == [(3, "lat")]
    assert set(Station.objects.values_list("name", flat=True)) == {
        "浔阳区甘棠驿站",
        "湓浦社区夜间驿站",
    }


# Upsert


def test_reimporting_the_same_file_changes_nothing(jiujiang):
    data = xlsx_bytes(GOOD_ROWS)
    stations_import(data=data, filename="s.xlsx")
    before = station_snapshot()

    report = stations_import(data=data, filename="s.xlsx")

    assert (report.created, report.updated, report.unchanged) == (0, 0, 3)
    assert station_snapshot() == before


def test_reimport_updates_changed_rows_by_name_and_region(jiujiang):
    stations_import(data=csv_bytes(GOOD_ROWS), filename="s.csv")
    changed = list(GOOD_ROWS[0])
    changed[7] = "115.9999"
    changed[11] = "热水"
    changed[12] = "每天 07:00-22:00"

    report = stations_import(data=csv_bytes([changed, *GOOD_ROWS[1:]]), filename="s.csv")

    assert (report.created, report.updated, report.unchanged) == (0, 1, 2)
    station = Station.objects.get(name="浔阳区甘棠驿站")
    assert station.lng == 115.9999
    assert station.h3_r9 == h3_cells(29.7275, 115.9999)["h3_r9"]
    assert [a.code for a in station.amenities.all()] == ["hot_water"]
    assert {(i.opens, i.closes) for i in station.hours.all()} == {(time(7), time(22))}
    assert Station.objects.count() == 3


def test_a_column_left_out_keeps_current_values(make_station, jiujiang):
    station = make_station(name="江边驿站", amenities=["toilet"])
    header = ["name", "region_code", "kind", "origin", "address", "lat", "lng"]
    rows = [["江边驿站", "360403", "comprehensive", "renovated", "新地址", "29.7275", "115.9899"]]

    stations_import(data=csv_bytes(rows, header=header), filename="s.csv")

    station.refresh_from_db()
    assert station.address == "新地址"
    assert [a.code for a in station.amenities.all()] == ["toilet"]


def test_dry_run_counts_and_writes_nothing(jiujiang):
    report = stations_import(data=csv_bytes(GOOD_ROWS), filename="s.csv", dry_run=True)

    assert (report.dry_run, report.created) == (True, 3)
    assert Station.objects.count() == 0


# Round trip


@pytest.fixture
def varied_stations(make_station, jiujiang):
    make_station(
        name="=甘棠, 驿站",
        amenities=["hot_water", "toilet"],
        hours=[(d, time(8), time(20)) for d in range(5)] + [(5, time(18), time(2))],
        phone="+86 792 812 3456",
        area_m2=88,
        host_org_name="甘棠街道",
        notes='备注，带"引号"\n和换行',
        lat=29.727512345678901,
        lng=115.98991234567891,
    )
    make_station(
        name="濂溪司机之家",
        region=jiujiang["lianxi"],
        kind="driver_home",
        origin="partner_telecom",
        status="suspended",
        is_24h=True,
    )
    make_station(name="社区驿站", region=jiujiang["community"], kind="other", origin="new_build")


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_export_reimports_unchanged(varied_stations, file_format):
    before = station_snapshot()
    data = stations_export(stations=Station.objects.all(), file_format=file_format)

    report = stations_import(data=data, filename=f"export.{file_format}")

    assert (report.created, report.updated, report.unchanged) == (0, 0, 3)
    assert station_snapshot() == before


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_export_rebuilds_the_same_stations(varied_stations, file_format):
    data = stations_export(stations=Station.objects.all(), file_format=file_format)
    before = [row[:-1] for row in station_snapshot()]  # all but updated_at
    Station.objects.update(name=Concat(Value("旧·"), "name"))  # out of the way of the import

    report = stations_import(data=data, filename=f"export.{file_format}")

    assert report.created == 3
    rebuilt = [row[:-1] for row in station_snapshot() if not row[0].startswith("旧·")]
    assert rebuilt == before


def test_csv_export_has_a_bom_and_chinese_labels(varied_stations):
    data = stations_export(stations=Station.objects.all(), file_format="csv")

    text = data.decode("utf-8")
    assert text.startswith("\ufeff名称,区划代码,类型")
    assert "骑手之家" not in text and "司机之家" in text and "暂停" in text
    assert "热水、卫生间" in text
    assert "周一至周五 08:00-20:00; 周六 18:00-02:00" in text


def test_xlsx_export_keeps_formula_like_text_as_text(varied_stations):
    data = stations_export(stations=Station.objects.all(), file_format="xlsx")

    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet["A2"].value == "=甘棠, 驿站"
    assert sheet["A2"].data_type == "s"


# Bad files


def test_empty_file_is_rejected(jiujiang):
    assert import_errors(b"") == [(None, "file")]


def test_header_only_file_is_rejected(jiujiang):
    with pytest.raises(InvalidInput) as caught:
        stations_import(data=csv_bytes([]), filename="s.csv")
    assert caught.value.code == "import_empty"


def test_oversized_file_is_rejected(jiujiang):
    data = csv_bytes(GOOD_ROWS) + b"," * MAX_FILE_BYTES
    with pytest.raises(InvalidInput) as caught:
        stations_import(data=data, filename="s.csv")
    assert caught.value.code == "import_too_large"


def test_too_many_rows_are_rejected(jiujiang):
    rows = [GOOD_ROWS[0]] * (MAX_DATA_ROWS + 1)
    with pytest.raises(InvalidInput) as caught:
        stations_import(data=csv_bytes(rows), filename="s.csv")
    assert caught.value.code == "import_too_many_rows"
    assert Station.objects.count() == 0


@pytest.mark.parametrize(
    "data,filename,code",
    [
        (b"%PDF-1.7 ...", "stations.pdf", "import_wrong_type"),
        (b"\xd0\xcf\x11\xe0 old excel", "stations.xls", "import_wrong_type"),
        (b"name,region_code\n", "stations.xlsx", "import_bad_file"),
        (b"PK\x03\x04 not really a workbook", "stations.xlsx", "import_bad_file"),
        (b"PK\x03\x04 a zip named csv", "stations.csv", "import_wrong_type"),
        (b"\x00\x01\x02binary", "stations.csv", "import_bad_file"),
    ],
)
def test_files_that_are_not_csv_or_xlsx_are_rejected(jiujiang, data, filename, code):
    with pytest.raises(InvalidInput) as caught:
        stations_import(data=data, filename=filename)
    assert caught.value.code == code
    assert caught.value.errors[0]["field"] == "file"


def test_missing_and_repeated_columns_are_reported_on_line_1(jiujiang):
    header = ["名称", "name", "区划代码", "类型", "建设方式", "地址", "纬度"]

    errors = import_errors(csv_bytes([], header=header))

    assert errors == [(1, "name"), (1, "lng")]


# Management commands


def test_import_and_export_commands(varied_stations, tmp_path, jiujiang):
    path = tmp_path / "lianxi.xlsx"
    call_command("export_stations", str(path), region="360402")
    assert path.stat().st_size > 0
    Station.objects.filter(region=jiujiang["lianxi"]).update(name="改名了")

    out = io.StringIO()
    call_command("import_stations", str(path), "--dry-run", stdout=out)
    assert "1 created" in out.getvalue() and not Station.objects.filter(name="濂溪司机之家")

    call_command("import_stations", str(path), stdout=io.StringIO())
    assert Station.objects.filter(name="濂溪司机之家", status="suspended").exists()


def test_import_command_fails_on_bad_rows(jiujiang, tmp_path):
    path = tmp_path / "bad.csv"
    row = list(GOOD_ROWS[0])
    row[2] = "加油站"
    path.write_bytes(csv_bytes([row, GOOD_ROWS[1]]))
    err = io.StringIO()

    with pytest.raises(CommandError):
        call_command("import_stations", str(path), stderr=err)
    assert "line 2 [kind]" in err.getvalue()
    assert Station.objects.count() == 0

    call_command("import_stations", str(path), "--only-valid", stdout=io.StringIO(), stderr=err)
    assert Station.objects.count() == 1


# Hours text


@pytest.mark.parametrize(
    "text,expected",
    [
        (
            "周一至周五 08:00-20:00; 周六,周日 09:00-18:00",
            [(d, time(8), time(20)) for d in range(5)] + [(d, time(9), time(18)) for d in (5, 6)],
        ),
        (
            "1-5 08:00-20:00;6-7 09:00-18:00",
            [(d, time(8), time(20)) for d in range(5)] + [(d, time(9), time(18)) for d in (5, 6)],
        ),
        ("18:00-02:00", [(d, time(18), time(2)) for d in range(7)]),
        ("星期六 9:00 - 12:00，14:00-18:00", [(5, time(9), time(12)), (5, time(14), time(18))]),
        ("工作日 08:00-24:00", [(d, time(8), time(0)) for d in range(5)]),
        ("周五至周一 20:00-23:00", [(d, time(20), time(23)) for d in (0, 4, 5, 6)]),
        ("", []),
    ],
)
def test_hours_text_is_parsed_and_written_back(text, expected):
    intervals = parse_weekly_hours(text)

    assert intervals == sorted(expected)
    assert parse_weekly_hours(format_weekly_hours(intervals)) == intervals


@pytest.mark.parametrize(
    "text",
    [
        "周八 08:00-20:00",
        "0-5 08:00-20:00",
        "周一 8点到20点",
        "周一 08:00-08:00",
        "周一 25:00-26:00",
        "周一 08:00-12:00,11:00-13:00",
        "周一 08:00-20:00 午休",
    ],
)
def test_bad_hours_text_is_refused(text):
    with pytest.raises(HoursTextError):
        parse_weekly_hours(text)


def test_csv_export_keeps_formulas_from_running(varied_stations):
    """A name or phone that starts like a formula reaches a spreadsheet as text ("CSV
    injection"), and the round-trip tests above show the import takes the guard off again."""
    text = stations_export(stations=Station.objects.all(), file_format="csv").decode("utf-8")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    cells = [cell for row in rows[1:] for cell in row]
    assert "'=甘棠, 驿站" in cells and "'+86 792 812 3456" in cells
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)
