"""Test helpers that are not tests themselves."""
