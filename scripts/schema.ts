/**
 * `npm run schema`: writes schema/stack-config.schema.json, the editor schema of the stack files,
 * from the zod schema in config/. A test fails when the committed file is stale.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { renderStackFileSchema } from "../config/jsonSchema";

export const SCHEMA_FILE = join(__dirname, "..", "schema", "stack-config.schema.json");

mkdirSync(dirname(SCHEMA_FILE), { recursive: true });
writeFileSync(SCHEMA_FILE, renderStackFileSchema());
console.log(`wrote ${SCHEMA_FILE}`);
