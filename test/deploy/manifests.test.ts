import { readFileSync } from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { parseConfig } from "@flashsale/config";
import { queueNames, type QueueType } from "@flashsale/queue";
import { find, render, root, selects, validate, type K8sObject } from "./render";

const source = (file: string) => readFileSync(path.join(root, file), "utf8");

// Variables of packages/config the manifests leave unset, each for a reason; any other
// variable the schema gains must be set in deploy/base/config.env or secret.yaml.
const UNSET_ON_PURPOSE: Record<string, string> = {
  JWT_PUBLIC_KEY: "RS256 instead of JWT_SECRET, optional",
  JWKS_URL: "RS256 instead of JWT_SECRET, optional",
  JWT_ISSUER: "optional claim check",
  JWT_AUDIENCE: "optional claim check",
  WORKERS: "npm start's worker count; KEDA scales worker pods here",
  REDIS_CLUSTER_NODES: "optional: a Redis Cluster's seed nodes, set in the Secret (or config.env) when the gate runs on a cluster; the base targets one REDIS_URL",
  RABBITMQ_URLS: "a cluster's node list; the manifests use one RABBITMQ_URL (a Service in front of the cluster)",
  DATABASE_REPLICA_URL: "optional; set it in the Secret when a streaming replica exists",
};
const SECRET_KEYS = ["JWT_SECRET", "DATABASE_URL", "RABBITMQ_URL", "REDIS_URL"];
// The production overlay deletes base's placeholder Secret: the operator creates it.
const PROVIDED_BY_OPERATOR = { production: ["Secret/flashsale-secrets"], base: [] as string[] };

const schemaVariables = () => [...source("packages/config/load-config.ts").matchAll(/^ {4}([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]!);
const podSpec = (o: K8sObject) => o.spec.template.spec;
const containers = (o: K8sObject): any[] => podSpec(o).containers;
const workloads = (objs: K8sObject[]) => objs.filter((o) => o.kind === "Deployment" || o.kind === "Job");
const byComponent = (objs: K8sObject[], kind: string, component: string) =>
  objs.filter((o) => o.kind === kind && o.spec.template.metadata.labels?.["app.kubernetes.io/component"] === component);

/** The environment a pod of the tree sees: the ConfigMap's data and the Secret's values. */
function podEnv(objs: K8sObject[]) {
  const cm = objs.find((o) => o.kind === "ConfigMap")!;
  const secret = objs.find((o) => o.kind === "Secret");
  return { config: cm.data as Record<string, string>, secret: (secret?.stringData ?? {}) as Record<string, string> };
}

/** The containerPort a probe's or a Service's port names (by name or number). */
function containerPort(container: any, port: string | number): number | undefined {
  const ports: any[] = container.ports ?? [];
  return (typeof port === "number" ? ports.find((p) => p.containerPort === port) : ports.find((p) => p.name === port))?.containerPort;
}

for (const overlay of ["base", "overlays/production"] as const) {
  const tree = overlay === "base" ? "base" : "production";

  describe(`deploy manifests (${overlay})`, () => {
    let objs: K8sObject[];
    before(() => {
      objs = render(`deploy/${overlay}`);
    });

    it("when the kustomization is rendered, then every object passes its Kubernetes or KEDA schema", () => {
      expect(objs.length).to.be.greaterThan(8);
      for (const o of objs) validate(o);
      const kinds = objs.map((o) => `${o.kind}/${o.metadata.name}`);
      for (const want of ["Deployment/flashsale-api", "Service/flashsale-api", "HorizontalPodAutoscaler/flashsale-api", "PodDisruptionBudget/flashsale-api",
        "Deployment/flashsale-worker", "ScaledObject/flashsale-worker", "TriggerAuthentication/flashsale-rabbitmq", "PodDisruptionBudget/flashsale-worker", "Job/flashsale-migrate"]) {
        expect(kinds, want).to.include(want);
      }
    });

    it("when a pod or KEDA names a ConfigMap, Secret or key, then the tree holds it (or the operator provides it)", () => {
      const has = (kind: string, name: string) => objs.some((o) => o.kind === kind && o.metadata.name === name) || PROVIDED_BY_OPERATOR[tree].includes(`${kind}/${name}`);
      const keys = (kind: string, name: string) => {
        const o = objs.find((x) => x.kind === kind && x.metadata.name === name);
        return o ? Object.keys({ ...o.data, ...o.stringData }) : kind === "Secret" ? SECRET_KEYS : [];
      };
      for (const w of workloads(objs)) {
        for (const c of containers(w)) {
          for (const from of c.envFrom ?? []) {
            if (from.configMapRef) expect(has("ConfigMap", from.configMapRef.name), `${w.metadata.name} envFrom ConfigMap ${from.configMapRef.name}`).to.equal(true);
            if (from.secretRef) expect(has("Secret", from.secretRef.name), `${w.metadata.name} envFrom Secret ${from.secretRef.name}`).to.equal(true);
          }
          for (const e of c.env ?? []) {
            const ref = e.valueFrom?.configMapKeyRef ?? e.valueFrom?.secretKeyRef;
            if (!ref) continue;
            const kind = e.valueFrom.configMapKeyRef ? "ConfigMap" : "Secret";
            expect(has(kind, ref.name), `${w.metadata.name} ${e.name}: ${kind} ${ref.name}`).to.equal(true);
            expect(keys(kind, ref.name), `${w.metadata.name} ${e.name}: key ${ref.key}`).to.include(ref.key);
          }
        }
      }
      for (const ta of objs.filter((o) => o.kind === "TriggerAuthentication")) {
        for (const ref of ta.spec.secretTargetRef) {
          expect(has("Secret", ref.name), `TriggerAuthentication ${ta.metadata.name}: Secret ${ref.name}`).to.equal(true);
          expect(keys("Secret", ref.name), `TriggerAuthentication ${ta.metadata.name}: key ${ref.key}`).to.include(ref.key);
        }
      }
      for (const so of objs.filter((o) => o.kind === "ScaledObject")) {
        for (const t of so.spec.triggers) find(objs, "TriggerAuthentication", t.authenticationRef.name);
      }
      if (tree === "production") expect(objs.some((o) => o.kind === "Secret"), "the overlay must not ship placeholder credentials").to.equal(false);
    });

    it("when the ConfigMap and the Secret are a pod's environment, then packages/config accepts it with one API process per pod", () => {
      const { config, secret } = podEnv(objs);
      // Production's Secret comes from the operator: base's placeholders stand in for it.
      const env = { ...config, ...(tree === "base" ? secret : podEnv(render("deploy/base")).secret) };
      const cfg = parseConfig(env);
      expect(cfg.env).to.equal("production");
      expect(cfg.apiProcesses, "API_PROCESSES: the HPA scales pods, one process each").to.equal(1);
      // The Redis Cluster line secret.yaml shows (commented out) is one packages/config accepts.
      const clusterExample = /#\s*REDIS_CLUSTER_NODES:\s*(\S+)/.exec(source("deploy/base/secret.yaml"))?.[1];
      expect(clusterExample, "secret.yaml shows how to set REDIS_CLUSTER_NODES").to.be.a("string");
      expect(parseConfig({ ...env, REDIS_CLUSTER_NODES: clusterExample }).redis.clusterNodes).to.have.length(3);
      const known = schemaVariables();
      expect(known, "the variables read from load-config.ts").to.include.members(["PORT", "QUEUE_PREFIX", "JWT_SECRET"]);
      for (const k of [...Object.keys(config), ...SECRET_KEYS]) expect(known, `${k} is not a variable of packages/config`).to.include(k);
      for (const k of known) {
        const set = k in config || SECRET_KEYS.includes(k) || k in UNSET_ON_PURPOSE;
        expect(set, `${k}: set it in deploy/base/config.env or secret.yaml, or list why not in UNSET_ON_PURPOSE`).to.equal(true);
      }
      expect(Object.keys(secret).filter((k) => k in config), "a variable in both the ConfigMap and the Secret").to.deep.equal([]);
      for (const k of SECRET_KEYS) expect(config, `${k} belongs in the Secret`).to.not.have.property(k);
    });

    it("when the Service, the HPA, KEDA and the PDBs select, then they reach the pods they mean", () => {
      const [api] = byComponent(objs, "Deployment", "api");
      const [worker] = byComponent(objs, "Deployment", "worker");
      const svc = find(objs, "Service", "flashsale-api");
      expect(selects(svc.spec.selector, api!.spec.template.metadata.labels), "Service selector vs API pods").to.equal(true);
      for (const other of workloads(objs).filter((w) => w !== api)) {
        expect(selects(svc.spec.selector, other.spec.template.metadata.labels), `Service selects ${other.metadata.name}`).to.equal(false);
      }
      expect(selects(api!.spec.selector.matchLabels, api!.spec.template.metadata.labels), "API Deployment selector").to.equal(true);
      expect(selects(worker!.spec.selector.matchLabels, worker!.spec.template.metadata.labels), "worker Deployment selector").to.equal(true);
      for (const p of svc.spec.ports) expect(containerPort(containers(api!)[0], p.targetPort), `Service port ${p.name}`).to.equal(Number(podEnv(objs).config.PORT));

      const hpa = find(objs, "HorizontalPodAutoscaler", "flashsale-api");
      expect(hpa.spec.scaleTargetRef).to.include({ apiVersion: "apps/v1", kind: "Deployment", name: api!.metadata.name });
      expect(hpa.spec.metrics.map((m: any) => m.resource?.name)).to.deep.equal(["cpu"]);
      const so = find(objs, "ScaledObject", "flashsale-worker");
      expect(so.spec.scaleTargetRef.name).to.equal(worker!.metadata.name);
      expect(so.spec.scaleTargetRef.kind ?? "Deployment").to.equal("Deployment");
      for (const d of [api!, worker!]) expect(d.spec.replicas, `${d.metadata.name}: replicas belong to its autoscaler`).to.equal(undefined);

      const pdbs = objs.filter((o) => o.kind === "PodDisruptionBudget");
      for (const [pdb, target] of [[find(objs, "PodDisruptionBudget", "flashsale-api"), api!], [find(objs, "PodDisruptionBudget", "flashsale-worker"), worker!]] as const) {
        const hit = workloads(objs).filter((w) => selects(pdb.spec.selector.matchLabels, w.spec.template.metadata.labels));
        expect(hit.map((w) => w.metadata.name), `PDB ${pdb.metadata.name}`).to.deep.equal([target.metadata.name]);
      }
      expect(pdbs).to.have.length(2);
    });

    it("when KEDA reads the settle queue, then it is the queue packages/queue declares for QUEUE_PREFIX", () => {
      const so = find(objs, "ScaledObject", "flashsale-worker");
      const [trigger] = so.spec.triggers;
      expect(so.spec.triggers).to.have.length(1);
      expect(trigger.type).to.equal("rabbitmq");
      expect(trigger.metadata.mode).to.equal("QueueLength");
      expect(trigger.metadata.queueName).to.equal(queueNames(podEnv(objs).config.QUEUE_PREFIX!, podEnv(objs).config.QUEUE_TYPE as QueueType).settleQueue);
      expect(Number(trigger.metadata.value)).to.be.greaterThan(0);
    });

    it("when the kubelet probes, then the paths and ports are the ones the API and the worker serve", () => {
      const served = [...source("apps/api/routes/health.ts").matchAll(/r\.get\("([^"]+)"/g)].map((m) => m[1]);
      const { config } = podEnv(objs);
      const api = containers(byComponent(objs, "Deployment", "api")[0]!)[0];
      expect(api.livenessProbe.httpGet.path).to.equal("/healthz");
      expect(api.readinessProbe.httpGet.path).to.equal("/readyz");
      for (const probe of [api.livenessProbe, api.readinessProbe, api.startupProbe].filter(Boolean)) {
        expect(served, "a route of apps/api/routes/health.ts").to.include(probe.httpGet.path);
        expect(containerPort(api, probe.httpGet.port), `API probe ${probe.httpGet.path}`).to.equal(Number(config.PORT));
      }
      const metricsSource = source("apps/worker/metrics-server.ts");
      const worker = containers(byComponent(objs, "Deployment", "worker")[0]!)[0];
      for (const probe of [worker.livenessProbe, worker.readinessProbe]) {
        expect(probe, "worker probe").to.not.equal(undefined);
        expect(metricsSource, "the worker's metrics server path").to.include(`"${probe.httpGet.path}"`);
        expect(containerPort(worker, probe.httpGet.port), `worker probe ${probe.httpGet.path}`).to.equal(Number(config.WORKER_METRICS_PORT));
      }
    });

    it("when a pod is stopped, then its grace period outlasts the drain the code allows", () => {
      const force = /closeAllConnections\(\), ([\d_]+)\)/.exec(source("apps/api/main.ts"));
      expect(force, "apps/api/main.ts's forced close").to.not.equal(null);
      const forceSeconds = Number(force![1]!.replace(/_/g, "")) / 1000;
      const api = byComponent(objs, "Deployment", "api")[0]!;
      const preStop = containers(api)[0].lifecycle?.preStop?.sleep?.seconds ?? 0;
      const publishSeconds = Number(podEnv(objs).config.PUBLISH_TIMEOUT_MS) / 1000;
      expect(publishSeconds, "an in-flight publish fits in the forced-close window").to.be.lessThan(forceSeconds);
      expect(podSpec(api).terminationGracePeriodSeconds, `API grace vs preStop ${preStop} s + forced close ${forceSeconds} s`).to.be.greaterThan(preStop + forceSeconds);
      // The worker has no timer of its own (one message in hand, prefetch 1): its grace is the bound.
      const worker = byComponent(objs, "Deployment", "worker")[0]!;
      expect(podSpec(worker).terminationGracePeriodSeconds, "worker grace").to.be.at.least(30);
    });

    it("when a container runs, then it is non-root, read-only, capability-free, with requests and limits from the bench", () => {
      const mib = (q: string) => Number(/^(\d+)Mi$/.exec(q)?.[1] ?? NaN);
      for (const w of workloads(objs)) {
        const pod = podSpec(w);
        expect(pod.securityContext?.runAsNonRoot, `${w.metadata.name} runAsNonRoot`).to.equal(true);
        expect(pod.automountServiceAccountToken, `${w.metadata.name} needs no API token`).to.equal(false);
        for (const c of pod.containers) {
          expect(c.securityContext, `${w.metadata.name}/${c.name}`).to.deep.include({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true });
          expect(c.securityContext.capabilities?.drop, `${w.metadata.name}/${c.name} capabilities`).to.deep.equal(["ALL"]);
          for (const r of ["cpu", "memory"]) {
            expect(c.resources?.requests?.[r], `${w.metadata.name}/${c.name} requests.${r}`).to.be.a("string");
            expect(c.resources?.limits?.[r], `${w.metadata.name}/${c.name} limits.${r}`).to.be.a("string");
          }
        }
      }
      // BENCHMARKS.md (issue 11's runs): a compiled API process, up to 135 MB idle and 288 MB at its peak.
      const api = containers(byComponent(objs, "Deployment", "api")[0]!)[0];
      expect(mib(api.resources.requests.memory)).to.be.at.least(135);
      expect(mib(api.resources.limits.memory), "API memory limit above the measured peak").to.be.greaterThan(288 * 1.2);
      const worker = containers(byComponent(objs, "Deployment", "worker")[0]!)[0];
      expect(mib(worker.resources.limits.memory), "worker memory limit above ~100 MB").to.be.greaterThan(100 * 1.5);
    });

    it("when the image runs, then each command is one the Dockerfile's runtime image holds", () => {
      const dockerfile = source("Dockerfile");
      const workdir = [...dockerfile.matchAll(/^WORKDIR (\S+)/gm)].at(-1)![1];
      const pkg = JSON.parse(source("package.json"));
      const images = new Set(workloads(objs).flatMap((w) => containers(w).map((c) => c.image)));
      expect(images.size, "one image for the API, the workers and the migrations").to.equal(1);
      const api = containers(byComponent(objs, "Deployment", "api")[0]!)[0];
      const worker = containers(byComponent(objs, "Deployment", "worker")[0]!)[0];
      expect(api.command.join(" ")).to.equal(pkg.scripts.api);
      expect(worker.command.join(" ")).to.equal(pkg.scripts.worker);
      const migrate = containers(byComponent(objs, "Job", "migrate")[0]!)[0];
      expect(migrate.command).to.deep.equal([`${workdir}/node_modules/.bin/prisma`, "migrate", "deploy"]);
      expect(pkg.dependencies, "prisma must be a production dependency of the runtime image").to.have.property("prisma");
      if (tree === "production") {
        expect([...images][0]).to.match(/^registry\.example\.com\/flashsale:\d/);
        for (const o of objs.filter((x) => x.kind !== "Namespace")) expect(o.metadata.namespace, `${o.kind} ${o.metadata.name}`).to.equal("flashsale");
      }
    });
  });
}
