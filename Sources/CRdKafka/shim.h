// The C surface slawatch uses: librdkafka and its mock cluster (for the development broker).
#ifndef SLAWATCH_CRDKAFKA_SHIM_H
#define SLAWATCH_CRDKAFKA_SHIM_H
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#endif
