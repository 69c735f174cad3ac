"""Fixtures for the Bot API emulator tests."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from telegram.ext import Application, ApplicationBuilder

from emulator import BotAPIEmulator

AppFactory = Callable[..., Awaitable[Application]]  # type: ignore[type-arg]


@pytest.fixture
async def emu() -> AsyncIterator[BotAPIEmulator]:
    """A started emulator; at teardown no request may have failed validation."""
    emulator = BotAPIEmulator()
    await emulator.start()
    try:
        yield emulator
    finally:
        await emulator.stop()
    assert emulator.validation_errors == [], emulator.validation_errors


def builder_for(emulator: BotAPIEmulator) -> ApplicationBuilder:  # type: ignore[type-arg]
    return ApplicationBuilder().base_url(emulator.base_url).base_file_url(emulator.base_file_url).token(emulator.token)


@pytest.fixture
def make_builder(emu: BotAPIEmulator) -> Callable[[], ApplicationBuilder]:  # type: ignore[type-arg]
    """Factory of ``ApplicationBuilder``s already pointed at ``emu``."""
    return lambda: builder_for(emu)


@pytest.fixture
async def running_app(emu: BotAPIEmulator) -> AsyncIterator[AppFactory]:
    """Factory: build, start and poll a PTB Application against ``emu``; stopped at teardown."""
    apps: list[Application] = []  # type: ignore[type-arg]

    async def start(*handlers: object, builder: ApplicationBuilder | None = None) -> Application:  # type: ignore[type-arg]
        app = (builder or builder_for(emu)).build()
        for handler in handlers:
            app.add_handler(handler)  # type: ignore[arg-type]
        await app.initialize()
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=1)
        apps.append(app)
        return app

    yield start
    for app in apps:
        assert app.updater is not None
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
