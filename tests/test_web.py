"""The web chat page in a real browser: Debian's chromium driven by Selenium against a real
`qa-bot serve`. Screenshots are saved under each test's tmp_path."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import WebDriverWait

from tests.http_server import Server, running_server

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
pytestmark = pytest.mark.skipif(
    not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
    reason="needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)",
)

QUESTION = "2019年衡阳有多少家高新技术企业？"
ANSWERS = ".msg.bot:not(.welcome)"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    settings = {"QA_BOT_HTTP__RATE_LIMIT_PER_MINUTE": "0", "QA_BOT_HTTP__TITLE": "市民问答"}
    with running_server(tmp_path_factory.mktemp("web"), settings) as running:
        yield running


@pytest.fixture(scope="module")
def driver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebDriver]:
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    profile = tmp_path_factory.mktemp("chromium-profile")
    for argument in (
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run",
        "--disable-dev-shm-usage", f"--user-data-dir={profile}", "--window-size=390,844",
    ):  # fmt: skip
        options.add_argument(argument)
    browser = webdriver.Chrome(
        service=webdriver.ChromeService(executable_path=str(CHROMEDRIVER)), options=options
    )
    browser.set_page_load_timeout(30)
    yield browser
    browser.quit()


@pytest.fixture()
def page(driver: WebDriver, server: Server, tmp_path: Path) -> Iterator[WebDriver]:
    """The page freshly opened in a new conversation, showing its welcome; a screenshot is
    saved afterwards."""
    driver.get(server.url + "/")
    driver.execute_script("sessionStorage.clear()")
    driver.get(server.url + "/")
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, ".welcome .chip"))
    yield driver
    driver.save_screenshot(str(tmp_path / "page.png"))


def wait(driver: WebDriver, check: Callable[[WebDriver], object], timeout: float = 15) -> object:
    return WebDriverWait(driver, timeout).until(check)


def ask(driver: WebDriver, question: str) -> WebElement:
    """Type a question, press Enter, and return the answer's message."""
    before = len(driver.find_elements(By.CSS_SELECTOR, ANSWERS))
    box = driver.find_element(By.ID, "question")
    box.send_keys(question)
    box.send_keys(Keys.ENTER)
    return answer_after(driver, before)


def answer_after(driver: WebDriver, before: int) -> WebElement:
    wait(driver, lambda d: len(d.find_elements(By.CSS_SELECTOR, ANSWERS)) > before)
    return driver.find_elements(By.CSS_SELECTOR, ANSWERS)[-1]


def user_messages(driver: WebDriver) -> list[str]:
    return [m.text for m in driver.find_elements(By.CSS_SELECTOR, ".msg.user .text")]


def test_title_and_welcome_come_from_the_settings(page: WebDriver) -> None:
    assert page.title == "市民问答"
    assert page.find_element(By.ID, "title").text == "市民问答"
    assert "注明出处" in page.find_element(By.CSS_SELECTOR, ".welcome .text").text


def test_a_question_gets_an_answer_with_its_source_and_evidence(page: WebDriver) -> None:
    answer = ask(page, QUESTION)
    assert "273" in answer.find_element(By.CSS_SELECTOR, ".text").text
    summary = answer.find_element(By.CSS_SELECTOR, ".source summary")
    assert "《创新衡阳 乘势而上》" in summary.text and "二、培育创新主体" in summary.text
    evidence = answer.find_element(By.CSS_SELECTOR, ".evidence")
    assert not evidence.is_displayed()
    summary.click()
    assert evidence.is_displayed() and "273家" in evidence.text


def test_a_follow_up_and_a_clarification_option(page: WebDriver) -> None:
    ask(page, QUESTION)
    clarify = ask(page, "那2021年呢？")
    assert clarify.get_attribute("data-kind") == "clarify"
    options = clarify.find_elements(By.CSS_SELECTOR, ".chip")
    chosen = next(o for o in options if "600" in o.text)
    label = chosen.text
    before = len(page.find_elements(By.CSS_SELECTOR, ANSWERS))
    chosen.click()
    answer = answer_after(page, before)
    assert "600" in answer.text
    assert user_messages(page)[-1] == label


def test_a_suggestion_button_asks_its_question(page: WebDriver) -> None:
    refused = ask(page, "衡阳市的常住人口是多少？")
    assert refused.find_elements(By.CSS_SELECTOR, ".source") == []  # no source for a refusal
    suggestion = refused.find_elements(By.CSS_SELECTOR, ".chip")[0]
    question = suggestion.text
    before = len(page.find_elements(By.CSS_SELECTOR, ANSWERS))
    suggestion.send_keys(Keys.ENTER)  # by keyboard: a button takes Enter
    answer = answer_after(page, before)
    assert user_messages(page)[-1] == question
    assert answer.find_elements(By.CSS_SELECTOR, ".source")


def test_a_rating_and_comment_reach_the_log(page: WebDriver, server: Server) -> None:
    answer = ask(page, "南华大学研发了什么？")
    down = answer.find_element(By.CSS_SELECTOR, ".rate-down")
    down.click()
    wait(page, lambda d: down.get_attribute("aria-pressed") == "true")
    field = answer.find_element(By.CSS_SELECTOR, ".comment input")
    field.send_keys("想知道功率")
    field.send_keys(Keys.ENTER)
    wait(page, lambda d: "已收到" in answer.find_element(By.CSS_SELECTOR, ".rate-note").text)
    with sqlite3.connect(server.cache / "conversations.sqlite3") as db:
        rows = db.execute(
            "SELECT channel, rating, comment FROM replies WHERE question = ?",
            ("南华大学研发了什么？",),
        ).fetchall()
    assert ("web", "down", "想知道功率") in rows


def test_markup_in_a_question_is_shown_as_text(page: WebDriver) -> None:
    markup = "<img src=x onerror=alert(1)><b>粗体</b>"
    ask(page, markup)
    assert user_messages(page)[-1] == markup
    log = page.find_element(By.ID, "log")
    assert log.find_elements(By.TAG_NAME, "img") == []
    assert log.find_elements(By.TAG_NAME, "b") == []
    with pytest.raises(NoAlertPresentException):
        _ = page.switch_to.alert


def test_new_chat_forgets_the_conversation(page: WebDriver) -> None:
    ask(page, QUESTION)
    page.find_element(By.ID, "new-chat").click()
    wait(page, lambda d: not d.find_elements(By.CSS_SELECTOR, ".msg.user"))
    assert page.execute_script("return sessionStorage.getItem('qa-bot-session')") is None
    wait(page, lambda d: d.find_elements(By.CSS_SELECTOR, ".welcome .chip"))
    fresh = ask(page, "那2020年呢？")
    assert fresh.get_attribute("data-kind") != "clarify"


def test_the_page_is_accessible_and_fits_a_phone(page: WebDriver) -> None:
    log = page.find_element(By.ID, "log")
    assert log.get_attribute("aria-live") == "polite" and log.get_attribute("role") == "log"
    label = page.find_element(By.CSS_SELECTOR, "label[for=question]")
    assert label.get_attribute("textContent") == "你的问题"
    answer = ask(page, QUESTION)
    assert answer.find_element(By.CSS_SELECTOR, ".rate-up").get_attribute("aria-label")
    width = page.execute_script("return document.documentElement.scrollWidth")
    assert width <= page.execute_script("return window.innerWidth")


def test_a_server_with_api_keys_asks_for_one(
    driver: WebDriver, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    settings = {"QA_BOT_HTTP__API_KEYS": '["page-key-7"]'}
    with running_server(tmp_path_factory.mktemp("keyed"), settings) as keyed:
        driver.get(keyed.url + "/")
        driver.execute_script("sessionStorage.clear()")
        driver.get(keyed.url + "/")
        dialog = driver.find_element(By.ID, "key-dialog")
        wait(driver, lambda d: dialog.get_attribute("open") is not None)
        field = driver.find_element(By.ID, "key-input")
        field.send_keys("page-key-7")
        field.send_keys(Keys.ENTER)
        wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, ".welcome .chip"))
        answer = ask(driver, QUESTION)
        assert "273" in answer.text
        driver.save_screenshot(str(tmp_path / "keyed.png"))
        assert "page-key-7" not in keyed.log()
