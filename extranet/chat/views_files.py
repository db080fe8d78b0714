"""Conversations: /cabinet/messages/ (to be written)."""
