// Validates Kubernetes documents against the JSON schemas of their kinds: the Kubernetes API's (npm kubernetes-models)
// and KEDA's (npm @kubernetes-models/keda). Types, enums, required fields and formats are checked; unknown fields are
// not (the .NET tests' strict deserialisation catches those).
//   node validate-k8s.mjs < documents.json        (a JSON array of documents)
// Prints one JSON line per document: {"index", "kind", "name", "errors": ["/spec/replicas: must be integer", ...]}.
// Exits 1 if any document is invalid or has no schema here, 0 if all are valid.
import { readFileSync } from "node:fs";

// apiVersion's group decides the package; the core group ("v1") is kubernetes-models/v1.
function modulePath(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  if (group === "keda.sh" || group === "eventing.keda.sh") {
    return `@kubernetes-models/keda/${group}/${version}/${kind}`;
  }
  return group === "" ? `kubernetes-models/${version}/${kind}` : `kubernetes-models/${group}/${version}/${kind}`;
}

function describe(error) {
  const where = error.instancePath || "/";
  const detail = error.params?.allowedValues ? ` (${error.params.allowedValues.join(", ")})` : "";
  return `${where}: ${error.message ?? error.keyword}${detail}`;
}

const documents = JSON.parse(readFileSync(0, "utf8"));
let invalid = 0;
for (const [index, document] of documents.entries()) {
  const { apiVersion = "", kind = "", metadata = {} } = document ?? {};
  const result = { index, kind: `${apiVersion}/${kind}`, name: metadata.name ?? null, errors: [] };
  let Model;
  try {
    Model = (await import(modulePath(apiVersion, kind)))[kind];
  } catch {
    Model = undefined;
  }
  if (typeof Model !== "function") {
    result.errors.push(`no schema for ${apiVersion}/${kind}`);
  } else {
    try {
      new Model(document).validate();
    } catch (e) {
      const errors = Array.isArray(e?.errors) ? e.errors : null;
      result.errors.push(...(errors ? errors.map(describe) : [String(e?.message ?? e)]));
    }
  }
  if (result.errors.length > 0) invalid++;
  console.log(JSON.stringify(result));
}
process.exit(invalid > 0 ? 1 : 0);
