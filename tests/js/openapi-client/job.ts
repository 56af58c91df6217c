// A client typed by openapi-typescript from VExAA's /openapi/v1.json (generated into ./api.d.ts by the test): it creates a
// job from a file, polls it and downloads the result. If the document lost the job form, an enum or a response schema,
// `tsc` rejects this file.
import { openAsBlob } from "node:fs";
import { writeFile } from "node:fs/promises";
import { basename } from "node:path";
import type { components, paths } from "./api.js";

type JobForm = paths["/api/v1/jobs"]["post"]["requestBody"]["content"]["multipart/form-data"];
type Accepted = paths["/api/v1/jobs"]["post"]["responses"]["202"]["content"]["application/json"];
type Job = paths["/api/v1/jobs/{id}"]["get"]["responses"]["200"]["content"]["application/json"];
type Problem = components["schemas"]["ProblemDetails"];
type Status = components["schemas"]["JobDto"]["status"];

const [server, key, file, out] = process.argv.slice(2);
const headers = { Authorization: `Bearer ${key}` };

const options: Omit<JobForm, "file"> = { format: "mp3", bitrate: "96k", channels: 1, normalize: "podcast", keepTags: false };
const form = new FormData();
for (const [name, value] of Object.entries(options)) {
  form.append(name, String(value));
}
form.append("file", await openAsBlob(file), basename(file));

const created = await fetch(`${server}/api/v1/jobs`, { method: "POST", headers, body: form });
if (created.status !== 202) {
  const problem = (await created.json()) as Problem;
  throw new Error(`createJob answered ${created.status} ${problem.code}: ${problem.detail}`);
}

let job: Job = (await created.json()) as Accepted;
const finished: Status[] = ["succeeded", "failed", "canceled"];
while (!finished.includes(job.status)) {
  await new Promise((resolve) => setTimeout(resolve, 200));
  job = (await (await fetch(`${server}${job.links.self}`, { headers })).json()) as Job;
}

if (job.status !== "succeeded") {
  throw new Error(`the job ${job.status}: ${job.error?.code} ${job.error?.message}`);
}

const result = job.results[0];
const download = await fetch(`${server}${result.url}`, { headers });
await writeFile(out, Buffer.from(await download.arrayBuffer()));
const durationSeconds: number = result.durationSeconds;
console.log(JSON.stringify({ id: job.id, status: job.status, contentType: download.headers.get("content-type"), size: result.size, durationSeconds }));
