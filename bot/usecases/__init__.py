"""The use cases: one module per thing a runner, a follower or the morning round does.

Each is a small async function over a `RunnerContext` (the unit of work's session, the person, the moment)
that reads and writes through bot/storage and returns an `Outcome` (bot/replies.py): what to say, to whom.
Nothing here knows Telegram or SQL; bot/telegram/router.py decides which use case an update goes to.
"""
