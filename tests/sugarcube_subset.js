// A tiny player for the subset of SugarCube 2 that `carnet export` writes, to
// check that the export plays as carnet does. It is NOT SugarCube: it follows
// SugarCube's documented rules for exactly these constructs: <<set>> (with
// `to`, +=, -=), <<if>>/<<elseif>>/<<else>>, <<link "text" "passage">> with
// <<set>>s inside, <<= expr>>, naked $variables, <nowiki>, ''bold'', <br>, a
// backslash line continuation, visited(), $variables desugared to the store.
//
// usage: node sugarcube_subset.js STORY.twee '[[1, 2, 1], [2]]'
// plays each list of link numbers from a new game and prints, as JSON, for
// each one the pages shown: [{passage, text, links}, ...]
"use strict";
const fs = require("fs");

const source = fs.readFileSync(process.argv[2], "utf8");
const scripts = JSON.parse(process.argv[3]);

const passages = {};
for (const chunk of ("\n" + source).split(/\n:: /).slice(1)) {
  const nl = chunk.indexOf("\n");
  const header = nl < 0 ? chunk : chunk.slice(0, nl);
  const name = header.match(/^(.*?)(?:\s+\[[^\]]*\])?(?:\s+\{.*\})?\s*$/)[1];
  const body = (nl < 0 ? "" : chunk.slice(nl + 1)).replace(/\n+$/, "").replace(/^\\::/gm, "::");
  passages[name] = body;
}

let V = {};
let history = [];
const visited = (title) => history.filter((h) => h === (title === undefined ? history[history.length - 1] : title)).length;
const STRING = /"(?:[^"\\]|\\.)*"/y;

function desugar(expr) {
  return expr.replace(/"(?:[^"\\]|\\.)*"|\$([A-Za-z_][A-Za-z0-9_]*)/g, (m, n) => (n ? `V.${n}` : m));
}
function evaluate(expr) {
  return Function("V", "visited", `"use strict"; return (${desugar(expr)});`)(V, visited);
}
function set(args) {
  const m = args.match(/^(\$[A-Za-z_]\w*(?:\["(?:[^"\\]|\\.)*"\])?)\s+(to|\+=|-=)\s+([\s\S]+)$/);
  if (!m) throw new Error(`bad <<set ${args}>>`);
  const op = m[2] === "to" ? "=" : m[2];
  Function("V", "visited", `"use strict"; ${desugar(m[1])} ${op} (${desugar(m[3])});`)(V, visited);
}

const TAG = /<<(\/?[A-Za-z]+|=)\s*((?:"(?:[^"\\]|\\.)*"|[^>"]|>(?!>))*)>>/y;

function readTag(src, i) {
  TAG.lastIndex = i;
  const m = TAG.exec(src);
  if (!m) throw new Error(`bad macro at ${JSON.stringify(src.slice(i, i + 40))}`);
  return { name: m[1], args: m[2].trim(), end: TAG.lastIndex };
}

// The clauses of a container macro starting at `i` (after its opening tag) up to its closing tag.
function body(src, i, name, middles) {
  let depth = 1;
  const clauses = [];
  let start = i;
  let j = i;
  while (j < src.length) {
    if (src.startsWith("<nowiki>", j)) { j = src.indexOf("</nowiki>", j) + 9; continue; }
    if (!src.startsWith("<<", j)) { j++; continue; }
    const tag = readTag(src, j);
    if (tag.name === name) depth++;
    else if (tag.name === "/" + name) {
      depth--;
      if (depth === 0) { clauses.push({ body: src.slice(start, j) }); return { clauses, end: tag.end }; }
    } else if (depth === 1 && middles.includes(tag.name)) {
      clauses.push({ body: src.slice(start, j) });
      clauses.push({ tag: tag.name, args: tag.args });
      start = tag.end;
    }
    j = tag.end;
  }
  throw new Error(`no <</${name}>>`);
}

function wikify(src, out) {
  let i = 0;
  while (i < src.length) {
    if (src.startsWith("<nowiki>", i)) {
      const j = src.indexOf("</nowiki>", i);
      out.text += src.slice(i + 8, j);
      i = j + 9;
    } else if (src.startsWith("<<", i)) {
      const tag = readTag(src, i);
      i = tag.end;
      if (tag.name === "set") set(tag.args);
      else if (tag.name === "=") out.text += String(evaluate(tag.args));
      else if (tag.name === "if") {
        const { clauses, end } = body(src, i, "if", ["elseif", "else"]);
        let test = tag.args;
        for (let k = 0; k < clauses.length; k += 2) {
          if (test === null || evaluate(test)) { wikify(clauses[k].body, out); break; }
          const next = clauses[k + 1];
          if (!next) break;
          test = next.tag === "else" ? null : next.args;
        }
        i = end;
      } else if (tag.name === "link") {
        STRING.lastIndex = 0;
        const text = JSON.parse(STRING.exec(tag.args)[0]);
        const rest = tag.args.slice(STRING.lastIndex).trim();
        const target = JSON.parse(rest);
        const { clauses, end } = body(src, i, "link", []);
        const label = { text: "", links: [] };
        wikify(text, label);
        out.links.push({ text: label.text, target, setters: clauses[0].body });
        i = end;
      } else throw new Error(`macro <<${tag.name}>> is not in the subset`);
    } else if (src.startsWith("<br>", i)) {
      out.text += "\n"; i += 4;
    } else if (src.startsWith("''", i)) {
      i += 2;
    } else if (src[i] === "\\" && (src[i + 1] === "\n" || i + 1 === src.length)) {
      i += 2;
    } else {
      const m = /^\$([A-Za-z_][A-Za-z0-9_]*)/.exec(src.slice(i, i + 200));
      if (m) { out.text += String(V[m[1]]); i += m[0].length; }
      else { out.text += src[i]; i += 1; }
    }
  }
}

function show(title) {
  history.push(title);
  const out = { passage: title, text: "", links: [] };
  wikify(passages[title], out);
  return out;
}

function play(script) {
  V = {};
  history = [];
  wikify(passages.StoryInit, { text: "", links: [] });
  let page = show(JSON.parse(passages.StoryData).start);
  const pages = [page];
  for (const number of script) {
    const link = page.links[number - 1];
    if (!link) throw new Error(`no link ${number} in ${page.passage}`);
    wikify(link.setters, { text: "", links: [] });
    page = show(link.target);
    pages.push(page);
  }
  return pages.map((p) => ({ passage: p.passage, text: p.text, links: p.links.map((l) => l.text) }));
}

process.stdout.write(JSON.stringify(scripts.map(play)) + "\n");
