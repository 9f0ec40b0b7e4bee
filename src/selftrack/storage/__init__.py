"""Storage: the one way to read and write the database.

Every statement is a SQL text with `:name` parameters, written in the SQL that SQLite and
PostgreSQL share, run through one `Connection` (`connection`): the standard `sqlite3` module
on a SQLite file, a SQLAlchemy Core connection on PostgreSQL. The schema is described by the
SQLAlchemy models (`models`) and built by Alembic migrations (`migrations/`).

- `engine`: opening a database safely, upgrading it, backups;
- `store`: the Store the layers above are given (database, profile, clock) and its scopes;
- `queries`: reads for the walk and the core; `history`: reads for history and trends;
  `export_reads`: what the exports read;
- `writes`: every change, keeping each session's totals up to date in the same transaction;
- `maintenance`: `db check`, `db backup`, `db upgrade`; `backups`: SQLite copies and PostgreSQL
  dumps that never look finished before they are; `staging`: an import staged beside a
  SQLite database and published in one short transaction.
Storage imports only the domain (and the clock, paths and errors beside it).
"""
