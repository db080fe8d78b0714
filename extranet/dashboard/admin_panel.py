"""PLACEHOLDER (being written by a helper): the indicators' summary panel on Wagtail's
dashboard."""
