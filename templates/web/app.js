// gongwen 公文工作台: the pages of `gongwen serve`.
// Everything a user typed is put on the page with textContent or as an
// input's value — never as HTML.
"use strict";

let session = null;

// ---- helpers -----------------------------------------------------------


async function api(method, url, body, raw) {
  const headers = { "Accept": "application/json" };
  if (method !== "GET") headers["X-CSRF-Token"] = session ? session.csrf : "";
  let payload;
  if (raw) {
    payload = body;
    headers["Content-Type"] = "application/octet-stream";
  } else if (body !== undefined) {
    payload = JSON.stringify(body);
    headers["Content-Type"] = "application/json";
  }
  let r;
  try {
    r = await fetch(url, { method, headers, body: payload, credentials: "same-origin" });
  } catch (e) {
    throw { error: "连不上工作台服务器。请确认 gongwen serve 还在运行。", notes: [] };
  }
  let data = null;
  try { data = await r.json(); } catch (e) { data = null; }
  if (r.status === 401 && session && session.signed && url !== "/login") {
    location.href = "/login";
  }
  if (!r.ok) {
    if (r.status === 413 && !(data && data.error)) throw { error: "文件太大，超过了上传的上限。", notes: [] };
    throw data && data.error ? data : { error: "服务器出错（" + r.status + "）。", notes: [] };
  }
  return data;
}


function view() { return document.getElementById("view"); }

function can(role) {
  const order = ["拟稿", "核稿", "签发", "管理"];
  return session && order.indexOf(session.role) >= order.indexOf(role);
}

// ---- start -------------------------------------------------------------

async function start() {
  try {
    session = await api("GET", "/api/session");
  } catch (e) {
    banner(e.error);
    return;
  }
  if (document.getElementById("login-form")) return loginPage();
  if (!session.user) { location.href = "/login"; return; }
  const who = document.getElementById("who");
  who.textContent = session.signed ? session.user.name + "（" + session.role + "）" : "本机使用";
  if (session.signed) {
    const out = document.getElementById("logout");
    out.hidden = false;
    out.addEventListener("click", async () => {
      await api("POST", "/logout", {}).catch(() => {});
      location.href = "/login";
    });
  }
  document.getElementById("nav-audit").hidden = !can("管理");
  document.getElementById("nav-campaigns").hidden = !can("管理");
  document.getElementById("nav-register").hidden = !can("核稿");
  const path = location.pathname;
  const m = path.match(/^\/draft\/([0-9-]+)$/);
  const mc = path.match(/^\/campaigns\/([0-9-]+)$/);
  for (const a of document.querySelectorAll("nav a")) {
    a.classList.toggle("here", a.getAttribute("href") === path || (m && a.id === "nav-docs") || (mc && a.id === "nav-campaigns"));
  }
  if (mc) return campaignPage(mc[1]);
  if (path === "/campaigns") return campaignsPage();
  if (m) return draftPage(m[1]);
  if (path === "/register") return registerPage();
  if (path === "/audit") return auditPage();
  return docsPage();
}

function loginPage() {
  const form = document.getElementById("login-form");
  const err = document.getElementById("login-error");
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    err.hidden = true;
    try {
      await api("POST", "/login", {
        name: document.getElementById("login-name").value,
        password: document.getElementById("login-password").value,
      });
      location.href = "/";
    } catch (e) {
      err.textContent = e.error;
      err.hidden = false;
    }
  });
}

// ---- 文稿 list -----------------------------------------------------------

async function docsPage() {
  document.title = "拟文 · 公文工作台";
  const v = view();
  v.replaceChildren();
  const kinds = el("div", { class: "kinds" },
    session.kinds.map((k) => el("button", {
      type: "button", class: "kind", "data-kind": k, text: k,
      onclick: async () => {
        try {
          const r = await api("POST", "/api/docs", { kind: k });
          location.href = "/draft/" + r.id;
        } catch (e) { banner(e.error); }
      },
    })));
  const openYaml = el("input", { type: "file", id: "open-yaml", accept: ".yaml,.yml", hidden: true });
  openYaml.addEventListener("change", async () => {
    const file = openYaml.files[0];
    if (!file) return;
    try {
      const r = await api("POST", "/api/docs", { yaml: await file.text() });
      location.href = "/draft/" + r.id;
    } catch (e) { banner(e.error); }
    openYaml.value = "";
  });
  v.append(
    el("section", { class: "card" },
      el("h1", { text: "新建公文" }),
      el("p", { class: "muted", text: "选择文种，打开填写表单（已按该文种填好示例，改成您的内容即可）。" }),
      kinds,
      el("p", { class: "muted more" }, "已有 gongwen 的 YAML 文件？",
        el("button", { type: "button", class: "link", id: "open-yaml-button", text: "打开 YAML 文件", onclick: () => openYaml.click() }),
        openYaml)),
  );
  const list = el("section", { class: "card" }, el("h2", { text: "我的文稿" }));
  v.append(list);
  let docs = [];
  try { docs = await api("GET", "/api/docs"); } catch (e) { banner(e.error); }
  if (!docs.length) {
    list.append(el("p", { class: "muted", text: "还没有文稿。" }));
    return;
  }
  list.append(el("table", { class: "grid" },
    el("thead", {}, el("tr", {}, ["标题", "文种", "发文字号", "版本", "修改时间"].map((h) => el("th", { text: h })))),
    el("tbody", {}, docs.map((d) => el("tr", {},
      el("td", {}, el("a", { href: "/draft/" + d.id, text: d.title || "（无标题）" })),
      el("td", { text: d.kind }),
      el("td", { text: d.number || "未取号" }),
      el("td", { text: d.versions ? "第 " + d.versions + " 版" : "草稿" }),
      el("td", { text: d.updated }),
    )))));
}

// ---- 拟文 form ------------------------------------------------------------

const SECTIONS = ["版头", "主体", "表格", "附件", "印发的文件", "版记", "签批单"];

// The marker line placing table n (from 1) in 正文, an 附件 or 印发的文件
// (serve::form::marker).
function tableMarker(n) { return "【表格" + n + "】"; }
function markedTable(line) {
  const m = /^\s*【表格(\d+)】\s*$/.exec(line);
  return m ? parseInt(m[1], 10) : 0;
}
// Drops the marker line of table `gone` (from 1) and renumbers the later ones.
function dropMarker(text, gone) {
  return text.split("\n").filter((l) => markedTable(l) !== gone)
    .map((l) => { const k = markedTable(l); return k > gone ? tableMarker(k - 1) : l; }).join("\n");
}

// A form field whose value is held by several inputs: a <div> with a
// `value` property, so the page (and a test) reads and sets it as an input.
function holder(id, get, set) {
  const box = el("div", { id, class: "holder" });
  Object.defineProperty(box, "value", { get, set });
  return box;
}

// Small buttons that move or remove an item of a list.
function itemButtons(list, i, redraw, prefix) {
  return el("span", { class: "item-buttons" },
    el("button", { type: "button", class: "small", id: prefix + "-up", title: "上移", text: "↑", disabled: i === 0,
      onclick: () => { [list[i - 1], list[i]] = [list[i], list[i - 1]]; redraw(); } }),
    el("button", { type: "button", class: "small", id: prefix + "-down", title: "下移", text: "↓", disabled: i === list.length - 1,
      onclick: () => { [list[i], list[i + 1]] = [list[i + 1], list[i]]; redraw(); } }),
    el("button", { type: "button", class: "small danger", id: prefix + "-remove", title: "删除", text: "✕",
      onclick: () => { list.splice(i, 1); redraw(); } }));
}

async function draftPage(id) {
  const v = view();
  let opened;
  try { opened = await api("GET", "/api/docs/" + id); } catch (e) { banner(e.error); return; }
  const inputs = {};          // field key -> element holding its value
  const errors = {};          // field key -> element for its messages
  const images = new Map();   // page hash -> <img>
  let timer = null, running = false, again = false;

  const status = el("span", { class: "status", id: "status", text: "" });
  const numberShown = el("span", { class: "number-shown", id: "number-shown" });
  const pagesBox = el("div", { class: "pages", id: "pages" });
  const versionsBox = el("div", { class: "versions", id: "versions" });
  const general = el("div", { class: "general", id: "general" });

  function values() {
    const out = {};
    for (const [k, e] of Object.entries(inputs)) {
      if (e.type === "checkbox") out[k] = e.checked ? "true" : "";
      else if (e.type === "radio-group") out[k] = e.value;
      else out[k] = e.value;
    }
    return out;
  }
  function formDoc() { return { values: values(), rest: rest.value, tables, attachments }; }
  let tables = (opened.form.tables || []).map((t) => ({ ...t }));
  let attachments = (opened.form.attachments || []).map((a) => ({ ...a }));
  const redrawers = [];      // widgets drawn from `tables` / `attachments`
  function redrawAll() { for (const r of redrawers) r(); }

  // Numbers the tables in document order (正文, 附件, 印发的文件), as the
  // server reads them back, so form → YAML → form gives the same form; a
  // table whose marker line is gone gets one at the end of 正文.
  function canonicalTables() {
    if (!tables.length) return;
    const n = tables.length;
    const texts = [];
    if (inputs.body) texts.push({ get: () => inputs.body.value, set: (v) => { inputs.body.value = v; } });
    for (const a of attachments) texts.push({ get: () => a.body || "", set: (v) => { a.body = v; } });
    const enc = inputs["enclosure.body"];
    if (enc) texts.push({ get: () => enc.value, set: (v) => { enc.value = v; } });
    const order = [];
    const scan = () => {
      order.length = 0;
      for (const t of texts) for (const l of t.get().split("\n")) {
        const k = markedTable(l);
        if (k >= 1 && k <= n && !order.includes(k)) order.push(k);
      }
    };
    scan();
    if (order.length < n && inputs.body) {
      let body = inputs.body.value.replace(/\n*$/, "\n");
      for (let k = 1; k <= n; k++) if (!order.includes(k)) body += tableMarker(k) + "\n";
      inputs.body.value = body;
      scan();
    }
    if (order.every((k, i) => k === i + 1)) return;
    const renumber = new Map(order.map((k, i) => [k, i + 1]));
    for (const t of texts) {
      t.set(t.get().split("\n").map((l) => {
        const k = markedTable(l);
        return renumber.has(k) ? tableMarker(renumber.get(k)) : l;
      }).join("\n"));
    }
    tables = order.map((k) => tables[k - 1]).concat(tables.filter((_, i) => !order.includes(i + 1)));
    redrawAll();
  }

  function showNotes(notes) {
    for (const e of Object.values(errors)) e.replaceChildren();
    general.replaceChildren();
    restError.replaceChildren();
    let n = 0;
    for (const note of notes || []) {
      if (note.error) n++;
      const line = el("div", { class: note.error ? "msg err" : "msg warn" },
        el("span", { text: (note.error ? "错误：" : "提醒：") + note.message }),
        note.hint ? el("span", { class: "hint-fix", text: "改法：" + note.hint }) : null);
      const box = note.field === "rest" ? restError : (note.field && errors[note.field]) || general;
      box.append(line);
    }
    return n;
  }

  async function refresh() {
    if (running) { again = true; return; }
    running = true;
    canonicalTables();
    status.textContent = "正在排版预览……";
    status.className = "status busy";
    try {
      const p = await api("POST", "/api/docs/" + id + "/preview", { form: formDoc(), known: [...images.keys()] });
      const n = showNotes(p.notes);
      if (n > 0) {
        status.textContent = "已保存。有 " + n + " 处需要修改，见红字；改好后预览自动更新。";
        status.className = "status bad";
        pagesBox.classList.add("stale");
      } else {
        status.textContent = "已保存，预览已更新（共 " + p.pages.length + " 页）。";
        status.className = "status ok";
        numberShown.textContent = p.number ? "发文字号：" + p.number : "";
        pagesBox.classList.remove("stale");
        showPages(p.pages);
      }
    } catch (e) {
      status.textContent = e.error;
      status.className = "status bad";
      if (e.notes) showNotes(e.notes);
    } finally {
      running = false;
      if (again) { again = false; refresh(); }
    }
  }

  function showPages(hashes) {
    const keep = new Map();
    const list = hashes.map((h, i) => {
      let img = images.get(h);
      if (!img) {
        img = el("img", { class: "page", src: "/api/page/" + h, alt: "第 " + (i + 1) + " 页预览", "data-hash": h });
      }
      img.alt = "第 " + (i + 1) + " 页预览";
      keep.set(h, img);
      return img;
    });
    images.clear();
    for (const [h, img] of keep) images.set(h, img);
    pagesBox.replaceChildren(...list);
  }

  function later() {
    status.textContent = "正在输入……";
    status.className = "status";
    clearTimeout(timer);
    timer = setTimeout(refresh, 700);
  }

  async function cleanPaste(ev, title) {
    const text = ev.clipboardData && ev.clipboardData.getData("text/plain");
    if (!text) return;
    ev.preventDefault();
    const target = ev.target;
    let cleaned = text, changes = [];
    try {
      const r = await api("POST", "/api/clean", { text, title });
      cleaned = r.text; changes = r.changes;
    } catch (e) { /* paste as it is */ }
    if (target.tagName === "INPUT") cleaned = cleaned.replace(/\n+/g, "");
    target.setRangeText(cleaned, target.selectionStart, target.selectionEnd, "end");
    const note = target.parentElement.querySelector(".pasted");
    if (note) note.textContent = changes.length ? "粘贴时已清理：" + changes.join("；") : "";
    later();
  }

  function field(f) {
    const vals = opened.form.values;
    const id = "f-" + f.key.replace(/\./g, "-");
    let input;
    if (f.input === "select") {
      input = el("select", { id }, f.choices.map((c) => el("option", { value: c, text: c || "（不选）" })));
      input.value = vals[f.key] || "";
    } else if (f.input === "area") {
      input = el("textarea", { id, rows: f.key === "body" ? 14 : 8, spellcheck: false });
      input.value = vals[f.key] || "";
    } else if (f.input === "lines") {
      input = el("textarea", { id, rows: 2, class: "lines" });
      input.value = vals[f.key] || "";
    } else if (f.input === "check") {
      input = el("input", { id, type: "checkbox" });
      input.checked = vals[f.key] === "true";
    } else if (f.input === "number") {
      return numberField(f, vals);
    } else if (f.input === "list") {
      return listField(f, vals);
    } else if (f.input === "seal") {
      return sealField(f, vals);
    } else if (f.input === "tables") {
      return tablesField(f);
    } else if (f.input === "attachments") {
      return attachmentsField(f);
    } else {
      input = el("input", { id, type: "text", placeholder: f.input === "date" ? "2024-05-20" : "" });
      if (f.input === "int") input.inputMode = "numeric";
      input.value = vals[f.key] || "";
    }
    inputs[f.key] = input;
    input.addEventListener(f.input === "select" || f.input === "check" ? "change" : "input", later);
    if (f.input === "area" || f.input === "text" || f.input === "lines") {
      input.addEventListener("paste", (ev) => cleanPaste(ev, f.key === "title"));
    }
    const err = el("div", { class: "errors", "data-field": f.key });
    errors[f.key] = err;
    const label = el("label", { for: id }, f.label, f.required ? el("span", { class: "req", title: "必填", text: "＊" }) : null);
    return el("div", { class: "field " + f.input, "data-key": f.key },
      label, input,
      f.hint ? el("div", { class: "hint", text: f.hint }) : null,
      el("div", { class: "pasted" }), err);
  }

  function numberField(f, vals) {
    const mode = vals["number.mode"] || "none";
    const group = { type: "radio-group", value: mode };
    inputs["number.mode"] = group;
    const code = el("input", { id: "f-number-code", type: "text", placeholder: "如 千街发", value: vals["number.code"] || "" });
    const year = el("input", { id: "f-number-year", type: "text", inputMode: "numeric", placeholder: "年份", value: vals["number.year"] || "" });
    const text = el("input", { id: "f-number-text", type: "text", placeholder: "如 千街发〔2019〕8号", value: vals["number.text"] || "" });
    inputs["number.code"] = code;
    inputs["number.year"] = year;
    inputs["number.text"] = text;
    const parts = { auto: el("div", { class: "sub" }, el("label", { for: "f-number-code", text: "机关代字" }), code,
      el("label", { for: "f-number-year", text: "年份" }), year),
      fixed: el("div", { class: "sub" }, text) };
    function pick(m) {
      group.value = m;
      parts.auto.hidden = m !== "auto";
      parts.fixed.hidden = m !== "fixed";
    }
    const radio = (value, label) => el("label", { class: "radio" },
      el("input", { type: "radio", name: "number-mode", value, id: "f-number-mode-" + value, checked: mode === value,
        onchange: () => { pick(value); later(); } }), label);
    for (const e of [code, year, text]) e.addEventListener("input", later);
    pick(mode);
    const err = el("div", { class: "errors", "data-field": "number" });
    errors["number"] = err;
    return el("div", { class: "field number", "data-key": "number" },
      el("span", { class: "label", text: f.label }),
      el("div", { class: "radios" },
        radio("auto", "定稿时由登记簿取号"), radio("fixed", "填写已有的字号"), radio("none", "不编发文字号")),
      parts.auto, parts.fixed,
      el("div", { class: "hint", text: f.hint }), err);
  }

  // The frame of a field drawn by its own widget.
  function widget(f, body) {
    const err = el("div", { class: "errors", "data-field": f.key });
    errors[f.key] = err;
    return el("div", { class: "field " + f.input, "data-key": f.key },
      f.label === f.section ? null : el("span", { class: "label" }, f.label, f.required ? el("span", { class: "req", title: "必填", text: "＊" }) : null),
      body, f.hint ? el("div", { class: "hint", text: f.hint }) : null, err);
  }

  // 附件说明: one input an item, added, moved and removed.
  function listField(f, vals) {
    let items = (vals[f.key] || "").split("\n").filter((x) => x.trim());
    const id = "f-" + f.key.replace(/\./g, "-");
    const box = holder(id, () => items.join("\n"), (v) => { items = String(v || "").split("\n").filter((x) => x.trim()); draw(); });
    function draw() {
      box.replaceChildren(...items.map((text, i) => {
        const input = el("input", { type: "text", id: id + "-" + i, value: text });
        input.addEventListener("input", () => { items[i] = input.value; later(); });
        input.addEventListener("paste", (ev) => cleanPaste(ev, false));
        return el("div", { class: "list-item" }, el("span", { class: "item-no", text: (i + 1) + "." }), input,
          itemButtons(items, i, () => { draw(); later(); }, id + "-" + i));
      }), el("button", { type: "button", class: "small", id: id + "-add", text: "＋ 添加一项",
        onclick: () => { items.push(""); draw(); box.querySelector("#" + id + "-" + (items.length - 1)).focus(); } }));
    }
    draw();
    inputs[f.key] = box;
    return widget(f, box);
  }

  // 印章: the uploaded picture shown, replaced or removed.
  function sealField(f, vals) {
    let value = vals[f.key] || "";
    const uploaded = () => /^draft\.印章\.(png|jpg)$/.test(value);
    const img = el("img", { id: "seal-image", alt: "印章图片" });
    const shown = el("span", { id: "seal-text", class: "muted" });
    const file = el("input", { type: "file", id: "upload-seal", accept: ".png,.jpg,.jpeg,image/png,image/jpeg", hidden: true });
    const box = holder("f-seal", () => value, (v) => { value = String(v || ""); draw(); });
    const remove = el("button", { type: "button", id: "remove-seal", class: "danger", text: "去掉印章" });
    function draw(fresh) {
      img.hidden = !uploaded();
      if (uploaded()) img.src = "/api/docs/" + id + "/seal?v=" + (fresh || Date.now());
      else img.removeAttribute("src");
      shown.textContent = uploaded() ? "" : value ? "印章：" + value : "未盖印章";
      remove.hidden = !value;
    }
    file.addEventListener("change", async () => {
      const chosen = file.files[0];
      file.value = "";
      if (!chosen) return;
      errors[f.key].replaceChildren();
      status.textContent = "正在上传印章图片……";
      try {
        const r = await api("POST", "/api/docs/" + id + "/seal", await chosen.arrayBuffer(), true);
        value = r.seal;
        draw(Date.now());
        refresh();
      } catch (e) {
        status.textContent = e.error;
        status.className = "status bad";
        if (e.notes && e.notes.length) showNotes(e.notes); else errors[f.key].replaceChildren(el("div", { class: "msg err", text: "错误：" + e.error }));
      }
    });
    remove.addEventListener("click", async () => {
      try {
        if (uploaded()) await api("DELETE", "/api/docs/" + id + "/seal");
        value = "";
        draw();
        refresh();
      } catch (e) { banner(e.error); }
    });
    box.append(img, shown, el("div", { class: "seal-buttons" },
      el("button", { type: "button", id: "upload-seal-button", text: "上传印章图片", onclick: () => file.click() }), file,
      el("button", { type: "button", id: "seal-by-hand", class: "link", text: "打印后盖实物章", onclick: () => { value = "实物章"; draw(); later(); } }),
      remove));
    draw();
    inputs[f.key] = box;
    return widget(f, box);
  }

  // Every text that may hold a table's marker line.
  function markerTexts() {
    return [inputs.body, inputs["enclosure.body"]].filter(Boolean);
  }

  // 表格: each simple table as a grid of inputs; rows and columns added
  // and removed; placed where its marker line stands.
  function tablesField(f) {
    const box = el("div", { id: "tables" });
    function draw() {
      const inRest = !(inputs.body && inputs.body.value.trim()) && /^body:/m.test(rest.value);
      box.replaceChildren(...tables.map(grid),
        inRest ? el("p", { class: "hint", text: "这份公文的正文里有合并单元格的表格或名单，正文和表格都在“其他内容”里修改。" })
          : el("button", { type: "button", id: "add-table", text: "＋ 添加表格", onclick: addTable }));
    }
    function addTable() {
      tables.push({ title: "", columns: ["序号", "项目", "内容"], rows: [["1", "", ""]], widths: [], landscape: false });
      const body = inputs.body;
      if (body) body.value = body.value.replace(/\n*$/, "\n") + tableMarker(tables.length) + "\n";
      draw();
      later();
    }
    function grid(t, i) {
      const p = "t" + i;
      const cell = (value, id, set) => {
        const input = el("input", { type: "text", id, value, class: "cell" });
        input.addEventListener("input", () => { set(input.value); later(); });
        input.addEventListener("paste", (ev) => cleanPaste(ev, false));
        return input;
      };
      const changed = () => { draw(); later(); };
      const head = el("tr", {}, t.columns.map((c, k) => el("th", {},
        cell(c, p + "-h-" + k, (v) => { t.columns[k] = v; }))),
        el("th", { class: "row-tools" }));
      const tools = el("tr", { class: "col-tools" }, t.columns.map((c, k) => el("td", {},
        el("button", { type: "button", class: "small danger", id: p + "-del-col-" + k, title: "删除这一列", text: "✕ 列",
          disabled: t.columns.length < 2,
          onclick: () => { t.columns.splice(k, 1); t.rows.forEach((r) => r.splice(k, 1)); t.widths = []; changed(); } }))),
        el("td"));
      const rows = t.rows.map((r, j) => el("tr", {}, r.map((c, k) => el("td", {},
        cell(c, p + "-r" + j + "-c" + k, (v) => { r[k] = v; }))),
        el("td", { class: "row-tools" }, el("button", { type: "button", class: "small danger", id: p + "-del-row-" + j, title: "删除这一行", text: "✕",
          onclick: () => { t.rows.splice(j, 1); changed(); } }))));
      const title = el("input", { type: "text", id: p + "-title", value: t.title || "", placeholder: "表格标题（可不填）" });
      title.addEventListener("input", () => { t.title = title.value; later(); });
      const landscape = el("input", { type: "checkbox", id: p + "-landscape", checked: !!t.landscape });
      landscape.addEventListener("change", () => { t.landscape = landscape.checked; later(); });
      return el("div", { class: "table-edit", id: "table-" + i },
        el("div", { class: "table-head" },
          el("strong", { text: "表格 " + (i + 1) }),
          el("span", { class: "muted", text: "排在写着“" + tableMarker(i + 1) + "”的那一行" }),
          el("button", { type: "button", class: "small danger", id: p + "-remove", text: "删除表格", onclick: () => {
            if (!confirm("删除表格 " + (i + 1) + "？")) return;
            tables.splice(i, 1);
            for (const e of markerTexts()) e.value = dropMarker(e.value, i + 1);
            for (const a of attachments) a.body = dropMarker(a.body || "", i + 1);
            redrawAll();
            later();
          } })),
        title,
        el("div", { class: "grid-wrap" }, el("table", { class: "cells" }, el("thead", {}, tools, head), el("tbody", {}, rows))),
        el("div", { class: "table-buttons" },
          el("button", { type: "button", class: "small", id: p + "-add-row", text: "＋ 行", onclick: () => { t.rows.push(t.columns.map(() => "")); changed(); } }),
          el("button", { type: "button", class: "small", id: p + "-add-col", text: "＋ 列", onclick: () => { t.columns.push(""); t.rows.forEach((r) => r.push("")); t.widths = []; changed(); } }),
          el("label", { class: "inline" }, landscape, "横排（宽表格单独成页）")));
    }
    redrawers.push(draw);
    setTimeout(draw);
    return widget(f, box);
  }

  // 附件页: title and text of each, added, moved and removed.
  function attachmentsField(f) {
    const box = el("div", { id: "attachments" });
    function draw() {
      box.replaceChildren(...attachments.map((a, i) => {
        const title = el("input", { type: "text", id: "att-" + i + "-title", value: a.title || "", placeholder: "附件标题" });
        title.addEventListener("input", () => { a.title = title.value; later(); });
        title.addEventListener("paste", (ev) => cleanPaste(ev, true));
        const body = el("textarea", { id: "att-" + i + "-body", rows: 5, spellcheck: false });
        body.value = a.body || "";
        body.addEventListener("input", () => { a.body = body.value; later(); });
        body.addEventListener("paste", (ev) => cleanPaste(ev, false));
        return el("div", { class: "attachment-edit", id: "attachment-" + i },
          el("div", { class: "table-head" }, el("strong", { text: "附件 " + (i + 1) }),
            itemButtons(attachments, i, () => { draw(); later(); }, "att-" + i)),
          title, body);
      }), el("button", { type: "button", id: "add-attachment", text: "＋ 添加附件",
        onclick: () => { attachments.push({ title: "", body: "" }); draw(); box.querySelector("#att-" + (attachments.length - 1) + "-title").focus(); } }));
    }
    redrawers.push(draw);
    draw();
    return widget(f, box);
  }

  const rest = el("textarea", { id: "f-rest", rows: 8, spellcheck: false, class: "code" });
  rest.value = opened.form.rest || "";
  rest.addEventListener("input", later);
  const restError = el("div", { class: "errors", "data-field": "rest" });

  const form = el("form", { class: "notice-form", id: "notice-form", onsubmit: (e) => e.preventDefault() });
  for (const s of SECTIONS) {
    const fields = session.fields.filter((f) => f.section === s);
    const filled = fields.some((f) => opened.form.values[f.key] || (f.input === "number" && opened.form.values["number.mode"])
      || (f.input === "tables" && tables.length) || (f.input === "attachments" && attachments.length));
    form.append(el("details", { class: "section", open: s === "版头" || s === "主体" || filled },
      el("summary", { text: s }), fields.map(field)));
  }
  form.append(el("details", { class: "section", open: !!rest.value },
    el("summary", { text: "其他内容（合并单元格的表格、签批栏目等）" }),
    el("p", { class: "hint", text: "表单里没有的内容按 YAML 写在这里，写法见 gongwen new 生成的模板。一般不用改。" }),
    rest, restError));

  // Word draft upload
  const upload = el("input", { type: "file", id: "upload-docx", accept: ".docx", hidden: true });
  upload.addEventListener("change", async () => {
    const file = upload.files[0];
    if (!file) return;
    status.textContent = "正在导入 Word 草稿……";
    try {
      const r = await api("POST", "/api/import?doc=" + encodeURIComponent(id), await file.arrayBuffer(), true);
      for (const [k, e] of Object.entries(inputs)) {
        const val = r.form.values[k] || "";
        if (e.type === "checkbox") e.checked = val === "true";
        else if (e.type === "radio-group") {
          const radio = document.getElementById("f-number-mode-" + (val || "none"));
          if (radio) { radio.checked = true; radio.dispatchEvent(new Event("change")); }
        } else e.value = val;
      }
      rest.value = r.form.rest || "";
      tables = (r.form.tables || []).map((t) => ({ ...t }));
      attachments = (r.form.attachments || []).map((a) => ({ ...a }));
      redrawAll();
      showReport(file.name, r);
      if (inputs.title) inputs.title.dispatchEvent(new Event("input"));   // the heading shows the new title
      clearTimeout(timer);   // the radio and the title asked for a preview; one is enough
      refresh();
    } catch (e) { banner(e.error); }
    upload.value = "";
  });

  // 导入报告: what the Word import found, was unsure of and changed.
  const report = el("div", { class: "import-report", id: "import-report", hidden: true });
  function showReport(name, r) {
    // What needs checking is open; what was recognised is folded (it is long).
    const group = (title, cls, lines, open) => lines && lines.length
      ? el("details", { class: cls, open }, el("summary", { text: title + "（" + lines.length + " 条）" }),
        el("ul", {}, lines.map((l) => el("li", { text: l })))) : null;
    report.replaceChildren(...[
      el("div", { class: "report-head" }, el("strong", { text: "导入报告：" + name }),
        el("button", { type: "button", class: "link", id: "close-report", text: "关闭", onclick: () => { report.hidden = true; } })),
      group("请核对（没有把握）", "unsure", r.unsure, true),
      group("已识别", "found", r.found, false),
      group("已自动修改", "changes", r.changes, false)].filter(Boolean));
    report.hidden = false;
    banner("已从“" + name + "”导入，请对照下面的导入报告核对各栏。", "info");
  }

  const finaliseButton = el("button", { type: "button", class: "primary", id: "finalise", text: "取号并生成",
    disabled: !can("签发"), title: can("签发") ? "" : "需要“签发”角色" });
  finaliseButton.addEventListener("click", async () => {
    clearTimeout(timer);
    canonicalTables();
    finaliseButton.disabled = true;
    status.textContent = "正在取号并生成 PDF……";
    status.className = "status busy";
    try {
      const ver = await api("POST", "/api/docs/" + id + "/finalise", formDoc());
      showNotes([]);
      status.textContent = "已生成第 " + ver.n + " 版" + (ver.number ? "，发文字号 " + ver.number : "") + "。";
      status.className = "status ok";
      banner("已生成第 " + ver.n + " 版" + (ver.number ? "：" + ver.number : "") + "（" + ver.pages + " 页）。", "info");
      await loadVersions();
      refresh();
    } catch (e) {
      status.textContent = e.error;
      status.className = "status bad";
      showNotes(e.notes);
      banner(e.error);
    } finally {
      finaliseButton.disabled = !can("签发");
    }
  });

  async function loadVersions() {
    let o;
    try { o = await api("GET", "/api/docs/" + id); } catch (e) { return; }
    versionsBox.replaceChildren();
    if (!o.versions.length) return;
    versionsBox.append(el("h3", { text: "已生成的版本" }),
      el("ul", {}, o.versions.slice().reverse().map((ver) => el("li", { "data-version": ver.n },
        el("span", { class: "vno", text: "第 " + ver.n + " 版" }),
        el("span", { class: "vnum", text: ver.number || "无发文字号" }),
        el("span", { class: "muted", text: ver.at + " " + ver.by }),
        el("a", { href: "/api/docs/" + id + "/versions/" + ver.n + "/pdf", class: "download", text: "下载 PDF" }),
        ver.with_approval ? el("a", { href: "/api/docs/" + id + "/versions/" + ver.n + "/pdf?approval=1", class: "download", text: "含签批单" }) : null))));
  }

  const title = el("h1", { class: "doc-title", text: opened.form.values.title || "新文稿" });
  inputsWatchTitle();
  function inputsWatchTitle() {
    setTimeout(() => {
      const t = inputs.title;
      if (t) t.addEventListener("input", () => { title.textContent = t.value || "新文稿"; document.title = (t.value || "新文稿") + " · 公文工作台"; });
    });
  }
  document.title = (opened.form.values.title || "新文稿") + " · 公文工作台";

  v.replaceChildren(
    el("div", { class: "toolbar" },
      title,
      el("div", { class: "actions" },
        el("button", { type: "button", id: "import", text: "导入 Word 草稿", onclick: () => upload.click() }), upload,
        el("a", { class: "button", href: "/api/docs/" + id + "/yaml", id: "download-yaml", text: "下载 YAML" }),
        finaliseButton)),
    el("div", { class: "statusbar" }, status),
    report,
    general,
    el("div", { class: "desk" },
      el("div", { class: "form-col" }, form),
      el("aside", { class: "preview-col" },
        el("div", { class: "preview-head" }, el("span", { text: "预览（草稿）" }), numberShown),
        versionsBox, pagesBox)),
  );
  await loadVersions();
  refresh();
}

// ---- 登记簿 ---------------------------------------------------------------

async function registerPage() {
  document.title = "发文登记簿 · 公文工作台";
  const v = view();
  const q = el("input", { type: "search", id: "reg-q", placeholder: "搜发文字号、标题、拟稿人" });
  const year = el("input", { type: "text", id: "reg-year", inputMode: "numeric", placeholder: "年份（全部）", size: 8 });
  const body = el("tbody", { id: "reg-rows" });
  const count = el("span", { class: "muted", id: "reg-count" });
  const csv = el("a", { class: "button", id: "reg-csv", text: "导出 CSV" });
  const pdf = el("a", { class: "button", id: "reg-pdf", text: "导出 PDF" });

  async function load() {
    const params = new URLSearchParams();
    if (q.value.trim()) params.set("q", q.value.trim());
    if (year.value.trim()) params.set("year", year.value.trim());
    csv.href = "/api/register/export.csv?" + params;
    pdf.href = "/api/register/export.pdf?" + params;
    let rows;
    try { rows = await api("GET", "/api/register?" + params); } catch (e) { banner(e.error); return; }
    count.textContent = "共 " + rows.length + " 条";
    body.replaceChildren(...rows.map((r) => {
      const actions = el("td", { class: "row-actions" });
      if (!r.void && can("管理")) {
        actions.append(el("button", { type: "button", class: "link danger", text: "作废",
          onclick: () => askVoid(r, actions) }));
      }
      return el("tr", { class: r.void ? "void" : "" },
        el("td", { class: "nowrap", text: r.number }),
        el("td", { text: r.title || r.note }),
        el("td", { text: r.kind }),
        el("td", { class: "nowrap", text: r.date }),
        el("td", { text: r.drafter }),
        el("td", { text: r.void ? "作废：" + r.note : r.status }),
        el("td", { class: "nowrap muted", text: r.created }),
        actions);
    }));
    if (!rows.length) body.append(el("tr", {}, el("td", { colspan: 8, class: "muted", text: "登记簿里没有符合条件的发文字号。" })));
  }

  function askVoid(r, cell) {
    const reason = el("input", { type: "text", placeholder: "作废原因（必填）", class: "reason" });
    cell.replaceChildren(reason,
      el("button", { type: "button", class: "danger", text: "确认作废", onclick: async () => {
        try {
          await api("POST", "/api/register/void", { number: r.number, reason: reason.value });
          banner("已作废 " + r.number + "。此号不会再使用。", "info");
          load();
        } catch (e) { banner(e.error); }
      } }),
      el("button", { type: "button", class: "link", text: "取消", onclick: load }));
    reason.focus();
  }

  const tools = el("div", { class: "filters" }, q, year,
    el("button", { type: "button", id: "reg-search", text: "搜索", onclick: load }), count, csv, pdf);
  q.addEventListener("keydown", (e) => { if (e.key === "Enter") load(); });
  year.addEventListener("keydown", (e) => { if (e.key === "Enter") load(); });

  const parts = [el("h1", { text: "发文登记簿" }), tools,
    el("table", { class: "grid register" },
      el("thead", {}, el("tr", {}, ["发文字号", "标题", "文种", "成文日期", "拟稿人", "状态", "登记时间", ""].map((h) => el("th", { text: h })))),
      body)];
  if (can("管理")) {
    const code = el("input", { type: "text", id: "res-code", placeholder: "机关代字，如 千街发", size: 12 });
    const ryear = el("input", { type: "text", id: "res-year", inputMode: "numeric", value: String(new Date().getFullYear()), size: 6 });
    const note = el("input", { type: "text", id: "res-note", placeholder: "用途（如 预留给县委转发文件）" });
    parts.push(el("details", { class: "reserve" }, el("summary", { text: "预留发文字号" }),
      el("div", { class: "filters" }, code, ryear, note,
        el("button", { type: "button", text: "预留下一个号", onclick: async () => {
          try {
            const r = await api("POST", "/api/register/reserve", { code: code.value, year: parseInt(ryear.value, 10) || 0, note: note.value });
            banner("已预留 " + r.number + "。", "info");
            load();
          } catch (e) { banner(e.error); }
        } }))));
  }
  if (can("管理")) parts.push(archiveBox());
  v.replaceChildren(el("section", { class: "card" }, ...parts));
  load();
}

function archiveBox() {
  const year = el("input", { type: "text", id: "ar-year", inputMode: "numeric", value: String(new Date().getFullYear()), size: 6 });
  const retention = el("select", { id: "ar-retention" }, ["永久", "30年", "10年"].map((r) => el("option", { value: r, text: r })));
  const fonds = el("input", { type: "text", id: "ar-fonds", placeholder: "全宗号，如 A13", size: 10 });
  const name = el("input", { type: "text", id: "ar-name", placeholder: "全宗名称（可不填）" });
  const out = el("div", { id: "ar-result" });
  const go = el("button", { type: "button", id: "ar-go", text: "生成归档包" });
  go.addEventListener("click", async () => {
    banner("");
    go.disabled = true;
    out.replaceChildren(el("p", { class: "muted", text: "正在生成归档包（转为 PDF/A，加归档章）……" }));
    try {
      const r = await api("POST", "/api/archive", { year: parseInt(year.value, 10) || 0, retention: retention.value, fonds: fonds.value, fonds_name: name.value });
      out.replaceChildren(
        el("p", {}, "已生成 ", el("a", { href: "/api/archive/" + encodeURIComponent(r.file), id: "ar-download", text: r.file }), "（" + r.items.length + " 件）"),
        el("ul", { id: "ar-items" }, r.items.map((i) => el("li", { text: i.code + "　" + (i.number || "") + "　" + i.title + "　" + i.pages + " 页" + (i.before ? "（已归档过，档号不变）" : "") }))),
        r.notes.length ? el("p", { class: "muted", text: r.notes.join("；") }) : null);
    } catch (e) { out.replaceChildren(); banner(e.error); }
    go.disabled = false;
  });
  return el("details", { class: "reserve", id: "archive" }, el("summary", { text: "归档（生成归档包）" }),
    el("p", { class: "muted", text: "把工作台生成过的公文（每份取最后一版）按年度、保管期限整理成归档包：PDF/A、归档章、档号、归档文件目录。件号接着登记簿里已有的继续编；已归档过的公文档号不变。" }),
    el("div", { class: "filters" }, year, retention, fonds, name, go), out);
}

// ---- 审计日志 ---------------------------------------------------------------

async function auditPage() {
  document.title = "审计日志 · 公文工作台";
  const v = view();
  let rows = [];
  try { rows = await api("GET", "/api/audit"); } catch (e) { banner(e.error); }
  v.replaceChildren(el("section", { class: "card" },
    el("h1", { text: "审计日志" }),
    el("p", { class: "muted", text: "谁在什么时候拟文、取号、作废、下载了什么（最近 500 条）。" }),
    el("table", { class: "grid" },
      el("thead", {}, el("tr", {}, ["时间", "人员", "操作", "内容", "来自"].map((h) => el("th", { text: h })))),
      el("tbody", {}, rows.map((r) => el("tr", {},
        el("td", { class: "nowrap", text: r.at }), el("td", { text: r.who }), el("td", { text: r.action }),
        el("td", { text: r.what }), el("td", { class: "muted", text: r.from })))))));
}

document.addEventListener("DOMContentLoaded", start);

// ---- 村居填报 (the office) ------------------------------------------------

function readBase64(file) {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result));
    r.onerror = () => reject({ error: "读不了文件“" + file.name + "”。", notes: [] });
    r.readAsDataURL(file);
  });
}

function linkTable(links) {
  return el("table", { class: "grid", id: "links" },
    el("thead", {}, el("tr", {}, ["序号", "单位", "填报链接（发给该单位，只能打开本单位的表单）"].map((h) => el("th", { text: h })))),
    el("tbody", {}, links.map((l) => el("tr", {},
      el("td", { text: String(l.no) }),
      el("td", { text: l.name }),
      el("td", { class: "link-cell", text: location.origin + l.path })))));
}

async function campaignsPage() {
  document.title = "村居填报 · 公文工作台";
  const v = view();
  v.replaceChildren();
  const plan = el("input", { type: "file", id: "c-plan", accept: ".yaml,.yml" });
  const tpl = el("input", { type: "file", id: "c-template", accept: ".j2,.jinja,.txt" });
  const units = el("input", { type: "file", id: "c-units", accept: ".csv,.xlsx,.yaml,.yml" });
  const title = el("input", { type: "text", id: "c-title", placeholder: "不填则按方案标题" });
  const out = el("div", { id: "c-result" });
  const publish = el("button", { type: "button", class: "primary", id: "c-publish", text: "发布并生成各单位链接" });
  publish.addEventListener("click", async () => {
    banner("");
    if (!plan.files[0] || !units.files[0]) { banner("请选择方案文件和单位名单。"); return; }
    publish.disabled = true;
    try {
      const body = {
        plan_name: plan.files[0].name,
        plan: await plan.files[0].text(),
        units_name: units.files[0].name,
        units: await readBase64(units.files[0]),
        title: title.value,
      };
      if (tpl.files[0]) { body.template_name = tpl.files[0].name; body.template = await tpl.files[0].text(); }
      const r = await api("POST", "/api/campaigns", body);
      out.replaceChildren(
        el("p", { class: "banner info", text: "已发布，共 " + r.links.length + " 个单位。下面的链接只显示这一次（服务器只存它的校验值），请现在复制发给各单位；丢了可以在填报页面里“重发链接”。" }),
        el("p", {}, el("a", { href: "/campaigns/" + r.id, id: "c-open", text: "打开这次填报的进度表" })),
        linkTable(r.links));
    } catch (e) { banner(e.error); }
    publish.disabled = false;
  });
  v.append(el("section", { class: "card" },
    el("h1", { text: "发布方案模板，让各村（居）自己填" }),
    el("p", { class: "muted", text: "选择方案文件（与 gongwen batch 用的相同）和单位名单（CSV/XLSX，可以只有单位名称一列）。每个单位得到自己的链接，只能看到和填写本单位的数据。" }),
    el("div", { class: "publish" },
      el("label", { for: "c-plan", text: "方案文件（.yaml）" }), plan,
      el("label", { for: "c-template", text: "内容模板（.j2，可选）" }), tpl,
      el("label", { for: "c-units", text: "单位名单" }), units,
      el("label", { for: "c-title", text: "填报名称" }), title,
      el("span"), el("div", {}, publish)),
    out));
  const list = el("section", { class: "card" }, el("h2", { text: "已发布的填报" }));
  v.append(list);
  let rows = [];
  try { rows = await api("GET", "/api/campaigns"); } catch (e) { banner(e.error); }
  if (!rows.length) { list.append(el("p", { class: "muted", text: "还没有发布过。" })); return; }
  list.append(el("table", { class: "grid", id: "campaigns" },
    el("thead", {}, el("tr", {}, ["名称", "发布时间", "单位数", "已填", "已生成"].map((h) => el("th", { text: h })))),
    el("tbody", {}, rows.map((c) => el("tr", {},
      el("td", {}, el("a", { href: "/campaigns/" + c.id, text: c.title })),
      el("td", { text: c.created }),
      el("td", { text: String(c.units) }),
      el("td", { text: String(c.filled) }),
      el("td", { text: String(c.generated) }))))));
}

async function campaignPage(id) {
  const v = view();
  let c;
  try { c = await api("GET", "/api/campaigns/" + id); } catch (e) { banner(e.error); return; }
  document.title = c.title + " · 村居填报";
  const fresh = el("div", { id: "fresh-link" });
  const body = el("tbody", { id: "unit-rows" });
  function draw(c) {
    body.replaceChildren(...c.units.map((u) => el("tr", { "data-no": String(u.no) },
      el("td", { text: String(u.no) }),
      el("td", { text: u.name }),
      el("td", {}, el("span", { class: "unit-state " + ({ "未填": "st-empty", "已填": "st-filled", "已生成": "st-done" }[u.status] || ""), text: u.status })),
      el("td", { class: "nowrap", text: u.saved_at || "" }),
      el("td", { text: u.saved_by || "" }),
      el("td", { class: "nowrap", text: u.generated_at ? u.generated_at + "（" + u.pages + " 页）" : "" }),
      el("td", { class: "row-actions" },
        u.generated_at ? el("a", { href: "/api/campaigns/" + id + "/units/" + u.no + "/pdf", text: "PDF" }) : null, " ",
        el("button", { type: "button", class: "link", text: "重发链接", onclick: async () => {
          try {
            const r = await api("POST", "/api/campaigns/" + id + "/units/" + u.no + "/link", {});
            fresh.replaceChildren(el("p", { class: "banner info", text: u.name + " 的新链接（旧链接已失效）：" + location.origin + r.link.path }));
            reload();
          } catch (e) { banner(e.error); }
        } }),
        u.revoked ? el("span", { class: "muted", text: "（已停用）" }) : el("button", { type: "button", class: "link danger", text: "停用", onclick: async () => {
          if (!confirm("停用 " + u.name + " 的链接？停用后该单位打不开填报页面。")) return;
          try { await api("POST", "/api/campaigns/" + id + "/units/" + u.no + "/revoke", {}); reload(); } catch (e) { banner(e.error); }
        } })))));
    progress.replaceChildren("已生成 ", el("strong", { id: "done-count", text: c.generated + "/" + c.units.length }),
      "　已填 " + c.filled + "　未填 " + (c.units.length - c.filled));
    const waiting = c.units.filter((u) => u.status !== "已生成" && !u.revoked).map((u) => u.name);
    remind.textContent = waiting.length ? "尚未生成方案的单位（可打印此页提醒）：" + waiting.join("、") : "全部单位都已生成方案。";
  }
  async function reload() {
    try { draw(await api("GET", "/api/campaigns/" + id)); } catch (e) { banner(e.error); }
  }
  const progress = el("p", { class: "progress", id: "progress" });
  const remind = el("p", { class: "muted", id: "remind" });
  v.replaceChildren(
    el("section", { class: "card" },
      el("div", { class: "toolbar" },
        el("h1", { class: "doc-title", text: c.title }),
        el("div", { class: "actions" },
          el("button", { type: "button", id: "c-refresh", text: "刷新", onclick: reload }),
          el("a", { class: "button", id: "c-data", href: "/api/campaigns/" + id + "/data.csv", text: "填报数据 CSV" }),
          el("a", { class: "button primary", id: "c-zip", href: "/api/campaigns/" + id + "/zip", text: "下载全部方案（zip）" }))),
      el("p", { class: "muted", text: "方案文件 " + c.plan + "，" + c.created + " 由 " + c.by + " 发布。zip 里是各单位已生成的 PDF 和清单.csv，与 gongwen batch 的结果相同。" }),
      progress, remind, fresh,
      el("table", { class: "grid" },
        el("thead", {}, el("tr", {}, ["序号", "单位", "状态", "保存时间", "填报人", "生成时间", ""].map((h) => el("th", { text: h })))),
        body)));
  draw(c);
  setInterval(reload, 15000);
  v.append(ledgerOffice(id));
}

function ledgerOffice(id) {
  const kind = el("select", { id: "lo-kind" },
    el("option", { value: "activity", text: "活动台账" }),
    el("option", { value: "hazard", text: "隐患排查治理台账" }));
  const month = el("input", { type: "month", id: "lo-month" });
  const now = new Date();
  month.value = now.getFullYear() + "-" + String(now.getMonth() + 1).padStart(2, "0");
  const pdf = el("a", { class: "button", id: "lo-pdf", text: "打印本月台账（PDF）" });
  const count = el("p", { class: "progress", id: "lo-count" });
  const body = el("tbody", { id: "lo-rows" });
  function links() {
    pdf.href = "/api/campaigns/" + id + "/ledgers/" + kind.value + "/" + month.value + "/pdf";
  }
  async function load() {
    links();
    let r;
    try { r = await api("GET", "/api/campaigns/" + id + "/ledgers/" + kind.value + "/" + month.value); } catch (e) { banner(e.error); return; }
    count.replaceChildren("本月已报送 ", el("strong", { id: "lo-filed", text: r.filed + "/" + r.units.length }));
    body.replaceChildren(...r.units.map((u) => el("tr", { "data-no": String(u.no) },
      el("td", { text: String(u.no) }),
      el("td", { text: u.name }),
      el("td", {}, el("span", { class: "unit-state " + (u.filed ? "st-done" : "st-empty"), text: u.filed ? "已报送" : "未报送" })),
      el("td", { text: u.filed ? String(u.filed.rows) : "" }),
      el("td", { class: "nowrap", text: u.filed ? u.filed.at : "" }),
      el("td", { text: u.filed ? u.filed.by : "" }))));
  }
  kind.addEventListener("change", load);
  month.addEventListener("change", load);
  load();
  return el("section", { class: "card", id: "ledger-office" },
    el("h2", { text: "月度台账" }),
    el("div", { class: "filters" }, kind, month, el("button", { type: "button", text: "刷新", onclick: load }), pdf),
    count,
    el("table", { class: "grid" },
      el("thead", {}, el("tr", {}, ["序号", "单位", "本月", "行数", "报送时间", "填报人"].map((h) => el("th", { text: h })))),
      body),
    summaryOffice(id));
}
