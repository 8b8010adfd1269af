#!/usr/bin/env bash
# Apache Kafka (KRaft, one node) for Sluice's integration tests and benchmarks, on 127.0.0.1.
#   services/kafka.sh start    install (jars from Maven Central, cached in .services/kafka/libs), format once, start, wait
#   services/kafka.sh stop     stop the broker started here
#   services/kafka.sh status   exit 0 when the broker answers
# Settings: KAFKA_PORT (19092), KAFKA_CONTROLLER_PORT (19093), ports of the project's own broker. Data and logs: .services/kafka/.
set -euo pipefail
cd "$(dirname "$0")/.."
. services/lib.sh
home=${KAFKA_HOME:-.services/kafka}   # data, logs, pid; a second instance (tests that restart a broker) sets its own
libs=.services/kafka/libs
port=${KAFKA_PORT:-19092}
cport=${KAFKA_CONTROLLER_PORT:-19093}
sport=${KAFKA_SASL_PORT:-19096}   # a SASL_PLAINTEXT listener (PLAIN, user sluice / sluice-secret) for the security tests

answers() { (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; }

install() {
  # Re-resolve when the pom changes; Maven's own cache lives under .services/m2.
  local want; want=$(sha1sum services/kafka/pom.xml | cut -c1-40)
  if [ "$(cat "$libs/.complete" 2>/dev/null)" != "$want" ]; then
    rm -rf "$libs"
    mkdir -p "$libs"
    mvn -q -B -Dmaven.repo.local="$PWD/.services/m2" -f services/kafka/pom.xml dependency:copy-dependencies -DoutputDirectory="$PWD/$libs" >&2
    echo "$want" > "$libs/.complete"
  fi
}

config() {
  cat > "$home/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:$cport
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport,SASL_PLAINTEXT://127.0.0.1:$sport
advertised.listeners=PLAINTEXT://127.0.0.1:$port,SASL_PLAINTEXT://127.0.0.1:$sport
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT
sasl.enabled.mechanisms=PLAIN
listener.name.sasl_plaintext.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required user_sluice="sluice-secret";
log.dirs=$(cd "$home" && pwd)/data
num.partitions=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
log.retention.check.interval.ms=1000
PROPS
}

start() {
  if answers; then return 0; fi
  install
  mkdir -p "$home"
  config
  if [ ! -f "$home/data/meta.properties" ]; then
    java -cp "$libs/*" kafka.tools.StorageTool format --standalone -t "$(java -cp "$libs/*" kafka.tools.StorageTool random-uuid)" -c "$home/server.properties" >&2
  fi
  start_and_wait kafka "$home/pid" "$home/server.log" 60 answers \
    java -Xmx1g -Dslf4j.internal.verbosity=WARN -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$libs/*" kafka.Kafka "$home/server.properties"
  echo "kafka: listening on 127.0.0.1:$port" >&2
}

stop() { stop_pidfile "$home/pid"; }

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) answers ;;
  *) echo "usage: services/kafka.sh start|stop|status" >&2; exit 2 ;;
esac
