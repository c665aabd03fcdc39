"""Conversation learning: what a user says, turned into typed taste preferences."""
