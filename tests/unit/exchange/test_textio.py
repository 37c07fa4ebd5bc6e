from __future__ import annotations

from pathlib import Path

from truceline.exchange.textio import CsvProblem, CsvRecord, check_header, read_csv


def test_invalid_utf8_rejects_only_its_row_and_names_the_byte_offset(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(b"a,b\n1,ok\n2,caf\xe9\n3,fine\n")
    items = list(read_csv(path))
    assert isinstance(items[2], CsvProblem)
    assert items[2].row == 2
    assert "0xE9" in items[2].reason and "byte offset 14" in items[2].reason
    assert "(line 3)" in items[2].reason
    assert isinstance(items[3], CsvRecord) and items[3].fields == ["3", "fine"]


def test_quoted_fields_spanning_lines_are_one_row(tmp_path: Path) -> None:
    path = tmp_path / "multi.csv"
    path.write_text('a,b\n1,"two\nlines"\n2,x\n', encoding="utf-8")
    records = [i for i in read_csv(path) if isinstance(i, CsvRecord)]
    assert [r.row for r in records] == [0, 1, 2]
    assert records[1].fields == ["1", "two\nlines"]
    assert (records[2].first_line, records[2].last_line) == (4, 4)


def test_malformed_quoting_is_reported_and_reading_goes_on(tmp_path: Path) -> None:
    path = tmp_path / "quotes.csv"
    path.write_text('a,b\n1,"x"y\n2,z\n', encoding="utf-8")
    items = list(read_csv(path))
    problem = next(i for i in items if isinstance(i, CsvProblem))
    assert problem.row == 1 and "malformed CSV at line 2" in problem.reason
    assert any(isinstance(i, CsvRecord) and i.fields == ["2", "z"] for i in items)


def test_gzipped_files_are_read_transparently(tmp_path: Path) -> None:
    import gzip

    path = tmp_path / "rows.csv.gz"
    path.write_bytes(gzip.compress(b"a,b\n1,2\n"))
    assert [i.fields for i in read_csv(path) if isinstance(i, CsvRecord)] == [
        ["a", "b"],
        ["1", "2"],
    ]


def test_header_problems_name_the_column_and_its_position() -> None:
    problems = check_header(
        ["id", "colour", "id"],
        known=frozenset({"id", "x"}),
        required=frozenset({"id", "x"}),
        format_name="T",
    )
    assert problems == [
        "unknown column 'colour' (column 2) for T",
        "column 3 'id' appears twice in the header",
        "missing required column(s) for T: x",
    ]
