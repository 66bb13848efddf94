"""Answering: cited, verbatim answers composed from retrieval hits (no LLM needed)."""
