"""Ideas exchange (DESIGN.md, "Layout").

IdeasExchangePage, Idea, comments and partnerships arrive with the ideas exchange issue.
"""
