"""Cluster initiatives (DESIGN.md, "Layout").

InitiativeIndexPage, InitiativePage, NewsIndexPage and NewsPage arrive with the initiatives
issue.
"""
