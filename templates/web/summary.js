// gongwen 季度工作总结 (the office's campaign page): the office sets what
// `gongwen summary` takes, sees the summary's pages — its chart of each
// unit's completion included — and downloads the PDF of the same fields.
// Loaded after app.js, whose api() and banner() it uses; what anyone typed
// goes on the page as text or an input's value, never as HTML.
"use strict";

function summaryOffice(id) {
  const input = (key, attrs) => el("input", Object.assign({ type: "text", id: "ls-" + key }, attrs));
  const f = {
    quarter: input("quarter", { placeholder: "2019Q2" }),
    organ: input("organ", { placeholder: "如：千泉街道办事处" }),
    to: input("to", { placeholder: "可空" }),
    date: input("date", { type: "date" }),
    red_header: input("red_header", { type: "checkbox" }),
    number: input("number", { placeholder: "带红头时写，如 千街发〔2019〕9号" }),
    signer: input("signer", { placeholder: "带红头时必填" }),
    next: el("textarea", { id: "ls-next", rows: 3, placeholder: "可空；每段一行" }),
  };
  const now = new Date();
  f.quarter.value = now.getFullYear() + "Q" + (Math.floor(now.getMonth() / 3) + 1);
  const download = el("a", { class: "button", id: "ls-download", text: "下载季度工作总结（PDF）" });
  const previewBtn = el("button", { type: "button", class: "primary", id: "ls-preview", text: "预览总结" });
  const state = el("p", { class: "status", id: "ls-state" });
  const pagesBox = el("div", { class: "pages", id: "ls-pages" });
  const images = new Map();
  function params() {
    const out = {};
    for (const [k, e] of Object.entries(f)) out[k] = e.type === "checkbox" ? (e.checked ? "1" : "") : e.value;
    return out;
  }
  function href() {
    download.href = "/api/campaigns/" + id + "/summary?" + new URLSearchParams(params()).toString();
  }
  async function preview() {
    banner("");
    state.textContent = "正在排版……";
    state.className = "status busy";
    previewBtn.disabled = true;
    try {
      const r = await api("POST", "/api/campaigns/" + id + "/summary/preview", Object.assign(params(), { known: [...images.keys()] }));
      const list = r.pages.map((h, i) => {
        const img = images.get(h) || el("img", { class: "page", src: "/api/page/" + h, "data-hash": h });
        img.alt = "第 " + (i + 1) + " 页预览";
        return [h, img];
      });
      images.clear();
      for (const [h, img] of list) images.set(h, img);
      pagesBox.replaceChildren(...list.map((p) => p[1]));
      state.textContent = "预览已更新：" + r.title + "（共 " + r.pages.length + " 页）。" + (r.warnings.length ? "提醒：" + r.warnings.join("；") : "");
      state.className = "status ok";
    } catch (e) {
      state.textContent = e.error;
      state.className = "status bad";
      pagesBox.replaceChildren();
    } finally {
      previewBtn.disabled = false;
    }
  }
  previewBtn.addEventListener("click", preview);
  for (const e of Object.values(f)) { e.addEventListener("input", href); e.addEventListener("change", href); }
  href();
  const row = (key, label, hint) => el("div", { class: "field" },
    el("label", { for: "ls-" + key, text: label }), f[key], hint ? el("div", { class: "hint", text: hint }) : null);
  return el("section", { class: "card", id: "summary-office" },
    el("h2", { text: "季度工作总结" }),
    el("p", { class: "muted", text: "按各单位报送的活动台账（和隐患台账）统计应开展与已开展的活动，生成季度总结（含各单位活动完成率图）。与命令 gongwen summary 用同样的台账得到同一份文件。" }),
    el("div", { class: "desk" },
      el("div", { class: "form-col" },
        row("quarter", "季度", "写成 2019Q2"),
        row("organ", "报告单位（署名）", "标题按它和季度生成：“××关于第二季度“零事故”创建工作情况的报告”"),
        row("to", "主送机关"),
        row("date", "成文日期", "不填时用季度的最后一天"),
        row("red_header", "加红头", "发文机关标志用“报告单位文件”"),
        row("number", "发文字号"),
        row("signer", "签发人"),
        row("next", "下一步工作"),
        el("div", { class: "actions" }, previewBtn, download),
        state),
      el("aside", { class: "preview-col" }, el("div", { class: "preview-head" }, el("span", { text: "预览" })), pagesBox)));
}
