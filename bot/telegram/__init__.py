"""The Telegram adapter: updates in (handlers, router, button codec), replies out (sending, transport)."""
