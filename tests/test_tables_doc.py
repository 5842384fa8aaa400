"""The warehouse describes itself (issue 11 item 5): one declaration (schemas/tables.py) gives DuckDB's table and
column comments and docs/tables.md; khabar's internal tables sit in their own schema."""
from __future__ import annotations

import duckdb

from flows import warehouse
from schemas.docs import tables_markdown
from schemas.tables import ALL_TABLES, CURATED, INTERNAL, INTERNAL_SCHEMA, OPERATIONAL, description
from tests.conftest import ROOT


def test_docs_tables_md_is_current():
    doc = ROOT / "docs" / "tables.md"
    assert doc.read_text(encoding="utf-8") == tables_markdown(), "run .venv/bin/python scripts/docs_tables.py"


def test_every_table_and_column_is_declared_with_a_description():
    for name, schema in ALL_TABLES.items():
        assert description(schema), name
        for field in schema:
            assert description(field), f"{name}.{field.name}"


def test_a_new_warehouse_carries_the_descriptions_as_comments(tmp_path):
    layout = warehouse.Layout(tmp_path)
    warehouse.connect(layout).close()
    con = duckdb.connect(str(layout.db), read_only=True)
    tables = {(s, t): c for s, t, c in con.execute(
        "SELECT schema_name, table_name, comment FROM duckdb_tables()").fetchall()}
    assert set(tables) == ({("main", t) for t in {**CURATED, **OPERATIONAL}}
                           | {(INTERNAL_SCHEMA, t) for t in INTERNAL})
    columns = {(s, t, c): comment for s, t, c, comment in con.execute(
        "SELECT schema_name, table_name, column_name, comment FROM duckdb_columns()").fetchall()}
    for name, schema in ALL_TABLES.items():
        where = INTERNAL_SCHEMA if name in INTERNAL else "main"
        assert tables[(where, name)] == description(schema)
        for field in schema:
            assert columns[(where, name, field.name)] == description(field), f"{name}.{field.name}"
    assert columns[("main", "quarantine", "reason_code")].startswith("why, as a code")
    assert columns[("main", "ingest_files", "reason_code")].startswith("the same as reason, as a code")


def test_comments_are_written_once(tmp_path):
    """A second connect finds every comment in place and writes none (each would be a catalog change)."""
    layout = warehouse.Layout(tmp_path)
    warehouse.connect(layout).close()
    con = warehouse.connect(layout)
    con.execute("COMMENT ON TABLE runs IS 'changed by hand'")
    con.close()
    con = warehouse.connect(layout)
    assert con.execute("SELECT comment FROM duckdb_tables() WHERE table_name = 'runs'").fetchone()[0] == \
        description(ALL_TABLES["runs"])
    con.close()
