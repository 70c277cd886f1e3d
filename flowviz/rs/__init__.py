"""The government's RS-system open data (行政事業レビュー見える化サイト): CSV files, a local
SQLite store, and the bridge from the store to flowviz's model."""
