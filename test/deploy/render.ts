// Renders a kustomization of deploy/ into plain objects, and validates each one against its
// Kubernetes or KEDA schema. Rendering is kustomize's own (`kubectl kustomize`), so patches,
// generators and name hashes are exactly what `kubectl apply -k` would send; the YAML is
// turned into JSON by `kubectl label --local` (removing a label no object carries), because
// the repository has no YAML parser of its own among its direct dependencies.
import { execFileSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as core from "kubernetes-models/v1";
import * as apps from "kubernetes-models/apps/v1";
import * as batch from "kubernetes-models/batch/v1";
import * as policy from "kubernetes-models/policy/v1";
import * as autoscaling from "kubernetes-models/autoscaling/v2";
import * as keda from "@kubernetes-models/keda/keda.sh/v1alpha1";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

// Every object deploy/ may contain, by apiVersion and kind; anything else is an error.
const MODELS: Record<string, new (data: any) => { validate(): void }> = {
  "v1/ConfigMap": core.ConfigMap,
  "v1/Secret": core.Secret,
  "v1/Service": core.Service,
  "v1/Namespace": core.Namespace,
  "apps/v1/Deployment": apps.Deployment,
  "batch/v1/Job": batch.Job,
  "policy/v1/PodDisruptionBudget": policy.PodDisruptionBudget,
  "autoscaling/v2/HorizontalPodAutoscaler": autoscaling.HorizontalPodAutoscaler,
  "keda.sh/v1alpha1/ScaledObject": keda.ScaledObject,
  "keda.sh/v1alpha1/TriggerAuthentication": keda.TriggerAuthentication,
};

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: any;
}

function kubectl(args: string[], input?: string): string {
  try {
    return execFileSync("kubectl", args, { cwd: root, input, encoding: "utf8", maxBuffer: 16 << 20, stdio: ["pipe", "pipe", "pipe"] });
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === "ENOENT") throw new Error("kubectl is needed to render deploy/ (kubectl kustomize); install it or pin a YAML parser");
    throw new Error(`kubectl ${args[0]} failed: ${e.stderr ?? e.message}`);
  }
}

/** The objects `kubectl apply -k <dir>` would send, as plain JSON values, in kustomize's order. */
export function render(dir: string): K8sObject[] {
  const yaml = kubectl(["kustomize", dir]);
  const json = kubectl(["label", "--local", "-f", "-", "-o", "jsonpath={@}{\"\\n\"}", "flashsale.invalid/never-set-"], yaml);
  return json
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => {
      const obj = JSON.parse(line) as K8sObject;
      // The label command adds an empty map to objects that had no labels: take it back out.
      if (obj.metadata.labels && Object.keys(obj.metadata.labels).length === 0) delete obj.metadata.labels;
      return obj;
    });
}

/** Validates one object against its schema; throws naming the object and the first problem. */
export function validate(obj: K8sObject): void {
  const Model = MODELS[`${obj.apiVersion}/${obj.kind}`];
  if (!Model) throw new Error(`${obj.apiVersion} ${obj.kind} ${obj.metadata.name}: no schema known for this kind`);
  try {
    new Model(obj).validate();
  } catch (err) {
    throw new Error(`${obj.kind} ${obj.metadata.name}: ${(err as Error).message}`);
  }
}

/** The one object of a kind and name, or an error naming what is missing. */
export function find(objs: K8sObject[], kind: string, name: string): K8sObject {
  const hit = objs.find((o) => o.kind === kind && o.metadata.name === name);
  if (!hit) throw new Error(`no ${kind} named ${name} in the rendered tree`);
  return hit;
}

/** The labels of a selector select the labels of a pod: every key present with its value. */
export function selects(selector: Record<string, string>, labels: Record<string, string> = {}): boolean {
  return Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v);
}
