"""RunBack's progression engine: the return-to-run protocol as pure functions of data.

Nothing in this package touches Telegram, a database, the clock or any I/O.
"""
