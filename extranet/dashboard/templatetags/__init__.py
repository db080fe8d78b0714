"""Template tags of the dashboard: the indicators page (indicator_tags)."""
