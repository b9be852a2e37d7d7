"""WeChat (/wechat) and WeCom (/wecom) as the platforms meet them: a real `qa-bot serve` on a
loopback port, requests signed and encrypted the way WeChat's and WeCom's servers do
(tests/wechat_client.py), replies decrypted and read."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from qa_bot import QABot
from qa_bot.adapters.wechat_common import MAX_BYTES, cut
from tests.http_server import Server, running_server, server_environment
from tests.wechat_client import (
    AES_KEY,
    OTHER_KEY,
    FakeApi,
    Platform,
    fake_api,
    message_xml,
    text_xml,
)

TOKEN = "wx-token-7d3"
CORP = "ww0a1b2c3d"
FIGURE = "2019年衡阳有多少家高新技术企业？"
LONG = "2020年发生了哪些事？2021年有哪些事？"  # two timelines: over 3000 bytes
WECOM = {
    "QA_BOT_WECOM__TOKEN": "wecom-token",
    "QA_BOT_WECOM__ENCODING_AES_KEY": OTHER_KEY,
    "QA_BOT_WECOM__CORP_ID": CORP,
}


@pytest.fixture(scope="module")
def plain(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """WeChat in plain mode and WeCom."""
    with running_server(
        tmp_path_factory.mktemp("wechat-plain"), {"QA_BOT_WECHAT__TOKEN": TOKEN, **WECOM}
    ) as server:
        yield warmed(server)


@pytest.fixture(scope="module")
def safe_api() -> Iterator[FakeApi]:
    with fake_api() as api:
        yield api


@pytest.fixture(scope="module")
def safe(tmp_path_factory: pytest.TempPathFactory, safe_api: FakeApi) -> Iterator[Server]:
    """WeChat in safe mode (late answers to the fake message API: a loaded machine can make
    an answer miss the deadline)."""
    settings = {
        "QA_BOT_WECHAT__TOKEN": TOKEN,
        "QA_BOT_WECHAT__ENCODING_AES_KEY": AES_KEY,
        "QA_BOT_WECHAT__APP_ID": "wx5e6f7a8b",
        "QA_BOT_WECHAT__APP_SECRET": "safe-secret",
        "QA_BOT_WECHAT__API_BASE_URL": safe_api.url,
    }
    with running_server(tmp_path_factory.mktemp("wechat-safe"), settings) as server:
        yield warmed(server)


def warmed(server: Server) -> Server:
    """The server after one question through /api: what the first answer loads on first use
    (word lists, synonyms) is loaded, so a busy test machine does not make the tests'
    first answers miss the deadline."""
    httpx.post(server.url + "/api/ask", json={"question": FIGURE}, timeout=60)
    return server


@pytest.fixture()
def wechat(plain: Server) -> Platform:
    return Platform(plain.url + "/wechat", TOKEN)


@pytest.fixture()
def wecom(plain: Server) -> Platform:
    return Platform(plain.url + "/wecom", "wecom-token", OTHER_KEY, corp_id=CORP)


@pytest.fixture()
def secure(safe: Server) -> Platform:
    return Platform(safe.url + "/wechat", TOKEN, AES_KEY, app_id="wx5e6f7a8b")


def logged(server: Server, question: str, channel: str = "wechat") -> int:
    with sqlite3.connect(server.cache / "conversations.sqlite3") as db:
        query = "SELECT COUNT(*) FROM replies WHERE question = ? AND channel = ?"
        return int(db.execute(query, (question, channel)).fetchone()[0])


def test_the_url_checks_of_both_consoles(wechat: Platform, wecom: Platform) -> None:
    assert wechat.handshake("echo-1").text == "echo-1"
    assert wecom.handshake("echo-2").text == "echo-2"  # decrypted
    assert wechat.handshake(tamper=True).status_code == 403
    assert wecom.handshake(tamper=True).status_code == 403


def test_safe_mode_url_check_and_answers(secure: Platform) -> None:
    assert secure.handshake("echo-3").text == "echo-3"
    assert "273" in secure.say("s-user", FIGURE)
    assert secure.post(text_xml("s-user", FIGURE, 41), forge=True).status_code == 403
    wrong = Platform(secure.url, TOKEN, OTHER_KEY, app_id="wx5e6f7a8b")
    assert wrong.post(text_xml("s-user", FIGURE, 42)).status_code in {400, 403}  # another key
    other = Platform(secure.url, TOKEN, AES_KEY, app_id="wx-another-account")
    assert other.post(text_xml("s-user", FIGURE, 43)).status_code == 403


@pytest.mark.parametrize("platform", ["wechat", "wecom", "secure"])
def test_a_bad_signature_is_refused_and_nothing_is_logged(
    platform: str, request: pytest.FixtureRequest
) -> None:
    client: Platform = request.getfixturevalue(platform)
    server: Server = request.getfixturevalue("safe" if platform == "secure" else "plain")
    question = f"衡阳哪一年获批建设国家创新型城市？{platform}"
    assert client.post(text_xml("mallory", question, 7), tamper=True).status_code == 403
    assert logged(server, question, "wecom" if platform == "wecom" else "wechat") == 0


def test_a_retried_message_gets_the_same_answer_and_is_logged_once(
    plain: Server, wechat: Platform
) -> None:
    question = "衡阳哪一年获批建设国家创新型城市？"
    first = wechat.say("retry-user", question, msg_id=1234567)
    assert "2018年4月" in first
    assert wechat.say("retry-user", question, msg_id=1234567) == first
    assert logged(plain, question) == 1


def test_follow_ups_continue_per_user_until_reset(plain: Server, wechat: Platform) -> None:
    assert "273" in wechat.say("alice", FIGURE)
    clarify = wechat.say("alice", "那2020年呢？")
    assert "415" in clarify  # a clarification between the 2020 figures
    assert "415" in wechat.say("alice", "第一个")
    assert "415" not in wechat.say("bob", "那2020年呢？")  # bob's session knows nothing
    assert "忘掉" in wechat.say("alice", "重新开始")
    assert "415" not in wechat.say("alice", "那2020年呢？")
    with sqlite3.connect(plain.cache / "conversations.sqlite3") as db:
        sessions = [row[0] for row in db.execute("SELECT session FROM replies")]
    assert sessions and not any("alice" in s or "bob" in s for s in sessions)  # hashed


def test_wecom_answers_its_members_encrypted(plain: Server, wecom: Platform) -> None:
    response = wecom.post(text_xml("zhangsan", FIGURE, 99, CORP, "<AgentID>1000002</AgentID>"))
    reply = wecom.reply(response)
    assert "273" in reply["Content"] and reply["ToUserName"] == "zhangsan"
    assert reply["AgentID"] == "1000002"
    assert "415" in wecom.say("zhangsan", "那2020年呢？")
    assert logged(plain, FIGURE, "wecom") == 1


def test_an_overlong_answer_is_cut_and_continued_with_more(wechat: Platform) -> None:
    first = wechat.say("reader", LONG)
    assert len(first.encode("utf-8")) <= MAX_BYTES
    assert first.endswith("回复“更多”查看") and "1. 2020年" in first
    rest = wechat.say("reader", "更多")
    assert len(rest.encode("utf-8")) <= MAX_BYTES
    assert "2021年" in rest and "来源：" in rest
    assert first.split("\n")[0][:40] not in rest  # it goes on, not over


def test_other_messages_get_one_polite_line(wechat: Platform, wecom: Platform) -> None:
    image = message_xml("carol", "image", "<PicUrl>http://x/y.jpg</PicUrl><MsgId>71</MsgId>")
    voice = message_xml(
        "carol", "voice", "<MediaId>m</MediaId><Format>amr</Format><MsgId>72</MsgId>"
    )
    place = message_xml(
        "carol",
        "location",
        "<Location_X>26.9</Location_X><Location_Y>112.6</Location_Y>"
        "<Scale>15</Scale><Label>衡阳</Label><MsgId>73</MsgId>",
        CORP,
    )
    lines = {
        wechat.reply(wechat.post(image))["Content"],
        wechat.reply(wechat.post(voice))["Content"],
        wecom.reply(wecom.post(place))["Content"],
    }
    assert len(lines) == 1 and "文字" in lines.pop()


def test_a_new_follower_gets_the_welcome_and_examples(wechat: Platform, wecom: Platform) -> None:
    welcome = wechat.reply(wechat.post(message_xml("dave", "event", "<Event>subscribe</Event>")))
    lines = welcome["Content"].split("\n")
    assert lines[0].startswith("你好") and len(lines) == 4
    assert all(line.startswith("· ") and line.endswith("？") for line in lines[1:])
    assert wechat.post(message_xml("dave", "event", "<Event>unsubscribe</Event>")).text == "success"
    member = wecom.reply(wecom.post(message_xml("li", "event", "<Event>subscribe</Event>", CORP)))
    assert member["Content"] == welcome["Content"]


def test_broken_requests_are_refused(wechat: Platform, secure: Platform) -> None:
    assert wechat.post("<xml><oops").status_code == 400
    assert secure.post("not xml at all").status_code == 400
    assert wechat.post("").status_code == 400


QUESTIONS = [
    "衡阳哪一年获批建设国家创新型城市？",
    FIGURE,
    "南华大学研发了什么？",
    "衡阳市2020年的常住人口是多少？",
    "2021年3月衡阳市一季度重大项目集中开工项目数量是多少？",
]


def test_a_safe_mode_session_answers_as_qa_bot_ask(
    safe: Server, secure: Platform, safe_api: FakeApi
) -> None:
    """Done-when of the issue: five questions through /wechat in safe mode, one session,
    give what `qa-bot ask` prints for each (run with -s to see them side by side). An
    answer is the passive reply or, if it missed the deadline, the message sent later."""
    asked = subprocess.run(
        [sys.executable, "-c", ASK_ALL, *QUESTIONS],
        capture_output=True,
        text=True,
        check=True,
        env=server_environment(safe.cache, {}),
        cwd=safe.cache.parent,
    )
    expected = asked.stdout.split("\x00")[:-1]
    for question, want in zip(QUESTIONS, expected, strict=True):
        late = len(safe_api.delivered())
        got = secure.say("done-when", question) or content(safe_api.wait_for(late + 1)[late])
        print(f"\n问：{question}\n/wechat：{got}\nqa-bot ask：{want}")
        assert got == want


# `qa-bot ask Q` for each question (its main() in one process, so the bot is not loaded
# five times), each output ended by NUL.
ASK_ALL = """
import contextlib, io, sys
from qa_bot.cli import main
for question in sys.argv[1:]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        main(["ask", question])
    sys.stdout.write(out.getvalue().rstrip("\\n") + "\\0")
"""


def test_late_answers_go_through_the_message_api(tmp_path: Path) -> None:
    with fake_api() as api:
        api.refuse_next = 1  # the first token is called invalid: fetched again, once
        settings = {
            "QA_BOT_WECHAT__TOKEN": TOKEN,
            "QA_BOT_WECHAT__ENCODING_AES_KEY": AES_KEY,
            "QA_BOT_WECHAT__APP_ID": "wx-late",
            "QA_BOT_WECHAT__APP_SECRET": "app-secret-1",
            "QA_BOT_WECHAT__API_BASE_URL": api.url,
            "QA_BOT_WECHAT__DEADLINE_SECONDS": "0.001",
            **WECOM,
            "QA_BOT_WECOM__SECRET": "corp-secret-2",
            "QA_BOT_WECOM__AGENT_ID": "1000002",
            "QA_BOT_WECOM__API_BASE_URL": api.url,
            "QA_BOT_WECOM__DEADLINE_SECONDS": "0.001",
        }
        with running_server(tmp_path, settings) as server:
            wechat = Platform(server.url + "/wechat", TOKEN, AES_KEY, app_id="wx-late")
            wecom = Platform(server.url + "/wecom", "wecom-token", OTHER_KEY, corp_id=CORP)
            assert wechat.post(text_xml("late-user", LONG, 501)).text == "success"
            assert wechat.post(text_xml("late-user", LONG, 501)).text == "success"  # retry
            assert wecom.say("late-member", FIGURE) == ""
            assert wechat.post(text_xml("late-user", FIGURE, 502)).text == "success"
            delivered = check_deliveries(api)
            assert "app-secret-1" not in server.log() and "TOKEN-" not in server.log()
        assert logged(server, LONG) == 1 and logged(server, FIGURE, "wecom") == 1
    assert delivered[0]["touser"] == "late-user"
    text = content(delivered[0])
    assert text.endswith("回复“更多”查看") and len(text.encode("utf-8")) <= MAX_BYTES


def content(body: dict[str, object]) -> str:
    """The text of a message sent through the message API."""
    text = body["text"]
    assert isinstance(text, dict)
    return str(text["content"])


def check_deliveries(api: FakeApi) -> list[dict[str, object]]:
    """Three answers delivered, the right API used for each, tokens fetched once per
    platform (plus once for the token refused)."""
    delivered = api.wait_for(3)
    assert len(delivered) == 3
    by_path = {body["path"] for body in delivered}
    assert by_path == {"/cgi-bin/message/custom/send", "/cgi-bin/message/send"}
    wecom_body = next(b for b in delivered if b["path"] == "/cgi-bin/message/send")
    assert wecom_body["touser"] == "late-member" and wecom_body["agentid"] == 1000002
    assert "273" in str(wecom_body["text"])
    assert len(api.tokens) == 3
    assert {q.get("grant_type", ["-"])[0] for q in api.tokens} == {"client_credential", "-"}
    assert [b["touser"] for b in delivered].count("late-user") == 2
    return sorted(delivered, key=lambda b: "更多" not in str(b["text"]))


def test_a_malformed_aes_key_is_one_line_naming_the_setting(tmp_path: Path) -> None:
    environment = server_environment(
        tmp_path, {"QA_BOT_WECHAT__TOKEN": TOKEN, "QA_BOT_WECHAT__ENCODING_AES_KEY": "short"}
    )
    result = subprocess.run(
        [sys.executable, "-m", "qa_bot", "serve", "--port", "0"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "wechat.encoding_aes_key" in lines[0]
    missing = server_environment(
        tmp_path, {"QA_BOT_WECHAT__TOKEN": TOKEN, "QA_BOT_WECHAT__ENCODING_AES_KEY": AES_KEY}
    )
    result = subprocess.run(
        [sys.executable, "-m", "qa_bot", "ask", "你好"],
        env=missing,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1 and "wechat.app_id" in result.stderr


def test_cutting_keeps_sentences_whole() -> None:
    text = "第一句话。" * 300 + "最后。"
    head, rest = cut(text, 100)
    assert len(head.encode("utf-8")) <= 100 and head.endswith("。") and head + rest == text
    assert cut("短。", 100) == ("短。", "")
    head, rest = cut("无标点" * 100, 10)
    assert len(head.encode("utf-8")) <= 10 and head + rest == "无标点" * 100


def test_a_held_back_rest_is_what_more_serves(bot: QABot) -> None:
    bot.ask(FIGURE, session_id="held")
    bot.hold_back("held", "剩下的部分。" * 100)  # longer than other dialog texts
    assert bot.ask("更多", session_id="held").answer == "剩下的部分。" * 100
    assert "剩下" not in bot.ask("更多", session_id="held").answer  # then the dialog's own
