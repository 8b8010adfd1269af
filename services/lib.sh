# Shared by the service scripts.

# Runs a server in the background with its output in `log` and its pid in `pidfile`, then waits up to `seconds` for
# `check` (a command) to succeed; fails early, showing the log's tail, if the server exits.
#   start_and_wait minio "$home/pid" "$home/server.log" 60 status "$bin/minio" server ...
start_and_wait() {
  local name=$1 pidfile=$2 log=$3 seconds=$4 check=$5
  shift 5
  nohup "$@" > "$log" 2>&1 &
  echo $! > "$pidfile"
  for _ in $(seq 1 $((seconds * 2))); do
    if $check; then return 0; fi
    if ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then echo "$name: the server exited; see $log" >&2; tail -20 "$log" >&2; return 1; fi
    sleep 0.5
  done
  $check || { echo "$name: no answer after $seconds s; see $log" >&2; return 1; }
}

# Stops the process whose pid is in a file, politely first.
stop_pidfile() {
  local file=$1 pid
  [ -f "$file" ] || return 0
  pid=$(cat "$file")
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 120); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$file"
}
