// Validates every manifest in the given folder against the Kubernetes API schemas (kubernetes-models), offline.
// Usage: node validate.mjs <folder>. Prints one line per object; exits 1 when any object is invalid.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";

const folder = process.argv[2];
let failures = 0;
let objects = 0;
for (const file of readdirSync(folder).filter(f => f.endsWith(".yaml") && f !== "kustomization.yaml").sort()) {
  for (const document of parseAllDocuments(readFileSync(join(folder, file), "utf8"))) {
    if (document.errors.length > 0) {
      console.log(`invalid ${file}: ${document.errors.map(e => e.message).join("; ")}`);
      failures++;
      continue;
    }
    const manifest = document.toJS();
    if (manifest === null) continue;
    objects++;
    const name = `${file}: ${manifest.kind}/${manifest.metadata?.name}`;
    try {
      const models = await import(`kubernetes-models/${manifest.apiVersion}`);
      const Model = models[manifest.kind];
      if (!Model) throw new Error(`no kind ${manifest.kind} in ${manifest.apiVersion}`);
      new Model(manifest).validate();
      console.log(`valid ${name}`);
    } catch (error) {
      console.log(`invalid ${name}: ${error.message}`);
      failures++;
    }
  }
}
console.log(`${objects} objects, ${failures} invalid`);
process.exit(failures > 0 || objects === 0 ? 1 : 0);
