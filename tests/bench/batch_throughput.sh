#!/usr/bin/env bash
# verify --batch throughput on one core, in CPU time, beside `openssl speed` (RS256, ES256) and PyJWT (HS256).
# Budget (DESIGN.md): >= 0.8x the openssl speed verify rate for RS256/ES256; HS256 >= 2x PyJWT.
set -euo pipefail
bin=${1:?usage: batch_throughput.sh PATH/TO/jwt-inspector}
n=${JWTI_BATCH_TOKENS:-20000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
payload='{"sub":"1234567890","name":"John Doe","iat":1516239022}'

# n copies of the token in file $1, one a line (awk, not `yes | head`: that pipe dies of SIGPIPE under pipefail).
repeat_lines() {
  awk -v n="$n" '{ for (i = 0; i < n; ++i) print }' "$1" >"$work/tokens"
}
rate() { # count seconds
  awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", n / s }'
}
# User CPU seconds of one batch run: openssl speed counts CPU time too, and wall time lies on a shared machine.
time_batch() { # keyspec... ; reads $work/tokens
  local TIMEFORMAT=%U seconds
  seconds=$( { time taskset -c 0 "$bin" verify "$@" --batch <"$work/tokens" >"$work/out"; } 2>&1) || true
  if [ "$(grep -cx valid "$work/out")" -ne "$n" ]; then
    echo "batch output wrong: $(sort "$work/out" | uniq -c | head -3)" >&2
    exit 1
  fi
  echo "$seconds"
}

"$bin" keygen --alg RS256 --out "$work/rs.pem" --public-out "$work/rs.pub.pem" >/dev/null
"$bin" sign --key "$work/rs.pem" --alg RS256 "$payload" >"$work/rs.jwt"
repeat_lines "$work/rs.jwt"
rs_secs=$(time_batch --key "$work/rs.pub.pem")

"$bin" keygen --alg ES256 --out "$work/es.pem" --public-out "$work/es.pub.pem" >/dev/null
"$bin" sign --key "$work/es.pem" --alg ES256 "$payload" >"$work/es.jwt"
repeat_lines "$work/es.jwt"
es_secs=$(time_batch --key "$work/es.pub.pem")

secret=$(openssl rand -hex 32)
"$bin" sign --secret-hex "$secret" --alg HS256 "$payload" >"$work/hs.jwt"
repeat_lines "$work/hs.jwt"
hs_secs=$(time_batch --secret-hex "$secret")

speed=$(taskset -c 0 openssl speed -seconds 2 rsa2048 ecdsap256 2>/dev/null)
openssl_rs=$(echo "$speed" | awk '/^rsa 2048 bits/ { print $NF }')
openssl_es=$(echo "$speed" | awk '/ecdsa \(nistp256\)/ { print $NF }')

# Debian's python3 has python3-jwt; a python3 earlier on PATH (pyenv) may not.
pyjwt_rate=$(taskset -c 0 /usr/bin/python3 - "$work/hs.jwt" "$secret" "$n" <<'PY'
import sys, time, jwt
token = open(sys.argv[1]).read().strip()
key = bytes.fromhex(sys.argv[2])
n = int(sys.argv[3])
start = time.process_time()
for _ in range(n):
    jwt.decode(token, key, algorithms=["HS256"])
print(round(n / (time.process_time() - start)))
PY
)

ours_rs=$(rate "$n" "$rs_secs")
ours_es=$(rate "$n" "$es_secs")
ours_hs=$(rate "$n" "$hs_secs")
printf '%-6s %12s %14s %8s\n' alg "ours tok/s" "reference/s" ratio
printf '%-6s %12s %14s %8s\n' RS256 "$ours_rs" "$openssl_rs" "$(awk -v a="$ours_rs" -v b="$openssl_rs" 'BEGIN{printf "%.2f", a/b}')"
printf '%-6s %12s %14s %8s\n' ES256 "$ours_es" "$openssl_es" "$(awk -v a="$ours_es" -v b="$openssl_es" 'BEGIN{printf "%.2f", a/b}')"
printf '%-6s %12s %14s %8s\n' HS256 "$ours_hs" "$pyjwt_rate" "$(awk -v a="$ours_hs" -v b="$pyjwt_rate" 'BEGIN{printf "%.2f", a/b}')"
echo "(references: openssl speed verify/s for rsa2048 and ecdsap256, PyJWT jwt.decode/s for HS256; $n tokens, one core)"
