"""The WeChat Official Account (公众号) callback at ``/wechat``: it checks the signature,
decrypts in safe mode, hands each message to ``wechat_common.Chat`` and answers in XML.

Enabled when ``wechat.token`` is set; safe mode (AES) when ``wechat.encoding_aes_key`` is set
too. Signatures, the AES envelope and the XML come from wechatpy.
"""

from __future__ import annotations

import logging
import time
from typing import Any
from xml.parsers.expat import ExpatError

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, Response
from wechatpy import create_reply, parse_message
from wechatpy.crypto import WeChatCrypto
from wechatpy.exceptions import InvalidAppIdException, InvalidSignatureException
from wechatpy.utils import check_signature

from qa_bot.adapters.http_state import BotHolder
from qa_bot.adapters.wechat_api import MessageApi
from qa_bot.adapters.wechat_common import Chat, Replier, message_key
from qa_bot.settings import Settings, WechatSettings

log = logging.getLogger(__name__)
CHANNEL = "wechat"
MALFORMED = (ValueError, LookupError, TypeError, AttributeError, ExpatError)


class Rejected(Exception):
    """A request that is not from WeChat (403) or not a message (400)."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


def router(settings: Settings, holder: BotHolder) -> APIRouter:
    """``GET /wechat`` (the console's URL check) and ``POST /wechat`` (messages)."""
    config = settings.wechat
    assert config.token is not None
    token = config.token.get_secret_value()
    key = config.encoding_aes_key
    crypto = WeChatCrypto(token, key.get_secret_value(), config.app_id) if key else None
    chat = Chat(holder, CHANNEL, settings.http.welcome)
    api = message_api(config)
    deliver = api.send if api is not None else None
    replier = Replier(CHANNEL, config.deadline_seconds, deliver, "wechat.app_secret")
    router = APIRouter(include_in_schema=False)

    @router.get("/wechat")
    def handshake(
        signature: str = "", timestamp: str = "", nonce: str = "", echostr: str = ""
    ) -> Response:
        """The console's check of the URL: echo ``echostr`` when the signature is right."""
        if not signed(token, signature, timestamp, nonce):
            return Response(status_code=403)
        return PlainTextResponse(echostr)

    @router.post("/wechat")
    async def message(
        request: Request,
        signature: str = "",
        timestamp: str = "",
        nonce: str = "",
        msg_signature: str = "",
    ) -> Response:
        """A user's message or event; the reply is the response (encrypted in safe mode), or
        ``success`` when there is none in time."""
        started = time.monotonic()
        body = await request.body()
        try:
            if not signed(token, signature, timestamp, nonce):
                raise Rejected(403)
            received = read(body, crypto, msg_signature, timestamp, nonce)
        except Rejected as rejected:
            return Response(status_code=rejected.status)
        text = await replier.reply(
            message_key(received), received.source, lambda: chat.respond(received), started
        )
        if text is None:
            return PlainTextResponse("success")
        xml = create_reply(text, received).render()
        if crypto is not None:
            xml = crypto.encrypt_message(xml, nonce, str(int(time.time())))
        return Response(xml, media_type="application/xml")

    return router


def signed(token: str, signature: str, timestamp: str, nonce: str) -> bool:
    """Whether ``signature`` is WeChat's over the token, timestamp and nonce."""
    try:
        check_signature(token, signature, timestamp, nonce)
    except InvalidSignatureException:
        return False
    return True


def read(
    body: bytes, crypto: WeChatCrypto | None, signature: str, timestamp: str, nonce: str
) -> Any:
    """The wechatpy message in ``body`` (decrypted in safe mode, where ``signature`` is the
    ``msg_signature`` over the ciphertext).

    :raises Rejected: 403 for a wrong signature or another account's message, 400 for a body
        that is no message.
    """
    try:
        xml = body.decode("utf-8")
        if crypto is not None:
            xml = crypto.decrypt_message(xml, signature, timestamp, nonce)
        received = parse_message(xml)
        received.type.lower()  # a message has a type
        return received
    except (InvalidSignatureException, InvalidAppIdException):
        raise Rejected(403) from None
    except MALFORMED as exc:
        log.info("wechat: a request that is no message (%s)", type(exc).__name__)
        raise Rejected(400) from None


def message_api(config: WechatSettings) -> MessageApi | None:
    """The customer-service message API, when ``wechat.app_secret`` is set."""
    if config.app_secret is None or not config.app_id:
        return None
    base = config.api_base_url.rstrip("/")
    credentials = {
        "grant_type": "client_credential",
        "appid": config.app_id,
        "secret": config.app_secret.get_secret_value(),
    }

    def body(user: str, text: str) -> dict[str, object]:
        return {"touser": user, "msgtype": "text", "text": {"content": text}}

    return MessageApi(
        CHANNEL, f"{base}/cgi-bin/token", credentials, f"{base}/cgi-bin/message/custom/send", body
    )
