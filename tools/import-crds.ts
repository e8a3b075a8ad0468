/**
 * Writes the CRDs the Gateway API routes need into components/gateway-api/crds/ as JSON, one object
 * per file, from the upstream YAML files given on the command line (documents split, comments and
 * YAML styling dropped; content unchanged). JSON because the plan loads them on every run: the `yaml`
 * package needs about a second for the Gateway API bundle, JSON.parse a few milliseconds. The provider
 * reads JSON files as it reads YAML (k8s.io/apimachinery NewYAMLOrJSONDecoder, pulumi-kubernetes
 * provider/pkg/provider/yaml/v2/yaml.go). Bump by running it on the new release's files and updating
 * components/gateway-api/crds.ts (versions) and crds/README.md (sources, checksums).
 *
 * Usage: node tools/toolchain/node.cjs -r ./tools/toolchain/typescript.cjs tools/import-crds.ts <file.yaml>...
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { parseAllDocuments } from "yaml";

const OUT = path.join(__dirname, "..", "components", "gateway-api", "crds");

/** `<group>_<plural>.json` for a CRD, `<kind>_<name>.json` for anything else (the upgrade policy). */
export function outputName(object: Record<string, any>): string {
    if (object.kind === "CustomResourceDefinition") return `${object.spec.group}_${object.spec.names.plural}.json`;
    return `${String(object.kind).toLowerCase()}_${object.metadata.name}.json`;
}

function main(files: readonly string[]): void {
    for (const file of files) {
        const text = fs.readFileSync(file, "utf8");
        const digest = createHash("sha256").update(text).digest("hex");
        for (const doc of parseAllDocuments(text)) {
            const object = doc.toJS() as Record<string, any> | null;
            if (!object) continue;
            const name = outputName(object);
            fs.writeFileSync(path.join(OUT, name), `${JSON.stringify(object, null, 1)}\n`);
            console.log(`${name} <- ${path.basename(file)} (sha256 ${digest})`);
        }
    }
}

if (require.main === module) main(process.argv.slice(2));
