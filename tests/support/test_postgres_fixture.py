"""The PostgreSQL fixtures give each test a real, empty database of its own."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import create_engine, inspect, text


def test_postgres_url_is_a_working_postgresql_database(postgres_url: str) -> None:
    assert postgres_url.startswith("postgresql+psycopg://")
    engine = create_engine(postgres_url)
    try:
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE sample (id integer PRIMARY KEY, name text NOT NULL)"))
            conn.execute(text("INSERT INTO sample VALUES (1, 'héllo')"))
        with engine.connect() as conn:
            assert conn.execute(text("SELECT id, name FROM sample")).all() == [(1, "héllo")]
            assert conn.execute(text("SELECT version()")).scalar_one().startswith("PostgreSQL ")
            assert conn.execute(text("SELECT current_database()")).scalar_one().startswith("td_")
    finally:
        engine.dispose()


def test_each_database_is_separate(make_postgres_url: Callable[[], str]) -> None:
    first, second = make_postgres_url(), make_postgres_url()
    assert first != second
    engines = [create_engine(first), create_engine(second)]
    try:
        with engines[0].begin() as conn:
            conn.execute(text("CREATE TABLE only_in_first (id integer)"))
        assert inspect(engines[0]).has_table("only_in_first")
        assert not inspect(engines[1]).has_table("only_in_first")
    finally:
        for engine in engines:
            engine.dispose()
