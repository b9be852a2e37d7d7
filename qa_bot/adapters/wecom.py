"""The WeCom (企业微信) app callback at ``/wecom``: it checks ``msg_signature``, decrypts,
hands each message to ``wechat_common.Chat`` and answers in encrypted XML.

WeCom always encrypts, so ``wecom.token``, ``wecom.encoding_aes_key`` and ``wecom.corp_id``
go together. The signature, the AES envelope and the XML come from wechatpy.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, Response
from wechatpy.enterprise import create_reply, parse_message
from wechatpy.enterprise.crypto import WeChatCrypto
from wechatpy.enterprise.exceptions import InvalidCorpIdException
from wechatpy.exceptions import InvalidSignatureException

from qa_bot.adapters.http_state import BotHolder
from qa_bot.adapters.wechat import MALFORMED, Rejected
from qa_bot.adapters.wechat_api import MessageApi
from qa_bot.adapters.wechat_common import Chat, Replier, message_key
from qa_bot.settings import Settings, WecomSettings

log = logging.getLogger(__name__)
CHANNEL = "wecom"
NOT_OURS = (InvalidSignatureException, InvalidCorpIdException)


def router(settings: Settings, holder: BotHolder) -> APIRouter:
    """``GET /wecom`` (the console's URL check) and ``POST /wecom`` (messages)."""
    config = settings.wecom
    assert config.token is not None and config.encoding_aes_key is not None
    crypto = WeChatCrypto(
        config.token.get_secret_value(), config.encoding_aes_key.get_secret_value(), config.corp_id
    )
    chat = Chat(holder, CHANNEL, settings.http.welcome)
    api = message_api(config)
    deliver = api.send if api is not None else None
    replier = Replier(CHANNEL, config.deadline_seconds, deliver, "wecom.secret and agent_id")
    router = APIRouter(include_in_schema=False)

    @router.get("/wecom")
    def handshake(
        msg_signature: str = "", timestamp: str = "", nonce: str = "", echostr: str = ""
    ) -> Response:
        """The console's check of the URL: answer ``echostr`` decrypted."""
        try:
            plain = crypto.check_signature(msg_signature, timestamp, nonce, echostr)
        except NOT_OURS:
            return Response(status_code=403)
        except MALFORMED:
            return Response(status_code=400)
        return PlainTextResponse(str(plain))

    @router.post("/wecom")
    async def message(
        request: Request, msg_signature: str = "", timestamp: str = "", nonce: str = ""
    ) -> Response:
        """A member's message or event; the reply is the (encrypted) response, or empty when
        there is none in time."""
        started = time.monotonic()
        try:
            received = read(crypto, await request.body(), msg_signature, timestamp, nonce)
        except Rejected as rejected:
            return Response(status_code=rejected.status)
        text = await replier.reply(
            message_key(received), received.source, lambda: chat.respond(received), started
        )
        if text is None:
            return PlainTextResponse("")
        xml = create_reply(text, received).render()
        encrypted = crypto.encrypt_message(xml, nonce, str(int(time.time())))
        return Response(encrypted, media_type="application/xml")

    return router


def read(crypto: WeChatCrypto, body: bytes, signature: str, timestamp: str, nonce: str) -> Any:
    """The wechatpy message in the encrypted ``body``.

    :raises Rejected: 403 for a wrong signature or another company's message, 400 for a body
        that is no message.
    """
    try:
        received = parse_message(crypto.decrypt_message(body.decode("utf-8"), signature,
                                                        timestamp, nonce))  # fmt: skip
        received.type.lower()  # a message has a type
        return received
    except NOT_OURS:
        raise Rejected(403) from None
    except MALFORMED as exc:
        log.info("wecom: a request that is no message (%s)", type(exc).__name__)
        raise Rejected(400) from None


def message_api(config: WecomSettings) -> MessageApi | None:
    """The app message API, when ``wecom.secret`` and ``wecom.agent_id`` are set."""
    if config.secret is None or config.agent_id is None:
        return None
    base = config.api_base_url.rstrip("/")
    credentials = {"corpid": config.corp_id, "corpsecret": config.secret.get_secret_value()}
    agent = config.agent_id

    def body(user: str, text: str) -> dict[str, object]:
        return {"touser": user, "msgtype": "text", "agentid": agent, "text": {"content": text}}

    return MessageApi(
        CHANNEL, f"{base}/cgi-bin/gettoken", credentials, f"{base}/cgi-bin/message/send", body
    )
