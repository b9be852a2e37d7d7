// The chat page of qa-bot: asks /api/ask in the tab's session and shows each answer with its
// source, suggestions and clarification options as buttons, and 👍/👎.
// Every text from the user or the server is set with textContent, never as HTML.
"use strict";

(() => {
  const SESSION = "qa-bot-session";
  const API_KEY = "qa-bot-api-key";
  const CHANNEL = { "X-QA-Channel": "web" };
  const ORDINALS = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];

  const log = document.getElementById("log");
  const form = document.getElementById("ask");
  const input = document.getElementById("question");
  const send = document.getElementById("send");
  const status = document.getElementById("status");
  const title = document.getElementById("title");
  const newChat = document.getElementById("new-chat");
  const keyDialog = document.getElementById("key-dialog");
  const keyInput = document.getElementById("key-input");

  let config = { title: "问答", welcome: "", max_question_chars: 500, feedback: true };
  let busy = false;

  class Problem extends Error {
    constructor(status, code, retryAfter) {
      super(code || String(status));
      this.status = status;
      this.code = code;
      this.retryAfter = retryAfter;
    }
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function button(text, className, label) {
    const node = element("button", className, text);
    node.type = "button";
    if (label) node.setAttribute("aria-label", label);
    return node;
  }

  function askForKey() {
    return new Promise((resolve) => {
      keyInput.value = "";
      keyDialog.addEventListener(
        "close",
        () => {
          const key = keyInput.value.trim();
          if (key) sessionStorage.setItem(API_KEY, key);
          resolve(Boolean(key));
        },
        { once: true },
      );
      keyDialog.showModal();
    });
  }

  async function call(path, body, retried = false) {
    const headers = { ...CHANNEL };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const key = sessionStorage.getItem(API_KEY);
    if (key) headers.Authorization = "Bearer " + key;
    let response;
    try {
      response = await fetch(path, {
        method: body === undefined ? "GET" : "POST",
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: "same-origin",
      });
    } catch (error) {
      throw new Problem(0, "network");
    }
    let data = null;
    try {
      data = await response.json();
    } catch (error) {
      data = null;
    }
    if (response.status === 401 && !retried) {
      sessionStorage.removeItem(API_KEY);
      if (await askForKey()) return call(path, body, true);
    }
    if (!response.ok) {
      const code = data && data.error ? data.error.code : null;
      throw new Problem(response.status, code, response.headers.get("Retry-After"));
    }
    return data;
  }

  function explain(problem) {
    if (problem.status === 0) return "无法连接服务器，请检查网络后重试。";
    if (problem.status === 401) return "访问密钥不正确，请重新输入后再试。";
    if (problem.status === 429) {
      return `提问太频繁了，请 ${problem.retryAfter || "几"} 秒后再试。`;
    }
    if (problem.status === 503) return "知识库正在加载，请稍候再试。";
    if (problem.code === "question_too_long") {
      return `问题太长了，请精简到 ${config.max_question_chars} 个字以内。`;
    }
    if (problem.status === 413) return "问题太长了，请精简后再试。";
    return "抱歉，出了点问题，请稍后再试。";
  }

  function scrollToEnd(node) {
    node.scrollIntoView({ block: "end" });
  }

  function addMessage(who, text) {
    const item = element("article", "msg " + who);
    item.setAttribute("aria-label", who === "user" ? "你的问题" : "回答");
    item.appendChild(element("p", "text", text));
    log.appendChild(item);
    scrollToEnd(item);
    return item;
  }

  function chips(label, entries, visible = true) {
    const group = element("div", "chips");
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", label);
    if (visible) group.appendChild(element("span", "chips-label", label));
    for (const [text, question] of entries) {
      const chip = button(text, "chip");
      chip.addEventListener("click", () => ask(question, text));
      group.appendChild(chip);
    }
    return group;
  }

  function sources(reply) {
    const seen = new Set();
    const box = element("div", "sources");
    for (const source of reply.sources) {
      const id = `${source.doc_id}|${source.section}|${source.snippet}`;
      if (seen.has(id) || seen.size >= 3) continue;
      seen.add(id);
      const details = element("details", "source");
      const where = source.section ? `《${source.title}》 · ${source.section}` : `《${source.title}》`;
      details.appendChild(element("summary", "", "来源：" + where));
      const evidence = element("blockquote", "evidence", source.snippet);
      evidence.setAttribute("aria-label", "原文");
      details.appendChild(evidence);
      box.appendChild(details);
    }
    return box;
  }

  function rating(reply) {
    const box = element("div", "rate");
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", "这个回答有帮助吗？");
    const up = button("👍 有帮助", "rate-up", "有帮助");
    const down = button("👎 没帮助", "rate-down", "没有帮助");
    const note = element("span", "rate-note");
    for (const [node, value] of [[up, "up"], [down, "down"]]) {
      node.setAttribute("aria-pressed", "false");
      node.addEventListener("click", async () => {
        try {
          await call("api/feedback", { reply_id: reply.reply_id, rating: value });
        } catch (problem) {
          note.textContent = explain(problem);
          return;
        }
        up.setAttribute("aria-pressed", String(value === "up"));
        down.setAttribute("aria-pressed", String(value === "down"));
        note.textContent = "谢谢你的反馈！";
        if (value === "down" && !box.querySelector("form")) box.appendChild(comment(reply, note));
      });
    }
    box.append(up, down, note);
    return box;
  }

  function comment(reply, note) {
    const commentForm = element("form", "comment");
    const id = "comment-" + reply.reply_id;
    const label = element("label", "", "哪里不对？（可选）");
    label.htmlFor = id;
    const field = element("input");
    field.id = id;
    field.maxLength = 1000;
    const submit = element("button", "secondary", "提交");
    submit.type = "submit";
    commentForm.append(label, field, submit);
    commentForm.addEventListener("submit", async (event) => {
      event.preventDefault();
      const text = field.value.trim();
      if (!text) return;
      try {
        await call("api/feedback", { reply_id: reply.reply_id, rating: "down", comment: text });
        commentForm.remove();
        note.textContent = "已收到你的意见，谢谢！";
      } catch (problem) {
        note.textContent = explain(problem);
      }
    });
    return commentForm;
  }

  function showReply(reply) {
    const item = addMessage("bot", reply.answer);
    item.dataset.kind = reply.kind;
    if (reply.answered && reply.sources.length && !["help", "clarify"].includes(reply.kind)) {
      item.appendChild(sources(reply));
    }
    if (reply.options && reply.options.length) {
      const entries = reply.options.map((option, n) => [option, `第${ORDINALS[n] || n + 1}个`]);
      item.appendChild(chips("请选择：", entries));
    }
    if (reply.suggestions && reply.suggestions.length) {
      item.appendChild(chips("你可以试试问：", reply.suggestions.map((s) => [s, s])));
    }
    if (config.feedback && reply.reply_id) item.appendChild(rating(reply));
    scrollToEnd(item);
  }

  async function ask(question, shown) {
    question = question.trim();
    if (!question || busy) return;
    busy = true;
    send.disabled = true;
    addMessage("user", shown || question);
    status.textContent = "正在查找答案…";
    const body = { question };
    const session = sessionStorage.getItem(SESSION);
    if (session) body.session_id = session;
    try {
      const reply = await call("api/ask", body);
      if (reply.session_id) sessionStorage.setItem(SESSION, reply.session_id);
      status.textContent = "";
      showReply(reply);
    } catch (problem) {
      status.textContent = "";
      addMessage("bot error", explain(problem));
    } finally {
      busy = false;
      send.disabled = false;
      input.focus();
    }
  }

  async function welcome(attempt = 0) {
    const item = addMessage("bot", config.welcome);
    item.classList.add("welcome");
    let examples = [];
    for (let n = attempt; n < 30; n += 1) {
      try {
        examples = (await call("api/examples?count=3")).examples;
        break;
      } catch (problem) {
        if (problem.status !== 503) break;
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
    if (examples.length && item.isConnected) {
      item.appendChild(chips("示例问题", examples.map((e) => [e, e]), false));
    }
  }

  async function startOver() {
    const session = sessionStorage.getItem(SESSION);
    sessionStorage.removeItem(SESSION);
    log.replaceChildren();
    status.textContent = "已开始新对话。";
    if (session) {
      try {
        await call("api/reset", { session_id: session });
      } catch (problem) {
        // The old session is forgotten here either way; the server lets it expire.
      }
    }
    welcome();
    input.focus();
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const question = input.value;
    input.value = "";
    ask(question);
  });

  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  newChat.addEventListener("click", startOver);

  async function start() {
    try {
      config = await call("api/config");
    } catch (problem) {
      status.textContent = explain(problem);
    }
    document.title = config.title;
    title.textContent = config.title;
    input.maxLength = config.max_question_chars;
    welcome();
  }

  start();
})();
