"""The store: one SQLite file for every source and year, its schema, migrations and queries."""
