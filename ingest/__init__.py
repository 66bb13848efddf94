"""Statute ingestion: source texts → cleaned blocks → a tree of provisions (one JSON file per act)."""
