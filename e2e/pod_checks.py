#!/usr/bin/env python3
"""Checks pods as the stand-in cluster's kubelet saw them against what admission would demand but
the stand-in does not enforce: a ResourceQuota on requests and limits of CPU and memory with no
LimitRange, and the restricted Pod Security Standard. Prints one line per pod; exits 1 on any
violation.

usage: pod_checks.py POD_JSON...
"""
import json
import sys

RESTRICTED_VOLUMES = {"configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret"}
SECCOMP = {"RuntimeDefault", "Localhost"}


def violations(pod):
    spec = pod["spec"]
    found = []
    pod_context = spec.get("securityContext") or {}
    for volume in spec.get("volumes", []):
        kinds = set(volume) - {"name"}
        if not kinds & RESTRICTED_VOLUMES:
            found.append(f"volume {volume['name']}: {sorted(kinds)}")
    for container in spec.get("initContainers", []) + spec["containers"]:
        name = container["name"]
        resources = container.get("resources") or {}
        for kind in ("requests", "limits"):
            for resource in ("cpu", "memory"):
                if resource not in (resources.get(kind) or {}):
                    found.append(f"{name}: no {kind}.{resource}")
        context = container.get("securityContext") or {}
        if context.get("allowPrivilegeEscalation") is not False:
            found.append(f"{name}: allowPrivilegeEscalation is not false")
        if "ALL" not in ((context.get("capabilities") or {}).get("drop") or []):
            found.append(f"{name}: capabilities do not drop ALL")
        if context.get("runAsNonRoot", pod_context.get("runAsNonRoot")) is not True:
            found.append(f"{name}: runAsNonRoot is not true")
        if context.get("runAsUser", pod_context.get("runAsUser")) == 0:
            found.append(f"{name}: runs as root")
        profile = (context.get("seccompProfile") or pod_context.get("seccompProfile") or {}).get("type")
        if profile not in SECCOMP:
            found.append(f"{name}: no RuntimeDefault or Localhost seccomp profile")
    return found


def main(paths):
    failed = False
    for path in paths:
        with open(path) as f:
            pod = json.load(f)
        found = violations(pod)
        failed |= bool(found)
        state = "OK" if not found else "FAIL " + "; ".join(found)
        print(f"SUBMIT-CHECK pod {pod['metadata']['name']}: quota and restricted {state}")
    return 1 if failed or not paths else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
