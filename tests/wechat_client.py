"""What WeChat's and WeCom's servers do to a callback URL, for the tests: sign (the published
SHA-1 over the sorted token, timestamp, nonce and ciphertext), encrypt (wechatpy's AES, as the
platforms' own sample code does), post the XML, and decrypt and read the reply. Nothing here
uses qa-bot's code. Also a fake message API server (token + send) on a loopback port."""

from __future__ import annotations

import hashlib
import json
import secrets
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import httpx
from wechatpy.crypto import WeChatCrypto
from wechatpy.enterprise.crypto import WeChatCrypto as WeComCrypto

AES_KEY = "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR"  # 43 characters, as the consoles make
OTHER_KEY = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"


def sha1_signature(*parts: str) -> str:
    """The platforms' signature: SHA-1 of the parts sorted and joined."""
    return hashlib.sha1("".join(sorted(parts)).encode("utf-8")).hexdigest()


def text_xml(user: str, content: str, msg_id: int, to: str = "gh_account", extra: str = "") -> str:
    return message_xml(
        user, "text", f"<Content><![CDATA[{content}]]></Content><MsgId>{msg_id}</MsgId>{extra}", to
    )


def message_xml(user: str, kind: str, fields: str, to: str = "gh_account") -> str:
    return (
        f"<xml><ToUserName><![CDATA[{to}]]></ToUserName>"
        f"<FromUserName><![CDATA[{user}]]></FromUserName>"
        f"<CreateTime>{int(time.time())}</CreateTime>"
        f"<MsgType><![CDATA[{kind}]]></MsgType>{fields}</xml>"
    )


def fields(xml: str) -> dict[str, str]:
    return {child.tag: child.text or "" for child in ET.fromstring(xml)}


@dataclass
class Platform:
    """One account's server side: posts to ``url`` as WeChat (``corp_id`` empty) or WeCom."""

    url: str
    token: str
    aes_key: str | None = None
    app_id: str = ""
    corp_id: str = ""
    agent_id: str = "1000002"

    def crypto(self) -> WeChatCrypto | WeComCrypto:
        assert self.aes_key is not None
        if self.corp_id:
            return WeComCrypto(self.token, self.aes_key, self.corp_id)
        return WeChatCrypto(self.token, self.aes_key, self.app_id)

    def seal(self, plain: str) -> tuple[str, str, str, str]:
        """(ciphertext, msg_signature, timestamp, nonce) for ``plain``."""
        timestamp, nonce = str(int(time.time())), secrets.token_hex(5)
        envelope = fields(self.crypto().encrypt_message(plain, nonce, timestamp))
        assert envelope["MsgSignature"] == sha1_signature(
            self.token, timestamp, nonce, envelope["Encrypt"]
        )
        return envelope["Encrypt"], envelope["MsgSignature"], timestamp, nonce

    def handshake(self, echo: str = "echo-4b1d", tamper: bool = False) -> httpx.Response:
        """The console's URL check: WeChat signs and expects ``echostr`` back; WeCom sends it
        encrypted and expects the plain text."""
        if self.corp_id:
            echostr, signature, timestamp, nonce = self.seal(echo)
            query = {
                "msg_signature": signature,
                "timestamp": timestamp,
                "nonce": nonce,
                "echostr": echostr,
            }
        else:
            timestamp, nonce = str(int(time.time())), "n1"
            signature = sha1_signature(self.token, timestamp, nonce)
            query = {
                "signature": signature,
                "timestamp": timestamp,
                "nonce": nonce,
                "echostr": echo,
            }
        if tamper:
            query["timestamp"] = str(int(query["timestamp"]) + 1)
        return httpx.get(self.url, params=query, timeout=30)

    def post(self, plain: str, tamper: bool = False, forge: bool = False) -> httpx.Response:
        """Push ``plain`` (a message's XML) as the platform does, signed (and encrypted);
        ``tamper`` changes the nonce after signing, ``forge`` only the ``msg_signature``."""
        timestamp, nonce = str(int(time.time())), secrets.token_hex(5)
        query = {"timestamp": timestamp, "nonce": nonce}
        if not self.corp_id:
            query["signature"] = sha1_signature(self.token, timestamp, nonce)
            query["openid"] = plain.partition("FromUserName><![CDATA[")[2].partition("]")[0]
        body = plain
        if self.aes_key is not None:
            encrypted, signature, timestamp, nonce = self.seal(plain)
            query.update(timestamp=timestamp, nonce=nonce, msg_signature=signature)
            if not self.corp_id:
                query.update(
                    signature=sha1_signature(self.token, timestamp, nonce), encrypt_type="aes"
                )
            to = self.corp_id or "gh_account"
            agent = f"<AgentID>{self.agent_id}</AgentID>" if self.corp_id else ""
            body = (
                f"<xml><ToUserName><![CDATA[{to}]]></ToUserName>{agent}"
                f"<Encrypt><![CDATA[{encrypted}]]></Encrypt></xml>"
            )
        if tamper:
            query["nonce"] += "x"
        if forge:
            query["msg_signature"] = sha1_signature("forged", query["msg_signature"])
        return httpx.post(self.url, params=query, content=body.encode("utf-8"), timeout=30)

    def reply(self, response: httpx.Response) -> dict[str, str]:
        """The reply's fields, decrypted (checking its signature) in safe mode; {} for
        ``success`` or an empty body."""
        assert response.status_code == 200, response.text
        if response.text in {"", "success"}:
            return {}
        if self.aes_key is None:
            return fields(response.text)
        envelope = fields(response.text)
        assert envelope["MsgSignature"] == sha1_signature(
            self.token, envelope["TimeStamp"], envelope["Nonce"], envelope["Encrypt"]
        )
        return fields(
            self.crypto().decrypt_message(
                response.text, envelope["MsgSignature"], envelope["TimeStamp"], envelope["Nonce"]
            )
        )

    def say(self, user: str, content: str, msg_id: int | None = None) -> str:
        """Send a text message and return the reply's text ("" for none)."""
        msg_id = msg_id if msg_id is not None else secrets.randbelow(10**15)
        extra = f"<AgentID>{self.agent_id}</AgentID>" if self.corp_id else ""
        to = self.corp_id or "gh_account"
        reply = self.reply(self.post(text_xml(user, content, msg_id, to, extra)))
        if reply:
            assert reply["ToUserName"] == user and reply["FromUserName"] == to
            assert reply["MsgType"] == "text"
        return reply.get("Content", "")


@dataclass
class FakeApi:
    """A fake of the platforms' message APIs: tokens and sent messages, as received."""

    url: str
    tokens: list[dict[str, list[str]]] = field(default_factory=list)
    sent: list[tuple[str, dict[str, object]]] = field(default_factory=list)  # (token, body)
    refuse_next: int = 0  # answer this many sends with 40001 (token invalid)

    def wait_for(self, count: int, timeout: float = 20.0) -> list[dict[str, object]]:
        deadline = time.monotonic() + timeout
        while len(self.delivered()) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.delivered()

    def delivered(self) -> list[dict[str, object]]:
        return [body for token, body in self.sent if token != "refused"]


@contextmanager
def fake_api() -> Iterator[FakeApi]:
    """The fake on a free loopback port: GET …/token or …/gettoken, POST …/send."""
    state = FakeApi("")
    count = iter(range(1, 1000))

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            state.tokens.append(parse_qs(parts.query))
            self.answer({"access_token": f"TOKEN-{next(count)}", "expires_in": 7200})

        def do_POST(self) -> None:
            token = parse_qs(urlsplit(self.path).query)["access_token"][0]
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            if state.refuse_next:
                state.refuse_next -= 1
                state.sent.append(("refused", body))
                self.answer({"errcode": 40001, "errmsg": "invalid credential"})
                return
            state.sent.append((token, {**body, "path": urlsplit(self.path).path}))
            self.answer({"errcode": 0, "errmsg": "ok"})

        def answer(self, body: dict[str, object]) -> None:
            data = json.dumps(body).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
