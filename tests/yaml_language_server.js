// Validate YAML files with yaml-language-server, as an editor does: each
// file's own `# yaml-language-server: $schema=...` modeline names the schema.
// Usage: node yaml_language_server.js MODULES_DIR FILE...  Prints, as JSON,
// each file's diagnostics as "line:col message".
const fs = require("fs");
const path = require("path");
const { pathToFileURL, fileURLToPath } = require("url");

const modules = process.argv[2];
const need = (name) => require(path.join(modules, name));
const { getLanguageService } = need("yaml-language-server");
const { TextDocument } = need("vscode-languageserver-textdocument");
const { workspaceContext } = need(
  "yaml-language-server/out/server/src/languageservice/services/schemaRequestHandler");

const service = getLanguageService({
  // file: schemas only; anything else is a failure to load (reported as a diagnostic)
  schemaRequestService: async (uri) => fs.readFileSync(fileURLToPath(uri), "utf8"),
  workspaceContext,
});
service.configure({ validate: true, hover: true, completion: true, schemas: [] });

(async () => {
  const out = {};
  for (const file of process.argv.slice(3)) {
    const doc = TextDocument.create(pathToFileURL(file).toString(), "yaml", 1,
                                    fs.readFileSync(file, "utf8"));
    const found = await service.doValidation(doc, false);
    out[file] = found.map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.message}`);
  }
  process.stdout.write(JSON.stringify(out) + "\n");
})();
