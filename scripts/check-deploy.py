#!/usr/bin/env python3
"""Static checks of deploy/ (run by scripts/package-check.sh; needs python3-yaml).

No Kubernetes schema validator is installable from Debian (kubeconform, kubeval are not packaged;
Debian's kubectl validates only against a live API server), so this parses every manifest and
checks the fields we use against a small hand-written schema, plus the references between
objects: volumes, config maps, claims, selectors, ports, shard counts. Every smtpdane flag used
anywhere in deploy/ must be one that `smtpdane -help` lists.

usage: check-deploy.py HELP_TEXT_FILE     prints one "ok"/"FAIL" line per check; exit 1 on failure
"""
import re
import shlex
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
failures = 0


def check(ok, what):
    global failures
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures += 1


# Allowed keys per object path, for the kinds deploy/ uses (a subset of the API, on purpose:
# a misspelled or misplaced field is an error here, as in a strict API server).
SCHEMA = {
    ("v1", "ConfigMap"): {"": {"apiVersion", "kind", "metadata", "data"}},
    ("v1", "PersistentVolumeClaim"): {"": {"apiVersion", "kind", "metadata", "spec"},
                                      "spec": {"accessModes", "resources", "storageClassName"}},
    ("v1", "Service"): {"": {"apiVersion", "kind", "metadata", "spec"},
                        "spec": {"selector", "ports", "type"}},
    ("batch/v1", "Job"): {"": {"apiVersion", "kind", "metadata", "spec"},
                          "spec": {"completionMode", "completions", "parallelism", "backoffLimit",
                                   "backoffLimitPerIndex", "maxFailedIndexes", "podFailurePolicy",
                                   "ttlSecondsAfterFinished", "template"}},
    ("apps/v1", "Deployment"): {"": {"apiVersion", "kind", "metadata", "spec"},
                                "spec": {"replicas", "selector", "template"}},
    ("monitoring.coreos.com/v1", "Probe"): {"": {"apiVersion", "kind", "metadata", "spec"},
                                            "spec": {"jobName", "interval", "scrapeTimeout", "prober",
                                                     "module", "targets"}},
    ("monitoring.coreos.com/v1", "ServiceMonitor"): {"": {"apiVersion", "kind", "metadata", "spec"},
                                                     "spec": {"selector", "endpoints", "jobLabel"}},
}
POD_SPEC = {"restartPolicy", "securityContext", "containers", "volumes"}
CONTAINER = {"name", "image", "command", "args", "env", "ports", "readinessProbe", "livenessProbe",
             "resources", "securityContext", "volumeMounts"}
METADATA = {"name", "labels", "annotations", "namespace"}


def keys_ok(obj, allowed, where):
    extra = set(obj) - allowed if isinstance(obj, dict) else {"<not a mapping>"}
    check(not extra, f"{where}: only known fields" + (f" (unknown: {sorted(extra)})" if extra else ""))


def check_pod(template, where, names):
    keys_ok(template, {"metadata", "spec"}, f"{where}.template")
    spec = template["spec"]
    keys_ok(spec, POD_SPEC, f"{where}.template.spec")
    volumes = {v["name"]: v for v in spec.get("volumes", [])}
    for v in volumes.values():
        if "configMap" in v:
            check(v["configMap"]["name"] in names["ConfigMap"], f"{where}: volume {v['name']} names a ConfigMap defined here")
        if "persistentVolumeClaim" in v:
            check(v["persistentVolumeClaim"]["claimName"] in names["PersistentVolumeClaim"],
                  f"{where}: volume {v['name']} names a claim defined here")
    for c in spec["containers"]:
        keys_ok(c, CONTAINER, f"{where} container {c.get('name')}")
        for m in c.get("volumeMounts", []):
            check(m["name"] in volumes, f"{where}: mount {m['name']} has a volume")
        sc = c.get("securityContext", {})
        check(sc.get("allowPrivilegeEscalation") is False and sc.get("readOnlyRootFilesystem") is True
              and sc.get("capabilities", {}).get("drop") == ["ALL"],
              f"{where} container {c['name']}: no privilege escalation, read-only root, all capabilities dropped")
    check(spec.get("securityContext", {}).get("runAsNonRoot") is True, f"{where}: runs as non-root")
    return spec


def smtpdane_words(text):
    """Flags (-name) on smtpdane command lines in a config file, shell script or manifest."""
    words = []
    for line in text.splitlines():
        line = line.split("#", 1)[0] if not line.lstrip().startswith("args:") else line
        if "smtpdane" in line or words and line.rstrip().endswith("\\"):
            words += re.findall(r'(?<![\w/.$-])-{1,2}([a-z0-9][a-z0-9-]*)(?==|\b)', line)
    return words


def main():
    help_flags = set(re.findall(r"^  -(\S+)", Path(sys.argv[1]).read_text(), re.M)) | {"help", "h"}
    check(len(help_flags) > 30, f"-help lists {len(help_flags)} flags")

    docs = []
    for path in sorted((DEPLOY / "kubernetes").glob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text()):
            docs.append((path.name, doc))
    check(len(docs) >= 8, f"{len(docs)} Kubernetes objects parsed")
    names = {kind: set() for _, kind in SCHEMA}
    for _, d in docs:
        names.setdefault(d["kind"], set()).add(d["metadata"]["name"])

    for file, d in docs:
        key = (d.get("apiVersion"), d.get("kind"))
        where = f"{file} {d.get('kind')}/{d.get('metadata', {}).get('name')}"
        check(key in SCHEMA, f"{where}: known apiVersion and kind")
        if key not in SCHEMA:
            continue
        for path, allowed in SCHEMA[key].items():
            keys_ok(d if path == "" else d[path], allowed, f"{where}{'.' + path if path else ''}")
        keys_ok(d["metadata"], METADATA, f"{where}.metadata")
        spec = d.get("spec", {})
        if d["kind"] == "Job":
            pod = check_pod(spec["template"], where, names)
            check(spec["completionMode"] == "Indexed", f"{where}: Indexed (JOB_COMPLETION_INDEX set per pod)")
            check(pod["restartPolicy"] == "Never", f"{where}: restartPolicy Never (needed by podFailurePolicy)")
            c = pod["containers"][0]
            shards = {e["name"]: e["value"] for e in c.get("env", [])}.get("SMTPDANE_SHARDS")
            check(str(spec["completions"]) == shards == str(spec["parallelism"]),
                  f"{where}: completions, parallelism and SMTPDANE_SHARDS agree ({spec['completions']}, {spec['parallelism']}, {shards})")
            rule_containers = {r["onExitCodes"]["containerName"] for r in spec["podFailurePolicy"]["rules"]}
            check(rule_containers <= {x["name"] for x in pod["containers"]}, f"{where}: podFailurePolicy names its container")
            script = c["args"][0]
            check("-shard" in script and "JOB_COMPLETION_INDEX + 1" in script, f"{where}: shard K is JOB_COMPLETION_INDEX + 1 (K is 1-based)")
        if d["kind"] == "Deployment":
            pod = check_pod(spec["template"], where, names)
            check(spec["selector"]["matchLabels"].items() <= spec["template"]["metadata"]["labels"].items(),
                  f"{where}: selector matches the pod labels")
            c = pod["containers"][0]
            check(c["command"] == ["smtpdane"] and c["args"][0] == "serve", f"{where}: runs smtpdane serve")
            check("-listen" in c["args"] and not c["args"][c["args"].index("-listen") + 1].startswith("127."),
                  f"{where}: listens beyond loopback (the Service must reach it)")
        if d["kind"] == "Service":
            pods = [p for f, p in docs if p["kind"] == "Deployment"
                    and spec["selector"].items() <= p["spec"]["template"]["metadata"]["labels"].items()]
            check(len(pods) == 1, f"{where}: selects the exporter's pods")
            ports = {p["name"] for p in pods[0]["spec"]["template"]["spec"]["containers"][0]["ports"]} if pods else set()
            check(all(p["targetPort"] in ports for p in spec["ports"]), f"{where}: targetPort names a container port")
        if d["kind"] == "ServiceMonitor":
            svcs = [s for _, s in docs if s["kind"] == "Service"
                    and spec["selector"]["matchLabels"].items() <= s["metadata"].get("labels", {}).items()]
            check(len(svcs) == 1, f"{where}: selects the exporter's Service")
            check(all(e["port"] in {p["name"] for s in svcs for p in s["spec"]["ports"]} for e in spec["endpoints"]),
                  f"{where}: endpoint port names a Service port")
        if d["kind"] == "Probe":
            host, _, port = spec["prober"]["url"].partition(":")
            check(host in names["Service"] and any(str(p["port"]) == port for _, s in docs if s["kind"] == "Service"
                                                   and s["metadata"]["name"] == host for p in s["spec"]["ports"]),
                  f"{where}: prober url is the exporter Service and port")
            check(spec["prober"]["path"] == "/probe" and spec["targets"]["staticConfig"]["static"], f"{where}: probes static targets via /probe")

    # Every smtpdane flag in deploy/ is a real flag.
    for path in sorted(p for p in DEPLOY.rglob("*") if p.is_file() and p.suffix in {".yaml", ".yml", ".cfg", ".conf", ".service", ".default"}):
        text = path.read_text()
        if path.suffix in {".yaml"}:
            for _, d in [(None, x) for x in yaml.safe_load_all(text)]:
                for c in d.get("spec", {}).get("template", {}).get("spec", {}).get("containers", []):
                    text += "\n" + " ".join(["smtpdane"] + [shlex.quote(a) for a in c.get("args", [])])
        used = set(smtpdane_words(text))
        for opts in re.findall(r'^SMTPDANE_OPTS="([^"]*)"', text, re.M):  # /etc/default/smtpdane
            used |= set(smtpdane_words("smtpdane " + opts))
        if path.name == "smtpdane.conf":  # Icinga 2: flags are the argument keys
            used |= set(re.findall(r'^\s+"-([a-z0-9-]+)" = \{', text, re.M))
        unknown = sorted(used - help_flags)
        if used:
            check(not unknown, f"{path.relative_to(ROOT)}: {len(used)} smtpdane flags, all in -help" + (f" (unknown: {unknown})" if unknown else ""))

    print(f"{'check-deploy: ' + str(failures) + ' failed' if failures else 'check-deploy: all passed'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
