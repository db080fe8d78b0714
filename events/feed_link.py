"""Placeholder until its helper fills it (issue 12)."""
