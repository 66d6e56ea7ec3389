// gongwen: the page helpers app.js (the workbench) and unit.js (a unit's
// own page) share. What anyone typed goes on the page with textContent or
// as an attribute or property value — never as HTML.
"use strict";

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") e.className = v;
    else if (k === "text") e.textContent = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else if (k in e && typeof v !== "string") e[k] = v;
    else e.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

function banner(text, kind) {
  const b = document.getElementById("banner");
  if (!b) return;
  b.textContent = text || "";
  b.className = "banner " + (kind || "error");
  b.hidden = !text;
}
