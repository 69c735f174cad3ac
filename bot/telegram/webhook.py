"""Webhook mode: Telegram POSTs each update to us; it is answered 200 only once it has been handled."""

from __future__ import annotations

import hmac
import logging
from typing import Any
from urllib.parse import urlsplit

from telegram import Bot, Update
from telegram.ext import Application

from bot.config import Settings
from bot.telegram.updates import drop_tapped_keyboard

log = logging.getLogger("runback.webhook")


def webhook_path(url: str) -> str:
    """The path Telegram posts to (the reverse proxy passes it through): that of RUNBACK_WEBHOOK_URL."""
    return urlsplit(url).path.rstrip("/") or "/"


async def serve(application: Application, settings: Settings) -> Any:  # type: ignore[type-arg]
    """Listen on RUNBACK_LISTEN:RUNBACK_PORT for Telegram's POSTs; a request without Telegram's secret token
    (X-Telegram-Bot-Api-Secret-Token) is refused with 403. Returns the server (`cleanup()` stops it).

    Telegram keeps an update until its webhook request gets a 2xx, and retries it otherwise: an update is
    answered 200 only once it has been handled (its effects committed). A worker killed with updates in hand
    loses none of them: Telegram sends them again, to this or another worker, and the update id claimed with
    the effects makes a copy that was in fact handled change nothing twice. (python-telegram-bot's own
    webhook server answers 200 as soon as the update is queued.) Updates go through the same per-person
    update processor as polling. This does NOT call setWebhook: with several workers behind a proxy they
    would all race to register it at every (rolling) restart; `runback set-webhook` does it once.
    """
    from aiohttp import web

    secret = settings.webhook_secret
    if not settings.webhook_url or not secret:
        raise ValueError("webhook mode needs RUNBACK_WEBHOOK_URL and RUNBACK_WEBHOOK_SECRET")

    async def receive(request: web.Request) -> web.Response:
        given = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
        if not hmac.compare_digest(given.encode(), secret.encode()):
            return web.Response(status=403)
        try:
            update = Update.de_json(drop_tapped_keyboard(await request.json()), application.bot)
        except (ValueError, TypeError, KeyError, AttributeError):
            return web.Response(status=400)  # not an update: Telegram never sends these, so no retry wanted
        await application.update_processor.process_update(update, application.process_update(update))
        return web.Response(status=200)

    web_app = web.Application(client_max_size=4 * 1024 * 1024)
    web_app.router.add_post(webhook_path(settings.webhook_url), receive)
    server = web.AppRunner(web_app, access_log=None)  # no access log: the path may be guessable, keep it out
    await server.setup()
    await web.TCPSite(server, settings.listen, settings.port).start()
    log.info("serving webhook requests on %s:%d", settings.listen, settings.port)
    return server


async def register(bot: Bot, settings: Settings, *, delete: bool = False) -> None:
    """`runback set-webhook`: tell Telegram where to post updates, with the secret token it must send back
    (or, `delete`, go back to polling). Run it once per deployment, not from each worker."""
    await bot.initialize()
    try:
        if delete:
            await bot.delete_webhook(drop_pending_updates=False)
            return
        if not settings.webhook_url or not settings.webhook_secret:
            raise ValueError("set-webhook needs RUNBACK_WEBHOOK_URL and RUNBACK_WEBHOOK_SECRET")
        await bot.set_webhook(
            settings.webhook_url, secret_token=settings.webhook_secret, max_connections=40, drop_pending_updates=False
        )
    finally:
        await bot.shutdown()
