#!/usr/bin/env bash
# Certificates for mutual TLS between silos and gateways (Orleans:Tls, see SECURITY.md), made
# with openssl: a cluster CA and one certificate per node, signed by it.
#
#   scripts/cluster-certs.sh [options] NODE...
#
#   -d DIR              where to write (default docker/certs)
#   --days N            validity of node certificates in days (default 365)
#   --ca-days N         validity of a new CA in days (default 3650)
#   --key-mode MODE     file mode of node keys (default 600). The compose containers run as
#                       uid 1654: give them the key with `sudo chown 1654 DIR/*/node.key`, or on
#                       a single-user development host with --key-mode 644
#   --force             issue NODE's certificate again even if it exists (renewal)
#   --rotate-ca         keep the current CA as the previous one, create a new CA, trust both
#   --drop-previous-ca  stop trusting the previous CA (after every node has a new certificate)
#
# Layout: DIR/ca.crt and DIR/ca.key (the CA; keep ca.key off the nodes), DIR/trust.crt (the CA
# certificates nodes accept), and for each node DIR/NODE/node.crt, node.key and ca.crt (a copy of
# trust.crt): the one directory that node needs. An existing CA and existing node certificates are
# kept, so the script can be run again to add nodes. Files are replaced by renaming, so a node that
# watches them never reads half a file.
set -euo pipefail

usage() { sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

dir=docker/certs days=365 ca_days=3650 key_mode=600 force=false rotate=false drop=false
nodes=()
while (($#)); do
  case "$1" in
    -d) dir="$2"; shift 2 ;;
    --days) days="$2"; shift 2 ;;
    --ca-days) ca_days="$2"; shift 2 ;;
    --key-mode) key_mode="$2"; shift 2 ;;
    --force) force=true; shift ;;
    --rotate-ca) rotate=true; shift ;;
    --drop-previous-ca) drop=true; shift ;;
    -h | --help) usage ;;
    -*) echo "unknown option $1" >&2; usage ;;
    *) [[ "$1" =~ ^[A-Za-z0-9][A-Za-z0-9._-]*$ ]] || { echo "a node name is letters, digits, '.', '_' and '-': $1" >&2; exit 2; }
       nodes+=("$1"); shift ;;
  esac
done
command -v openssl >/dev/null || { echo "openssl is needed (Debian: apt-get install openssl)" >&2; exit 1; }
umask 022
mkdir -p "$dir"
tmp="$(mktemp -d "$dir/.tmp.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

# new_key FILE: an EC P-256 private key (PKCS#8 PEM), readable by its owner only.
new_key() { (umask 077 && openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null); }

new_ca() {
  new_key "$tmp/ca.key"
  openssl req -x509 -new -key "$tmp/ca.key" -out "$tmp/ca.crt" -days "$ca_days" -sha256 \
    -subj "/O=Coordinator/CN=Coordinator cluster CA $(date -u +%Y-%m-%d) $(openssl rand -hex 4)" \
    -addext "basicConstraints=critical,CA:TRUE,pathlen:0" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -addext "subjectKeyIdentifier=hash"
  mv "$tmp/ca.key" "$dir/ca.key"
  mv "$tmp/ca.crt" "$dir/ca.crt"
  echo "CA: $dir/ca.crt ($(openssl x509 -in "$dir/ca.crt" -noout -subject))"
}

if $rotate; then
  [[ -f "$dir/ca.key" ]] || { echo "--rotate-ca: there is no CA in $dir yet" >&2; exit 1; }
  [[ ! -f "$dir/previous-ca.crt" ]] || { echo "--rotate-ca: $dir/previous-ca.crt exists; finish the last rotation with --drop-previous-ca first" >&2; exit 1; }
  mv "$dir/ca.crt" "$dir/previous-ca.crt"
  mv "$dir/ca.key" "$dir/previous-ca.key"
fi
if $drop; then
  for node_dir in "$dir"/*/; do
    node_dir="${node_dir%/}"
    if [[ -f "$node_dir/node.crt" ]] && ! openssl verify -CAfile "$dir/ca.crt" "$node_dir/node.crt" >/dev/null 2>&1; then
      echo "--drop-previous-ca: $node_dir/node.crt is not signed by the current CA yet: issue it again with --force first" >&2
      exit 1
    fi
  done
  rm -f "$dir/previous-ca.crt" "$dir/previous-ca.key"
fi
[[ -f "$dir/ca.key" && -f "$dir/ca.crt" ]] || new_ca

# Node certificates: both server and client authentication (a silo accepts and opens connections;
# a gateway only opens them but the same profile serves it). Peers check the chain to the CA, not
# names; the names are there for people and tools reading the certificate.
for node in "${nodes[@]}"; do
  if [[ -f "$dir/$node/node.crt" ]] && ! $force; then
    echo "$node: kept $dir/$node/node.crt (--force issues it again)"
    continue
  fi
  mkdir -p "$dir/$node"
  new_key "$tmp/node.key"
  openssl req -new -key "$tmp/node.key" -subj "/CN=$node" -out "$tmp/node.csr"
  cat >"$tmp/node.ext" <<EOF
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth,clientAuth
subjectAltName=DNS:$node,DNS:localhost,IP:127.0.0.1
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
EOF
  openssl x509 -req -in "$tmp/node.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -set_serial "0x$(openssl rand -hex 16)" \
    -days "$days" -sha256 -extfile "$tmp/node.ext" -out "$tmp/node.crt" 2>/dev/null
  chmod "$key_mode" "$tmp/node.key"
  # Key first, then certificate: a node reading in between sees a mismatched pair, refuses it and
  # keeps its current one until the certificate arrives.
  mv "$tmp/node.key" "$dir/$node/node.key"
  mv "$tmp/node.crt" "$dir/$node/node.crt"
  echo "$node: $dir/$node/node.crt, valid until $(openssl x509 -in "$dir/$node/node.crt" -noout -enddate | cut -d= -f2)"
done

# What every node trusts: the CA, and during a rotation the previous one too.
cat "$dir/ca.crt" >"$tmp/trust.crt"
[[ -f "$dir/previous-ca.crt" ]] && cat "$dir/previous-ca.crt" >>"$tmp/trust.crt"
cp "$tmp/trust.crt" "$dir/trust.crt.new" && mv "$dir/trust.crt.new" "$dir/trust.crt"
for node_dir in "$dir"/*/; do
  node_dir="${node_dir%/}"
  [[ -f "$node_dir/node.crt" ]] || continue
  if ! cmp -s "$dir/trust.crt" "$node_dir/ca.crt"; then
    cp "$dir/trust.crt" "$node_dir/ca.crt.new" && mv "$node_dir/ca.crt.new" "$node_dir/ca.crt"
  fi
  # A node whose certificate no CA in trust.crt signed is refused by the others.
  if ! openssl verify -CAfile "$dir/trust.crt" "$node_dir/node.crt" >/dev/null 2>&1; then
    echo "warning: $node_dir/node.crt is not signed by a CA in $dir/trust.crt: issue it again with --force" >&2
  fi
done
echo "trusted CA certificates: $(grep -c 'BEGIN CERTIFICATE' "$dir/trust.crt") ($dir/trust.crt, copied to each node's ca.crt)"
