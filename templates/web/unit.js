// gongwen 本单位填报: the page a 村（居） opens from its own link.
// The link's secret is the first part of the address; every request goes
// back under it. What anyone typed goes on the page with textContent or
// as an input's value — never as HTML.
"use strict";

const base = location.pathname.replace(/\/+$/, "");
let csrf = "";


async function api(method, path, body, raw) {
  const headers = { "Accept": "application/json" };
  if (method !== "GET") {
    headers["X-CSRF-Token"] = csrf;
    headers["Content-Type"] = raw ? "application/octet-stream" : "application/json";
  }
  let r;
  try {
    r = await fetch(base + path, { method, headers, body: body === undefined ? undefined : (raw ? body : JSON.stringify(body)), credentials: "same-origin" });
  } catch (e) {
    throw { error: "连不上服务器。请检查网络，或稍后再试；已填的内容还在页面上。", notes: [] };
  }
  let data = null;
  try { data = await r.json(); } catch (e) { data = null; }
  if (!r.ok) {
    if (r.status === 413) throw { error: "文件太大，超过了上传的上限。", notes: [] };
    throw data && data.error ? data : { error: "服务器出错（" + r.status + "）。", notes: [] };
  }
  return data;
}


const STATUS_CLASS = { "未填": "st-empty", "已填": "st-filled", "已生成": "st-done" };

async function start() {
  let f;
  try { f = await api("GET", "/api/form"); } catch (e) { banner(e.error); document.getElementById("view").replaceChildren(); return; }
  csrf = f.csrf;
  document.title = f.unit + " · 本单位填报";
  document.getElementById("who").textContent = f.unit;
  const inputs = {}, errors = {};
  const images = new Map();
  let timer = null, running = false, again = false, dirty = false;

  const status = el("span", { class: "status", id: "status" });
  const state = el("span", { class: "unit-state " + (STATUS_CLASS[f.status] || ""), id: "unit-state", text: f.status });
  const general = el("div", { class: "general", id: "general" });
  const pagesBox = el("div", { class: "pages", id: "pages" });
  const download = el("a", { class: "button", id: "download", href: base + "/pdf", hidden: f.status !== "已生成", text: "下载本单位方案 PDF" });
  const savedLine = el("p", { class: "muted saved-line", id: "saved-line" });
  function showSaved(at, by) {
    savedLine.textContent = at ? "上次保存：" + at + (by ? "（" + by + "）" : "") : "还没有保存过。";
  }
  showSaved(f.saved_at, f.saved_by);
  const by = el("input", { type: "text", id: "f-by", placeholder: "如：王某某", maxlength: "32" });
  by.value = f.saved_by || "";

  function values() {
    const out = {};
    for (const [k, e] of Object.entries(inputs)) out[k] = e.value;
    return out;
  }
  function showNotes(notes) {
    for (const e of Object.values(errors)) e.replaceChildren();
    general.replaceChildren();
    let n = 0;
    for (const note of notes || []) {
      n++;
      const box = (note.field && errors[note.field]) || general;
      box.append(el("div", { class: "msg err", text: note.message }));
    }
    return n;
  }
  function setState(s) {
    state.textContent = s;
    state.className = "unit-state " + (STATUS_CLASS[s] || "");
    download.hidden = s !== "已生成";
  }

  async function refresh() {
    if (running) { again = true; return; }
    running = true;
    status.textContent = "正在排版预览……";
    status.className = "status busy";
    try {
      const p = await api("POST", "/api/preview", { values: values(), known: [...images.keys()] });
      const n = showNotes(p.notes);
      if (!p.pages.length) {
        status.textContent = "有 " + n + " 处需要修改，见红字；改好后预览自动更新。";
        status.className = "status bad";
        pagesBox.classList.add("stale");
      } else {
        status.textContent = (n ? "有 " + n + " 处需要修改，见红字。" : "") + "预览已更新（共 " + p.pages.length + " 页）。" + (dirty ? "记得点“保存”。" : "");
        status.className = n ? "status bad" : "status ok";
        pagesBox.classList.remove("stale");
        showPages(p.pages);
      }
    } catch (e) {
      status.textContent = e.error;
      status.className = "status bad";
    } finally {
      running = false;
      if (again) { again = false; refresh(); }
    }
  }
  function showPages(hashes) {
    const keep = new Map();
    const list = hashes.map((h, i) => {
      let img = images.get(h);
      if (!img) img = el("img", { class: "page", src: base + "/page/" + h, "data-hash": h });
      img.alt = "第 " + (i + 1) + " 页预览";
      keep.set(h, img);
      return img;
    });
    images.clear();
    for (const [h, img] of keep) images.set(h, img);
    pagesBox.replaceChildren(...list);
  }
  function later() {
    dirty = true;
    status.textContent = "正在输入……";
    status.className = "status";
    clearTimeout(timer);
    timer = setTimeout(refresh, 700);
  }

  async function save(generate) {
    banner("");
    const btns = [saveBtn, genBtn];
    btns.forEach((b) => { b.disabled = true; });
    status.textContent = generate ? "正在保存并生成 PDF……" : "正在保存……";
    status.className = "status busy";
    try {
      const r = await api("POST", generate ? "/api/generate" : "/api/save", { values: values(), by: by.value });
      dirty = false;
      const n = showNotes(r.notes);
      setState(r.status);
      showSaved(r.saved_at || (r.generated && r.generated.at), by.value);
      if (generate) {
        status.textContent = "已保存并生成 PDF（共 " + r.generated.pages + " 页），可以下载了。";
        status.className = "status ok";
      } else {
        status.textContent = n ? "已保存。有 " + n + " 处需要修改，见红字。" : "已保存。";
        status.className = n ? "status bad" : "status ok";
      }
    } catch (e) {
      if (e.notes) showNotes(e.notes);
      if (e.status) setState(e.status);
      status.textContent = e.error;
      status.className = "status bad";
    } finally {
      btns.forEach((b) => { b.disabled = false; });
    }
  }
  const saveBtn = el("button", { type: "button", id: "save", text: "保存", onclick: () => save(false) });
  const genBtn = el("button", { type: "button", class: "primary", id: "generate", text: "保存并生成 PDF", onclick: () => save(true) });

  const fields = f.fields.map((fd) => {
    const id = "f-" + fd.var;
    const input = fd.hint && fd.hint.length > 40 || (f.values[fd.var] || "").length > 40
      ? el("textarea", { id, rows: 2 })
      : el("input", { type: "text", id });
    if (fd.integer) input.setAttribute("inputmode", "numeric");
    input.value = f.values[fd.var] || "";
    if (fd.fixed) input.readOnly = true;
    else input.addEventListener("input", later);
    inputs[fd.var] = input;
    const err = el("div", { class: "errors", "data-field": fd.var });
    errors[fd.var] = err;
    return el("div", { class: "field", "data-key": fd.var },
      el("label", { for: id }, fd.label, !fd.optional && !fd.fixed ? el("span", { class: "req", title: "必填", text: "＊" }) : null),
      input,
      fd.fixed ? el("div", { class: "hint", text: "由街道办设定，不能修改。" }) : (fd.hint ? el("div", { class: "hint", text: fd.hint }) : null),
      err);
  });

  window.addEventListener("beforeunload", (ev) => { if (dirty) { ev.preventDefault(); ev.returnValue = ""; } });
  document.getElementById("view").replaceChildren(
    el("div", { class: "toolbar" },
      el("h1", { class: "doc-title", text: f.campaign }),
      state,
      el("div", { class: "actions" }, saveBtn, genBtn, download)),
    el("div", { class: "statusbar" }, status),
    general,
    el("div", { class: "desk" },
      el("div", { class: "form-col" },
        el("section", { class: "card" },
          el("h2", { text: f.unit + " 的数据" }),
          el("p", { class: "muted", text: "请核对、补全本单位的数据。右边是按这些数据排好的方案，改动后自动更新。填好后点“保存并生成 PDF”。" }),
          fields,
          el("div", { class: "field" }, el("label", { for: "f-by", text: "填报人" }), by,
            el("div", { class: "hint", text: "写上您的姓名，街道办能看到是谁填的。" })),
          savedLine)),
      el("aside", { class: "preview-col" },
        el("div", { class: "preview-head" }, el("span", { text: "预览" })),
        pagesBox)),
    ledgerSection(by));
  refresh();
}

// ---- 月度台账 -----------------------------------------------------------

function ledgerSection(by) {
  const kind = el("select", { id: "l-kind" },
    el("option", { value: "activity", text: "活动台账" }),
    el("option", { value: "hazard", text: "隐患排查治理台账" }));
  const month = el("input", { type: "month", id: "l-month" });
  const now = new Date();
  month.value = now.getFullYear() + "-" + String(now.getMonth() + 1).padStart(2, "0");
  const box = el("div", { id: "l-box" });
  const msg = el("div", { class: "general", id: "l-notes" });
  const state = el("p", { class: "muted", id: "l-state" });
  // The version of the month this table was loaded from: a save from a
  // stale table is refused (409) instead of replacing someone's filing.
  let columns = [], body = null, unitCol = null, version = 0;

  function rowEl(cells) {
    return el("tr", {}, el("td", { class: "rowno" }), columns.map((c) => {
      let input;
      if (c.values.length) {
        input = el("select", { "data-key": c.key }, el("option", { value: "", text: "（选择）" }), c.values.map((v) => el("option", { value: v, text: v })));
      } else {
        input = el("input", { type: c.type === "date" ? "date" : "text", "data-key": c.key });
        if (c.type === "integer") input.setAttribute("inputmode", "numeric");
      }
      input.value = (cells && cells[c.key]) || "";
      return el("td", { "data-key": c.key }, input);
    }), el("td", {}, el("button", { type: "button", class: "link danger", text: "删", title: "删去这一行", onclick: (ev) => ev.target.closest("tr").remove() })));
  }
  function rows() {
    return [...body.querySelectorAll("tr")].map((tr) => {
      const out = {};
      for (const i of tr.querySelectorAll("[data-key]")) if (i.tagName !== "TD") out[i.dataset.key] = i.value;
      return out;
    });
  }
  function showNotes(notes) {
    msg.replaceChildren();
    for (const td of body.querySelectorAll("td.bad")) { td.classList.remove("bad"); td.title = ""; }
    for (const n of notes || []) {
      msg.append(el("div", { class: "msg err" }, n.message, n.hint ? el("span", { class: "hint-fix", text: "改法：" + n.hint }) : null));
      if (n.row !== null && n.row !== undefined && n.column) {
        const tr = body.querySelectorAll("tr")[n.row];
        const td = tr && tr.querySelector("td[data-key='" + CSS.escape(n.column) + "']");
        if (td) { td.classList.add("bad"); td.title = n.message; }
      }
    }
  }
  function filedText(f) {
    state.textContent = f ? "本月已报送：" + f.rows + " 行，" + f.at + (f.by ? "（" + f.by + "）" : "") + "。改后再报送会替换。" : "本月还没有报送。";
  }
  async function open() {
    banner("");
    let r;
    try { r = await api("GET", "/api/ledger/" + kind.value + "/" + month.value); } catch (e) { banner(e.error); return; }
    unitCol = r.kind.unit_column;
    version = r.filed ? r.filed.version : 0;
    columns = r.kind.columns.filter((c) => c.key !== unitCol);
    body = el("tbody", { id: "l-rows" });
    const list = r.rows.length ? r.rows : [{}, {}, {}];
    for (const cells of list) body.append(rowEl(cells));
    filedText(r.filed);
    msg.replaceChildren();
    box.replaceChildren(el("div", { class: "table-scroll" }, el("table", { class: "grid ledger-table" },
      el("thead", {}, el("tr", {}, el("th", { text: "行", title: "与 Excel 表格的行号一致：第 1 行是表头" }), columns.map((c) => el("th", {}, c.label, c.required ? el("span", { class: "req", text: "＊" }) : null)), el("th"))),
      body)));
  }
  async function file(url, payload, raw) {
    try {
      const r = raw
        ? await api("POST", url, payload, true)
        : await api("POST", url, payload);
      showNotes([]);
      state.textContent = "已报送 " + r.rows + " 行。";
      await open();
    } catch (e) {
      showNotes(e.notes);
      if (!e.notes || !e.notes.length) banner(e.error);
      state.textContent = e.error;
    }
  }
  const upload = el("input", { type: "file", id: "l-upload", accept: ".xlsx,.csv", hidden: true });
  upload.addEventListener("change", async () => {
    const f = upload.files[0];
    if (!f) return;
    await file("/api/ledger/" + kind.value + "/" + month.value + "/upload?name=" + encodeURIComponent(f.name) + "&by=" + encodeURIComponent(by.value) + "&version=" + version, f, true);
    upload.value = "";
  });
  kind.addEventListener("change", open);
  month.addEventListener("change", open);
  const section = el("section", { class: "card ledger", id: "ledger" },
    el("h2", { text: "月度台账" }),
    el("p", { class: "muted", text: "逐行填写本单位本月的台账，或上传 Excel 表格（第一行是台账的列名）。报送时逐格检查，有错的格子标红；行号与 Excel 表格一致（第 1 行是表头）。" }),
    el("div", { class: "filters" }, kind, month,
      el("button", { type: "button", id: "l-add", text: "加一行", onclick: () => body && body.append(rowEl({})) }),
      el("button", { type: "button", id: "l-reload", text: "刷新", title: "重新读出本月已报送的台账（未报送的改动会丢掉）", onclick: open }),
      el("button", { type: "button", class: "primary", id: "l-file", text: "报送本月台账", onclick: () => file("/api/ledger/" + kind.value + "/" + month.value, { rows: rows(), by: by.value, version }) }),
      el("button", { type: "button", id: "l-upload-button", text: "上传 Excel/CSV", onclick: () => upload.click() }), upload),
    state, msg, box);
  open();
  return section;
}

start();
