// `npm run openapi`: writes apps/api/openapi.json from the source in this folder.
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { renderDocument } from "./document.ts";

const file = fileURLToPath(new URL("../openapi.json", import.meta.url));
writeFileSync(file, renderDocument());
console.log(`wrote ${file}`);
