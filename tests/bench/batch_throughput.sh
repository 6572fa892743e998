#!/usr/bin/env bash
# verify --batch throughput on one core, side by side in one run with `openssl speed` (RS256, ES256: the signature
# operation alone) and PyJWT (every alg) on the same distinct tokens. Prints rates and ratios, never fails on them.
# Budget (DESIGN.md): >= 0.8x the openssl speed verify rate for RS256/ES256; HS256 >= 2x PyJWT.
#
# usage: batch_throughput.sh PATH/TO/jwt-inspector [JOBS...]
#   JOBS (or JWTI_BENCH_JOBS="2 4"): the --jobs values to run besides 1 (default: 2 when the machine has two
#   cores); a run with --jobs N is pinned to the first N cores. Also JWTI_BATCH_TOKENS (default 20000),
#   JWTI_SPEED_SECONDS (default 3), JWTI_BENCH_RUNS (default 3: each batch run is repeated, the best is reported with
#   the spread of the runs) and JWTI_BENCH_MEMORY=1 (peak memory of 1,000 and 1,000,000 lines, issue 17 item 5).
#   scripts/bench.sh runs it through ctest (label bench).
# The ratios use user CPU time, as openssl speed does, with process start included for us and for PyJWT; wall-clock
# rates are printed beside them. The machine may be shared: read the ratios, which come from runs made one after the
# other on the same core, and the spread, which says how noisy the machine was.
set -euo pipefail
bin=${1:?usage: batch_throughput.sh PATH/TO/jwt-inspector [JOBS...]}
shift
bin=$(readlink -f "$bin")
n=${JWTI_BATCH_TOKENS:-20000}
speed_seconds=${JWTI_SPEED_SECONDS:-3}
runs=${JWTI_BENCH_RUNS:-3}
cores=$(nproc)
if [ $# -gt 0 ]; then
  extra_jobs=("$@")
elif [ -n "${JWTI_BENCH_JOBS:-}" ]; then
  read -r -a extra_jobs <<<"$JWTI_BENCH_JOBS"
elif [ "$cores" -ge 2 ]; then extra_jobs=(2); else extra_jobs=(); fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python=/usr/bin/python3 # Debian's python3 has python3-jwt; a python3 earlier on PATH (pyenv) may not.
have_pyjwt=false
if "$python" -c 'import jwt, cryptography' 2>/dev/null; then have_pyjwt=true; fi
# Binaries from before --jobs existed are measured without it (for before/after figures).
has_jobs=false
if "$bin" verify --help | grep -q -- '--jobs'; then has_jobs=true; fi

# Keys: RSA 2048 and EC P-256 PEM pairs and an HMAC secret, each with a kid; a JWKS holding them with two decoys of
# the same types, so the token's kid must pick.
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$work/rs.pem" 2>/dev/null
openssl pkey -in "$work/rs.pem" -pubout -out "$work/rs.pub.pem"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$work/es.pem" 2>/dev/null
openssl pkey -in "$work/es.pem" -pubout -out "$work/es.pub.pem"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$work/decoy-rs.pem" 2>/dev/null
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$work/decoy-es.pem" 2>/dev/null
openssl rand -hex 32 | tr -d '\n' >"$work/hs.hex"
secret=$(cat "$work/hs.hex")

# Distinct tokens: every one has its own jti and iat, so no cache of any kind can answer for a repeat.
if $have_pyjwt; then
  "$python" - "$work" "$n" <<'PY'
import base64, json, sys, jwt
from jwt.algorithms import RSAAlgorithm, ECAlgorithm
from cryptography.hazmat.primitives.serialization import load_pem_private_key
work, n = sys.argv[1], int(sys.argv[2])
def pem(name):
    return load_pem_private_key(open(f"{work}/{name}.pem", "rb").read(), None)
keys = {"RS256": pem("rs"), "ES256": pem("es"), "HS256": bytes.fromhex(open(f"{work}/hs.hex").read())}
for alg, key in keys.items():
    with open(f"{work}/{alg}.tokens", "w") as out:
        for i in range(n):
            claims = {"sub": "1234567890", "name": "John Doe", "iat": 1516239022 + i, "jti": f"t{i}"}
            out.write(jwt.encode(claims, key, algorithm=alg, headers={"kid": f"k-{alg}"}) + "\n")
def public_jwk(algorithm, private, kid, alg):
    jwk = json.loads(algorithm.to_jwk(private.public_key()))
    if jwk.get("kty") == "EC":
        # PyJWT 2.6 drops leading zero bytes of x and y (one key in 128); RFC 7518 §6.2.1.2 wants the full length.
        numbers, size = private.public_key().public_numbers(), (private.curve.key_size + 7) // 8
        for name, value in (("x", numbers.x), ("y", numbers.y)):
            jwk[name] = base64.urlsafe_b64encode(value.to_bytes(size, "big")).rstrip(b"=").decode()
    jwk.update({"kid": kid, "alg": alg, "use": "sig"})
    return jwk
jwks = {"keys": [public_jwk(RSAAlgorithm, pem("decoy-rs"), "decoy-RS256", "RS256"),
                 public_jwk(RSAAlgorithm, keys["RS256"], "k-RS256", "RS256"),
                 public_jwk(ECAlgorithm, pem("decoy-es"), "decoy-ES256", "ES256"),
                 public_jwk(ECAlgorithm, keys["ES256"], "k-ES256", "ES256")]}
json.dump(jwks, open(f"{work}/keys.jwks", "w"))
PY
else
  # Without PyJWT: a few hundred distinct tokens from our own sign, repeated to n lines.
  for alg in RS256 ES256 HS256; do
    case $alg in
      RS256) spec=(--key "$work/rs.pem") ;;
      ES256) spec=(--key "$work/es.pem") ;;
      HS256) spec=(--secret-hex "$secret") ;;
    esac
    for i in $(seq 200); do
      "$bin" sign "${spec[@]}" --alg "$alg" --kid "k-$alg" "{\"sub\":\"1234567890\",\"jti\":\"t$i\"}"
    done >"$work/$alg.few"
    awk -v n="$n" '{ line[NR] = $0 } END { for (i = 0; i < n; ++i) print line[i % NR + 1] }' "$work/$alg.few" \
      >"$work/$alg.tokens"
  done
fi

# Batch runs, $runs of them: prints "WALL USER PEAK_KIB SPREAD" for the best run (least user time; wall and peak of
# that run) and the spread of user time over the runs, in percent; every output line must be "valid".
time_batch() { # cpulist jobs alg keyspec...
  local cpus=$1 jobs=$2 alg=$3 run
  shift 3
  local jobs_option=()
  if $has_jobs; then jobs_option=(--jobs "$jobs"); fi
  local TIMEFORMAT='%3R %3U' # bash's time, to the millisecond; GNU time only for the peak memory
  for run in $(seq "$runs"); do
    { time /usr/bin/time -f '%M' -o "$work/peak" taskset -c "$cpus" "$bin" verify "$@" --batch "${jobs_option[@]}" \
      <"$work/$alg.tokens" >"$work/out" 2>"$work/err"; } 2>"$work/time" || true
    if [ "$(grep -cx valid "$work/out" || true)" -ne "$n" ]; then
      echo "batch output wrong for $alg $*: $(sort "$work/out" | uniq -c | sort -rn | head -3) $(head -3 "$work/err")" >&2
      exit 1
    fi
    echo "$(cat "$work/time") $(cat "$work/peak")"
  done | sort -k2,2g | awk '{ line[NR] = $0; user[NR] = $2 }
    END { split(line[1], best, " "); spread = user[1] > 0 ? (user[NR] - user[1]) * 100 / user[1] : 0;
          printf "%s %s %s %.0f\n", best[1], best[2], best[3], spread }'
}
rate() { awk -v n="$n" -v s="$1" 'BEGIN { printf "%.0f", n / s }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else printf "-" }'; }

speed=$(taskset -c 0 openssl speed -seconds "$speed_seconds" rsa2048 ecdsap256 2>/dev/null)
declare -A openssl_rate
openssl_rate[RS256]=$(echo "$speed" | awk '/^rsa 2048 bits/ { print $NF }')
openssl_rate[ES256]=$(echo "$speed" | awk '/ecdsa \(nistp256\)/ { print $NF }')
openssl_rate[HS256]=0

declare -A pyjwt_rate
for alg in RS256 ES256 HS256; do
  pyjwt_rate[$alg]=0
  if ! $have_pyjwt; then continue; fi
  TIMEFORMAT='%U'
  seconds=$( { time taskset -c 0 "$python" - "$work" "$alg" >/dev/null <<'PY'
import sys, jwt
from cryptography.hazmat.primitives.serialization import load_pem_public_key
work, alg = sys.argv[1], sys.argv[2]
key = {"RS256": lambda: load_pem_public_key(open(f"{work}/rs.pub.pem", "rb").read()),
       "ES256": lambda: load_pem_public_key(open(f"{work}/es.pub.pem", "rb").read()),
       "HS256": lambda: bytes.fromhex(open(f"{work}/hs.hex").read())}[alg]()
for line in open(f"{work}/{alg}.tokens"):
    jwt.decode(line.strip(), key, algorithms=[alg])
PY
  } 2>&1)
  pyjwt_rate[$alg]=$(rate "$seconds")
done

# The key store, when a private Secret Service can be started (as scripts/test.sh does for the keychain tests).
keystore=false
if command -v dbus-run-session >/dev/null && command -v gnome-keyring-daemon >/dev/null; then keystore=true; fi

# Rates from user CPU time, as openssl speed counts them (and PyJWT's above; process start included for both);
# wall-clock rates beside them, and for --jobs N the wall-clock speed-up over --jobs 1 with the same keys.
echo "load before the runs: $(cut -d' ' -f1-3 /proc/loadavg) on $cores cores; best of $runs runs a row"
printf '%-6s %-8s %4s %9s %9s %8s %9s %9s %9s %8s %8s %8s\n' alg keys jobs "wall/s" "cpu/s" "cpu µs" "openssl/s" \
  "÷openssl" "÷PyJWT" "speed-up" "spread" "peak MiB"
declare -A wall_jobs1
report() { # alg label jobs "WALL USER [PEAK_KIB SPREAD]"
  local alg=$1 label=$2 jobs=$3 wall user peak spread speedup=-
  read -r wall user peak spread <<<"$4"
  if [ "$jobs" = 1 ]; then wall_jobs1[$alg$label]=$wall; else speedup=$(ratio "${wall_jobs1[$alg$label]}" "$wall"); fi
  printf '%-6s %-8s %4s %9s %9s %8.1f %9s %9s %9s %8s %7s%% %8s\n' "$alg" "$label" "$jobs" "$(rate "$wall")" \
    "$(rate "$user")" "$(awk -v s="$user" -v n="$n" 'BEGIN { print s * 1e6 / n }')" "${openssl_rate[$alg]:-0}" \
    "$(ratio "$(rate "$user")" "${openssl_rate[$alg]}")" "$(ratio "$(rate "$user")" "${pyjwt_rate[$alg]}")" "$speedup" \
    "${spread:--}" "$(awk -v k="${peak:-0}" 'BEGIN { if (k > 0) printf "%.1f", k / 1024; else printf "-" }')"
}
for alg in RS256 ES256 HS256; do
  case $alg in
    RS256) pem=(--key "$work/rs.pub.pem") ;;
    ES256) pem=(--key "$work/es.pub.pem") ;;
    HS256) pem=(--secret-hex "$secret") ;;
  esac
  # An assignment, so that a run whose output is wrong stops the script (set -e).
  times=$(time_batch 0 1 "$alg" "${pem[@]}")
  report "$alg" pem 1 "$times"
  if [ "$alg" != HS256 ] && $have_pyjwt; then
    times=$(time_batch 0 1 "$alg" --key "$work/keys.jwks")
    report "$alg" jwks 1 "$times"
  fi
  if $has_jobs; then
    for jobs in "${extra_jobs[@]}"; do
      times=$(time_batch "0-$((jobs - 1))" "$jobs" "$alg" "${pem[@]}")
      report "$alg" pem "$jobs" "$times"
    done
  fi
done

if $keystore; then
  # A private session bus, HOME and keyring: the user's own keychain is never touched.
  export work bin n has_jobs runs
  export -f time_batch
  private="$work/home"
  mkdir -p "$private/config" "$private/data" "$private/cache"
  chmod 700 "$private"
  HOME="$private" XDG_RUNTIME_DIR="$private" XDG_CONFIG_HOME="$private/config" XDG_DATA_HOME="$private/data" \
    XDG_CACHE_HOME="$private/cache" dbus-run-session -- bash -c '
    set -euo pipefail
    printf %s bench-keyring-password | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1
    "$bin" keys import "$work/rs.pub.pem" --kid k-RS256 --alg RS256 >/dev/null
    "$bin" keys import "$work/es.pub.pem" --kid k-ES256 --alg ES256 >/dev/null
    for alg in RS256 ES256; do
      times=$(time_batch 0 1 "$alg" --keystore)
      echo "$alg $times"
    done' >"$work/keystore.times" || echo "(keystore runs failed: see above)" >&2
  while read -r alg wall user peak spread; do
    report "$alg" keystore 1 "$wall $user $peak $spread"
  done <"$work/keystore.times"
fi

# What the speed-up column can reach here: OpenSSL's own processes, one per core, against one (no shared state, so this
# is the machine's scaling), and our process start with no input, which no number of threads shortens.
if $has_jobs; then
  for jobs in "${extra_jobs[@]}"; do
    multi=$(taskset -c "0-$((jobs - 1))" openssl speed -seconds "$speed_seconds" -multi "$jobs" rsa2048 ecdsap256 \
      2>/dev/null)
    printf 'openssl speed -multi %s over 1 (the machine'"'"'s own scaling): RSA-2048 verify %s, ECDSA P-256 verify %s\n' \
      "$jobs" "$(ratio "$(echo "$multi" | awk '/^rsa 2048 bits/ { print $NF }')" "${openssl_rate[RS256]}")" \
      "$(ratio "$(echo "$multi" | awk '/ecdsa \(nistp256\)/ { print $NF }')" "${openssl_rate[ES256]}")"
  done
fi
TIMEFORMAT='%3R'
start_up=$(for run in 1 2 3 4 5; do
  { time taskset -c 0 "$bin" verify --secret-hex "$secret" --batch </dev/null >/dev/null 2>&1; } 2>&1
done | sort -g | head -1)
echo "process start with no input, best of 5: $(awk -v s="$start_up" 'BEGIN { printf "%.1f", s * 1000 }') ms wall" \
  "(part of every run's wall time; threads do not shorten it)"

if [ "${JWTI_BENCH_MEMORY:-0}" = 1 ]; then
  # Memory stays flat with input size (issue 17 item 5): the peak of 1,000 lines and of 1,000,000, HS256 (the fastest),
  # the file's tokens repeated; with the jobs of the last row above.
  memory_jobs=1
  if $has_jobs && [ ${#extra_jobs[@]} -gt 0 ]; then memory_jobs=${extra_jobs[-1]}; fi
  for lines in 1000 1000000; do
    awk -v lines="$lines" '{ token[NR] = $0 } END { for (i = 0; i < lines; ++i) print token[i % NR + 1] }' \
      "$work/HS256.tokens" >"$work/memory.tokens"
    jobs_option=()
    if $has_jobs; then jobs_option=(--jobs "$memory_jobs"); fi
    /usr/bin/time -f '%e %M' -o "$work/time" "$bin" verify --secret-hex "$secret" --batch "${jobs_option[@]}" \
      <"$work/memory.tokens" | sort | uniq -c | sed 's/^ */  /' >"$work/out"
    read -r wall peak <"$work/time"
    printf 'memory: %8d lines, --jobs %s: peak %.1f MiB, %.1f s; output:%s\n' "$lines" "$memory_jobs" \
      "$(awk -v k="$peak" 'BEGIN { print k / 1024 }')" "$wall" "$(tr '\n' ' ' <"$work/out")"
  done
  rm -f "$work/memory.tokens"
fi
echo "($n distinct tokens per alg$($have_pyjwt || echo ', 200 distinct repeated: no PyJWT'); process start included;" \
  "openssl speed -seconds $speed_seconds verify/s on core 0; PyJWT $(
  $have_pyjwt && "$python" -c 'import jwt; print(jwt.__version__)' || echo absent) jwt.decode on the same tokens)"
if ! $has_jobs; then echo "(this binary has no --jobs: single-threaded runs only)"; fi
