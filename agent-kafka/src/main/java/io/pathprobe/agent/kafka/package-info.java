/**
 * The agent's "kafka" sink type: {@link io.pathprobe.agent.kafka.KafkaSink}, each record one message of a Kafka
 * topic, over Apache Kafka's own producer. Registered for {@link java.util.ServiceLoader} as a
 * {@link io.pathprobe.agent.sink.ResultSinkProvider} ({@link io.pathprobe.agent.kafka.KafkaSink.Provider}).
 */
@NullMarked
package io.pathprobe.agent.kafka;

import org.jspecify.annotations.NullMarked;
