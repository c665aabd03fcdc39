"""Helpers shared by test modules (values and functions; fixtures stay in conftest.py)."""
