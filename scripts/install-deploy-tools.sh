#!/usr/bin/env bash
# The tools the deploy/ tests run offline: `kubectl` (renders deploy/kubernetes with
# `kubectl kustomize`) and `promtool` (checks deploy/prometheus). Installed from Debian's
# packages only where missing: kubectl from `kubernetes-client`; promtool taken out of the
# `prometheus` package without installing it (no Prometheus server is set up or started).
set -euo pipefail

if ! kubectl kustomize --help >/dev/null 2>&1; then
  echo "deploy-tools: installing kubectl (Debian kubernetes-client)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends kubernetes-client
fi

if ! command -v promtool >/dev/null 2>&1; then
  echo "deploy-tools: installing promtool (from Debian's prometheus package)"
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  apt-get update -qq
  (cd "$work" && apt-get download prometheus >/dev/null)
  dpkg-deb -x "$work"/prometheus_*.deb "$work/root"
  install -m 0755 "$work/root/usr/bin/promtool" /usr/local/bin/promtool
fi

kubectl version --client 2>/dev/null | head -n1 || true
promtool --version | head -n1
