#ifndef KAB_CRDKAFKA_SHIM_H
#define KAB_CRDKAFKA_SHIM_H
// The C binding of kafka-api-bridge: librdkafka's client API and its mock cluster,
// as Debian's librdkafka-dev installs them. Only the Kafka module imports this.
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#endif
